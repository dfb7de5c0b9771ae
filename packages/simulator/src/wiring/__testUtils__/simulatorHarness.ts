import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ClientSecretCredential } from '@azure/identity';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import {
  simulatorClientOptions,
  simulatorCredentialOptions,
} from '../../arm/clientOptions';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../simulator';

/**
 * Test harness: a whole simulator on ephemeral ports and the real clients
 * pointed at it (@kubernetes/client-node, kubectl with a temporary
 * kubeconfig, the Azure SDK signed in with @azure/identity's
 * ClientSecretCredential, plain HTTPS for the service proxy). Tests talk
 * to the simulator only through these, over HTTP.
 */
export const WS = {
  group: 'kaito.sh',
  version: 'v1beta1',
  plural: 'workspaces',
};

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TestSimulator extends RunningSimulator {
  kc: KubeConfig;
  custom: CustomObjectsApi;
  core: CoreV1Api;
  batch: BatchV1Api;
  apps: AppsV1Api;
  aks: ContainerServiceClient;
  kubeconfigPath: string;
  kubectl(
    ...args: string[]
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** A raw request to the Kubernetes API (token and CA applied). */
  kubeRequest(
    method: string,
    path: string,
    body?: unknown,
    onChunk?: (chunk: string) => void,
  ): Promise<HttpReply>;
  workspace(namespace: string, name: string): Promise<any>;
  waitForWorkspace(
    namespace: string,
    name: string,
    until: (ws: any) => boolean,
    timeoutMs?: number,
  ): Promise<any>;
  createNamespace(name: string): Promise<void>;
  close(): Promise<void>;
}

export function condition(ws: any, type: string): any {
  return (ws?.status?.conditions ?? []).find((c: any) => c.type === type);
}

export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${
          last ? `: ${(last as Error).message}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

export async function startTestSimulator(
  options: SimulatorOptions = {},
): Promise<TestSimulator> {
  const sim = await startSimulator({ timeScale: 2000, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'kaito-sim-test-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, sim.kubeconfig, { mode: 0o600 });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  const identity = simulatorCredentialOptions(sim);
  const aks = new ContainerServiceClient(
    new ClientSecretCredential(
      identity.tenantId,
      identity.clientId,
      identity.clientSecret,
      identity.options,
    ),
    sim.subscriptionId,
    simulatorClientOptions({ url: sim.armUrl, caCertPem: sim.armCaCertPem }),
  );
  const custom = kc.makeApiClient(CustomObjectsApi);

  const kubeRequest = (
    method: string,
    path: string,
    body?: unknown,
    onChunk?: (chunk: string) => void,
  ) =>
    new Promise<HttpReply>((resolve, reject) => {
      const url = new URL(path, sim.kubeUrl);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        url,
        {
          method,
          ca: sim.armCaCertPem,
          headers: {
            Authorization: `Bearer ${sim.token}`,
            ...(payload
              ? {
                  'Content-Type': 'application/json',
                  'Content-Length': Buffer.byteLength(payload),
                }
              : {}),
          },
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => {
            text += chunk;
            onChunk?.(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const workspace = (namespace: string, name: string) =>
    custom.getNamespacedCustomObject({ ...WS, namespace, name });

  return {
    ...sim,
    kc,
    custom,
    core: kc.makeApiClient(CoreV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    aks,
    kubeconfigPath,
    kubectl: (...args: string[]) =>
      new Promise(resolve => {
        execFile(
          'kubectl',
          ['--kubeconfig', kubeconfigPath, ...args],
          { timeout: 60_000 },
          (error, stdout, stderr) =>
            resolve({
              code: error ? Number((error as { code?: number }).code ?? 1) : 0,
              stdout,
              stderr,
            }),
        );
      }),
    kubeRequest,
    workspace,
    waitForWorkspace: (namespace, name, until, timeoutMs = 20_000) =>
      eventually(
        async () => {
          const ws = await workspace(namespace, name);
          return until(ws) ? ws : undefined;
        },
        timeoutMs,
        `workspace ${namespace}/${name}`,
      ),
    createNamespace: async name => {
      await kc
        .makeApiClient(CoreV1Api)
        .createNamespace({ body: { metadata: { name } } });
    },
    close: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tuning workspace like KAITO's quick start (phi-3, qlora, URL data, image output). */
export function tuningWorkspace(
  name: string,
  overrides: Record<string, any> = {},
) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, labels: { 'backstage.io/kubernetes-id': name } },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    tuning: {
      preset: { name: 'phi-3-mini-128k-instruct' },
      method: 'qlora',
      input: {
        name: 'dataset',
        urls: [
          'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train.parquet',
        ],
      },
      output: {
        image: `myregistry.azurecr.io/adapters/${name}:0.0.1`,
        imagePushSecret: 'push-secret',
      },
    },
    ...overrides,
  };
}

export function inferenceWorkspace(
  name: string,
  overrides: Record<string, any> = {},
) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: 'phi-3-mini-128k-instruct' } },
    ...overrides,
  };
}
