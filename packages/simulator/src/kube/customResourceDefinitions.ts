/**
 * `apiextensions.k8s.io/v1` CustomResourceDefinitions describing the
 * CRD-style types the store serves (Workspace, NodeClaim...), so clients that
 * check for a CRD (`kubectl get crd workspaces.kaito.sh`) find it. A type
 * registered from a CRD (`customResources.ts`) is served with that CRD,
 * verbatim; the others get a permissive one derived from the type.
 *
 * Creating or deleting a CRD through the API does not register or unregister
 * a type.
 */
import type { KubeObject, ObjectStore, ResourceType } from './api';
import { formatTimestamp, isBuiltinGroup } from './objects';
import type { ComputedPrinterColumn, ResourceStrategy } from './strategy';

export const CUSTOM_RESOURCE_DEFINITION_TYPE: ResourceType = {
  group: 'apiextensions.k8s.io',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  singular: 'customresourcedefinition',
  namespaced: false,
  versions: ['v1'],
  storageVersion: 'v1',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: ['status'],
};

/** The default table convertor of built-in types without printers: NAME and CREATED AT (RFC 3339). */
const defaultTableColumns: ComputedPrinterColumn[] = [
  {
    name: 'Name',
    type: 'string',
    jsonPath: '.metadata.name',
    description: 'Name must be unique within a namespace.',
    cell: obj => obj.metadata.name,
  },
  {
    name: 'Created At',
    type: 'date',
    jsonPath: '.metadata.creationTimestamp',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    cell: obj =>
      obj.metadata.creationTimestamp
        ? formatTimestamp(new Date(obj.metadata.creationTimestamp))
        : '',
  },
];

export const customResourceDefinitionStrategy: ResourceStrategy = {
  // The apiextensions controllers fill the status (Established, NamesAccepted) right away.
  keepStatusOnCreate: true,
  tableColumns: defaultTableColumns,
};

function acceptedStatus(names: object, storedVersions: string[]) {
  const condition = (
    conditionType: string,
    reason: string,
    message: string,
  ) => ({
    type: conditionType,
    status: 'True',
    lastTransitionTime: formatTimestamp(new Date()),
    reason,
    message,
  });
  return {
    acceptedNames: names,
    storedVersions,
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition(
        'Established',
        'InitialNamesAccepted',
        'the initial names have been accepted',
      ),
    ],
  };
}

export function customResourceDefinitionFor(type: ResourceType): KubeObject {
  if (type.definition) {
    const crd = structuredClone(type.definition);
    const names = (crd.spec as { names: object }).names;
    return { ...crd, status: acceptedStatus(names, [type.storageVersion]) };
  }
  const names = {
    plural: type.plural,
    singular: type.singular,
    kind: type.kind,
    listKind: `${type.kind}List`,
    ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories?.length ? { categories: type.categories } : {}),
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${type.plural}.${type.group}` },
    spec: {
      group: type.group,
      names,
      scope: type.namespaced ? 'Namespaced' : 'Cluster',
      versions: type.versions.map(version => {
        const columns =
          type.printerColumnsByVersion?.[version] ?? type.printerColumns ?? [];
        return {
          name: version,
          served: true,
          storage: version === type.storageVersion,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
          ...(type.subresources?.includes('status')
            ? { subresources: { status: {} } }
            : {}),
          ...(columns.length
            ? {
                additionalPrinterColumns: columns.map(c => ({
                  name: c.name,
                  type: c.type,
                  jsonPath: c.jsonPath,
                  ...(c.description ? { description: c.description } : {}),
                  ...(c.priority ? { priority: c.priority } : {}),
                })),
              }
            : {}),
        };
      }),
      conversion: { strategy: 'None' },
    },
    status: acceptedStatus(names, [type.storageVersion]),
  };
}

/** Creates a CRD object for every registered CRD-style type that has none yet. */
export async function seedCustomResourceDefinitions(
  store: ObjectStore,
): Promise<void> {
  if (!store.getType(CUSTOM_RESOURCE_DEFINITION_TYPE)) {
    return;
  }
  for (const type of store.types()) {
    if (isBuiltinGroup(type.group)) {
      continue;
    }
    const name = `${type.plural}.${type.group}`;
    if (!store.get({ ...CUSTOM_RESOURCE_DEFINITION_TYPE, name })) {
      await store.create(customResourceDefinitionFor(type));
    }
  }
}
