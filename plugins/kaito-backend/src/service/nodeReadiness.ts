import type { KubernetesObject } from '@kubernetes/client-node';

/** A Node whose `Ready` condition is `True`. */
export function isNodeReady(
  node: (KubernetesObject & { status?: any }) | undefined,
): boolean {
  return Boolean(
    node?.status?.conditions?.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    ),
  );
}
