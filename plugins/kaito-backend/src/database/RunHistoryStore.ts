/** How a run ended, or where it is now. */
export type RunOutcome =
  | 'pending'
  | 'running'
  | 'ready'
  | 'succeeded'
  | 'failed'
  | 'deleted';

/** A run as stored: one workspace's life, kept after the workspace is gone. */
export interface RunRecord {
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
  instanceType?: string;
  nodeCount: number;
  gpusPerNode?: number;
  usdPerNodeHour?: number;
  state?: string;
  outcome: RunOutcome;
  message?: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  finishedAt?: string;
  deletedAt?: string;
}

export type NewRunRecord = Omit<RunRecord, 'id'>;

/** Fields that change over a run's life. */
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
  >
>;

/** Identifies a run: the cluster plus the workspace's uid. */
export interface RunKey {
  cluster: string;
  workspaceUid: string;
}

export interface RunFilter {
  entityRef?: string;
  cluster?: string;
  /** Only runs that have neither finished nor been deleted. */
  open?: boolean;
  /** Newest first; defaults to 100. */
  limit?: number;
}

/** Persistence of the run history. */
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
