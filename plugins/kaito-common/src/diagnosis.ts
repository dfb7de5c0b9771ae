import { WorkspaceDetail } from './api/workspaces';
import { findGpuSku } from './skus';

/*
 * Why a workspace is stuck or failed, read from its detail view: the one
 * diagnosis behind the entity tab's problem panel and the scaffolder's
 * failure messages.
 */

/**
 * What kind of problem a workspace has.
 *
 * @public
 */
export type ProblemKind =
  | 'quota'
  | 'sku-unavailable'
  | 'image-pull'
  | 'out-of-memory'
  | 'unschedulable'
  | 'crash'
  | 'failed'
  | 'other';

/**
 * A workspace problem explained for people.
 *
 * @public
 */
export interface ProblemExplanation {
  kind: ProblemKind;
  title: string;
  /** The message from the cluster or Azure that shows the problem. */
  detail?: string;
  /** Where the detail came from, e.g. `NodeClaimReady` or `event FailedCreate`. */
  source?: string;
  /** What to do about it. */
  steps: string[];
  /** Azure vCPU quota family, for quota problems. */
  quotaFamily?: string;
  /** Azure region, when the message names it. */
  region?: string;
}

/**
 * One thing the cluster or Azure says about a workspace that may show what
 * is wrong with it.
 *
 * @public
 */
export interface WorkspaceEvidence {
  /** Where it comes from. */
  kind: 'status' | 'condition' | 'nodeClaim' | 'event' | 'container';
  /** Names the source, e.g. `NodeClaimReady (QuotaExceeded)` or `pod x, container y`. */
  source: string;
  /** Reason and message, as one text. */
  text: string;
  /** The evidence as one line of a failure message, e.g. `pod x container y: OOMKilled (exit code 137)`. */
  line: string;
}

/** Container states that say nothing about a failure. */
const BENIGN_CONTAINER_REASONS = [
  'Completed',
  'PodInitializing',
  'ContainerCreating',
];

const detailOf = (message?: string) => (message ? ` - ${message}` : '');

/**
 * Everything in a workspace's detail view that may explain a problem, in
 * the order the diagnosis weighs it: the deciding condition, the other
 * conditions that are not True, NodeClaims that are not Ready, Warning
 * events (oldest first), failing containers.
 *
 * @public
 */
export function workspaceEvidence(
  workspace: WorkspaceDetail,
): WorkspaceEvidence[] {
  const evidence: WorkspaceEvidence[] = [];
  const { status } = workspace;
  if (status.message) {
    const source = `${status.conditionType ?? 'status'}${
      status.reason ? ` (${status.reason})` : ''
    }`;
    evidence.push({
      kind: 'status',
      source,
      text: `${status.reason ?? ''} ${status.message}`,
      line: `${status.conditionType ? `${status.conditionType} ` : ''}${
        status.reason ?? ''
      }: ${status.message}`,
    });
  }
  for (const c of workspace.timeline ?? []) {
    if (c.status !== 'True' && (c.message || c.reason)) {
      evidence.push({
        kind: 'condition',
        source: `${c.type}${c.reason ? ` (${c.reason})` : ''}`,
        text: `${c.reason ?? ''} ${c.message ?? ''}`,
        line: `${c.type} ${c.reason ?? ''}${detailOf(c.message)}`,
      });
    }
  }
  for (const claim of workspace.nodeClaims ?? []) {
    if (claim.ready !== 'True' && (claim.reason || claim.message)) {
      evidence.push({
        kind: 'nodeClaim',
        source: `NodeClaim ${claim.name}`,
        text: `${claim.reason ?? ''} ${claim.message ?? ''}`,
        line: `NodeClaim ${claim.name}: ${claim.reason ?? 'NotReady'}${detailOf(
          claim.message,
        )}`,
      });
    }
  }
  for (const e of workspace.events ?? []) {
    if (e.type === 'Warning' && e.message) {
      const on = `${e.object.kind ?? ''} ${e.object.name ?? ''}`;
      evidence.push({
        kind: 'event',
        source: `event ${e.reason ?? ''} on ${on}`.trim(),
        text: `${e.reason ?? ''} ${e.message}`,
        line: `last warning ${e.reason ?? ''} on ${on}: ${e.message}`,
      });
    }
  }
  for (const pod of workspace.pods ?? []) {
    for (const c of pod.containers) {
      if (
        c.reason &&
        c.state !== 'running' &&
        !c.ready &&
        !BENIGN_CONTAINER_REASONS.includes(c.reason)
      ) {
        evidence.push({
          kind: 'container',
          source: `pod ${pod.name}, container ${c.name}`,
          text: `${c.reason} ${c.message ?? ''}`,
          line: `pod ${pod.name} container ${c.name}: ${c.reason}${detailOf(
            c.message,
          )}${c.exitCode !== undefined ? ` (exit code ${c.exitCode})` : ''}`,
        });
      }
    }
  }
  return evidence.map(e => ({
    ...e,
    text: e.text.trim(),
    line: e.line.trim(),
  }));
}

