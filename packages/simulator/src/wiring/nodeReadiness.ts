import type { KubeObject } from '../kube/api';

interface NodeCondition {
  type: string;
  status: string;
}

/**
 * A node the scheduler may use: its `Ready` condition is True and it is not
 * being deleted (KAITO's `resources.NodeIsReadyAndNotDeleting` is the same check).
 */
export function isNodeReady(node: KubeObject): boolean {
  if (node.metadata.deletionTimestamp) return false;
  const conditions = ((
    node.status as { conditions?: NodeCondition[] } | undefined
  )?.conditions ?? []) as NodeCondition[];
  return conditions.some(c => c.type === 'Ready' && c.status === 'True');
}
