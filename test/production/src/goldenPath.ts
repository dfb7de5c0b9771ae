import type {
  ListRunsResponse,
  ListWorkspacesResponse,
  WorkspaceSummary,
} from '@kaito-backstage/plugin-kaito-common';
import type { ProductionSite } from './harness/ProductionSite';
import { TEAM_NAMESPACE } from './harness/ProductionSite';
import type { SiteClient } from './harness/SiteClient';
import { CLUSTER } from './harness/siteConfig';
import { eventually } from './harness/eventually';

/** The example component the golden path fine-tunes for (examples/entities.yaml). */
export const CHATBOT = 'component:default/support-chatbot';
export const CODE_ASSISTANT = 'component:default/code-assistant';

export const PRESET = 'phi-3-mini-128k-instruct';
export const TUNING_SKU = 'Standard_NC24ads_A100_v4';
export const ADAPTER_IMAGE = 'kaitodemo.azurecr.io/adapters/tuned-model:v1';

/** The fine-tune-model template's form, as a user fills it in. */
export function fineTuneValues(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    entityRef: CHATBOT,
    owner: 'group:default/ml-team',
    cluster: CLUSTER,
    namespace: TEAM_NAMESPACE,
    preset: PRESET,
    method: 'qlora',
    instanceType: TUNING_SKU,
    spot: false,
    datasetSource: 'url',
    datasetUrl:
      'https://huggingface.co/datasets/philschmid/dolly-15k-oai-style/resolve/main/data/train-00000-of-00001-54e3756291ca09c6.parquet?download=true',
    outputKind: 'image',
    outputImage: ADAPTER_IMAGE,
    outputPushSecret: 'acr-push-secret',
    serve: true,
    ...overrides,
  };
}

/** A workspace request for the REST API (`POST /workspaces`). */
export function workspaceRequest(
  name: string,
  kind: 'tuning' | 'inference',
  entityRef = CHATBOT,
): Record<string, unknown> {
  return {
    entityRef,
    cluster: CLUSTER,
    namespace: TEAM_NAMESPACE,
    name,
    resource: { instanceType: TUNING_SKU },
    ...(kind === 'tuning'
      ? {
          tuning: {
            preset: PRESET,
            method: 'qlora',
            input: { urls: ['https://example.com/datasets/support.jsonl'] },
            output: {
              image: `${ADAPTER_IMAGE}-${name}`,
              imagePushSecret: 'acr-push-secret',
            },
          },
        }
      : { inference: { preset: PRESET } }),
  };
}

export function listWorkspaces(client: SiteClient, entityRef: string) {
  return client.kaito<ListWorkspacesResponse>(
    'GET',
    `/workspaces?entityRef=${encodeURIComponent(entityRef)}`,
  );
}

export function listRuns(client: SiteClient, entityRef: string) {
  return client.kaito<ListRunsResponse>(
    'GET',
    `/runs?entityRef=${encodeURIComponent(entityRef)}&limit=1000`,
  );
}

export function workspacePath(
  ws: Pick<WorkspaceSummary, 'cluster' | 'namespace' | 'name'>,
) {
  return `/clusters/${ws.cluster}/namespaces/${ws.namespace}/workspaces/${ws.name}`;
}

/** Asks the model served by an inference workspace one question. */
export async function chat(
  client: SiteClient,
  ws: WorkspaceSummary,
  model?: string,
) {
  return client.kaito<{ choices: { message: { content: string } }[] }>(
    'POST',
    `${workspacePath(ws)}/chat/completions`,
    {
      ...(model ? { model } : {}),
      messages: [{ role: 'user', content: 'How do I reset my password?' }],
      max_tokens: 32,
    },
  );
}

/** The GPU agent pools of the simulated AKS cluster (what ARM holds). */
export function gpuPools(site: ProductionSite) {
  return site.sim.arm
    .listAgentPools()
    .filter(p => p.properties?.mode !== 'System');
}

