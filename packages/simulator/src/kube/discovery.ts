/**
 * API discovery: /version, /api, /apis, /apis/<group>, the per-version
 * APIResourceLists, and the aggregated `apidiscovery.k8s.io` APIGroupDiscoveryList
 * that kubectl (1.30+) and client-go ask for first.
 */
import type { ResourceType } from './api';
import { DEFAULT_VERBS } from './store';

export const KUBERNETES_VERSION = {
  major: '1',
  minor: '33',
  gitVersion: 'v1.33.2',
  gitCommit: 'a57b6f7709f6c2722b92f07b8b4c48210a51fc40',
  gitTreeState: 'clean',
  buildDate: '2025-06-17T18:36:58Z',
  goVersion: 'go1.24.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Kubernetes version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1, as `version.CompareKubeAwareVersionStrings`. */
export function compareVersionPriority(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) {
      return undefined;
    }
    const stability = { alpha: 0, beta: 1 }[m[2] as 'alpha' | 'beta'] ?? 2;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa && !pb) {
    return a.localeCompare(b);
  }
  if (!pa || !pb) {
    return pa ? -1 : 1;
  }
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pb[i] - pa[i];
    }
  }
  return 0;
}

/** What each subresource answers with and accepts, as registered by the real server. */
const SUBRESOURCES: Record<string, { kind?: string; verbs: string[] }> = {
  status: { verbs: ['get', 'patch', 'update'] },
  log: { verbs: ['get'] },
  proxy: {
    kind: 'ServiceProxyOptions',
    verbs: ['create', 'delete', 'get', 'patch', 'update'],
  },
  binding: { kind: 'Binding', verbs: ['create'] },
  scale: { kind: 'Scale', verbs: ['get', 'patch', 'update'] },
};

const subresourceInfo = (type: ResourceType, subresource: string) => {
  const info = SUBRESOURCES[subresource] ?? { verbs: ['get'] };
  let kind = info.kind ?? type.kind;
  if (
    subresource === 'proxy' &&
    (type.kind === 'Pod' || type.kind === 'Node')
  ) {
    kind = `${type.kind}ProxyOptions`;
  }
  return { kind, verbs: info.verbs };
};

export interface GroupVersions {
  group: string;
  versions: string[];
}

/**
 * Group priorities of the APIServices kube-apiserver registers for the
 * built-in groups (`apiVersionPriorities`); `/apis` lists groups by them.
 * CustomResourceDefinitions get 1000 and metrics-server's APIService 100.
 */
const GROUP_PRIORITY: Record<string, number> = {
  apps: 17800,
  'events.k8s.io': 17750,
  'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600,
  autoscaling: 17500,
  batch: 17400,
  'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200,
  policy: 17100,
  'rbac.authorization.k8s.io': 17000,
  'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700,
  'apiextensions.k8s.io': 16700,
  'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500,
  'node.k8s.io': 16300,
  'discovery.k8s.io': 16200,
  'flowcontrol.apiserver.k8s.io': 16100,
  'metrics.k8s.io': 100,
};
const CRD_GROUP_PRIORITY = 1000;

export const groupPriority = (group: string) =>
  GROUP_PRIORITY[group] ??
  (group === 'apiregistration.k8s.io' ? Infinity : CRD_GROUP_PRIORITY);

/**
 * Groups (not core) with their served versions, preferred first, in the
 * aggregator's order: its own group first, then by priority, then by name.
 */
export function servedGroups(types: ResourceType[]): GroupVersions[] {
  const byGroup = new Map<string, Set<string>>();
  for (const type of types) {
    if (!type.group) {
      continue;
    }
    const versions = byGroup.get(type.group) ?? new Set();
    type.versions.forEach(v => versions.add(v));
    byGroup.set(type.group, versions);
  }
  return [...byGroup.entries()]
    .sort(
      ([a], [b]) => groupPriority(b) - groupPriority(a) || a.localeCompare(b),
    )
    .map(([group, versions]) => ({
      group,
      versions: [...versions].sort(compareVersionPriority),
    }));
}

const groupVersion = (group: string, version: string) =>
  group ? `${group}/${version}` : version;

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup({ group, versions }: GroupVersions) {
  return {
    name: group,
    versions: versions.map(version => ({
      groupVersion: groupVersion(group, version),
      version,
    })),
    preferredVersion: {
      groupVersion: groupVersion(group, versions[0]),
      version: versions[0],
    },
  };
}

export function apiGroupList(types: ResourceType[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups(types).map(apiGroup),
  };
}

export function apiGroupDocument(types: ResourceType[], group: string) {
  const found = servedGroups(types).find(g => g.group === group);
  return found
    ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found) }
    : undefined;
}

const typesIn = (types: ResourceType[], group: string, version: string) =>
  types
    .filter(t => t.group === group && t.versions.includes(version))
    .sort((a, b) => a.plural.localeCompare(b.plural));

export function apiResourceList(
  types: ResourceType[],
  group: string,
  version: string,
) {
  const served = typesIn(types, group, version);
  if (served.length === 0) {
    return undefined;
  }
  const resources: Record<string, unknown>[] = [];
  for (const type of served) {
    resources.push({
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs ?? DEFAULT_VERBS,
      ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
      ...(type.categories?.length ? { categories: type.categories } : {}),
    });
    for (const subresource of type.subresources ?? []) {
      const info = subresourceInfo(type, subresource);
      resources.push({
        name: `${type.plural}/${subresource}`,
        singularName: '',
        namespaced: type.namespaced,
        kind: info.kind,
        verbs: info.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources,
  };
}

function discoveryResource(type: ResourceType, version: string) {
  return {
    resource: type.plural,
    responseKind: { group: type.group, version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs ?? DEFAULT_VERBS,
    ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories?.length ? { categories: type.categories } : {}),
    ...(type.subresources?.length
      ? {
          subresources: type.subresources.map(subresource => {
            const info = subresourceInfo(type, subresource);
            return {
              subresource,
              responseKind:
                info.kind === type.kind
                  ? { group: type.group, version, kind: type.kind }
                  : { group: '', version: 'v1', kind: info.kind },
              verbs: info.verbs,
            };
          }),
        }
      : {}),
  };
}

/** APIGroupDiscoveryList for `/api` (legacy core group) or `/apis`. */
export function aggregatedDiscovery(
  types: ResourceType[],
  scope: 'api' | 'apis',
  discoveryVersion: 'v2' | 'v2beta1',
) {
  const groups: GroupVersions[] =
    scope === 'api' ? [{ group: '', versions: ['v1'] }] : servedGroups(types);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${discoveryVersion}`,
    metadata: {},
    items: groups.map(({ group, versions }) => ({
      metadata: { ...(group ? { name: group } : {}), creationTimestamp: null },
      versions: versions.map(version => ({
        version,
        resources: typesIn(types, group, version).map(type =>
          discoveryResource(type, version),
        ),
        freshness: 'Current',
      })),
    })),
  };
}
