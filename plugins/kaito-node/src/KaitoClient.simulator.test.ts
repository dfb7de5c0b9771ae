import { mockCredentials } from '@backstage/backend-test-utils';
import { ConflictError, InputError } from '@backstage/errors';
// The client is tested against the real backend plugin, over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  eventually,
  serviceProbe,
  startKaitoTestBackend,
} from '@kaito-backstage/plugin-kaito-backend/testUtils';
import {
  RunningSimulator,
  simulatorAppConfig,
  startSimulator,
} from '@kaito-backstage/simulator';
import { KaitoService } from './KaitoClient';
import { kaitoServiceRef } from './serviceRef';

jest.setTimeout(120_000);

const options = { credentials: mockCredentials.user('user:default/guest') };
/** A team namespace: the backend's namespace policy keeps workspaces out of `default`. */
const TEAM = 'ml-team';

describe('KaitoClient against the backend and the simulator', () => {
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startKaitoTestBackend>>;
  let client: KaitoService;

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 300, seed: 'none' });
    await sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: TEAM } });
    const probe = serviceProbe(kaitoServiceRef, 'scaffolder-probe');
    backend = await startKaitoTestBackend({
      config: simulatorAppConfig(sim, 'sim'),
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'chatbot', namespace: 'default' }, // the entity's
          spec: { type: 'service', owner: 'group:default/ml-team', lifecycle: 'production' },
        },
      ],
      features: [probe.feature],
    });
    client = probe.get();
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('creates, reads and deletes a workspace as the initiating user', async () => {
    const dryRun = await client.createWorkspace(
      {
        entityRef: 'component:default/chatbot',
        cluster: 'sim',
        namespace: TEAM,
        name: 'from-template',
        dryRun: true,
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: 'phi-4-mini-instruct' },
      },
      { ...options, taskId: 'task-1' },
    );
    expect(dryRun.dryRun).toBe(true);
    expect(dryRun.manifest.metadata.annotations).toMatchObject({
      'kaito.backstage.io/created-by': 'user:default/guest',
      'kaito.backstage.io/template-task-id': 'task-1',
    });

    const result = await client.createWorkspace(
      {
        entityRef: 'component:default/chatbot',
        cluster: 'sim',
        namespace: TEAM,
        name: 'from-template',
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: 'phi-4-mini-instruct' },
      },
      { ...options, taskId: 'task-1' },
    );
    expect(result.dryRun).toBe(false);
    expect(result.workspace).toMatchObject({
      name: 'from-template',
      createdBy: 'user:default/guest',
    });
    const stored = sim.store.get({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: TEAM,
      name: 'from-template',
    })!;
    expect(stored.metadata.annotations).toMatchObject({
      'kaito.backstage.io/created-by': 'user:default/guest',
      'kaito.backstage.io/template-task-id': 'task-1',
    });

    const ready = await eventually(async () => {
      const ws = await client.getWorkspace(
        { cluster: 'sim', namespace: TEAM, name: 'from-template' },
        options,
      );
      return ws?.state === 'Ready' ? ws : undefined;
    });
    expect(ready.endpoint?.serviceUrl).toBe(
      'http://from-template.ml-team.svc.cluster.local:80',
    );
    const listed = await client.listWorkspaces('component:default/chatbot', options);
    expect(listed.items.map(i => i.name)).toEqual(['from-template']);
    expect(listed.errors).toEqual([]);

    await expect(
      client.createWorkspace(
        {
          entityRef: 'component:default/chatbot',
          cluster: 'sim',
          namespace: TEAM,
          name: 'from-template',
          resource: { instanceType: 'Standard_NC24ads_A100_v4' },
          inference: { preset: 'phi-4-mini-instruct' },
        },
        options,
      ),
    ).rejects.toThrow(ConflictError);

    const deleted = await client.deleteWorkspace(
      { cluster: 'sim', namespace: TEAM, name: 'from-template' },
      options,
    );
    expect(deleted?.state).toBe('Deleting');
    await eventually(async () =>
      (await client.getWorkspace(
        { cluster: 'sim', namespace: TEAM, name: 'from-template' },
        options,
      )) === undefined,
    );
    expect(
      await client.deleteWorkspace(
        { cluster: 'sim', namespace: TEAM, name: 'from-template' },
        options,
      ),
    ).toBeUndefined();
    const runs = await client.listRuns('component:default/chatbot', options);
    expect(runs[0]).toMatchObject({ workspace: 'from-template', createdBy: 'user:default/guest' });
  });

  it('ensures a GPU pool idempotently', async () => {
    const request = {
      cluster: 'sim',
      name: 'tplpool',
      vmSize: 'Standard_NC24ads_A100_v4',
      count: 1,
      entityRef: 'component:default/chatbot',
    };
    const first = await client.ensureGpuPool(request, options);
    expect(first.created).toBe(true);
    expect(first.pool).toMatchObject({ name: 'tplpool', managed: true, createdBy: 'user:default/guest' });
    const second = await client.ensureGpuPool(request, options);
    expect(second.created).toBe(false);
    expect(second.pool.name).toBe('tplpool');
    await expect(
      client.ensureGpuPool({ ...request, vmSize: 'Standard_NC48ads_A100_v4' }, options),
    ).rejects.toThrow(ConflictError);
    await expect(
      client.ensureGpuPool({ ...request, name: 'Bad_Name' }, options),
    ).rejects.toThrow(InputError);

    await eventually(async () =>
      (await client.getGpuPool('sim', 'tplpool', options))?.provisioningState === 'Succeeded',
    );
    const updated = await client.updateGpuPool('sim', 'tplpool', { count: 2 }, options);
    expect(updated.count).toBe(2);
    await eventually(async () =>
      (await client.getGpuPool('sim', 'tplpool', options))?.provisioningState === 'Succeeded',
    );
    const pools = await client.listGpuPools('sim', options);
    expect(pools.items.map(p => p.name)).toContain('tplpool');
    await client.deleteGpuPool('sim', 'tplpool', options);
    await eventually(async () => (await client.getGpuPool('sim', 'tplpool', options)) === undefined);
  });

  it('lists SKUs with quota for the cluster', async () => {
    const skus = await client.listSkus(
      { preset: 'phi-4-mini-instruct', mode: 'inference', cluster: 'sim' },
      options,
    );
    expect(skus.recommendation?.quota?.sufficient).toBe(true);
    expect(skus.location).toBe(sim.location);
  });
});
