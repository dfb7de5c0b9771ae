import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  KaitoRequestOptions,
  KaitoWorkspaceDetail,
  KaitoWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-node';
import {
  KaitoActionOptions,
  chatPathOf,
  chatUrlOf,
  serviceUrlOf,
} from './types';
import {
  CancelledError,
  Issues,
  ProgressLog,
  checkEntityRef,
  checkPositive,
  checkWorkspaceRef,
  entityTabPath,
  formatDuration,
  isTransient,
  kaitoEntityRef,
  normalizeEntityRef,
  pollIntervals,
  sleep,
  workspaceTabPath,
} from './util';

/** @public */
export const WORKSPACE_WAIT_ACTION_ID = 'kaito:workspace:wait';

const TARGET_STATES = ['Running', 'Succeeded', 'Ready'] as const;
type TargetState = (typeof TARGET_STATES)[number];

const examples = [
  {
    description:
      'Wait for a fine-tuning run to succeed (up to 4 hours), then use the adapter image it pushed',
    example: `steps:
  - id: wait-tuning
    name: Fine-tuning
    action: kaito:workspace:wait
    input:
      cluster: \${{ steps['create-tuning'].output.cluster }}
      namespace: \${{ steps['create-tuning'].output.namespace }}
      name: \${{ steps['create-tuning'].output.name }}
      timeoutMinutes: 240
  # later: \${{ steps['wait-tuning'].output.outputImage }}`,
  },
  {
    description:
      'Wait until an inference workspace serves (its InferenceReady condition is True)',
    example: `steps:
  - id: wait-inference
    name: Model server
    action: kaito:workspace:wait
    input:
      cluster: aks-kaito-dev
      namespace: ml-team
      name: support-chatbot-serve-1a2b3c
      condition: InferenceReady
      timeoutMinutes: 60`,
  },
];

interface WaitInput {
  cluster: string;
  namespace: string;
  name: string;
  entityRef?: string;
  until?: string;
  condition?: string;
  timeoutMinutes?: number;
  pollIntervalSeconds?: number;
  problemGraceSeconds?: number;
}

type WaitResult = {
  kind: 'tuning' | 'inference';
  state: string;
  reason?: string;
  message?: string;
  entityRef?: string;
  endpoint?: string;
  chatPath?: string;
  outputImage?: string;
  outputVolume?: string;
  steps?: number;
  trainLoss?: number;
  finalLoss?: number;
  waitedSeconds: number;
  gpuHours?: number;
  estimatedCostUsd?: number;
};

function validate(input: WaitInput): void {
  const issues = new Issues();
  checkWorkspaceRef(issues, input);
  checkEntityRef(issues, 'entityRef', input.entityRef, false);
  if (
    input.until !== undefined &&
    input.until !== '' &&
    !TARGET_STATES.includes(input.until as TargetState)
  ) {
    issues.add(
      'until',
      'wait.until.invalid',
      `"${input.until}" must be one of ${TARGET_STATES.join(
        ', ',
      )} (tuning: Running or Succeeded; inference: Ready)`,
    );
  }
  if (
    input.condition !== undefined &&
    input.condition !== '' &&
    !/^[A-Za-z][A-Za-z0-9]*$/.test(input.condition)
  ) {
    issues.add(
      'condition',
      'wait.condition.invalid',
      `"${input.condition}" must be a condition type such as InferenceReady, JobStarted or WorkspaceSucceeded`,
    );
  }
  checkPositive(issues, 'timeoutMinutes', input.timeoutMinutes, 7 * 24 * 60);
  checkPositive(issues, 'pollIntervalSeconds', input.pollIntervalSeconds, 15);
  if (
    input.problemGraceSeconds !== undefined &&
    (typeof input.problemGraceSeconds !== 'number' ||
      input.problemGraceSeconds < 0)
  ) {
    issues.add(
      'problemGraceSeconds',
      'field.non-negative',
      'must be 0 or more',
    );
  }
  issues.throwIfAny(WORKSPACE_WAIT_ACTION_ID);
}

function conditionIsTrue(detail: KaitoWorkspaceDetail, type: string): boolean {
  return [...(detail.conditions ?? []), ...(detail.timeline ?? [])].some(
    c => c.type === type && c.status === 'True',
  );
}

function reached(
  detail: KaitoWorkspaceDetail,
  target: { condition?: string; until?: TargetState },
): boolean {
  if (target.condition) return conditionIsTrue(detail, target.condition);
  const until = target.until!;
  if (detail.state === until) return true;
  return (
    detail.type === 'tuning' &&
    until === 'Running' &&
    detail.state === 'Succeeded'
  );
}

