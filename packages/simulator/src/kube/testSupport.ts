/**
 * Test helpers: a cluster store behind a live API server on an ephemeral port,
 * a self-signed certificate for HTTPS (kubectl only sends tokens over TLS), and
 * client-node/kubectl configuration pointing at it.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { FaultStore } from '../faults';
import { createClusterStore } from './cluster';
import {
  createKubeApiServer,
  type KubeApiServer,
  type KubeApiServerOptions,
} from './server';
import type { InMemoryObjectStore, InMemoryObjectStoreOptions } from './store';

export const TEST_TOKEN = 'test-token-0123456789';

export interface TestCluster {
  store: InMemoryObjectStore;
  faults: FaultStore;
  server: KubeApiServer;
  /** Options for `KubeConfig.loadFromOptions`. */
  kubeConfigOptions(token?: string): {
    clusters: {
      name: string;
      server: string;
      skipTLSVerify: boolean;
      caData?: string;
    }[];
    users: { name: string; token?: string }[];
    contexts: {
      name: string;
      cluster: string;
      user: string;
      namespace: string;
    }[];
    currentContext: string;
  };
  close(): Promise<void>;
}

export async function selfSignedTls() {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { certPem: pems.cert, keyPem: pems.private };
}

export async function startTestCluster(
  options: Partial<Omit<KubeApiServerOptions, 'store' | 'faults'>> & {
    store?: InMemoryObjectStoreOptions;
  } = {},
): Promise<TestCluster> {
  const store = await createClusterStore(options.store);
  const faults = new FaultStore();
  const server = await createKubeApiServer({
    token: TEST_TOKEN,
    ...options,
    store,
    faults,
  });
  return {
    store,
    faults,
    server,
    kubeConfigOptions: (token = TEST_TOKEN) => ({
      clusters: [
        {
          name: 'sim',
          server: server.url,
          // client-node 1.x refuses http:// URLs unless skipTLSVerify is set.
          skipTLSVerify: !options.tls,
          ...(options.tls
            ? { caData: Buffer.from(options.tls.certPem).toString('base64') }
            : {}),
        },
      ],
      users: [{ name: 'sim', ...(token ? { token } : {}) }],
      contexts: [
        { name: 'sim', cluster: 'sim', user: 'sim', namespace: 'default' },
      ],
      currentContext: 'sim',
    }),
    close: () => server.close(),
  };
}

/** `describe`, or `describe.skip` with a warning naming the file when kubectl is not on PATH. */
export function describeWithKubectl(file: string): jest.Describe {
  const found =
    spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' })
      .status === 0;
  if (!found) {
    // eslint-disable-next-line no-console
    console.warn(
      `kubectl is not on PATH: skipping the kubectl compatibility tests in ${file}`,
    );
  }
  return found ? describe : describe.skip;
}

/** kubectl's table output, runs of spaces collapsed, so it can be compared column by column. */
export const tableLines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map(line => line.trim().split(/\s+/).join(' '));

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against a server with a throw-away kubeconfig and discovery cache. */
export class Kubectl {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kubectl-sim-'));
  private readonly kubeconfigPath = join(this.dir, 'kubeconfig');

  constructor(kubeconfig: string) {
    writeFileSync(this.kubeconfigPath, kubeconfig);
  }

  run(args: string[], input?: string): Promise<KubectlResult> {
    return new Promise(resolve => {
      const child = execFile(
        'kubectl',
        [
          '--kubeconfig',
          this.kubeconfigPath,
          '--cache-dir',
          join(this.dir, 'cache'),
          ...args,
        ],
        {
          timeout: 30_000,
          env: { ...process.env, KUBECONFIG: this.kubeconfigPath },
        },
        (error, stdout, stderr) => {
          let code = 0;
          if (error) {
            code = typeof error.code === 'number' ? error.code : 1;
          }
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (input !== undefined) {
        child.stdin?.end(input);
      }
    });
  }

  writeFile(name: string, content: string): string {
    const path = join(this.dir, name);
    writeFileSync(path, content);
    return path;
  }

  dispose() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${
          lastError ? `: ${String(lastError)}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}
