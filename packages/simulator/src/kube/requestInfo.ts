/**
 * URL → request target, following the API server's RequestInfoFactory:
 *
 *   /api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}[/{path...}]]]
 *   /apis/{group}/{version}/{resource}[/{name}...]             (cluster-scoped, or all namespaces)
 *   /api/v1/namespaces/{name}[/status|/finalize]               (the Namespace object itself)
 *   /api/v1/watch/...                                          (deprecated watch prefix)
 */
export type RequestTarget =
  | { kind: 'version' }
  | { kind: 'health'; check: string }
  | { kind: 'legacyRoot' }
  | { kind: 'groupsRoot' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'openapiV2' }
  | { kind: 'openapiV3Index' }
  | { kind: 'openapiV3'; group: string; version: string }
  | ResourceTarget
  | { kind: 'unknown' };

export interface ResourceTarget {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** Everything after the subresource, with its leading slash (`services/x/proxy/v1/models` → `/v1/models`). */
  subpath: string;
  legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRequestPath(pathname: string): RequestTarget {
  const raw = pathname.split('/').slice(1);
  if (raw.length > 0 && raw[raw.length - 1] === '' && !raw.includes('proxy')) {
    raw.pop();
  }
  const parts = raw.map(decode);
  const [first] = parts;

  if (parts.length === 1 && first === 'version') {
    return { kind: 'version' };
  }
  if (first === 'healthz' || first === 'livez' || first === 'readyz') {
    return { kind: 'health', check: parts.join('/') };
  }
  if (first === 'openapi') {
    if (parts[1] === 'v2' && parts.length === 2) {
      return { kind: 'openapiV2' };
    }
    if (parts[1] === 'v3') {
      if (parts.length === 2) {
        return { kind: 'openapiV3Index' };
      }
      if (parts[2] === 'api' && parts.length === 4) {
        return { kind: 'openapiV3', group: '', version: parts[3] };
      }
      if (parts[2] === 'apis' && parts.length === 5) {
        return { kind: 'openapiV3', group: parts[3], version: parts[4] };
      }
    }
    return { kind: 'unknown' };
  }

  let group: string;
  let version: string;
  let rest: number;
  if (first === 'api') {
    if (parts.length === 1) {
      return { kind: 'legacyRoot' };
    }
    group = '';
    version = parts[1];
    rest = 2;
    if (parts.length === 2) {
      return { kind: 'groupVersion', group, version };
    }
  } else if (first === 'apis') {
    if (parts.length === 1) {
      return { kind: 'groupsRoot' };
    }
    if (parts.length === 2) {
      return { kind: 'group', group: parts[1] };
    }
    group = parts[1];
    version = parts[2];
    rest = 3;
    if (parts.length === 3) {
      return { kind: 'groupVersion', group, version };
    }
  } else {
    return { kind: 'unknown' };
  }

  let legacyWatch = false;
  if (parts[rest] === 'watch') {
    legacyWatch = true;
    rest += 1;
  }
  let namespace: string | undefined;
  if (parts[rest] === 'namespaces' && parts.length > rest + 1) {
    namespace = parts[rest + 1];
    if (
      parts.length > rest + 2 &&
      !NAMESPACE_SUBRESOURCES.has(parts[rest + 2])
    ) {
      rest += 2;
    } else {
      // The Namespace object itself (or its status/finalize subresource).
      namespace = undefined;
    }
  }
  const plural = parts[rest];
  if (!plural) {
    return { kind: 'unknown' };
  }
  const name = parts[rest + 1];
  const subresource = parts[rest + 2];
  const subpathSegments = raw.slice(rest + 3);
  return {
    kind: 'resource',
    group,
    version,
    namespace,
    plural,
    name,
    subresource,
    subpath: subpathSegments.length ? `/${subpathSegments.join('/')}` : '',
    legacyWatch,
  };
}
