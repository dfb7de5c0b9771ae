import type { KubernetesObject } from '@kubernetes/client-node';

/** A Node or a Pod whose `Ready` condition is `True`. */
export function isReady(
  object: (KubernetesObject & { status?: any }) | undefined,
): boolean {
  return Boolean(
    object?.status?.conditions?.some(
      (c: any) => c.type === 'Ready' && c.status === 'True',
    ),
  );
}
