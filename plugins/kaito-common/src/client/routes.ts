/*
 * The REST routes of kaito-backend (mounted at `/api/kaito`): written once,
 * here. The backend's router registers the patterns; the client builds
 * request paths from the same patterns with `kaitoPath`.
 */

const WORKSPACE = '/clusters/:cluster/namespaces/:namespace/workspaces/:name';
const GPU_POOLS = '/clusters/:cluster/gpu-pools';

/**
 * Route patterns of the KAITO backend's REST API, relative to `/api/kaito`,
 * in Express syntax.
 *
 * @public
 */
export const kaitoRoutes = {
  clusters: '/clusters',
  /** `GET ?entityRef=` lists an entity's workspaces; `POST` creates one. */
  workspaces: '/workspaces',
  workspace: WORKSPACE,
  workspaceLogs: `${WORKSPACE}/logs`,
  chatCompletions: `${WORKSPACE}/chat/completions`,
  gpuPools: GPU_POOLS,
  /** `POST`: find or create a GPU pool for a SKU (idempotent). */
  gpuPoolEnsure: `${GPU_POOLS}/ensure`,
  gpuPool: `${GPU_POOLS}/:pool`,
  presets: '/catalog/presets',
  skus: '/catalog/skus',
  runs: '/runs',
} as const;

/**
 * The parameters of a route pattern, e.g. `{ cluster, namespace, name }` for
 * `kaitoRoutes.workspace`.
 *
 * @public
 */
export type KaitoRouteParams<P extends string> =
  P extends `${string}:${infer Param}/${infer Rest}`
    ? { [K in Param]: string } & KaitoRouteParams<`/${Rest}`>
    : P extends `${string}:${infer Param}`
    ? { [K in Param]: string }
    : {};

/**
 * A request path of the KAITO backend: `pattern` with each `:param`
 * replaced by its URI-encoded value, e.g.
 * `kaitoPath(kaitoRoutes.workspace, { cluster: 'dev', namespace: 'ml', name: 'tune' })`
 * is `/clusters/dev/namespaces/ml/workspaces/tune`.
 *
 * @public
 */
export function kaitoPath<P extends string>(
  pattern: P,
  params: KaitoRouteParams<P>,
): string {
  const values = params as Record<string, string>;
  return pattern.replace(/:([A-Za-z]+)/g, (_, param: string) =>
    encodeURIComponent(values[param]),
  );
}

/**
 * The chat completions path of an inference workspace, relative to
 * `/api/kaito` (the `chatPath` of a workspace's endpoint).
 *
 * @public
 */
export function chatCompletionsPath(ref: {
  cluster: string;
  namespace: string;
  name: string;
}): string {
  return kaitoPath(kaitoRoutes.chatCompletions, {
    cluster: ref.cluster,
    namespace: ref.namespace,
    name: ref.name,
  });
}
