import {
  WorkspaceDetail,
  findGpuSku,
} from '@kaito-backstage/plugin-kaito-common';

/** What kind of problem a workspace has. */
export type ProblemKind =
  | 'quota'
  | 'sku-unavailable'
  | 'image-pull'
  | 'out-of-memory'
  | 'unschedulable'
  | 'crash'
  | 'failed'
  | 'other';

/** A workspace problem explained for people. */
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

interface Evidence {
  source: string;
  text: string;
}

function evidenceOf(workspace: WorkspaceDetail): Evidence[] {
  const evidence: Evidence[] = [];
  const { status } = workspace;
  if (status.message) {
    evidence.push({
      source: `${status.conditionType ?? 'status'}${
        status.reason ? ` (${status.reason})` : ''
      }`,
      text: `${status.reason ?? ''} ${status.message}`,
    });
  }
  for (const c of workspace.timeline ?? []) {
    if (c.status !== 'True' && (c.message || c.reason)) {
      evidence.push({
        source: `${c.type}${c.reason ? ` (${c.reason})` : ''}`,
        text: `${c.reason ?? ''} ${c.message ?? ''}`,
      });
    }
  }
  for (const claim of workspace.nodeClaims ?? []) {
    if (claim.message) {
      evidence.push({
        source: `NodeClaim ${claim.name}`,
        text: `${claim.reason ?? ''} ${claim.message}`,
      });
    }
  }
  for (const e of workspace.events ?? []) {
    if (e.type === 'Warning' && e.message) {
      evidence.push({
        source: `event ${e.reason ?? ''} on ${e.object.kind ?? ''} ${
          e.object.name ?? ''
        }`.trim(),
        text: `${e.reason ?? ''} ${e.message}`,
      });
    }
  }
  for (const pod of workspace.pods ?? []) {
    for (const c of pod.containers) {
      if (c.reason && c.state !== 'running') {
        evidence.push({
          source: `pod ${pod.name}, container ${c.name}`,
          text: `${c.reason} ${c.message ?? ''}`,
        });
      }
    }
  }
  return evidence.map(e => ({ ...e, text: e.text.trim() }));
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

/** The quota family a quota message names. */
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

/** The Azure region a message names. */
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

function find(evidence: Evidence[], re: RegExp): Evidence | undefined {
  return evidence.find(e => re.test(e.text));
}

/**
 * Explains why a workspace is stuck or failed, with what to do about it;
 * undefined when it has no problem.
 */
export function explainProblem(
  workspace: WorkspaceDetail,
): ProblemExplanation | undefined {
  const evidence = evidenceOf(workspace);
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
