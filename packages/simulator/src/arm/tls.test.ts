import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSimulatorTls } from './tls';
import {
  CLUSTER,
  newSimulator,
  RESOURCE_GROUP,
  SUBSCRIPTION,
  tenant,
  testApp,
} from './__testUtils__/harness';

const run = promisify(execFile);

describe('createSimulatorTls', () => {
  it('creates a CA and a server certificate for localhost it signed', async () => {
    const tls = await createSimulatorTls({ hosts: ['kaito-sim', '10.1.2.3'] });
    const ca = new X509Certificate(tls.caCertPem);
    const leaf = new X509Certificate(tls.certPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('kaito-sim')).toBe('kaito-sim');
    expect(leaf.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(tls.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});

describe('trusting the simulator CA from another process', () => {
  const script = `
    const { ContainerServiceClient } = require('@azure/arm-containerservice');
    const credential = { getToken: async () => ({ token: process.env.TOKEN, expiresOnTimestamp: Date.now() + 3600e3 }) };
    const client = new ContainerServiceClient(credential, process.env.SUB, {
      endpoint: process.env.ENDPOINT,
      retryOptions: { maxRetries: 0 },
    });
    client.managedClusters.get(process.env.RG, process.env.CLUSTER).then(
      mc => console.log(JSON.stringify(mc.aiToolchainOperatorProfile)),
      e => console.log('ERROR ' + e.code),
    );`;

  it('works with NODE_EXTRA_CA_CERTS and a persisted certificate', async () => {
    const tls = await createSimulatorTls();
    const { sim, clock } = newSimulator({ tls });
    const dir = await mkdtemp(join(tmpdir(), 'arm-sim-'));
    try {
      const { url } = await sim.start();
      expect(sim.caCertPem).toBe(tls.caCertPem);
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, sim.caCertPem);
      const env = {
        PATH: process.env.PATH,
        SUB: SUBSCRIPTION,
        RG: RESOURCE_GROUP,
        CLUSTER,
        ENDPOINT: url,
        TOKEN: tenant.issueToken(testApp, 'https://management.azure.com/')
          .accessToken,
      };
      const trusted = await run(process.execPath, ['-e', script], {
        cwd: __dirname,
        env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
      });
      expect(trusted.stdout.trim()).toBe('{"enabled":true}');
      const untrusted = await run(process.execPath, ['-e', script], {
        cwd: __dirname,
        env,
      });
      expect(untrusted.stdout.trim()).toMatch(
        /^ERROR (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/,
      );
    } finally {
      await sim.stop();
      clock.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 20000);
});
