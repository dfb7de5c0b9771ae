import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  IssueCollector,
  Zod,
  chatCompletionsPath,
  describeWorkspaceFailure,
  entityTabPath,
  inferenceServiceUrl,
  workspaceTabPath,
} from '@kaito-backstage/plugin-kaito-common';
import {
  KaitoWorkspaceDetail,
  KaitoWorkspaceRef,
} from '@kaito-backstage/plugin-kaito-node';
import { kaitoEntityRef, normalizeEntityRef } from './entityRefs';
import {
  InferFields,
  endpointOutputs,
  existingWorkspaceInputs,
  pollIntervalInput,
  strictFields,
  tabOutputs,
  timeoutMinutesInput,
  workspaceOutputs,
} from './inputs';
import { KaitoActionOptions, chatUrlOf } from './types';
import {
  checkEntityRef,
  checkInputShape,
  checkPositive,
  checkWorkspaceRef,
  throwIfInvalid,
} from './validation';
import {
  TARGET_STATES,
  TargetState,
  WaitResult,
  WaitTarget,
  progressLine,
  reached,
  toResult,
  tuningProgress,
} from './waitProgress';
import {
  CancelledError,
  ProgressLog,
  formatDuration,
  pollUntil,
} from './waiting';
import { examples } from './workspaceWait.examples';

/** @public */
export const WORKSPACE_WAIT_ACTION_ID = 'kaito:workspace:wait';

const inputs = {
  ...existingWorkspaceInputs,
  until: (z: Zod) =>
    z
      .enum(TARGET_STATES)
      .optional()
      .describe(
        'State to wait for; default Succeeded for tuning and Ready for inference',
      ),
  condition: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Instead of a state: a condition type that must become True, e.g. InferenceReady',
      ),
  timeoutMinutes: timeoutMinutesInput('the state or condition', 120),
  pollIntervalSeconds: pollIntervalInput(10),
  problemGraceSeconds: (z: Zod) =>
    z
      .number()
      .optional()
      .describe(
        'How long a non-final problem (image pull error, NodeClaim quota error, crash loop) may last before the wait fails; default 60. A Failed tuning run fails at once',
      ),
};

type WaitInput = InferFields<typeof inputs>;

const optionalNumber = (description: string) => (z: Zod) =>
  z.number().optional().describe(description);

const outputs = {
  ...workspaceOutputs,
  state: (z: Zod) =>
    z.string().describe('The state reached, e.g. Succeeded or Ready'),
  reason: (z: Zod) =>
    z.string().optional().describe("KAITO's reason for the state"),
  message: (z: Zod) =>
    z.string().optional().describe("KAITO's message for the state"),
  ...endpointOutputs,
  outputImage: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Tuning: the image the adapter was pushed to (an inference adapter source)',
      ),
  outputVolume: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('Tuning: the PVC the adapter was written to'),
  steps: optionalNumber('Tuning: optimizer steps run'),
  trainLoss: optionalNumber('Tuning: average training loss'),
  finalLoss: optionalNumber('Tuning: the last logged loss'),
  waitedSeconds: (z: Zod) => z.number().describe('How long the action waited'),
  gpuHours: optionalNumber('GPU hours used so far'),
  estimatedCostUsd: optionalNumber('Estimated list-price cost so far, USD'),
  ...tabOutputs,
  modelEntityRef: (z: Zod) =>
    z
      .string()
      .optional()
      .describe(
        'Tuning: the catalog entity (Resource, type ai-model) the KAITO catalog module publishes for the tuned model',
      ),
  chatTabPath: (z: Zod) =>
    z
      .string()
      .optional()
      .describe('Inference: path of the chat with the workspace'),
};