/** The Workspaces of an entity in the simulated cluster (what etcd holds). */
export function clusterWorkspaces(site: ProductionSite, entityName: string) {
  return site.sim.store
    .list({
      group: 'kaito.sh',
      plural: 'workspaces',
      namespace: TEAM_NAMESPACE,
    })
    .items.filter(
      w => w.metadata.labels?.['backstage.io/kubernetes-id'] === entityName,
    );
}

/**
 * Back to an empty team namespace: deletes the entities' workspaces through
 * the API, waits until KAITO's node claims (and gpu-provisioner's pools)
 * are gone, then deletes the remaining GPU pools through the API.
 */
export async function cleanUp(
  site: ProductionSite,
  client: SiteClient,
  entityRefs: string[] = [CHATBOT, CODE_ASSISTANT],
) {
  // A task a failed test left behind would keep creating workspaces.
  for (const status of ['open', 'processing']) {
    const { tasks } = await client.json<{ tasks: { id: string }[] }>(
      'GET',
      `/api/scaffolder/v2/tasks?status=${status}`,
    );
    for (const task of tasks) {
      await client.request(
        'POST',
        `/api/scaffolder/v2/tasks/${task.id}/cancel`,
      );
    }
  }
  // What the cluster holds (the backend may still be catching up after a
  // fault), deleted through the API.
  const inCluster = () =>
    site.sim.store
      .list({ group: 'kaito.sh', plural: 'workspaces' })
      .items.filter(
        w =>
          !w.metadata.deletionTimestamp &&
          entityRefs.some(ref =>
            ref.endsWith(
              `/${w.metadata.labels?.['backstage.io/kubernetes-id']}`,
            ),
          ),
      );
  await eventually(
    async () => {
      for (const w of inCluster()) {
        await client.kaito(
          'DELETE',
          workspacePath({
            cluster: CLUSTER,
            namespace: w.metadata.namespace!,
            name: w.metadata.name,
          }),
        );
      }
      return inCluster().length === 0;
    },
    {
      timeoutMs: 120_000,
      intervalMs: 1000,
      what: 'the API to delete the workspaces',
    },
  );
  const nodeClaims = () =>
    site.sim.store.list({ group: 'karpenter.sh', plural: 'nodeclaims' }).items;
  await eventually(
    () =>
      site.sim.store.list({ group: 'kaito.sh', plural: 'workspaces' }).items
        .length === 0 && nodeClaims().length === 0,
    {
      timeoutMs: 180_000,
      intervalMs: 500,
      what: 'every workspace and node claim to be deleted',
    },
  );
  await eventually(
    async () => {
      for (const pool of gpuPools(site)) {
        if (pool.properties.provisioningState === 'Deleting') continue;
        await client.kaito(
          'DELETE',
          `/clusters/${CLUSTER}/gpu-pools/${pool.name}?force=true`,
        );
      }
      return true;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 1000,
      what: 'the API to delete the GPU pools',
    },
  );
  await eventually(() => gpuPools(site).length === 0, {
    timeoutMs: 180_000,
    intervalMs: 500,
    what: 'the GPU pools to be deleted',
  });
}

/** After a golden-path run: one pool, one tuning and one inference workspace, and the chat answers. */
export async function expectGoldenPathState(
  site: ProductionSite,
  client: SiteClient,
  entityName: string,
  entityRef: string,
) {
  const pools = gpuPools(site);
  expect(
    pools.map(p => [p.properties.vmSize, p.properties.provisioningState]),
  ).toEqual([['Standard_NC24ads_A100_v4', 'Succeeded']]);
  const inCluster = clusterWorkspaces(site, entityName);
  expect(inCluster.filter(w => w.tuning)).toHaveLength(1);
  expect(inCluster.filter(w => w.inference)).toHaveLength(1);

  const { items } = await listWorkspaces(client, entityRef);
  const tuning = items.filter(w => w.type === 'tuning');
  const inference = items.filter(w => w.type === 'inference');
  expect(tuning.map(w => w.state)).toEqual(['Succeeded']);
  expect(inference.map(w => w.state)).toEqual(['Ready']);
  const answer = await chat(
    client,
    inference[0] as WorkspaceSummary,
    tuning[0].name,
  );
  expect(answer.choices[0].message.content.length).toBeGreaterThan(0);
}
