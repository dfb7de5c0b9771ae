/**
 * OpenAPI v3 (`/openapi/v3` and `/openapi/v3/<api|apis/group>/<version>`).
 *
 * What clients use it for, and so what it has to carry:
 *  - kubectl create/apply/replace (--validate=strict, the default) look for the
 *    `fieldValidation` query parameter on the PATCH operation tagged with the
 *    object's `x-kubernetes-group-version-kind`; when found, validation is left
 *    to the server and no client-side schema (OpenAPI v2 protobuf) is needed.
 *  - kubectl explain and apply's strategic-merge computation read component
 *    schemas. Custom resources get their CRD's structural schema for the
 *    version, as the API server publishes it (`metadata` as a reference to
 *    ObjectMeta, `apiVersion`/`kind` added, `x-kubernetes-group-version-kind`);
 *    for built-ins kubectl falls back to its compiled-in Go types, whose patch
 *    merge keys are the real ones.
 */
import { createHash } from 'node:crypto';
import type { ResourceType } from './api';
import { KUBERNETES_VERSION } from './discovery';
import { isBuiltinGroup } from './objects';
import { OBJECT_META, crdSchema, ref } from './crdOpenApiSchema';
import { DEFAULT_VERBS } from './store';

const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';

const gvPath = (group: string, version: string) =>
  group ? `apis/${group}/${version}` : `api/${version}`;

function schemaId(type: ResourceType, version: string) {
  if (isBuiltinGroup(type.group)) {
    return `io.k8s.api.${type.group || 'core'}.${version}.${type.kind}`;
  }
  return `${type.group.split('.').reverse().join('.')}.${version}.${type.kind}`;
}