function validate(input: WaitInput): void {
  const v = new IssueCollector();
  checkWorkspaceRef(v, input);
  checkEntityRef(v, 'entityRef', input.entityRef, false);
  if (
    input.until !== undefined &&
    (input.until as string) !== '' &&
    !TARGET_STATES.includes(input.until as TargetState)
  ) {
    v.add(
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
    v.add(
      'condition',
      'wait.condition.invalid',
      `"${input.condition}" must be a condition type such as InferenceReady, JobStarted or WorkspaceSucceeded`,
    );
  }
  checkPositive(v, 'timeoutMinutes', input.timeoutMinutes, 7 * 24 * 60);
  checkPositive(v, 'pollIntervalSeconds', input.pollIntervalSeconds, 15);
  if (
    input.problemGraceSeconds !== undefined &&
    (typeof input.problemGraceSeconds !== 'number' ||
      input.problemGraceSeconds < 0)
  ) {
    v.add('problemGraceSeconds', 'field.non-negative', 'must be 0 or more');
  }
  throwIfInvalid(WORKSPACE_WAIT_ACTION_ID, v);
}

/** The target a workspace of this kind can reach; InputError otherwise. */
function checkTargetKind(detail: KaitoWorkspaceDetail, target: WaitTarget) {
  if (!target.condition && !target.until) {
    target.until = detail.type === 'tuning' ? 'Succeeded' : 'Ready';
  }
  if (
    target.until &&
    ((detail.type === 'inference' && target.until !== 'Ready') ||
      (detail.type === 'tuning' && target.until === 'Ready'))
  ) {
    throw new InputError(
      `until: a ${detail.type} workspace never becomes ${target.until}; use ${
        detail.type === 'tuning' ? 'Running or Succeeded' : 'Ready'
      } [wait.until.kind]`,
    );
  }
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
    schema: { input: inputs, output: outputs },
    async handler(ctx) {
      checkInputShape(
        WORKSPACE_WAIT_ACTION_ID,
        strictFields(inputs),
        ctx.input,
      );
      const input = ctx.input;
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
      const target: WaitTarget = input.condition
        ? { condition: input.condition }
        : { until: input.until || undefined };
      const where = `${input.namespace}/${input.name} on cluster "${input.cluster}"`;
      const goal = target.condition
        ? `have condition ${target.condition}=True`
        : `reach ${target.until ?? 'its final state'}`;

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
        const tab = owner ? entityTabPath(owner) : undefined;
        if (tab) {
          ctx.output('entityTabPath', tab);
          ctx.output('workspacePath', workspaceTabPath(owner!, ref)!);
        }
        if (result.kind === 'tuning' && result.state === 'Succeeded') {
          const model = kaitoEntityRef(owner, ref);
          if (model) ctx.output('modelEntityRef', model);
        }
        if (result.kind === 'inference') {
          const chatUrl = await chatUrlOf(options, result.chatPath);
          if (chatUrl) ctx.output('chatUrl', chatUrl);
          if (tab) {
            ctx.output('chatTabPath', workspaceTabPath(owner!, ref, 'chat')!);
          }
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
              ? goal
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
                endpoint: inferenceServiceUrl(input),
                chatPath: chatCompletionsPath(input),
              }),
        });
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const timeoutMs = (input.timeoutMinutes ?? 120) * 60_000;
      const graceMs = (input.problemGraceSeconds ?? 60) * 1000;

      const result = await ctx.checkpoint({
        key: `wait-${input.cluster}-${input.namespace}-${input.name}-${
          target.condition ?? target.until ?? 'default'
        }`,
        fn: async (): Promise<WaitResult> => {
          const progress = new ProgressLog(ctx.logger);
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
            )} for workspace ${where} to ${goal}`,
          );
          return pollUntil<KaitoWorkspaceDetail | undefined, WaitResult>({
            what: `workspace ${where}`,
            logger: ctx.logger,
            signal: ctx.signal,
            maxPollMs: (input.pollIntervalSeconds ?? 10) * 1000,
            timeoutMs,
            read: () =>
              kaito.getWorkspace(ref, { credentials, signal: ctx.signal }),
            check: (detail, waited) => {
              if (!detail) {
                throw new Error(
                  last
                    ? `Workspace ${where} was deleted while it was ${last.state}`
                    : `Workspace ${where} does not exist`,
                );
              }
              last = detail;
              checkTargetKind(detail, target);
              if (reached(detail, target)) {
                const line = tuningProgress(detail);
                ctx.logger.info(
                  `Workspace ${where} is ${detail.state}${
                    target.condition ? ` (${target.condition}=True)` : ''
                  } after ${formatDuration(waited)}${line ? `: ${line}` : ''}`,
                );
                return { done: true, result: toResult(detail, waited) };
              }
              if (['Failed', 'Succeeded', 'Deleting'].includes(detail.state)) {
                throw new Error(describeWorkspaceFailure(detail));
              }
              if (detail.status?.problem) {
                problemSince ??= Date.now();
                if (Date.now() - problemSince >= graceMs) {
                  throw new Error(describeWorkspaceFailure(detail));
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
                () => progressLine(detail, waited),
              );
              return { done: false };
            },
            timedOut: waited =>
              new Error(
                `Timed out after ${formatDuration(
                  timeoutMs,
                )} waiting for workspace ${where}; it is ${
                  last ? progressLine(last, waited) : 'unreadable'
                }. ${leftBehind()} Retry the step to keep waiting.`,
              ),
            cancelled: () => {
              ctx.logger.warn(`Cancelled while waiting. ${leftBehind()}`);
              return new CancelledError(
                `Cancelled while waiting for workspace ${where}. ${leftBehind()}`,
              );
            },
          });
        },
      });
      await emit(result);
    },
  });
}
