import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseRunHistoryStore } from './DatabaseRunHistoryStore';
import { NewRunRecord } from './RunHistoryStore';

// SQLite always; PostgreSQL when the test command provides one through
// BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (no Docker).
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17', 'POSTGRES_18'],
  disableDocker: true,
});

const base: NewRunRecord = {
  cluster: 'sim',
  namespace: 'ml',
  workspace: 'tune-1',
  workspaceUid: 'uid-1',
  entityRef: 'component:default/chatbot',
  createdBy: 'user:default/guest',
  mode: 'tuning',
  preset: 'phi-4-mini-instruct',
  tuningMethod: 'qlora',
  outputImage: 'kaitodemo.azurecr.io/adapters/chatbot:v1',
  instanceType: 'Standard_NC24ads_A100_v4',
  nodeCount: 1,
  gpusPerNode: 1,
  usdPerNodeHour: 3.673,
  outcome: 'pending',
  createdAt: '2026-08-01T10:00:00Z',
};

describe('DatabaseRunHistoryStore', () => {
  it('runs on SQLite at least', () => {
    expect(databases.eachSupportedId()).toContainEqual(['SQLITE_3']);
  });

  it.each(databases.eachSupportedId())(
    'records, updates and lists runs on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex }),
      });

      const run = await store.recordRun(base);
      expect(run).toEqual({
        id: expect.any(Number),
        ...base,
        createdAt: '2026-08-01T10:00:00.000Z',
      });

      // Recording again (e.g. from the watch cache) is a no-op.
      const again = await store.recordRun({ ...base, outcome: 'running' });
      expect(again.id).toBe(run.id);
      expect(again.outcome).toBe('pending');

      const updated = await store.updateRun(
        { cluster: 'sim', workspaceUid: 'uid-1' },
        {
          state: 'Failed',
          outcome: 'failed',
          message: 'OOMKilled',
          finishedAt: '2026-08-01T12:30:00.000Z',
          outputImage: 'kaitodemo.azurecr.io/adapters/chatbot:v2',
        },
      );
      expect(updated).toMatchObject({
        state: 'Failed',
        outcome: 'failed',
        message: 'OOMKilled',
        finishedAt: '2026-08-01T12:30:00.000Z',
        outputImage: 'kaitodemo.azurecr.io/adapters/chatbot:v2',
        usdPerNodeHour: 3.673,
      });

      await store.recordRun({
        ...base,
        workspace: 'serve-1',
        workspaceUid: 'uid-2',
        mode: 'inference',
        tuningMethod: undefined,
        outputImage: undefined,
        createdAt: '2026-08-02T10:00:00Z',
      });
      await store.recordRun({
        ...base,
        workspaceUid: 'uid-3',
        entityRef: 'component:default/other',
        createdAt: '2026-08-03T10:00:00Z',
      });

      const mine = await store.listRuns({
        entityRef: 'component:default/chatbot',
      });
      expect(mine.map(r => r.workspaceUid)).toEqual(['uid-2', 'uid-1']);
      expect(mine[0].tuningMethod).toBeUndefined();
      expect(mine[0].outputImage).toBeUndefined();
      expect(mine[1].outputImage).toBe(
        'kaitodemo.azurecr.io/adapters/chatbot:v2',
      );

      const open = await store.listRuns({ cluster: 'sim', open: true });
      expect(open.map(r => r.workspaceUid)).toEqual(['uid-3', 'uid-2']);

      expect(await store.listRuns({ limit: 1 })).toHaveLength(1);
      expect(
        await store.getRun({ cluster: 'other', workspaceUid: 'uid-1' }),
      ).toBeUndefined();
      expect(
        await store.updateRun(
          { cluster: 'sim', workspaceUid: 'missing' },
          { outcome: 'deleted' },
        ),
      ).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps runs without a uid apart on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex }),
      });
      const a = await store.recordRun({ ...base, workspaceUid: undefined });
      const b = await store.recordRun({ ...base, workspaceUid: undefined });
      expect(a.id).not.toBe(b.id);
      expect(a.workspaceUid).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'adds output_image to existing runs and drops it again on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@kaito-backstage/plugin-kaito-backend',
        'migrations',
      );
      await knex.migrate.up({ directory, name: '20260801000000_runs.js' });
      await knex('kaito_runs').insert({
        cluster: 'sim',
        namespace: 'ml',
        workspace: 'tune-1',
        workspace_uid: 'uid-1',
        mode: 'tuning',
        outcome: 'succeeded',
        created_at: '2026-08-01T10:00:00.000Z',
      });

      const store = await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex }),
      });
      const key = { cluster: 'sim', workspaceUid: 'uid-1' };
      expect(await store.getRun(key)).not.toHaveProperty('outputImage');
      expect(
        await store.updateRun(key, {
          outputImage: 'kaitodemo.azurecr.io/adapters/chatbot:v1',
        }),
      ).toMatchObject({
        outcome: 'succeeded',
        outputImage: 'kaitodemo.azurecr.io/adapters/chatbot:v1',
      });

      await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('kaito_runs', 'output_image')).toBe(
        false,
      );
      expect(await knex('kaito_runs').select('workspace_uid')).toEqual([
        { workspace_uid: 'uid-1' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'skips migrations when told to on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      expect(await knex.schema.hasTable('kaito_runs')).toBe(false);
    },
  );
});
