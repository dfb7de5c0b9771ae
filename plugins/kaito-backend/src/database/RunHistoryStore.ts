import { RunView } from '@kaito-backstage/plugin-kaito-common';

/**
 * Fields of a run that `GET /runs` computes from the stored ones.
 *
 * @public
 */
export type ComputedRunField =
  | 'durationSeconds'
  | 'gpuHours'
  | 'estimatedCostUsd'
  | 'active';

/**
 * A run as stored: one workspace's life, kept after the workspace is gone.
 * The REST API's `RunView` (kaito-common) without the fields computed on
 * read.
 *
 * @public
 */
export type RunRecord = Omit<RunView, ComputedRunField>;

/**
 * A run to record; the store assigns its `id`.
 *
 * @public
 */
export type NewRunRecord = Omit<RunRecord, 'id'>;

/**
 * Fields that change over a run's life.
 *
 * @public
 */
export type RunPatch = Partial<
  Pick<
    RunRecord,
    | 'state'
    | 'outcome'
    | 'message'
    | 'finishedAt'
    | 'deletedAt'
    | 'nodeCount'
    | 'instanceType'
    | 'entityRef'
    | 'outputImage'
  >
>;

/**
 * Identifies a run: the cluster plus the workspace's uid.
 *
 * @public
 */
export interface RunKey {
  cluster: string;
  workspaceUid: string;
}

/**
 * Which runs `listRuns` returns.
 *
 * @public
 */
export interface RunFilter {
  entityRef?: string;
  cluster?: string;
  /** Only runs that have neither finished nor been deleted. */
  open?: boolean;
  /** Newest first; defaults to 100. */
  limit?: number;
}

/**
 * Persistence of the run history.
 *
 * @public
 */
export interface RunHistoryStore {
  /**
   * Records a run; when one with the same cluster and workspace uid exists,
   * returns it unchanged (recording is idempotent).
   */
  recordRun(run: NewRunRecord): Promise<RunRecord>;
  updateRun(key: RunKey, patch: RunPatch): Promise<RunRecord | undefined>;
  getRun(key: RunKey): Promise<RunRecord | undefined>;
  listRuns(filter: RunFilter): Promise<RunRecord[]>;
}
