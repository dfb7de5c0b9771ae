/**
 * `apiregistration.k8s.io/v1` APIServices: one per served group version, as
 * kube-aggregator keeps them. Built-in and CRD group versions are `Local`;
 * `v1beta1.metrics.k8s.io` points at AKS's metrics-server Service. Computed
 * from the registered types on every read (read-only here).
 */
import type { KubeObject, ObjectStore, ResourceType } from './api';
import { column } from './printerColumns';
import { compareVersionPriority, groupPriority } from './discovery';
import { formatTimestamp, isBuiltinGroup } from './objects';
import type { ResourceStrategy } from './strategy';

type Obj = Record<string, any>;

export const API_SERVICE_TYPE: ResourceType = {
  group: 'apiregistration.k8s.io',
  plural: 'apiservices',
  kind: 'APIService',
  singular: 'apiservice',
  namespaced: false,
  versions: ['v1'],
  storageVersion: 'v1',
  categories: ['api-extensions'],
  verbs: ['get', 'list'],
  printerColumns: [
    column(
      'Service',
      'string',
      '.spec.service',
      s =>
        s.spec?.service
          ? `${s.spec.service.namespace}/${s.spec.service.name}`
          : 'Local',
      0,
      'The reference to the service that hosts this API endpoint.',
    ),
    column(
      'Available',
      'string',
      '.status.conditions[?(@.type=="Available")].status',
      (s: Obj) => {
        const available = (s.status?.conditions ?? []).find(
          (c: Obj) => c.type === 'Available',
        );
        return available?.status === 'True'
          ? 'True'
          : `${available?.status ?? 'Unknown'} (${available?.reason ?? ''})`;
      },
      0,
      'Whether this service is available.',
    ),
  ],
};

const AUTOMANAGED = 'kube-aggregator.kubernetes.io/automanaged';

/** `onstart` for the API server's own groups, `true` for CRD groups (the CRD registration controller). */
const automanaged = (group: string) =>
  isBuiltinGroup(group) ? 'onstart' : 'true';

const METRICS_SERVICE = {
  namespace: 'kube-system',
  name: 'metrics-server',
  port: 443,
};

/** The store's group versions as kube-aggregator's APIService objects. */
export function apiServiceStrategy(
  store: ObjectStore,
  created: Date = new Date(),
): ResourceStrategy {
  return {
    source: () => {
      const groupVersions = new Map<string, string[]>();
      for (const type of store.types()) {
        const versions = groupVersions.get(type.group) ?? [];
        for (const v of type.versions) {
          if (!versions.includes(v)) {
            versions.push(v);
          }
        }
        groupVersions.set(type.group, versions);
      }
      const objects: KubeObject[] = [];
      for (const [group, versions] of groupVersions) {
        const sorted = [...versions].sort(compareVersionPriority);
        sorted.forEach((version, i) => {
          const remote = group === 'metrics.k8s.io';
          objects.push({
            apiVersion: 'apiregistration.k8s.io/v1',
            kind: 'APIService',
            metadata: {
              name: `${version}.${group}`,
              creationTimestamp: formatTimestamp(created),
              ...(remote
                ? {}
                : { labels: { [AUTOMANAGED]: automanaged(group) } }),
            },
            spec: {
              ...(group ? { group } : {}),
              version,
              groupPriorityMinimum:
                group === '' || group === API_SERVICE_TYPE.group
                  ? 18000
                  : groupPriority(group),
              versionPriority: Math.max(1, 15 - i * 5),
              ...(remote
                ? { service: METRICS_SERVICE, insecureSkipTLSVerify: true }
                : {}),
            },
            status: {
              conditions: [
                {
                  type: 'Available',
                  status: 'True',
                  lastTransitionTime: formatTimestamp(created),
                  reason: remote ? 'Passed' : 'Local',
                  message: remote
                    ? 'all checks passed'
                    : 'Local APIServices are always available',
                },
              ],
            },
          });
        });
      }
      return objects;
    },
  };
}
