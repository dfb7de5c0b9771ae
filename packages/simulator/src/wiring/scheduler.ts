import type { KubeObject } from '../kube/api';
import { isNodeReady } from './nodeReadiness';

/**
 * The default scheduler's filter step for what the simulated pods use:
 * readiness (the not-ready taint), taints and tolerations, node selector and
 * required node affinity, and the `nvidia.com/gpu` extended resource. The
 * failure message is worded and aggregated like kube-scheduler's.
 */
interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}
interface PodSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms?: { matchExpressions?: Requirement[] }[];
      };
    };
  };
  containers?: {
    resources?: {
      requests?: Record<string, string>;
      limits?: Record<string, string>;
    };
  }[];
}

const GPU = 'nvidia.com/gpu';

export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some(t => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function requirementMatches(
  labels: Record<string, string>,
  req: Requirement,
): boolean {
  const value = labels[req.key];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function matchesAffinity(
  spec: PodSpec,
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some(term =>
    (term.matchExpressions ?? []).every(req => requirementMatches(labels, req)),
  );
}

export function gpuRequest(pod: KubeObject): number {
  const spec = pod.spec as PodSpec;
  return (spec.containers ?? []).reduce((sum, c) => {
    const amount = c.resources?.requests?.[GPU] ?? c.resources?.limits?.[GPU];
    return sum + Number(amount ?? 0);
  }, 0);
}

function effectiveTaints(node: KubeObject): Taint[] {
  const taints = [
    ...(((node.spec as { taints?: Taint[] }).taints ?? []) as Taint[]),
  ];
  if (!isNodeReady(node))
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
  if ((node.spec as { unschedulable?: boolean }).unschedulable) {
    taints.push({
      key: 'node.kubernetes.io/unschedulable',
      effect: 'NoSchedule',
    });
  }
  return taints;
}

export type ScheduleResult = { nodeName: string } | { message: string };

/**
 * Picks the first feasible node (by name, so runs are repeatable) or
 * explains, like kube-scheduler, why none fits.
 */
export function scheduleOnto(
  pod: KubeObject,
  nodes: KubeObject[],
  gpusInUse: (nodeName: string) => number,
): ScheduleResult {
  const spec = pod.spec as PodSpec;
  const reasons = new Map<string, number>();
  const fail = (reason: string) =>
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const wantGpus = gpuRequest(pod);
  let resourceOnly = 0;
  for (const node of [...nodes].sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  )) {
    const untolerated = effectiveTaints(node).find(
      t =>
        (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
        !tolerates(spec.tolerations ?? [], t),
    );
    if (untolerated) {
      fail(
        `node(s) had untolerated taint {${untolerated.key}: ${
          untolerated.value ?? ''
        }}`,
      );
      continue;
    }
    if (!matchesAffinity(spec, node.metadata.labels ?? {})) {
      fail("node(s) didn't match Pod's node affinity/selector");
      continue;
    }
    if (wantGpus > 0) {
      const allocatable = Number(
        (node.status as { allocatable?: Record<string, string> }).allocatable?.[
          GPU
        ] ?? 0,
      );
      if (gpusInUse(node.metadata.name) + wantGpus > allocatable) {
        fail(`Insufficient ${GPU}`);
        resourceOnly++;
        continue;
      }
    }
    return { nodeName: node.metadata.name };
  }
  if (nodes.length === 0)
    return { message: 'no nodes available to schedule pods' };
  const summary = [...reasons.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');
  const preemption = [
    ...(resourceOnly > 0
      ? [`${resourceOnly} No preemption victims found for incoming pod`]
      : []),
    ...(nodes.length - resourceOnly > 0
      ? [
          `${
            nodes.length - resourceOnly
          } Preemption is not helpful for scheduling`,
        ]
      : []),
  ].join(', ');
  return {
    message: `0/${nodes.length} nodes are available: ${summary}. preemption: 0/${nodes.length} nodes are available: ${preemption}.`,
  };
}
