/*
 * REST types of `GET /clusters` (kaito-backend, mounted at `/api/kaito`).
 */

/**
 * State of the backend's watch cache of a cluster; `unavailable` when the
 * backend cannot reach the cluster at all (e.g. an unsupported auth
 * provider).
 *
 * @public
 */
export type ClusterHealthState =
  | 'syncing'
  | 'healthy'
  | 'unhealthy'
  | 'unavailable';

/**
 * Health of one cluster as the backend sees it: the state of its watch
 * cache, or `unavailable` when the backend cannot reach it at all.
 *
 * @public
 */
export type ClusterHealthView =
  | {
      state: 'syncing' | 'healthy' | 'unhealthy';
      /** Why the cluster is unhealthy (the last watch or list error). */
      error?: string;
      /** When the state last changed (ISO 8601). */
      since: string;
      /** When the cache last completed a full list of every resource. */
      lastSyncedAt?: string;
    }
  | {
      state: 'unavailable';
      /** Why the backend cannot reach the cluster. */
      error: string;
      since: string;
    };

/**
 * Azure coordinates of an AKS cluster, present when its GPU pools can be
 * managed.
 *
 * @public
 */
export interface ClusterAzureView {
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  location?: string;
}

/**
 * A cluster as `GET /clusters` lists it.
 *
 * @public
 */
export interface ClusterInfo {
  /** Name from `kubernetes.clusterLocatorMethods`. */
  name: string;
  title?: string;
  authProvider: string;
  health: ClusterHealthView;
  /** Present when GPU pools can be managed on the cluster. */
  azure?: ClusterAzureView;
  /** Namespaces the backend watches; all when absent. */
  namespaces?: string[];
}

/**
 * Response of `GET /clusters`.
 *
 * @public
 */
export interface ListClustersResponse {
  items: ClusterInfo[];
}

/**
 * A cluster that could not be read while answering a request that spans
 * clusters; its objects are missing from the answer.
 *
 * @public
 */
export interface ClusterError {
  cluster: string;
  message: string;
}

/**
 * How current one cluster's part of an answer is. The backend answers from
 * its watch cache; when a cluster it has synced becomes unreachable it
 * keeps answering with the last state its watches delivered, marked
 * stale, and catches up by itself when the cluster is back.
 *
 * @public
 */
export interface ClusterFreshness {
  cluster: string;
  /** The cluster cannot be reached now: this is its last known state. */
  stale: boolean;
  /** When the backend last had every watched resource listed (ISO 8601). */
  lastSyncedAt?: string;
  /** Since when the cluster has been unreachable (ISO 8601); stale only. */
  staleSince?: string;
  /** Why, naming the cluster; stale only. */
  message?: string;
}
