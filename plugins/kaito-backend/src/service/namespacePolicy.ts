import { NotAllowedError } from '@backstage/errors';
import { shown } from '@kaito-backstage/plugin-kaito-common';

/**
 * Namespaces no workspace may live in unless a cluster's
 * `kaito.clusters.<name>.namespaces` lists them: Kubernetes' own (`default`
 * and every `kube-*`), and those of KAITO and its GPU provisioner.
 */
export const PROTECTED_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'kaito-system',
  'kaito-workspace',
  'gpu-provisioner',
];

export function isProtectedNamespace(namespace: string): boolean {
  return (
    PROTECTED_NAMESPACES.includes(namespace) || namespace.startsWith('kube-')
  );
}

/** The entity side of a namespace decision. */
export interface NamespaceOwner {
  /** Its ref, for messages. */
  ref: string;
  /** Its `backstage.io/kubernetes-namespace`, if it names one. */
  namespace?: string;
}

/**
 * Where an entity's workspaces may live (and so where they may be created,
 * where GPU pools may be tagged for, and which ones may be chatted with):
 *
 * 1. in the namespace the entity names (`backstage.io/kubernetes-namespace`),
 *    if it names one, and only there;
 * 2. and within the cluster's namespaces: those `kaito.clusters.<name>.namespaces`
 *    lists (the same list the backend watches, so a workspace is never
 *    created where the suite cannot see it), or, where it lists none, any
 *    namespace but the protected ones.
 *
 * A refusal is a 403 naming the rule.
 */
export class NamespacePolicy {
  constructor(
    private readonly configured: (
      cluster: string,
    ) => readonly string[] | undefined,
  ) {}

  /** The namespaces allowed on a cluster; undefined means all but the protected ones. */
  allowed(cluster: string): readonly string[] | undefined {
    return this.configured(cluster);
  }

  check(options: {
    cluster: string;
    namespace: string;
    owner?: NamespaceOwner;
    /** How the request names the namespace, e.g. `namespace` or `workspace.namespace`. */
    field?: string;
  }): void {
    const { cluster, namespace, owner, field = 'namespace' } = options;
    if (owner?.namespace && owner.namespace !== namespace) {
      throw new NotAllowedError(
        `${field}: ${shown(namespace)} is not allowed: entity ${
          owner.ref
        } keeps its workloads in namespace ` +
          `"${owner.namespace}" (its backstage.io/kubernetes-namespace annotation) [namespace.entity-namespace]`,
      );
    }
    const listed = this.configured(cluster);
    if (listed) {
      if (!listed.includes(namespace)) {
        throw new NotAllowedError(
          `${field}: ${shown(
            namespace,
          )} is not allowed on cluster "${cluster}": workspaces live only in ` +
            `${listed.join(
              ', ',
            )} (kaito.clusters.${cluster}.namespaces) [namespace.not-allowed]`,
        );
      }
      return;
    }
    if (isProtectedNamespace(namespace)) {
      throw new NotAllowedError(
        `${field}: ${shown(
          namespace,
        )} is a system namespace; no workspace may live there unless ` +
          `kaito.clusters.${cluster}.namespaces lists it [namespace.protected]`,
      );
    }
  }
}
