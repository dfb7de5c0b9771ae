import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  NewRunRecord,
  RunFilter,
  RunHistoryStore,
  RunKey,
  RunPatch,
  RunRecord,
} from './RunHistoryStore';

const TABLE = 'kaito_runs';

const migrationsDir = resolvePackagePath(
  '@kaito-backstage/plugin-kaito-backend',
  'migrations',
);

type Row = {
  id: number;
  cluster: string;
  namespace: string;
  workspace: string;
  workspace_uid: string | null;
  entity_ref: string | null;
  created_by: string | null;
  mode: string;
  preset: string | null;
  tuning_method: string | null;
  output_image: string | null;
  instance_type: string | null;
  node_count: number;
  gpus_per_node: number | null;
  usd_per_node_hour: number | string | null;
  state: string | null;
  outcome: string;
  message: string | null;
  created_at: string;
  finished_at: string | null;
  deleted_at: string | null;
};

const COLUMNS: Record<keyof NewRunRecord, keyof Row> = {
  cluster: 'cluster',
  namespace: 'namespace',
  workspace: 'workspace',
  workspaceUid: 'workspace_uid',
  entityRef: 'entity_ref',
  createdBy: 'created_by',
  mode: 'mode',
  preset: 'preset',
  tuningMethod: 'tuning_method',
  outputImage: 'output_image',
  instanceType: 'instance_type',
  nodeCount: 'node_count',
  gpusPerNode: 'gpus_per_node',
  usdPerNodeHour: 'usd_per_node_hour',
  state: 'state',
  outcome: 'outcome',
  message: 'message',
  createdAt: 'created_at',
  finishedAt: 'finished_at',
  deletedAt: 'deleted_at',
};

function iso(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}

function toRow(run: Partial<NewRunRecord>): Partial<Row> {
  const row: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(COLUMNS)) {
    if (field in run) {
      let value = (run as Record<string, unknown>)[field];
      if (field.endsWith('At')) {
        value = iso(value as string | undefined);
      }
      row[column] = value === undefined ? null : value;
    }
  }
  return row as Partial<Row>;
}

function fromRow(row: Row): RunRecord {
  const record: Record<string, unknown> = { id: Number(row.id) };
  for (const [field, column] of Object.entries(COLUMNS)) {
    const value = row[column];
    if (value !== null && value !== undefined) {
      record[field] = value;
    }
  }
  record.nodeCount = Number(row.node_count);
  if (row.gpus_per_node !== null) record.gpusPerNode = Number(row.gpus_per_node);
  if (row.usd_per_node_hour !== null) {
    record.usdPerNodeHour = Number(row.usd_per_node_hour);
  }
  return record as unknown as RunRecord;
}

/** The run history in the plugin's database (SQLite in dev, PostgreSQL in prod). */
export class DatabaseRunHistoryStore implements RunHistoryStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRunHistoryStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseRunHistoryStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** The run already recorded for the same workspace (by uid), if any. */
  private async recorded(run: NewRunRecord): Promise<RunRecord | undefined> {
    return run.workspaceUid
      ? this.getRun({ cluster: run.cluster, workspaceUid: run.workspaceUid })
      : undefined;
  }

  async recordRun(run: NewRunRecord): Promise<RunRecord> {
    const existing = await this.recorded(run);
    if (existing) {
      return existing;
    }
    try {
      const [inserted] = await this.db<Row>(TABLE)
        .insert(toRow(run))
        .returning('id');
      const id = typeof inserted === 'object' ? inserted.id : inserted;
      const row = await this.db<Row>(TABLE).where({ id }).first();
      return fromRow(row!);
    } catch (error) {
      // Two recorders raced on the same workspace: the unique index won.
      const raced = await this.recorded(run);
      if (raced) {
        return raced;
      }
      throw error;
    }
  }

  async updateRun(key: RunKey, patch: RunPatch): Promise<RunRecord | undefined> {
    const row = toRow(patch);
    if (Object.keys(row).length > 0) {
      await this.db<Row>(TABLE)
        .where({ cluster: key.cluster, workspace_uid: key.workspaceUid })
        .update(row);
    }
    return this.getRun(key);
  }

  async getRun(key: RunKey): Promise<RunRecord | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ cluster: key.cluster, workspace_uid: key.workspaceUid })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async listRuns(filter: RunFilter): Promise<RunRecord[]> {
    const query = this.db<Row>(TABLE);
    if (filter.entityRef !== undefined) {
      query.where('entity_ref', filter.entityRef);
    }
    if (filter.cluster !== undefined) {
      query.where('cluster', filter.cluster);
    }
    if (filter.open) {
      query.whereNull('finished_at').whereNull('deleted_at');
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 100);
    return rows.map(r => fromRow(r as Row));
  }
}
