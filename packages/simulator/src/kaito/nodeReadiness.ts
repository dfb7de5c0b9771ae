import type { KubeObject } from '../kube/api';

interface NodeCondition {
  type: string;
  status: string;
}

/** `resources.NodeIsReadyAndNotDeleting`. */
export function isNodeReady(node: KubeObject): boolean {
  if (node.metadata.deletionTimestamp) return false;
  const conditions = ((
    node.status as { conditions?: NodeCondition[] } | undefined
  )?.conditions ?? []) as NodeCondition[];
  return conditions.some(c => c.type === 'Ready' && c.status === 'True');
}

/** GPUs the NVIDIA device plugin advertises on the node (0 until it runs). */
export function allocatableGpus(node: KubeObject): number {
  const allocatable = (
    node.status as { allocatable?: Record<string, string> } | undefined
  )?.allocatable;
  return Number(allocatable?.['nvidia.com/gpu'] ?? 0);
}
