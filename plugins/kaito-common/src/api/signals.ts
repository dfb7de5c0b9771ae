/*
 * Live updates through Backstage signals (`@backstage/plugin-signals-node`
 * in kaito-backend, `useSignal` in the frontend). A signal says only that
 * something of an entity (or the GPU pools of a cluster) changed; it carries
 * no data of the objects, so it tells nobody more than the entity's name.
 * Views re-read through the REST API on it, and those reads are
 * permission-checked as always.
 */

/**
 * What changed: the list a view shows. `serving` adds `inferencesets`.
 *
 * @public
 */
export type KaitoChangeTopic =
  | 'workspaces'
  | 'runs'
  | 'gpu-pools'
  | (string & {});

/**
 * Message of a KAITO change signal.
 *
 * @public
 */
// A type alias, not an interface, so it is a JsonObject as the signals API requires.
export type KaitoChangeSignal = {
  /** The lists that changed since the last signal on this channel. */
  topics: KaitoChangeTopic[];
  /** The cluster, on the GPU pools channel. */
  cluster?: string;
};

/**
 * The channel of one entity's workspaces and runs: `kaito:entity:<ref>`,
 * with the ref lower-cased (the catalog compares refs case-insensitively).
 *
 * @public
 */
export function kaitoEntitySignalChannel(entityRef: string): string {
  return `kaito:entity:${entityRef.toLocaleLowerCase('en-US')}`;
}

/**
 * The channel of the GPU pools of every cluster.
 *
 * @public
 */
export const KAITO_GPU_POOLS_SIGNAL_CHANNEL = 'kaito:gpu-pools';
