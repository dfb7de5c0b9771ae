import { mockCredentials } from '@backstage/backend-test-utils';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The client is tested against the real backend plugin, over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  serviceProbe,
  startKaitoTestBackend,
} from '@kaito-backstage/plugin-kaito-backend/testUtils';
import { kaitoServiceRef } from './serviceRef';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'chatbot', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/ml-team', lifecycle: 'production' },
};

/** Starts the real KAITO backend plus a plugin that gets the client injected. */
async function startWithClient(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const probe = serviceProbe(kaitoServiceRef);
  const backend = await startKaitoTestBackend({
    config: {
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'down',
                url: 'http://127.0.0.1:9',
                authProvider: 'serviceAccount',
                serviceAccountToken: 't',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
      kaito: { watch: { initialBackoffMs: 50, maxBackoffMs: 100, syncTimeoutMs: 1000 } },
    },
    entities: [entity],
    permissions: result,
    features: [probe.feature],
  });
  return { backend, client: probe.get() };
}

const options = { credentials: mockCredentials.user('user:default/guest') };

describe('KaitoClient through kaitoServiceRef', () => {
  it('calls the backend as the given user and returns typed data', async () => {
    const { backend, client } = await startWithClient();
    try {
      const presets = await client.listPresets(options);
      expect(presets.length).toBeGreaterThan(5);
      expect(presets[0]).toHaveProperty('name');

      const skus = await client.listSkus(
        { preset: 'phi-4-mini-instruct', mode: 'inference' },
        options,
      );
      expect(skus.items.length).toBeGreaterThan(0);
      expect(skus.recommendation?.fit?.fits).toBe(true);

      const clusters = await client.listClusters(options);
      expect(clusters.map(c => c.name)).toEqual(['down']);

      // A dry run includes the cluster's own dry run: with the cluster down
      // it is a 503 naming it (KaitoClient.simulator.test.ts has one that passes).
      await expect(
        client.createWorkspace(
          {
            entityRef: 'component:default/chatbot',
            cluster: 'down',
            namespace: 'ml',
            name: 'serve-phi',
            dryRun: true,
            resource: { instanceType: 'Standard_NC24ads_A100_v4' },
            inference: { preset: 'phi-4-mini-instruct' },
          },
          { ...options, taskId: 'task-123' },
        ),
      ).rejects.toThrow(ServiceUnavailableError);

      expect(await client.listRuns('component:default/chatbot', options)).toEqual([]);
    } finally {
      await backend.stop();
    }
  });

  it('maps backend errors back to @backstage/errors types', async () => {
    const { backend, client } = await startWithClient();
    try {
      await expect(
        client.createWorkspace(
          {
            entityRef: 'component:default/chatbot',
            cluster: 'down',
            namespace: 'ml',
            name: 'Not_A_Name',
            resource: {},
            inference: { preset: 'phi-4-mini-instruct' },
          },
          options,
        ),
      ).rejects.toThrow(InputError);
      await expect(
        client.createWorkspace(
          {
            entityRef: 'component:default/chatbot',
            cluster: 'down',
            namespace: 'ml',
            name: 'serve',
            resource: { instanceType: 'Standard_NC24ads_A100_v4' },
            inference: { preset: 'phi-4-mini-instruct' },
          },
          options,
        ),
      ).rejects.toThrow(ServiceUnavailableError);
      await expect(client.listGpuPools('down', options)).rejects.toThrow(
        NotImplementedError,
      );
      await expect(
        client.listWorkspaces('component:default/ghost', options),
      ).rejects.toThrow(NotFoundError);
      // get* and delete* answer undefined for what does not exist.
      await expect(
        client.getWorkspace({ cluster: 'nope', namespace: 'ml', name: 'x' }, options),
      ).resolves.toBeUndefined();
      await expect(client.getGpuPool('nope', 'gpu1', options)).resolves.toBeUndefined();
      const error = await client
        .listSkus({ preset: 'not-a-preset' }, options)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('preset: "not-a-preset" is not a KAITO preset');
    } finally {
      await backend.stop();
    }
  });

  it('maps a permission denial to NotAllowedError', async () => {
    const { backend, client } = await startWithClient(AuthorizeResult.DENY);
    try {
      await expect(client.listPresets(options)).rejects.toThrow(NotAllowedError);
    } finally {
      await backend.stop();
    }
  });
});
