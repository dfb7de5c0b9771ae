import type { KubeObject } from '../kube/api';

/** `resources.NodeIsReadyAndNotDeleting`: the generic cluster's readiness check. */
export { isNodeReady } from '../wiring/nodeReadiness';

/** GPUs the NVIDIA device plugin advertises on the node (0 until it runs). */
export function allocatableGpus(node: KubeObject): number {
  const allocatable = (
    node.status as { allocatable?: Record<string, string> } | undefined
  )?.allocatable;
  return Number(allocatable?.['nvidia.com/gpu'] ?? 0);
}
