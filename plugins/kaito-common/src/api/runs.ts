/*
 * REST types of `GET /runs?entityRef=<ref>[&limit=]` (kaito-backend, mounted
 * at `/api/kaito`): the run history of an entity, kept after its workspaces
 * are deleted.
 */

/**
 * How a run ended, or where it is now.
 *
 * @public
 */
export type RunOutcome =
  | 'pending'
  | 'running'
  | 'ready'
  | 'succeeded'
  | 'failed'
  | 'deleted';

/**
 * One workspace's life in the run history, with its GPU usage and cost.
 *
 * @public
 */
export interface RunView {
  id: number;
  cluster: string;
  namespace: string;
  workspace: string;
  workspaceUid?: string;
  entityRef?: string;
  createdBy?: string;
  mode: 'tuning' | 'inference';
  preset?: string;
  tuningMethod?: string;
  /**
   * Adapter image a tuning run pushes (`tuning.output.image`); kept after
   * the workspace is deleted.
   */
  outputImage?: string;
  instanceType?: string;
  nodeCount: number;
  gpusPerNode?: number;
  usdPerNodeHour?: number;
  /** Last phase seen. */
  state?: string;
  outcome: RunOutcome;
  message?: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  finishedAt?: string;
  deletedAt?: string;
  /** Until finished, deleted, or now. */
  durationSeconds: number;
  gpuHours: number;
  estimatedCostUsd?: number;
  /** Whether the run is still going (neither finished nor deleted). */
  active: boolean;
}

/**
 * Response of `GET /runs?entityRef=<ref>`, newest first.
 *
 * @public
 */
export interface ListRunsResponse {
  items: RunView[];
}
