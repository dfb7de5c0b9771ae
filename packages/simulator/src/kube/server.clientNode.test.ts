/**
 * The API server as @kubernetes/client-node sees it, over real HTTP.
 */
import { request as httpRequest } from 'node:http';
import {
  ApiException,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubeObject } from './api';
import {
  TEST_TOKEN,
  eventually,
  startTestCluster,
  type TestCluster,
} from './testSupport';

let cluster: TestCluster;
let kc: KubeConfig;
let core: CoreV1Api;
let batch: BatchV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  cluster = await startTestCluster();
  kc = new KubeConfig();
  kc.loadFromOptions(cluster.kubeConfigOptions());
  core = kc.makeApiClient(CoreV1Api);
  batch = kc.makeApiClient(BatchV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
});

afterAll(() => cluster.close());

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

function raw(
  method: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    body?: unknown;
    token?: string | null;
  } = {},
): Promise<RawResponse> {
  const url = new URL(path, cluster.server.url);
  const body =
    options.body === undefined ? undefined : JSON.stringify(options.body);
  const token = options.token === undefined ? TEST_TOKEN : options.token;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The Status body of a failed client-node call. */
async function failure(
  call: Promise<unknown>,
): Promise<{ code: number; status: any }> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiException);
    const e = error as ApiException<unknown>;
    const body =
      typeof e.body === 'string' && e.body ? JSON.parse(e.body) : e.body;
    return { code: e.code, status: body };
  }
  throw new Error('expected the call to fail');
}

const workspace = (
  name: string,
  labels?: Record<string, string>,
): KubeObject => ({
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
  resource: {
    instanceType: 'Standard_NC24ads_A100_v4',
    labelSelector: { matchLabels: { apps: name } },
  },
  inference: { preset: { name: 'phi-4' } },
});

const wsParams = {
  group: 'kaito.sh',
  version: 'v1beta1',
  namespace: 'default',
  plural: 'workspaces',
};

