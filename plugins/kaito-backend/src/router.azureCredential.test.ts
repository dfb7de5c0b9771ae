import { RunningSimulator, startSimulator } from '@kaito-backstage/simulator';
import request from 'supertest';
import {
  simulatorConfig,
  startKaitoBackend,
} from './__testUtils__/simulatorBackend';

jest.setTimeout(120_000);

const POOLS = '/api/kaito/clusters/sim/gpu-pools';

/**
 * The backend reaches ARM as the service principal its config names
 * (`kaito.clusters.<name>.azure.tenantId/clientId/clientSecret/authorityHost`),
 * through @azure/identity's ClientSecretCredential and the simulator's
 * Microsoft Entra; ARM accepts only tokens that Entra issued for it.
 */
describe('GPU pools through ClientSecretCredential from config', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 300, seed: 'none' });
  });

  afterAll(() => sim?.stop());

  it('signs in as the configured app and manages a pool with its ARM token', async () => {
    const config: any = simulatorConfig(sim);
    expect(config.kaito.clusters.sim.azure).toMatchObject({
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      authorityHost: sim.entraUrl,
    });
    const backend = await startKaitoBackend({ config });
    try {
      const issuedBefore = sim.entra.directory.issued.length;
      const create = await request(backend.server).post(POOLS).send({
        name: 'gpusp',
        vmSize: 'Standard_NC24ads_A100_v4',
        count: 1,
        entityRef: 'component:default/chatbot',
      });
      expect(create.status).toBe(202);
      expect(sim.arm.getAgentPool('gpusp')?.properties.vmSize).toBe(
        'Standard_NC24ads_A100_v4',
      );
      const issued = sim.entra.directory.issued.slice(issuedBefore);
      expect(issued).toEqual([
        expect.objectContaining({
          clientId: sim.clientId,
          audience: 'https://management.azure.com/',
        }),
      ]);

      const list = await request(backend.server).get(POOLS);
      expect(list.status).toBe(200);
      expect(list.body.items.map((p: { name: string }) => p.name)).toContain(
        'gpusp',
      );
      // One token, cached by the credential, for every ARM call.
      expect(sim.entra.directory.issued.length).toBe(issuedBefore + 1);

      const remove = await request(backend.server).delete(`${POOLS}/gpusp`);
      expect(remove.status).toBeLessThan(300);
    } finally {
      await backend.stop();
    }
  });

  it('a wrong client secret is refused by Entra and reported, and nothing is created', async () => {
    const config: any = simulatorConfig(sim);
    config.kaito.clusters.sim.azure.clientSecret = 'not-the-secret';
    const backend = await startKaitoBackend({ config });
    try {
      const create = await request(backend.server).post(POOLS).send({
        name: 'gpunope',
        vmSize: 'Standard_NC24ads_A100_v4',
        count: 1,
        entityRef: 'component:default/chatbot',
      });
      expect(create.status).toBe(403);
      expect(create.body.error.message).toContain(
        'could not sign in to Microsoft Entra for cluster "sim"',
      );
      expect(create.body.error.message).toContain(
        'AADSTS7000215: Invalid client secret provided',
      );
      expect(sim.arm.getAgentPool('gpunope')).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });
});