function lastLoss(detail: KaitoWorkspaceDetail): number | undefined {
  const loss = detail.tuning?.progress?.loss;
  return loss && loss.length > 0 ? loss[loss.length - 1].loss : undefined;
}

/** `step 40/120 (33%), epoch 1.00/3, loss 1.2345` for a running tuning job. */
function tuningProgress(detail: KaitoWorkspaceDetail): string | undefined {
  const p = detail.tuning?.progress;
  if (!p) return undefined;
  const parts: string[] = [];
  if (p.step !== undefined) {
    parts.push(
      `step ${p.step}${p.totalSteps ? `/${p.totalSteps}` : ''}${
        p.fraction !== undefined ? ` (${Math.round(p.fraction * 100)}%)` : ''
      }`,
    );
  }
  if (p.epoch !== undefined) {
    parts.push(
      `epoch ${p.epoch.toFixed(2)}${p.totalEpochs ? `/${p.totalEpochs}` : ''}`,
    );
  }
  const loss = lastLoss(detail);
  if (loss !== undefined) parts.push(`loss ${loss.toFixed(4)}`);
  if (p.trainLoss !== undefined)
    parts.push(`train loss ${p.trainLoss.toFixed(4)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function nodeProgress(detail: KaitoWorkspaceDetail): string {
  const target = detail.nodes?.target;
  const ready = detail.nodes?.ready ?? 0;
  const parts = [`nodes ${ready}/${target ?? '?'} ready`];
  const claims = (detail.nodeClaims ?? []).filter(c => c.ready !== 'True');
  for (const claim of claims.slice(0, 2)) {
    parts.push(
      `NodeClaim ${claim.name}${
        claim.instanceType ? ` (${claim.instanceType})` : ''
      }: ${claim.reason ?? 'provisioning'}${
        claim.message ? ` - ${claim.message}` : ''
      }`,
    );
  }
  return parts.join(', ');
}

function progressLine(detail: KaitoWorkspaceDetail, waitedMs: number): string {
  const s = detail.status;
  const why = s?.reason
    ? ` (${s.conditionType ? `${s.conditionType} ` : ''}${s.reason}${
        s.message ? `: ${s.message}` : ''
      })`
    : '';
  const parts = [
    `${detail.type} workspace ${detail.namespace}/${detail.name}: ${detail.state}${why}`,
  ];
  if (detail.state === 'Pending' || detail.state === 'Provisioning') {
    parts.push(nodeProgress(detail));
  }
  const tuning = tuningProgress(detail);
  if (tuning) parts.push(tuning);
  else if (detail.tuning?.progressError && detail.state === 'Running') {
    parts.push(`progress unavailable: ${detail.tuning.progressError}`);
  }
  parts.push(`waiting ${formatDuration(waitedMs)}`);
  return parts.join(' | ');
}

/** Container states that say nothing about a failure. */
const BENIGN_CONTAINER_REASONS = [
  'Completed',
  'PodInitializing',
  'ContainerCreating',
];

/** What went wrong, in KAITO's own words, plus the pod, NodeClaim or event that shows it. */
function failureMessage(detail: KaitoWorkspaceDetail, cluster: string): string {
  const s = detail.status;
  const head = `${detail.type} workspace ${detail.namespace}/${
    detail.name
  } on cluster "${cluster}" ${
    detail.state === 'Failed' ? 'failed' : `is ${detail.state}`
  }`;
  const kaito = s?.reason
    ? `${s.conditionType ? `${s.conditionType} ` : ''}${s.reason}: ${
        s.message ?? ''
      }`.trim()
    : undefined;
  const extra: string[] = [];
  for (const pod of detail.pods ?? []) {
    for (const c of pod.containers ?? []) {
      if (
        c.reason &&
        !BENIGN_CONTAINER_REASONS.includes(c.reason) &&
        !c.ready &&
        c.state !== 'running'
      ) {
        extra.push(
          `pod ${pod.name} container ${c.name}: ${c.reason}${
            c.message ? ` - ${c.message}` : ''
          }${c.exitCode !== undefined ? ` (exit code ${c.exitCode})` : ''}`,
        );
      }
    }
  }
  for (const claim of detail.nodeClaims ?? []) {
    if (claim.ready === 'False' && claim.reason) {
      extra.push(
        `NodeClaim ${claim.name}: ${claim.reason}${
          claim.message ? ` - ${claim.message}` : ''
        }`,
      );
    }
  }
  const warning = [...(detail.events ?? [])]
    .reverse()
    .find(e => e.type === 'Warning');
  if (warning && extra.length === 0) {
    extra.push(
      `last warning ${warning.reason ?? ''} on ${warning.object?.kind ?? ''} ${
        warning.object?.name ?? ''
      }: ${warning.message ?? ''}`.trim(),
    );
  }
  return `${head}: ${kaito ?? 'no reason reported'}${
    extra.length ? `. ${extra.slice(0, 3).join('; ')}` : ''
  }`;
}

function toResult(detail: KaitoWorkspaceDetail, waitedMs: number): WaitResult {
  const volume = detail.tuning?.output?.volumeSource as
    | { persistentVolumeClaim?: { claimName?: string } }
    | undefined;
  const p = detail.tuning?.progress;
  const result: WaitResult = {
    kind: detail.type,
    state: detail.state,
    waitedSeconds: Math.round(waitedMs / 1000),
  };
  const set = <K extends keyof WaitResult>(
    key: K,
    value: WaitResult[K] | undefined,
  ) => {
    if (value !== undefined && value !== null) result[key] = value;
  };
  set('reason', detail.status?.reason);
  set('message', detail.status?.message);
  set('entityRef', detail.entityRef);
  set('endpoint', detail.endpoint?.serviceUrl);
  set('chatPath', detail.endpoint?.chatPath);
  set(
    'outputImage',
    detail.tuning?.outputImage ?? detail.tuning?.output?.image,
  );
  set('outputVolume', volume?.persistentVolumeClaim?.claimName);
  set('steps', p?.step ?? p?.totalSteps);
  set('trainLoss', p?.trainLoss);
  set('finalLoss', lastLoss(detail));
  set('gpuHours', detail.usage?.gpuHours);
  set('estimatedCostUsd', detail.usage?.estimatedCostUsd);
  return result;
}

/**
 * `kaito:workspace:wait`: follows a KAITO workspace until it reaches a
 * state (tuning Succeeded, inference Ready) or a condition, logging progress.
 *
 * @public
 */
export function createWorkspaceWaitAction(options: KaitoActionOptions) {
  const { kaito } = options;
  return createTemplateAction({
    id: WORKSPACE_WAIT_ACTION_ID,
    description:
      'Waits until a KAITO workspace reaches a state (tuning: Succeeded, inference: Ready, by default) or a ' +
      'condition, logging progress at least every 15 seconds: phase, node provisioning, and for fine-tuning the ' +
      "step, epoch and latest loss. Fails with KAITO's own reason and message when the workspace fails " +
      '(quota, image pull, OOM). Cancelling the task stops the wait; the workspace stays.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z => z.string().describe('Cluster name'),
        namespace: z => z.string().describe('Workspace namespace'),
        name: z => z.string().describe('Workspace name'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Owning entity; only needed for workspaces the suite did not create',
            ),
        until: z =>
          z
            .enum(TARGET_STATES)
            .optional()
            .describe(
              'State to wait for; default Succeeded for tuning and Ready for inference',
            ),
        condition: z =>
          z
            .string()
            .optional()
            .describe(
              'Instead of a state: a condition type that must become True, e.g. InferenceReady',
            ),
        timeoutMinutes: z =>
          z
            .number()
            .optional()
            .describe('Give up after this long; default 120'),
        pollIntervalSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'Longest interval between status checks (at most 15); default 10',
            ),
        problemGraceSeconds: z =>
          z
            .number()
            .optional()
            .describe(
              'How long a non-final problem (image pull error, NodeClaim quota error, crash loop) may last before the wait fails; default 60. A Failed tuning run fails at once',
            ),
      },
      output: {
        cluster: z => z.string().describe('Cluster name'),
        namespace: z => z.string().describe('Workspace namespace'),
        name: z => z.string().describe('Workspace name'),
        kind: z =>
          z.enum(['tuning', 'inference']).describe('tuning or inference'),
        state: z =>
          z.string().describe('The state reached, e.g. Succeeded or Ready'),
        reason: z =>
          z.string().optional().describe("KAITO's reason for the state"),
        message: z =>
          z.string().optional().describe("KAITO's message for the state"),
        endpoint: z =>
          z
            .string()
            .optional()
            .describe('Inference: in-cluster URL of the model server'),
        chatPath: z =>
          z
            .string()
            .optional()
            .describe(
              "Inference: the KAITO backend's chat completions path, relative to /api/kaito",
            ),
        chatUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "Inference: absolute URL of the KAITO backend's chat completions proxy",
            ),
        outputImage: z =>
          z
            .string()
            .optional()
            .describe(
              'Tuning: the image the adapter was pushed to (an inference adapter source)',
            ),
        outputVolume: z =>
          z
            .string()
            .optional()
            .describe('Tuning: the PVC the adapter was written to'),
        steps: z =>
          z.number().optional().describe('Tuning: optimizer steps run'),
        trainLoss: z =>
          z.number().optional().describe('Tuning: average training loss'),
        finalLoss: z =>
          z.number().optional().describe('Tuning: the last logged loss'),
        waitedSeconds: z => z.number().describe('How long the action waited'),
        gpuHours: z => z.number().optional().describe('GPU hours used so far'),
        estimatedCostUsd: z =>
          z
            .number()
            .optional()
            .describe('Estimated list-price cost so far, USD'),
        entityTabPath: z =>
          z
            .string()
            .optional()
            .describe("Path of the owning entity's AI Workspaces tab"),
        workspacePath: z =>
          z
            .string()
            .optional()
            .describe('Path of the workspace in the AI Workspaces tab'),
        modelEntityRef: z =>
          z
            .string()
            .optional()
            .describe(
              'Tuning: the catalog entity (Resource, type ai-model) the KAITO catalog module publishes for the tuned model',
            ),
        chatTabPath: z =>
          z
            .string()
            .optional()
            .describe('Inference: path of the chat with the workspace'),
      },
    },
    async handler(ctx) {
      const input = ctx.input as WaitInput;
      validate(input);
      const entityRef = input.entityRef
        ? normalizeEntityRef(input.entityRef)
        : undefined;
      const ref: KaitoWorkspaceRef = {
        cluster: input.cluster,
        namespace: input.namespace,
        name: input.name,
        ...(entityRef ? { entityRef } : {}),
      };
      const target = input.condition
        ? { condition: input.condition }
        : { until: (input.until || undefined) as TargetState | undefined };
      const where = `${input.namespace}/${input.name} on cluster "${input.cluster}"`;

      const emit = async (result: WaitResult) => {
        ctx.output('cluster', input.cluster);
        ctx.output('namespace', input.namespace);
        ctx.output('name', input.name);
        ctx.output('kind', result.kind);
        ctx.output('state', result.state);
        for (const key of [
          'reason',
          'message',
          'endpoint',
          'chatPath',
          'outputImage',
          'outputVolume',
          'steps',
          'trainLoss',
          'finalLoss',
          'gpuHours',
          'estimatedCostUsd',
        ] as const) {
          if (result[key] !== undefined) ctx.output(key, result[key]!);
        }
        ctx.output('waitedSeconds', result.waitedSeconds);
        const owner = result.entityRef ?? entityRef;
        const tab = entityTabPath(owner);
        if (tab) {
          ctx.output('entityTabPath', tab);
          ctx.output('workspacePath', workspaceTabPath(owner, ref)!);
        }
        if (result.kind === 'tuning' && result.state === 'Succeeded') {
          const model = kaitoEntityRef(owner, ref);
          if (model) ctx.output('modelEntityRef', model);
        }
        if (result.kind === 'inference') {
          const chatUrl = await chatUrlOf(options, result.chatPath);
          if (chatUrl) ctx.output('chatUrl', chatUrl);
          if (tab)
            ctx.output('chatTabPath', workspaceTabPath(owner, ref, 'chat')!);
        }
      };

      if (ctx.isDryRun) {
        const kind: 'tuning' | 'inference' =
          target.until === 'Ready' || target.condition === 'InferenceReady'
            ? 'inference'
            : 'tuning';
        ctx.logger.info(
          `Dry run: would wait up to ${
            input.timeoutMinutes ?? 120
          } minutes for workspace ${where} to ${
            target.condition
              ? `have condition ${target.condition}=True`
              : `reach ${
                  target.until ?? 'Succeeded (tuning) or Ready (inference)'
                }`
          }. No call was made.`,
        );
        await emit({
          kind,
          state: target.until ?? (kind === 'tuning' ? 'Succeeded' : 'Ready'),
          waitedSeconds: 0,
          ...(entityRef ? { entityRef } : {}),
          ...(kind === 'tuning'
            ? {
                outputImage: 'registry.example.com/adapters/dry-run:latest',
                steps: 0,
              }
            : {
                endpoint: serviceUrlOf(input),
                chatPath: chatPathOf(input),
              }),
        });
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const opts: KaitoRequestOptions = { credentials, signal: ctx.signal };
      const timeoutMs = (input.timeoutMinutes ?? 120) * 60_000;
      const graceMs = (input.problemGraceSeconds ?? 60) * 1000;
      const maxPollMs = (input.pollIntervalSeconds ?? 10) * 1000;

      const result = await ctx.checkpoint({
        key: `wait-${input.cluster}-${input.namespace}-${input.name}-${
          target.condition ?? target.until ?? 'default'
        }`,
        fn: async (): Promise<WaitResult> => {
          const started = Date.now();
          const progress = new ProgressLog(ctx.logger);
          const intervals = pollIntervals(maxPollMs);
          let last: KaitoWorkspaceDetail | undefined;
          let problemSince: number | undefined;
          const leftBehind = () =>
            `The workspace ${where} stays${
              last ? ` (${last.state})` : ''
            }: KAITO keeps working on it. ` +
            'Delete it from the AI Workspaces tab (or with kaito:workspace:delete) if it is not needed.';
          ctx.logger.info(
            `Waiting up to ${formatDuration(
              timeoutMs,
            )} for workspace ${where} to ${
              target.condition
                ? `have condition ${target.condition}=True`
                : `reach ${target.until ?? 'its final state'}`
            }`,
          );
          for (;;) {
            if (ctx.signal?.aborted) {
              ctx.logger.warn(`Cancelled while waiting. ${leftBehind()}`);
              throw new CancelledError(
                `Cancelled while waiting for workspace ${where}. ${leftBehind()}`,
              );
            }
            let detail: KaitoWorkspaceDetail | undefined;
            let readFailed = false;
            try {
              detail = await kaito.getWorkspace(ref, opts);
            } catch (error) {
              if (ctx.signal?.aborted) continue;
              if (!isTransient(error)) throw error;
              readFailed = true;
              ctx.logger.warn(
                `Could not read workspace ${where} (will retry): ${error}`,
              );
            }
            if (!detail && !readFailed) {
              throw new Error(
                last
                  ? `Workspace ${where} was deleted while it was ${last.state}`
                  : `Workspace ${where} does not exist`,
              );
            }
            if (detail) {
              last = detail;
              if (!target.condition && !target.until) {
                target.until = detail.type === 'tuning' ? 'Succeeded' : 'Ready';
              }
              if (
                target.until &&
                ((detail.type === 'inference' && target.until !== 'Ready') ||
                  (detail.type === 'tuning' && target.until === 'Ready'))
              ) {
                throw new InputError(
                  `until: a ${detail.type} workspace never becomes ${
                    target.until
                  }; use ${
                    detail.type === 'tuning' ? 'Running or Succeeded' : 'Ready'
                  } [wait.until.kind]`,
                );
              }
              const waited = Date.now() - started;
              if (reached(detail, target)) {
                ctx.logger.info(
                  `Workspace ${where} is ${detail.state}${
                    target.condition ? ` (${target.condition}=True)` : ''
                  } after ${formatDuration(waited)}${
                    tuningProgress(detail) ? `: ${tuningProgress(detail)}` : ''
                  }`,
                );
                return toResult(detail, waited);
              }
              if (
                detail.state === 'Failed' ||
                detail.state === 'Succeeded' ||
                detail.state === 'Deleting'
              ) {
                throw new Error(failureMessage(detail, input.cluster));
              }
              if (detail.status?.problem) {
                problemSince ??= Date.now();
                if (Date.now() - problemSince >= graceMs) {
                  throw new Error(failureMessage(detail, input.cluster));
                }
              } else {
                problemSince = undefined;
              }
              // A new line on every change of phase, reason, ready nodes or
              // tenth of the training; at least every 15 s otherwise.
              const tenth = Math.floor(
                (detail.tuning?.progress?.fraction ?? 0) * 10,
              );
              progress.update(
                `${detail.state}|${detail.status?.reason ?? ''}|${
                  detail.nodes?.ready ?? 0
                }|${tenth}`,
                () => progressLine(detail!, waited),
              );
            }
            if (Date.now() - started > timeoutMs) {
              throw new Error(
                `Timed out after ${formatDuration(
                  timeoutMs,
                )} waiting for workspace ${where}; it is ${
                  last ? progressLine(last, Date.now() - started) : 'unreadable'
                }. ${leftBehind()} Retry the step to keep waiting.`,
              );
            }
            await sleep(intervals.next().value, ctx.signal);
          }
        },
      });
      await emit(result);
    },
  });
}