describe('authentication', () => {
  it('answers 401 with a Status when the token is missing or wrong', async () => {
    const anonymous = new KubeConfig();
    anonymous.loadFromOptions(cluster.kubeConfigOptions(''));
    const noToken = await failure(
      anonymous.makeApiClient(CoreV1Api).listNamespace(),
    );
    expect(noToken.code).toBe(401);

    const wrong = new KubeConfig();
    wrong.loadFromOptions(cluster.kubeConfigOptions('not-the-token'));
    expect(
      (await failure(wrong.makeApiClient(CoreV1Api).listNamespace())).code,
    ).toBe(401);

    const res = await raw('GET', '/api/v1/namespaces', { token: null });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('serves /version and health checks to anonymous clients', async () => {
    expect((await raw('GET', '/healthz', { token: null })).text).toBe('ok');
    expect((await raw('GET', '/readyz', { token: null })).status).toBe(200);
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.33\.\d+$/);
  });
});

describe('core/v1 through CoreV1Api', () => {
  it('creates, reads, replaces, lists and deletes ConfigMaps', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        metadata: { name: 'settings', labels: { app: 'demo' } },
        data: { a: '1' },
      },
    });
    expect(created.metadata?.uid).toBeDefined();
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);

    const read = await core.readNamespacedConfigMap({
      name: 'settings',
      namespace: 'default',
    });
    expect(read.data).toEqual({ a: '1' });

    const replaced = await core.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: 'default',
      body: { ...read, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    expect(Number(replaced.metadata!.resourceVersion)).toBeGreaterThan(
      Number(read.metadata!.resourceVersion),
    );

    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map(i => i.metadata?.name)).toContain('settings');
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);

    const deleted = await core.deleteNamespacedConfigMap({
      name: 'settings',
      namespace: 'default',
    });
    expect(deleted).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'settings', kind: 'configmaps' },
    });

    const gone = await failure(
      core.readNamespacedConfigMap({ name: 'settings', namespace: 'default' }),
    );
    expect(gone.code).toBe(404);
    expect(gone.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'configmaps "settings" not found',
      reason: 'NotFound',
      details: { name: 'settings', kind: 'configmaps' },
      code: 404,
    });
  });

  it('answers 409 Conflict for a stale resourceVersion', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'contended' }, data: { v: '1' } },
    });
    await core.replaceNamespacedConfigMap({
      name: 'contended',
      namespace: 'default',
      body: { ...created, data: { v: '2' } },
    });
    const stale = await failure(
      core.replaceNamespacedConfigMap({
        name: 'contended',
        namespace: 'default',
        body: { ...created, data: { v: '3' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.status.reason).toBe('Conflict');
    expect(stale.status.message).toContain('the object has been modified');
    const exists = await failure(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'contended' } },
      }),
    );
    expect(exists.code).toBe(409);
    expect(exists.status.reason).toBe('AlreadyExists');
  });

  it('answers 422 Invalid with field causes', async () => {
    const bad = await failure(
      core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: 'Not_Valid' } },
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.status.reason).toBe('Invalid');
    expect(bad.status.message).toMatch(
      /^ConfigMap "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid"/,
    );
    expect(bad.status.details).toMatchObject({
      name: 'Not_Valid',
      kind: 'ConfigMap',
      causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid' }],
    });
  });

  it('answers 404 for objects in a namespace that does not exist', async () => {
    const missing = await failure(
      core.createNamespacedConfigMap({
        namespace: 'nowhere',
        body: { metadata: { name: 'x' } },
      }),
    );
    expect(missing.code).toBe(404);
    expect(missing.status.message).toBe('namespaces "nowhere" not found');
  });

  it('filters lists by label and field selectors', async () => {
    const pod = (
      name: string,
      labels: Record<string, string>,
      nodeName?: string,
    ) => ({
      metadata: { name, labels },
      spec: {
        ...(nodeName ? { nodeName } : {}),
        containers: [{ name: 'c', image: 'nginx:1.27' }],
      },
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('sel-a', { app: 'web', tier: 'front' }, 'node-1'),
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('sel-b', { app: 'web', tier: 'back' }),
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('sel-c', { app: 'db' }, 'node-1'),
    });
    const names = (list: { items: { metadata?: { name?: string } }[] }) =>
      list.items.map(i => i.metadata?.name);

    expect(
      names(
        await core.listNamespacedPod({
          namespace: 'default',
          labelSelector: 'app=web',
        }),
      ),
    ).toEqual(['sel-a', 'sel-b']);
    expect(
      names(
        await core.listNamespacedPod({
          namespace: 'default',
          labelSelector: 'app in (web,db),tier!=back',
        }),
      ),
    ).toEqual(['sel-a', 'sel-c']);
    expect(
      names(
        await core.listNamespacedPod({
          namespace: 'default',
          labelSelector: '!tier',
        }),
      ),
    ).toEqual(['sel-c']);
    expect(
      names(
        await core.listPodForAllNamespaces({
          fieldSelector: 'spec.nodeName=node-1',
        }),
      ),
    ).toEqual(['sel-a', 'sel-c']);
    expect(
      names(
        await core.listNamespacedPod({
          namespace: 'default',
          fieldSelector: 'metadata.name=sel-b,status.phase=Pending',
        }),
      ),
    ).toEqual(['sel-b']);

    const bad = await failure(
      core.listNamespacedPod({
        namespace: 'default',
        labelSelector: 'app in web',
      }),
    );
    expect(bad.code).toBe(400);
    expect(bad.status.reason).toBe('BadRequest');
  });

  it('pages lists with limit and continue', async () => {
    for (const name of ['page-1', 'page-2', 'page-3']) {
      await core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name }, stringData: { k: name } },
      });
    }
    const first = await core.listNamespacedSecret({
      namespace: 'default',
      limit: 2,
    });
    expect(first.items.map(i => i.metadata?.name)).toEqual([
      'page-1',
      'page-2',
    ]);
    expect(first.metadata?.remainingItemCount).toBe(1);
    const second = await core.listNamespacedSecret({
      namespace: 'default',
      limit: 2,
      _continue: first.metadata!._continue,
    });
    expect(second.items.map(i => i.metadata?.name)).toEqual(['page-3']);
    expect(second.metadata?._continue).toBeUndefined();
    expect(second.items[0].data).toEqual({
      k: Buffer.from('page-3').toString('base64'),
    });
    expect(second.items[0].type).toBe('Opaque');
  });

  it('deletes collections by label selector', async () => {
    for (const [name, tier] of [
      ['bulk-a', 'cache'],
      ['bulk-b', 'cache'],
      ['bulk-c', 'keep'],
    ]) {
      await core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name, labels: { bulk: 'yes', tier } } },
      });
    }
    // The body is the list of deleted objects (client-node types it as V1Status, like the OpenAPI spec).
    const deleted = await core.deleteCollectionNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'bulk=yes,tier=cache',
    });
    expect(deleted.kind).toBe('ConfigMapList');
    const left = await core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'bulk=yes',
    });
    expect(left.items.map(i => i.metadata?.name)).toEqual(['bulk-c']);
  });

  it('applies merge, JSON and strategic merge patches', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'patched', labels: { a: '1' } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'nginx:1.27',
              env: [{ name: 'A', value: '1' }],
            },
            { name: 'side', image: 'busybox:1' },
          ],
        },
      },
    });
    const merged = await core.patchNamespacedPod(
      {
        name: 'patched',
        namespace: 'default',
        body: { metadata: { labels: { a: null, b: '2' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.metadata?.labels).toEqual({ b: '2' });

    const jsonPatched = await core.patchNamespacedPod(
      {
        name: 'patched',
        namespace: 'default',
        body: [
          { op: 'add', path: '/metadata/annotations', value: { note: 'x' } },
        ],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.metadata?.annotations).toEqual({ note: 'x' });

    const failedTest = await failure(
      core.patchNamespacedPod(
        {
          name: 'patched',
          namespace: 'default',
          body: [{ op: 'test', path: '/metadata/name', value: 'other' }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      ),
    );
    expect(failedTest.code).toBe(422);

    const strategic = await core.patchNamespacedPod(
      {
        name: 'patched',
        namespace: 'default',
        body: {
          spec: {
            containers: [{ name: 'main', env: [{ name: 'B', value: '2' }] }],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.containers.map(c => c.name)).toEqual([
      'main',
      'side',
    ]);
    expect(strategic.spec?.containers[0].env?.map(e => e.name)).toEqual([
      'A',
      'B',
    ]);
  });

  it('supports dryRun=All and generateName', async () => {
    const dry = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'dry' } },
      dryRun: 'All',
    });
    expect(dry.metadata?.name).toBe('dry');
    expect(
      (
        await failure(
          core.readNamespacedConfigMap({ name: 'dry', namespace: 'default' }),
        )
      ).code,
    ).toBe(404);

    const generated = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { generateName: 'gen-' } },
    });
    expect(generated.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('returns the deleted object for Pods and allocates Service cluster IPs', async () => {
    const svc = await core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'inference' },
        spec: {
          selector: { app: 'x' },
          ports: [{ port: 80, targetPort: 5000 }],
        },
      },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(svc.spec?.type).toBe('ClusterIP');
    expect(svc.spec?.ports?.[0].protocol).toBe('TCP');

    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'doomed' },
        spec: { containers: [{ name: 'c', image: 'x:1' }] },
      },
    });
    const deleted = await core.deleteNamespacedPod({
      name: 'doomed',
      namespace: 'default',
    });
    expect(deleted.kind).toBe('Pod');
    expect(deleted.metadata?.name).toBe('doomed');
  });
});