/**
 * One line saying what went wrong with a workspace, in KAITO's own words,
 * plus up to three failing containers or NodeClaims (else the last Warning
 * event) that show it: the error a scaffolder step fails with.
 *
 * @public
 */
export function describeWorkspaceFailure(workspace: WorkspaceDetail): string {
  const { status } = workspace;
  const head = `${workspace.type} workspace ${workspace.namespace}/${
    workspace.name
  } on cluster "${workspace.cluster}" ${
    workspace.state === 'Failed' ? 'failed' : `is ${workspace.state}`
  }`;
  const kaito = status.reason
    ? `${status.conditionType ? `${status.conditionType} ` : ''}${
        status.reason
      }: ${status.message ?? ''}`.trim()
    : undefined;
  const evidence = workspaceEvidence(workspace);
  let extra = evidence
    .filter(e => e.kind === 'container' || e.kind === 'nodeClaim')
    .sort(
      (a, b) => Number(b.kind === 'container') - Number(a.kind === 'container'),
    );
  if (extra.length === 0) {
    extra = evidence.filter(e => e.kind === 'event').slice(-1);
  }
  return `${head}: ${kaito ?? 'no reason reported'}${
    extra.length
      ? `. ${extra
          .slice(0, 3)
          .map(e => e.line)
          .join('; ')}`
      : ''
  }`;
}

const QUOTA = /quota/i;
const SKU_UNAVAILABLE =
  /SkuNotAvailable|not available in (the )?(location|region|zone)|AllocationFailed|ZonalAllocationFailed|OverconstrainedAllocationRequest/i;
const IMAGE_PULL =
  /ImagePull|ErrImagePull|manifest unknown|pull access denied/i;
const OOM = /OOMKilled|out of memory|CUDA out of memory/i;
const UNSCHEDULABLE =
  /Unschedulable|FailedScheduling|didn't match|Insufficient nvidia\.com\/gpu/i;
const CRASH = /CrashLoopBackOff|ContainerStartError|Error exit|exit code/i;

/**
 * The quota family a quota message names.
 *
 * @public
 */
export function quotaFamilyOf(text: string): string | undefined {
  const patterns = [
    /for family\s+([A-Za-z0-9_]+)/i,
    /approved\s+([A-Za-z0-9_ ]+?)\s+Cores quota/i,
    /family\s+([A-Za-z0-9_]+)\s+in\s/i,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[1].trim();
  }
  return undefined;
}

/**
 * The Azure region a message names.
 *
 * @public
 */
export function regionOf(text: string): string | undefined {
  const patterns = [
    /for region\s+'?([a-z0-9]+)/i,
    /in region\s+'?([a-z0-9]+)/i,
    /location\s+'([a-z0-9]+)'/i,
    /family\s+\S+\s+in\s+([a-z0-9]+)/i,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[1].toLowerCase();
  }
  return undefined;
}

