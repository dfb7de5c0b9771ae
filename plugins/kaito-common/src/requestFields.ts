import type { z as zod } from 'zod/v3';

/**
 * The zod a caller brings: the scaffolder injects its own (`zod/v3`) into
 * action schemas, so these pieces never import zod themselves.
 *
 * @public
 */
export type Zod = typeof zod;

/*
 * Request fields that the REST requests and the scaffolder actions' inputs
 * share, each once, with its description: zod schemas built with the
 * caller's zod. They say what a field is; the rules of whole requests are
 * the validators' (`validateCreateWorkspaceRequest`, ...), which callers run
 * before any call.
 */

/**
 * Zod schemas of the fields shared by the REST requests and the scaffolder
 * actions' inputs.
 *
 * @public
 */
export const requestFields = {
  /** `cluster` of every request. */
  cluster: (z: Zod) =>
    z
      .string()
      .describe(
        'Cluster name from kubernetes.clusterLocatorMethods, e.g. aks-kaito-dev',
      ),
  /** `namespace` of a workspace. */
  namespace: (z: Zod) => z.string().describe('Workspace namespace'),
  /** `name` of a workspace. */
  workspaceName: (z: Zod) =>
    z.string().describe('Workspace name (DNS-1123 label)'),
  /** `entityRef` of the entity a workspace or pool is for. */
  entityRef: (z: Zod) =>
    z
      .string()
      .describe(
        'Catalog entity ref (kind:namespace/name), e.g. component:default/support-chatbot',
      ),
  /** `vmSize` of a GPU pool request. */
  vmSize: (z: Zod) =>
    z
      .string()
      .describe(
        'GPU SKU, in KAITO or ARM spelling, e.g. Standard_NC24ads_A100_v4',
      ),
  /** `count` of a GPU pool request. */
  poolCount: (z: Zod) => z.number().int().describe('Node count'),
  /** `minCount` of a GPU pool request. */
  minCount: (z: Zod) => z.number().int().describe('Autoscaler minimum'),
  /** `maxCount` of a GPU pool request. */
  maxCount: (z: Zod) => z.number().int().describe('Autoscaler maximum'),
  /** `spot` of a GPU pool request. */
  spot: (z: Zod) =>
    z
      .boolean()
      .describe('Use Spot VMs (cheaper, evictable, low-priority quota)'),
  /** `spotMaxPrice` of a GPU pool request. */
  spotMaxPrice: (z: Zod) =>
    z
      .number()
      .describe(
        'Spot price cap in USD/hour, or -1 for up to the on-demand price',
      ),
  /** `nodeLabels` of a GPU pool request. */
  nodeLabels: (z: Zod) => z.record(z.string()).describe('Node labels'),
  /** `workspace` of a GPU pool request. */
  poolWorkspace: (z: Zod) =>
    z
      .object({
        namespace: z.string().describe('Namespace of the workspace'),
        name: z.string().describe('Name of the workspace'),
      })
      .strict()
      .describe('The workspace the pool is for (Azure tag)'),
};