describe('custom resources through CustomObjectsApi', () => {
  it('does CRUD on Workspaces and serves v1alpha1 by rewriting apiVersion', async () => {
    const created = (await custom.createNamespacedCustomObject({
      ...wsParams,
      body: workspace('ws-crud', { team: 'ml' }),
    })) as KubeObject;
    expect(created.metadata.generation).toBe(1);

    const asAlpha = (await custom.getNamespacedCustomObject({
      ...wsParams,
      version: 'v1alpha1',
      name: 'ws-crud',
    })) as KubeObject;
    expect(asAlpha.apiVersion).toBe('kaito.sh/v1alpha1');
    expect(asAlpha.metadata.uid).toBe(created.metadata.uid);

    const list = (await custom.listNamespacedCustomObject({
      ...wsParams,
      labelSelector: 'team=ml',
    })) as any;
    expect(list.kind).toBe('WorkspaceList');
    expect(
      list.items.map((i: KubeObject) => [i.apiVersion, i.metadata.name]),
    ).toEqual([['kaito.sh/v1beta1', 'ws-crud']]);

    const patched = (await custom.patchNamespacedCustomObject(
      {
        ...wsParams,
        name: 'ws-crud',
        body: { inference: { preset: { name: 'phi-4-mini-instruct' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubeObject;
    expect(patched.metadata.generation).toBe(2);

    const statusUpdate = (await custom.patchNamespacedCustomObjectStatus(
      {
        ...wsParams,
        name: 'ws-crud',
        body: {
          status: {
            state: 'Pending',
            conditions: [
              {
                type: 'ResourceReady',
                status: 'False',
                reason: 'x',
                message: '',
                lastTransitionTime: '2025-01-01T00:00:00Z',
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubeObject;
    expect((statusUpdate.status as any).state).toBe('Pending');
    expect(statusUpdate.metadata.generation).toBe(2);

    const strategic = await failure(
      custom.patchNamespacedCustomObject(
        { ...wsParams, name: 'ws-crud', body: { inference: {} } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(strategic.code).toBe(415);
    expect(strategic.status.reason).toBe('UnsupportedMediaType');

    const { resourceVersion, ...noVersion } = statusUpdate.metadata;
    const unconditional = await failure(
      custom.replaceNamespacedCustomObject({
        ...wsParams,
        name: 'ws-crud',
        body: { ...statusUpdate, metadata: noVersion },
      }),
    );
    expect(unconditional.code).toBe(422);
    expect(unconditional.status.message).toContain(
      'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );

    const deleted = (await custom.deleteNamespacedCustomObject({
      ...wsParams,
      name: 'ws-crud',
    })) as any;
    expect(deleted).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: {
        name: 'ws-crud',
        group: 'kaito.sh',
        kind: 'workspaces',
        uid: created.metadata.uid,
      },
    });
  });

  it('keeps an object with finalizers until they are removed', async () => {
    await custom.createNamespacedCustomObject({
      ...wsParams,
      body: {
        ...workspace('ws-final'),
        metadata: {
          name: 'ws-final',
          finalizers: ['workspace.finalizer.kaito.sh'],
        },
      },
    });
    const deleting = (await custom.deleteNamespacedCustomObject({
      ...wsParams,
      name: 'ws-final',
    })) as KubeObject;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    const still = (await custom.getNamespacedCustomObject({
      ...wsParams,
      name: 'ws-final',
    })) as KubeObject;
    expect(still.metadata.finalizers).toEqual(['workspace.finalizer.kaito.sh']);

    await custom.patchNamespacedCustomObject(
      {
        ...wsParams,
        name: 'ws-final',
        body: [{ op: 'remove', path: '/metadata/finalizers' }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(
      (
        await failure(
          custom.getNamespacedCustomObject({ ...wsParams, name: 'ws-final' }),
        )
      ).code,
    ).toBe(404);
  });

  it('garbage-collects dependents of a deleted owner', async () => {
    const owner = (await custom.createNamespacedCustomObject({
      ...wsParams,
      body: workspace('ws-owner'),
    })) as KubeObject;
    const ownerReferences = [
      {
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        name: 'ws-owner',
        uid: owner.metadata.uid!,
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    await core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'ws-owner', ownerReferences },
        spec: { ports: [{ port: 80 }] },
      },
    });
    await batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: { name: 'ws-owner', ownerReferences },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'tune', image: 'x:1' }],
            },
          },
        },
      },
    });
    await custom.deleteNamespacedCustomObject({
      ...wsParams,
      name: 'ws-owner',
      propagationPolicy: 'Background',
    });
    const collected = await eventually(async () => {
      const services = await core.listNamespacedService({
        namespace: 'default',
        fieldSelector: 'metadata.name=ws-owner',
      });
      const jobs = await batch.listNamespacedJob({
        namespace: 'default',
        fieldSelector: 'metadata.name=ws-owner',
      });
      return services.items.length === 0 && jobs.items.length === 0;
    });
    expect(collected).toBe(true);
  });

  it('creates objects through KubernetesObjectApi (discovery-driven)', async () => {
    const client = KubernetesObjectApi.makeApiClient(kc);
    const created = await client.create(workspace('ws-generic') as any);
    expect(created.metadata?.uid).toBeDefined();
    const read = await client.read({
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: { name: 'ws-generic', namespace: 'default' },
    });
    expect((read as any).resource.instanceType).toBe(
      'Standard_NC24ads_A100_v4',
    );
    const list = await client.list('v1', 'Namespace');
    expect(list.items.map(n => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kaito-workspace', 'kube-system']),
    );
  });
});

describe('batch/v1 through BatchV1Api', () => {
  it('creates Jobs with server defaults and updates their status', async () => {
    const job = await batch.createNamespacedJob({
      namespace: 'default',
      body: {
        metadata: {
          name: 'tuning',
          labels: { 'kaito.sh/workspace': 'tuning' },
        },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'tune', image: 'x:1' }],
            },
          },
        },
      },
    });
    expect(job.spec?.backoffLimit).toBe(6);
    expect(job.spec?.completions).toBe(1);
    expect(job.spec?.template.metadata?.labels?.['job-name']).toBe('tuning');

    const withStatus = await batch.replaceNamespacedJobStatus({
      name: 'tuning',
      namespace: 'default',
      body: { ...job, status: { active: 1, startTime: new Date() } },
    });
    expect(withStatus.status?.active).toBe(1);
    const read = await batch.readNamespacedJobStatus({
      name: 'tuning',
      namespace: 'default',
    });
    expect(read.status?.active).toBe(1);

    const invalid = await failure(
      batch.createNamespacedJob({
        namespace: 'default',
        body: {
          metadata: { name: 'bad-job' },
          spec: {
            template: { spec: { containers: [{ name: 'c', image: 'x' }] } },
          },
        },
      }),
    );
    expect(invalid.code).toBe(422);
    expect(invalid.status.message).toContain(
      'spec.template.spec.restartPolicy',
    );
  });
});

describe('server-side tables', () => {
  const TABLE =
    'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

  it('prints Workspaces with the KAITO printer columns for each version', async () => {
    await custom.createNamespacedCustomObject({
      ...wsParams,
      body: workspace('ws-table'),
    });
    await custom.patchNamespacedCustomObjectStatus(
      {
        ...wsParams,
        name: 'ws-table',
        body: {
          status: {
            state: 'Ready',
            targetNodeCount: 1,
            conditions: [
              {
                type: 'ResourceReady',
                status: 'True',
                reason: 'r',
                message: '',
                lastTransitionTime: '2025-01-01T00:00:00Z',
              },
              {
                type: 'InferenceReady',
                status: 'False',
                reason: 'r',
                message: '',
                lastTransitionTime: '2025-01-01T00:00:00Z',
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const res = await raw(
      'GET',
      '/apis/kaito.sh/v1beta1/namespaces/default/workspaces?fieldSelector=metadata.name%3Dws-table',
      { headers: { Accept: TABLE } },
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/json;as=Table;v=v1;g=meta.k8s.io',
    );
    expect(res.json.kind).toBe('Table');
    expect(res.json.apiVersion).toBe('meta.k8s.io/v1');
    expect(res.json.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Instance',
      'ResourceReady',
      'InferenceReady',
      'JobStarted',
      'WorkspaceSucceeded',
      'TargetNodeCount',
      'State',
      'Age',
    ]);
    expect(res.json.columnDefinitions[6].type).toBe('integer');
    const [row] = res.json.rows;
    expect(row.cells.slice(0, 8)).toEqual([
      'ws-table',
      'Standard_NC24ads_A100_v4',
      'True',
      'False',
      null,
      null,
      1,
      'Ready',
    ]);
    expect(row.cells[8]).toMatch(/^\d+s$/);
    expect(row.object).toMatchObject({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { name: 'ws-table', namespace: 'default' },
    });

    const alpha = await raw(
      'GET',
      '/apis/kaito.sh/v1alpha1/namespaces/default/workspaces/ws-table?includeObject=Object',
      { headers: { Accept: TABLE } },
    );
    expect(alpha.json.columnDefinitions.map((c: any) => c.name)).toEqual([
      'Name',
      'Instance',
      'ResourceReady',
      'InferenceReady',
      'JobStarted',
      'WorkspaceSucceeded',
      'Age',
    ]);
    expect(alpha.json.rows[0].object.apiVersion).toBe('kaito.sh/v1alpha1');

    const none = await raw(
      'GET',
      '/apis/kaito.sh/v1beta1/namespaces/default/workspaces?includeObject=None',
      { headers: { Accept: TABLE } },
    );
    expect(none.json.rows.every((r: any) => r.object === undefined)).toBe(true);
  });

  it('prints Pods like kubectl (READY, STATUS, RESTARTS; wide columns at priority 1)', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'table-pod' },
        spec: { containers: [{ name: 'c', image: 'x:1' }] },
      },
    });
    await core.replaceNamespacedPodStatus({
      name: 'table-pod',
      namespace: 'default',
      body: {
        metadata: { name: 'table-pod', namespace: 'default' },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'c',
              image: 'x:1',
              imageID: '',
              ready: true,
              restartCount: 2,
              state: { running: {} },
            },
          ],
        },
      },
    });
    const res = await raw('GET', '/api/v1/namespaces/default/pods/table-pod', {
      headers: { Accept: TABLE },
    });
    const columns = res.json.columnDefinitions.map((c: any) => [
      c.name,
      c.priority,
    ]);
    expect(columns.slice(0, 4)).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
    ]);
    expect(columns.find((c: any) => c[0] === 'Node')).toEqual(['Node', 1]);
    expect(res.json.rows[0].cells.slice(0, 4)).toEqual([
      'table-pod',
      '1/1',
      'Running',
      '2',
    ]);
  });
});