function find(
  evidence: WorkspaceEvidence[],
  re: RegExp,
): WorkspaceEvidence | undefined {
  return evidence.find(e => re.test(e.text));
}

/**
 * Explains why a workspace is stuck or failed, with what to do about it;
 * undefined when it has no problem.
 *
 * @public
 */
export function explainProblem(
  workspace: WorkspaceDetail,
): ProblemExplanation | undefined {
  const evidence = workspaceEvidence(workspace);
  const sku = workspace.instanceType
    ? findGpuSku(workspace.instanceType)
    : undefined;

  const quota = find(evidence, QUOTA);
  if (quota) {
    const family = quotaFamilyOf(quota.text) ?? sku?.quotaFamily;
    const region = regionOf(quota.text);
    const where = `${family ? `the ${family} family` : 'this GPU family'}${
      region ? ` in ${region}` : ''
    }`;
    return {
      kind: 'quota',
      title: 'Azure has no GPU quota left for this workspace',
      detail: quota.text,
      source: quota.source,
      steps: [
        `Ask the platform team to request more vCPU quota for ${where} (Azure portal: Quotas > Compute; GPU families often need a support request).`,
        `Or pick another GPU SKU that still has quota: create the workspace again with a different SKU (the SKU picker shows each SKU's quota headroom).`,
        'Or free quota: delete idle GPU pools of this subscription on the GPU pools page.',
      ],
      ...(family ? { quotaFamily: family } : {}),
      ...(region ? { region } : {}),
    };
  }
  if (!workspace.status.problem) {
    return undefined;
  }
  const unavailable = find(evidence, SKU_UNAVAILABLE);
  if (unavailable) {
    return {
      kind: 'sku-unavailable',
      title: `${workspace.instanceType ?? 'The GPU SKU'} is not available`,
      detail: unavailable.text,
      source: unavailable.source,
      steps: [
        'Azure has no capacity for this VM size in the cluster’s region or zone right now.',
        'Pick another GPU SKU, or ask the platform team which GPU sizes the region offers.',
      ],
    };
  }
  const imagePull = find(evidence, IMAGE_PULL);
  if (imagePull) {
    return {
      kind: 'image-pull',
      title: 'An image could not be pulled',
      detail: imagePull.text,
      source: imagePull.source,
      steps: [
        'Check the image reference (dataset, adapter or output image) and that the pull secret can read it.',
      ],
    };
  }
  const oom = find(evidence, OOM);
  if (oom) {
    return {
      kind: 'out-of-memory',
      title: 'The model ran out of memory',
      detail: oom.text,
      source: oom.source,
      steps: [
        'Use a GPU SKU with more GPU memory, or fine-tune with qlora instead of lora.',
      ],
    };
  }
  const unschedulable = find(evidence, UNSCHEDULABLE);
  if (unschedulable) {
    return {
      kind: 'unschedulable',
      title: 'The pod cannot be scheduled',
      detail: unschedulable.text,
      source: unschedulable.source,
      steps: [
        'No GPU node matches the workspace. Check that its GPU pool exists and has free nodes on the GPU pools page.',
      ],
    };
  }
  const crash = find(evidence, CRASH);
  if (crash) {
    return {
      kind: 'crash',
      title: 'The container keeps failing',
      detail: crash.text,
      source: crash.source,
      steps: ['Read the logs of the failing pod (Logs tab).'],
    };
  }
  const first = evidence[0];
  return {
    kind: workspace.state === 'Failed' ? 'failed' : 'other',
    title:
      workspace.state === 'Failed'
        ? 'The run failed'
        : 'The workspace needs attention',
    ...(first ? { detail: first.text, source: first.source } : {}),
    steps: ['Read the conditions, events and logs below for the cause.'],
  };
}
