/** Assembles a cluster: the built-in types with their strategies, default namespaces and CRDs. */
import { vendoredCrds } from '../crds';
import type { KubeObject } from './api';
import { BUILTIN_TYPES, NAMESPACE_TYPE } from './builtinTypes';
import { builtinStrategies } from './builtinStrategies';
import { seedCustomResourceDefinitions } from './customResourceDefinitions';
import { registerCustomResourceDefinition } from './customResources';
import { forbidden } from './errors';
import { reviewStrategyFor } from './reviews';
import {
  DEFAULT_NAMESPACES,
  InMemoryObjectStore,
  seedNamespaces,
  type InMemoryObjectStoreOptions,
} from './store';

/** Namespaces the NamespaceLifecycle admission plugin refuses to delete. */
const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

/**
 * Registers every built-in type with its strategy, plus the admission the real
 * server always runs for them (NamespaceLifecycle's protected namespaces).
 */
export function registerBuiltinTypes(store: InMemoryObjectStore): void {
  const strategies = builtinStrategies(store);
  for (const type of BUILTIN_TYPES) {
    store.registerType(
      type,
      strategies.get(type) ?? reviewStrategyFor(type, store),
    );
  }
  store.addAdmissionHook(NAMESPACE_TYPE, request => {
    const name = request.oldObject?.metadata.name;
    if (
      request.operation === 'DELETE' &&
      name &&
      IMMORTAL_NAMESPACES.includes(name)
    ) {
      throw forbidden(
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        {
          name,
          kind: 'namespaces',
        },
      );
    }
  });
}

/**
 * The `default/kubernetes` Service the API server keeps for itself (the
 * first address of the service CIDR, AKS's 10.0.0.0/16).
 */
async function seedKubernetesService(store: InMemoryObjectStore) {
  const ref = {
    group: '',
    plural: 'services',
    namespace: 'default',
    name: 'kubernetes',
  };
  if (
    !store.getType(ref) ||
    !store.get({ group: '', plural: 'namespaces', name: 'default' })
  ) {
    return;
  }
  if (!store.get(ref)) {
    await store.create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 443 }],
      },
    });
  }
}

/**
 * A store with every built-in type registered, the custom resources of the
 * given CRDs (default: the vendored ones, KAITO's Workspace), the default
 * namespaces created, the API server's own Service and the
 * CustomResourceDefinition objects served.
 */
export async function createClusterStore(
  options: InMemoryObjectStoreOptions & {
    namespaces?: string[];
    customResourceDefinitions?: KubeObject[];
  } = {},
): Promise<InMemoryObjectStore> {
  const store = new InMemoryObjectStore(options);
  registerBuiltinTypes(store);
  for (const crd of options.customResourceDefinitions ?? vendoredCrds()) {
    registerCustomResourceDefinition(store, crd);
  }
  await seedNamespaces(store, options.namespaces ?? DEFAULT_NAMESPACES);
  await seedKubernetesService(store);
  await seedCustomResourceDefinitions(store);
  return store;
}