describe('discovery', () => {
  it('serves aggregated discovery when asked, legacy lists otherwise', async () => {
    const aggregated = await raw('GET', '/apis', {
      headers: {
        Accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      },
    });
    expect(aggregated.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const kaito = aggregated.json.items.find(
      (g: any) => g.metadata.name === 'kaito.sh',
    );
    expect(kaito.versions.map((v: any) => v.version)).toEqual([
      'v1beta1',
      'v1alpha1',
    ]);
    expect(kaito.versions[0].resources[0]).toMatchObject({
      resource: 'workspaces',
      scope: 'Namespaced',
      singularResource: 'workspace',
      shortNames: ['wk', 'wks'],
      categories: ['workspace'],
      subresources: [
        { subresource: 'status', verbs: ['get', 'patch', 'update'] },
      ],
    });

    const legacy = await raw('GET', '/apis');
    expect(legacy.json.kind).toBe('APIGroupList');
    expect(
      legacy.json.groups.find((g: any) => g.name === 'kaito.sh')
        .preferredVersion.version,
    ).toBe('v1beta1');

    const coreV1 = await raw('GET', '/api/v1');
    const names = coreV1.json.resources.map((r: any) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'pods',
        'pods/log',
        'pods/status',
        'services/proxy',
        'namespaces',
      ]),
    );
    expect(
      coreV1.json.resources.find((r: any) => r.name === 'services/proxy').kind,
    ).toBe('ServiceProxyOptions');
  });

  it('answers unknown resources and methods with Status errors', async () => {
    const unknown = await raw(
      'GET',
      '/apis/kaito.sh/v1beta1/namespaces/default/ragengines',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.reason).toBe('NotFound');
    const method = await raw(
      'POST',
      '/api/v1/namespaces/default/configmaps/x',
      { body: {} },
    );
    expect(method.status).toBe(405);
    expect(method.json.reason).toBe('MethodNotAllowed');
    const mismatch = await raw(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      {
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', namespace: 'other' },
        },
      },
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });
});

