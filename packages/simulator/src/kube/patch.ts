/**
 * The three PATCH formats of the API server:
 *  - JSON Patch (RFC 6902, `application/json-patch+json`);
 *  - JSON Merge Patch (RFC 7386, `application/merge-patch+json`);
 *  - strategic merge patch (`application/strategic-merge-patch+json`), built-in
 *    types only. Lists are merged by the patch merge keys of the Kubernetes Go
 *    types (containers by name, ports by containerPort/port, conditions by
 *    type...), and the `$patch`, `$retainKeys`, `$setElementOrder/` and
 *    `$deleteFromPrimitiveList/` directives are honoured. Fields not in the
 *    merge-key table are replaced, as for types without patch metadata.
 */
import { applyPatch, type Operation } from 'fast-json-patch';
import { StatusError, badRequest } from './errors';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const patchInvalid = (message: string) =>
  new StatusError(422, 'Invalid', message, {
    causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
  });

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) {
    return patch;
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = applyMergePatch(result[key], value);
    }
  }
  return result;
}

export function applyJsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) {
    throw badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  try {
    return applyPatch(
      structuredClone(target),
      patch as Operation[],
      true,
      true,
      true,
    ).newDocument;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    const message =
      error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (name === 'TEST_OPERATION_FAILED') {
      throw patchInvalid(
        'the server rejected our request due to an error in our request: testing value failed',
      );
    }
    throw patchInvalid(
      `the server rejected our request due to an error in our request: ${message}`,
    );
  }
}

// ------------------------------------------------------------------ strategic merge patch

/** `patchMergeKey` of list fields in the core/apps/batch Go types, keyed by field name. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  resourceClaims: 'name',
  topologySpreadConstraints: 'topologyKey',
  addresses: 'type',
};

/** List fields of primitives with `patchStrategy:"merge"` (set semantics). */
const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeKeyFor(path: string[]): string | undefined {
  const field = path[path.length - 1];
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port.
    return path.some(
      p =>
        p === 'containers' ||
        p === 'initContainers' ||
        p === 'ephemeralContainers',
    )
      ? 'containerPort'
      : 'port';
  }
  return MERGE_KEYS[field];
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) {
    return value
      .filter(v => !(isObject(v) && v.$patch === 'delete'))
      .map(stripDirectives);
  }
  if (!isObject(value)) {
    return value;
  }
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (!key.startsWith('$')) {
      out[key] = stripDirectives(v);
    }
  }
  return out;
}

function orderBy(
  list: Json[],
  order: Json[],
  mergeKey: string | undefined,
): Json[] {
  const keyOf = (item: Json) =>
    mergeKey && isObject(item) ? item[mergeKey] : item;
  const position = new Map(
    order.map((k, i) => [
      JSON.stringify(mergeKey && isObject(k) ? k[mergeKey] : k),
      i,
    ]),
  );
  const ranked = list.map((item, index) => ({
    item,
    rank: position.get(JSON.stringify(keyOf(item))) ?? order.length + index,
  }));
  return ranked.sort((a, b) => a.rank - b.rank).map(r => r.item);
}

function mergeList(original: Json, patch: Json[], path: string[]): Json {
  if (patch.some(item => isObject(item) && item.$patch === 'replace')) {
    return stripDirectives(
      patch.filter(item => !(isObject(item) && item.$patch === 'replace')),
    );
  }
  const field = path[path.length - 1];
  const base = Array.isArray(original) ? [...original] : [];
  if (MERGED_PRIMITIVE_LISTS.has(field)) {
    for (const item of patch) {
      if (!base.includes(item)) {
        base.push(item);
      }
    }
    return base;
  }
  const mergeKey = mergeKeyFor(path);
  if (!mergeKey) {
    return stripDirectives(patch);
  }
  for (const item of patch) {
    if (!isObject(item)) {
      throw badRequest(
        `unable to find api field in struct for the list ${field}: elements must be objects`,
      );
    }
    const index = base.findIndex(
      existing => isObject(existing) && existing[mergeKey] === item[mergeKey],
    );
    if (item.$patch === 'delete') {
      if (index >= 0) {
        base.splice(index, 1);
      }
    } else if (index >= 0) {
      base[index] = strategicMerge(base[index], item, path);
    } else {
      base.push(stripDirectives(item));
    }
  }
  return base;
}

function strategicMerge(original: Json, patch: Json, path: string[]): Json {
  if (!isObject(patch)) {
    return patch;
  }
  const directive = patch.$patch;
  if (directive === 'replace') {
    return stripDirectives(patch);
  }
  if (directive === 'delete') {
    return undefined;
  }
  if (directive !== undefined) {
    throw badRequest(
      `Unknown patch type: ${String(directive)} in map: ${JSON.stringify(
        patch,
      )}`,
    );
  }
  const result: JsonObject = isObject(original) ? { ...original } : {};
  const orders: [string, Json[]][] = [];
  const deletions: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/')) {
      orders.push([key.slice('$setElementOrder/'.length), value as Json[]]);
    } else if (key.startsWith('$deleteFromPrimitiveList/')) {
      deletions.push([
        key.slice('$deleteFromPrimitiveList/'.length),
        value as Json[],
      ]);
    } else if (key === '$retainKeys') {
      continue;
    } else if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, [...path, key]);
    } else if (isObject(value)) {
      const merged = strategicMerge(result[key], value, [...path, key]);
      if (merged === undefined) {
        delete result[key];
      } else {
        result[key] = merged;
      }
    } else {
      result[key] = value;
    }
  }
  for (const [field, values] of deletions) {
    if (Array.isArray(result[field])) {
      result[field] = (result[field] as Json[]).filter(
        v => !values.includes(v),
      );
    }
  }
  for (const [field, order] of orders) {
    if (Array.isArray(result[field]) && Array.isArray(order)) {
      result[field] = orderBy(
        result[field] as Json[],
        order,
        mergeKeyFor([...path, field]),
      );
    }
  }
  if (Array.isArray(patch.$retainKeys)) {
    const retain = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) {
      if (!retain.has(key)) {
        delete result[key];
      }
    }
  }
  return result;
}

export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) {
    throw badRequest(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
  }
  return strategicMerge(target, patch, []);
}

export const PATCH_CONTENT_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;