const queryParam = (name: string, description: string, type = 'string') => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const WRITE_PARAMS = [
  queryParam(
    'dryRun',
    'When present, indicates that modifications should not be persisted.',
  ),
  queryParam(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes.',
  ),
  queryParam(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
];

const LIST_PARAMS = [
  queryParam(
    'labelSelector',
    'A selector to restrict the list of returned objects by their labels.',
  ),
  queryParam(
    'fieldSelector',
    'A selector to restrict the list of returned objects by their fields.',
  ),
  queryParam(
    'limit',
    'limit is a maximum number of responses to return for a list call.',
    'integer',
  ),
  queryParam(
    'continue',
    'The continue option should be set when retrieving more results from the server.',
  ),
  queryParam(
    'resourceVersion',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  queryParam(
    'watch',
    'Watch for changes to the described resources.',
    'boolean',
  ),
  queryParam(
    'allowWatchBookmarks',
    'allowWatchBookmarks requests watch events with type "BOOKMARK".',
    'boolean',
  ),
  queryParam('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
];

function operation(
  type: ResourceType,
  version: string,
  action: string,
  operationId: string,
  extra: Record<string, unknown> = {},
) {
  const body = {
    content: { 'application/json': { schema: ref(schemaId(type, version)) } },
  };
  return {
    tags: [gvPath(type.group, version).replace(/\//g, '_')],
    operationId,
    responses: {
      '200': { description: 'OK', ...body },
      '401': { description: 'Unauthorized' },
    },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': {
      group: type.group,
      version,
      kind: type.kind,
    },
    ...extra,
  };
}

function typePaths(
  type: ResourceType,
  version: string,
): Record<string, unknown> {
  const verbs = new Set(type.verbs ?? DEFAULT_VERBS);
  const base = `/${gvPath(type.group, version)}`;
  const collection = type.namespaced
    ? `${base}/namespaces/{namespace}/${type.plural}`
    : `${base}/${type.plural}`;
  const item = `${collection}/{name}`;
  const id = `${version}${type.group ? type.group.split('.')[0] : 'Core'}${
    type.kind
  }`;
  const bodyOf = (contentTypes: string[]) => ({
    requestBody: {
      content: Object.fromEntries(
        contentTypes.map(ct => [
          ct,
          {
            schema: ct.includes('patch')
              ? ref(PATCH)
              : ref(schemaId(type, version)),
          },
        ]),
      ),
      required: true,
    },
  });
  const patchTypes = [
    'application/apply-patch+yaml',
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(isBuiltinGroup(type.group)
      ? ['application/strategic-merge-patch+json']
      : []),
  ];
  const paths: Record<string, Record<string, unknown>> = {};
  const collectionOps: Record<string, unknown> = {};
  if (verbs.has('list')) {
    collectionOps.get = operation(type, version, 'list', `list${id}`, {
      parameters: LIST_PARAMS,
    });
  }
  if (verbs.has('create')) {
    collectionOps.post = operation(type, version, 'post', `create${id}`, {
      parameters: WRITE_PARAMS,
      ...bodyOf(['*/*']),
    });
  }
  if (verbs.has('deletecollection')) {
    collectionOps.delete = operation(
      type,
      version,
      'deletecollection',
      `deleteCollection${id}`,
      {
        parameters: LIST_PARAMS,
      },
    );
  }
  paths[collection] = collectionOps;
  const itemOps: Record<string, unknown> = {};
  if (verbs.has('get')) {
    itemOps.get = operation(type, version, 'get', `read${id}`);
  }
  if (verbs.has('update')) {
    itemOps.put = operation(type, version, 'put', `replace${id}`, {
      parameters: WRITE_PARAMS,
      ...bodyOf(['*/*']),
    });
  }
  if (verbs.has('patch')) {
    itemOps.patch = operation(type, version, 'patch', `patch${id}`, {
      parameters: [
        ...WRITE_PARAMS,
        queryParam(
          'force',
          'Force is going to "force" Apply requests.',
          'boolean',
        ),
      ],
      ...bodyOf(patchTypes),
    });
  }
  if (verbs.has('delete')) {
    itemOps.delete = operation(type, version, 'delete', `delete${id}`, {
      parameters: [
        queryParam(
          'dryRun',
          'When present, indicates that modifications should not be persisted.',
        ),
        queryParam(
          'gracePeriodSeconds',
          'The duration in seconds before the object should be deleted.',
          'integer',
        ),
        queryParam(
          'propagationPolicy',
          "Whether and how garbage collection will be performed. Either 'Orphan', 'Background' or 'Foreground'.",
        ),
      ],
    });
  }
  if (Object.keys(itemOps).length > 0) {
    // Create-only APIs (reviews, bindings) have no object paths.
    paths[item] = itemOps;
  }
  if (type.subresources?.includes('status')) {
    paths[`${item}/status`] = {
      get: operation(type, version, 'get', `read${id}Status`),
      put: operation(type, version, 'put', `replace${id}Status`, {
        parameters: WRITE_PARAMS,
        ...bodyOf(['*/*']),
      }),
      patch: operation(type, version, 'patch', `patch${id}Status`, {
        parameters: WRITE_PARAMS,
        ...bodyOf(patchTypes),
      }),
    };
  }
  if (type.namespaced && verbs.has('list')) {
    paths[`${base}/${type.plural}`] = {
      get: operation(type, version, 'list', `list${id}ForAllNamespaces`, {
        parameters: LIST_PARAMS,
      }),
    };
  }
  return paths;
}

const SHARED_SCHEMAS = {
  [OBJECT_META]: {
    description:
      'ObjectMeta is metadata that all persisted resources must have.',
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [STATUS]: {
    description:
      "Status is a return value for calls that don't return other objects.",
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  },
  [PATCH]: {
    description:
      'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};

export function openApiV3Document(
  types: ResourceType[],
  group: string,
  version: string,
) {
  const served = types.filter(
    t => t.group === group && t.versions.includes(version),
  );
  if (served.length === 0) {
    return undefined;
  }
  const schemas: Record<string, unknown> = { ...SHARED_SCHEMAS };
  for (const type of served) {
    // Built-in kinds get a schema without GVK, so kubectl uses its own patch metadata for them.
    schemas[schemaId(type, version)] = isBuiltinGroup(type.group)
      ? {
          description: `${type.kind} (${type.group || 'core'}/${version}).`,
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
        }
      : crdSchema(type, version);
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBERNETES_VERSION.gitVersion },
    paths: Object.assign({}, ...served.map(type => typePaths(type, version))),
    components: { schemas },
  };
}

export function openApiV3Index(types: ResourceType[]) {
  const groupVersions = new Set<string>();
  for (const type of types) {
    for (const version of type.versions) {
      groupVersions.add(gvPath(type.group, version));
    }
  }
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const path of [...groupVersions].sort()) {
    const [, group, version] = path.startsWith('api/')
      ? ['', '', path.slice(4)]
      : path.split('/');
    const hash = createHash('sha512')
      .update(JSON.stringify(openApiV3Document(types, group, version)))
      .digest('hex')
      .toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}
