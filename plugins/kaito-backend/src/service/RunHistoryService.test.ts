import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Workspace } from '@kaito-backstage/plugin-kaito-common';
import { DatabaseRunHistoryStore } from '../database/DatabaseRunHistoryStore';
import { RunHistoryService } from './RunHistoryService';

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17', 'POSTGRES_18'],
  disableDocker: true,
});

function tuning(status: Workspace['status'], uid = 'uid-1'): Workspace {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name: 'tune-phi',
      namespace: 'ml',
      uid,
      creationTimestamp: '2026-08-01T10:00:00Z',
      labels: { 'backstage.io/kubernetes-id': 'chatbot' },
      annotations: {
        'kaito.backstage.io/entity-ref': 'Component:default/ChatBot',
        'kaito.backstage.io/created-by': 'user:default/guest',
      },
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { app: 'tune' } },
    },
    tuning: {
      preset: { name: 'phi-4-mini-instruct' },
      method: 'qlora',
      input: { urls: ['https://example.com/data.jsonl'] },
      output: {
        image: 'registry.example.com/adapter:1',
        imagePushSecret: 'push',
      },
    },
    ...(status ? { status } : {}),
  };
}

const running: Workspace['status'] = {
  workerNodes: ['aks-ws1-vmss000000'],
  conditions: [
    {
      type: 'ResourceReady',
      status: 'True',
      reason: 'workspaceResourceStatusSuccess',
      lastTransitionTime: '2026-08-01T10:10:00Z',
    },
    {
      type: 'JobStarted',
      status: 'True',
      reason: 'WorkspaceTuningJobStatusStarted',
      lastTransitionTime: '2026-08-01T10:12:00Z',
    },
  ],
  state: 'Running',
};

const succeeded: Workspace['status'] = {
  ...running,
  conditions: [
    ...running!.conditions!,
    {
      type: 'WorkspaceSucceeded',
      status: 'True',
      reason: 'workspaceSucceeded',
      lastTransitionTime: '2026-08-01T12:00:00Z',
    },
  ],
  state: 'Succeeded',
};

describe('RunHistoryService', () => {
  it.each(databases.eachSupportedId())(
    'follows a run from creation to deletion on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex }),
      });
      const service = new RunHistoryService(store, mockServices.logger.mock());

      const run = await service.recordCreated('sim', tuning(undefined));
      expect(run).toMatchObject({
        cluster: 'sim',
        namespace: 'ml',
        workspace: 'tune-phi',
        entityRef: 'component:default/chatbot',
        createdBy: 'user:default/guest',
        mode: 'tuning',
        preset: 'phi-4-mini-instruct',
        tuningMethod: 'qlora',
        outputImage: 'registry.example.com/adapter:1',
        instanceType: 'Standard_NC24ads_A100_v4',
        gpusPerNode: 1,
        usdPerNodeHour: 3.673,
        outcome: 'pending',
      });

      const change = (type: 'add' | 'update' | 'delete', ws: Workspace) =>
        service.onWorkspaceChange({
          cluster: 'sim',
          kind: 'workspaces',
          type,
          object: ws as any,
        });

      await change('update', tuning(running));
      let [view] = await service.listRuns('component:default/ChatBot');
      expect(view).toMatchObject({
        state: 'Running',
        outcome: 'running',
        active: true,
      });

      await change('update', tuning(succeeded));
      [view] = await service.listRuns('component:default/chatbot');
      expect(view).toMatchObject({
        state: 'Succeeded',
        outcome: 'succeeded',
        finishedAt: '2026-08-01T12:00:00.000Z',
        active: false,
        durationSeconds: 7200,
        gpuHours: 2,
        estimatedCostUsd: 7.35,
      });

      // Deleted afterwards: the run stays, with its outcome, deleted when
      // the deletion was asked for.
      const deleting = tuning(succeeded);
      deleting.metadata.deletionTimestamp = '2026-08-02T09:00:00Z' as any;
      await change('delete', deleting);
      [view] = await service.listRuns('component:default/chatbot');
      expect(view).toMatchObject({
        outcome: 'succeeded',
        deletedAt: '2026-08-02T09:00:00.000Z',
        outputImage: 'registry.example.com/adapter:1',
      });
      expect(view.gpuHours).toBe(2);
    },
  );

  it.each(databases.eachSupportedId())(
    'fills in the adapter image of a finished run recorded without it on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex }),
      });
      const service = new RunHistoryService(store, mockServices.logger.mock());
      // As recorded before the run history kept images.
      const { outputImage: _, ...withoutImage } = RunHistoryService.newRun(
        'sim',
        tuning(succeeded),
      );
      await store.recordRun(withoutImage);
      const change = (type: 'update' | 'delete', ws: Workspace) =>
        service.onWorkspaceChange({
          cluster: 'sim',
          kind: 'workspaces',
          type,
          object: ws as any,
        });

      // The watch cache's resync after a restart sees the workspace again.
      await change('update', tuning(succeeded));
      let [view] = await service.listRuns('component:default/chatbot');
      expect(view).toMatchObject({
        outcome: 'succeeded',
        outputImage: 'registry.example.com/adapter:1',
      });

      const retagged = tuning(succeeded);
      retagged.tuning!.output!.image = 'registry.example.com/adapter:2';
      await change('update', retagged);
      [view] = await service.listRuns('component:default/chatbot');
      expect(view.outputImage).toBe('registry.example.com/adapter:2');

      // Once deleted, the run keeps the image it had.
      await change('delete', retagged);
      await change('update', tuning(succeeded));
      [view] = await service.listRuns('component:default/chatbot');
      expect(view).toMatchObject({
        deletedAt: expect.any(String),
        outputImage: 'registry.example.com/adapter:2',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'records suite workspaces it did not create and closes vanished runs on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRunHistoryStore.create({
        database: mockServices.database({ knex }),
      });
      const service = new RunHistoryService(store, mockServices.logger.mock());
      await service.onWorkspaceChange({
        cluster: 'sim',
        kind: 'workspaces',
        type: 'add',
        object: tuning(running, 'uid-2') as any,
      });
      // A workspace without the suite's annotation is not recorded.
      const foreign = tuning(running, 'uid-3');
      delete foreign.metadata.annotations;
      await service.onWorkspaceChange({
        cluster: 'sim',
        kind: 'workspaces',
        type: 'add',
        object: foreign as any,
      });
      expect(await store.listRuns({})).toHaveLength(1);

      // The cache resynced and uid-2 is gone: the run is closed as deleted.
      await service.reconcile('sim', []);
      const [view] = await service.listRuns('component:default/chatbot');
      expect(view).toMatchObject({
        workspaceUid: 'uid-2',
        outcome: 'deleted',
        active: false,
        deletedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
    },
  );
});