describe('delegated subresources', () => {
  it('hands pods/log and services/proxy to registered handlers', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'logger' },
        spec: { containers: [{ name: 'c', image: 'x:1' }] },
      },
    });
    await core.createNamespacedService({
      namespace: 'default',
      body: {
        metadata: { name: 'phi' },
        spec: { ports: [{ name: 'http', port: 80 }] },
      },
    });

    const noHandler = await raw(
      'GET',
      '/api/v1/namespaces/default/pods/logger/log',
    );
    expect(noHandler.status).toBe(404);
    expect(noHandler.json.kind).toBe('Status');

    cluster.store.setSubresourceHandler(
      { group: '', plural: 'pods' },
      'log',
      ({ object, query, res }) => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(
          `log of ${object.metadata.name} container=${
            query.get('container') ?? ''
          }\n`,
        );
      },
    );
    const seen: string[] = [];
    cluster.store.setSubresourceHandler(
      { group: '', plural: 'services' },
      'proxy',
      ({ object, path, port, req, res }) => {
        seen.push(
          `${req.method} ${object.metadata.name} ${port ?? '-'} ${path}`,
        );
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"object":"list","data":[]}');
      },
    );

    const log = await core.readNamespacedPodLog({
      name: 'logger',
      namespace: 'default',
      container: 'c',
    });
    expect(log).toBe('log of logger container=c\n');

    expect(
      (
        await raw(
          'GET',
          '/api/v1/namespaces/default/services/phi/proxy/v1/models',
        )
      ).json,
    ).toEqual({ object: 'list', data: [] });
    await raw(
      'POST',
      '/api/v1/namespaces/default/services/phi:http/proxy/v1/chat/completions',
      { body: { model: 'phi-4' } },
    );
    expect(seen).toEqual([
      'GET phi - /v1/models',
      'POST phi http /v1/chat/completions',
    ]);

    const missing = await raw(
      'GET',
      '/api/v1/namespaces/default/services/nope/proxy/',
    );
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe('services "nope" not found');
  });
});

describe('faults', () => {
  it('adds faults.latencyMs.kube to every request', async () => {
    cluster.faults.patch({ latencyMs: { kube: 150 } });
    try {
      const started = Date.now();
      await core.listNamespace();
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      cluster.faults.patch({ latencyMs: { kube: 0 } });
    }
  });
});
