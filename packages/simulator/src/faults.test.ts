import { makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import {
  condition,
  eventually,
  inferenceWorkspace,
  startTestSimulator,
  tuningWorkspace,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(90_000);

const POLL = { updateIntervalInMs: 5 };

/**
 * Every fault, seen as a client sees it: set through the admin endpoint,
 * observed through the Kubernetes API, the ARM SDK and the pods.
 */
describe('faults', () => {
  let sim: TestSimulator;

  const setFaults = async (patch: object) => {
    const res = await fetch(`${sim.adminUrl}/_sim/faults`, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${sim.token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(patch),
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 1000 });
    await sim.createNamespace('ml');
    await sim.core.createNamespacedSecret({
      namespace: 'ml',
      body: {
        metadata: { name: 'push-secret' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': 'e30=' },
      },
    });
  });

  afterAll(() => sim?.close());

  afterEach(async () => {
    await fetch(`${sim.adminUrl}/_sim/faults/reset`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sim.token}` },
    });
  });

  it('quota: the NodeClaim reason and message surface in NodeClaimReady and ResourceReady', async () => {
    await setFaults({ quotaExhaustedFamilies: ['standardNCADSA100v4Family'] });
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('no-quota'),
    });
    const ws = await sim.waitForWorkspace(
      'ml',
      'no-quota',
      w => condition(w, 'NodeClaimReady')?.reason === 'QuotaExceeded',
    );
    const nodeClaimReady = condition(ws, 'NodeClaimReady');
    expect(nodeClaimReady.status).toBe('False');
    expect(nodeClaimReady.message).toMatch(
      /exceeding approved standardNCADSA100v4Family Cores quota/i,
    );
    expect(condition(ws, 'ResourceReady')).toMatchObject({
      status: 'False',
      reason: 'QuotaExceeded',
      message: nodeClaimReady.message,
    });
    expect(ws.status.state).toBe('Pending');
    const claims: any = await sim.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: 'kaito.sh/workspace=no-quota',
    });
    expect(condition(claims.items[0], 'Launched')).toMatchObject({
      status: 'False',
      reason: 'QuotaExceeded',
    });
    const pool = await sim.aks.agentPools.get(
      sim.resourceGroup,
      sim.clusterName,
      claims.items[0].metadata.name,
    );
    expect(pool.provisioningState).toBe('Failed');
  });

  it('throttling: the ARM SDK retries a 429 with Retry-After, and surfaces it when it persists', async () => {
    await setFaults({ armThrottling: { count: 1, retryAfterSeconds: 1 } });
    const started = Date.now();
    const pool = await sim.aks.agentPools.get(
      sim.resourceGroup,
      sim.clusterName,
      'nodepool1',
    );
    expect(pool.name).toBe('nodepool1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    await setFaults({ armThrottling: { count: 10, retryAfterSeconds: 0 } });
    const error = await sim.aks.agentPools
      .get(sim.resourceGroup, sim.clusterName, 'nodepool1')
      .catch(e => e);
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('TooManyRequests');
  });

  it('conflict: a 409 OperationNotAllowed reaches the ARM SDK; gpu-provisioner waits and retries', async () => {
    await setFaults({ armConflict: { count: 1 } });
    const error = await sim.aks.agentPools
      .beginCreateOrUpdateAndWait(
        sim.resourceGroup,
        sim.clusterName,
        'conflicted',
        { vmSize: 'Standard_D4s_v5', count: 1, mode: 'User' },
        POLL,
      )
      .catch(e => e);
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe('OperationNotAllowed');
    expect(error.message).toContain('in progress create node pool operation');

    await setFaults({ armConflict: { count: 2 } });
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('after-conflict'),
    });
    const ws = await sim.waitForWorkspace(
      'ml',
      'after-conflict',
      w => w.status?.state === 'Ready',
      30_000,
    );
    expect(condition(ws, 'NodeClaimReady')?.status).toBe('True');
  });

  it('image pull failure: inference reports ImagePullError, and recovers once the image pulls', async () => {
    await setFaults({ imagePullFailure: ['pull-fail'] });
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('pull-fail'),
    });
    const ws = await sim.waitForWorkspace(
      'ml',
      'pull-fail',
      w => condition(w, 'InferenceReady')?.reason === 'ImagePullError',
      30_000,
    );
    expect(condition(ws, 'InferenceReady').message).toMatch(
      /^pod pull-fail-0 container pull-fail: (ErrImagePull|ImagePullBackOff): /,
    );
    expect(condition(ws, 'WorkspaceSucceeded')).toMatchObject({
      status: 'False',
      reason: 'workspacePending',
    });
    const pod = await sim.core.readNamespacedPod({
      namespace: 'ml',
      name: 'pull-fail-0',
    });
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(
      pod.status?.containerStatuses?.[0].state?.waiting?.reason,
    );
    const events = await sim.core.listNamespacedEvent({
      namespace: 'ml',
      fieldSelector: 'involvedObject.name=pull-fail-0',
    });
    expect(
      events.items.some(
        e =>
          e.reason === 'Failed' &&
          e.message?.startsWith(
            'Failed to pull image "mcr.microsoft.com/aks/kaito/kaito-base',
          ),
      ),
    ).toBe(true);

    await setFaults({ imagePullFailure: [] });
    await sim.waitForWorkspace(
      'ml',
      'pull-fail',
      w => w.status?.state === 'Ready',
      30_000,
    );
  });

  it('image pull failure: a tuning job stays pending, with the kubelet events on its pod', async () => {
    await setFaults({ imagePullFailure: ['pull-tune'] });
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: tuningWorkspace('pull-tune'),
    });
    const podName = await eventually(
      async () => {
        const pods = await sim.core.listNamespacedPod({
          namespace: 'ml',
          labelSelector: 'kaito.sh/workspace=pull-tune',
        });
        const pod = pods.items[0];
        return pod?.status?.containerStatuses?.[0].state?.waiting?.reason ===
          'ImagePullBackOff'
          ? pod.metadata!.name
          : undefined;
      },
      30_000,
      'ImagePullBackOff',
    );
    const ws = await sim.workspace('ml', 'pull-tune');
    expect(condition(ws, 'JobStarted')).toMatchObject({
      status: 'False',
      reason: 'WorkspaceTuningJobStatusPending',
    });
    expect(condition(ws, 'WorkspaceSucceeded')).toMatchObject({
      status: 'False',
      reason: 'workspacePending',
    });
    expect(ws.status.state).toBe('Pending');
    const events = await sim.core.listNamespacedEvent({
      namespace: 'ml',
      fieldSelector: `involvedObject.name=${podName}`,
    });
    expect(events.items.map(e => e.reason)).toEqual(
      expect.arrayContaining(['Failed', 'BackOff']),
    );
  });

  it('OOM: tuning phi-3 on a 24 GiB A10 is OOMKilled with a CUDA error and the workspace fails', async () => {
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: tuningWorkspace('oom-tune', {
        resource: {
          instanceType: 'Standard_NV36ads_A10_v5',
          labelSelector: { matchLabels: { apps: 'oom-tune' } },
        },
      }),
    });
    const ws = await sim.waitForWorkspace(
      'ml',
      'oom-tune',
      w => w.status?.state === 'Failed',
      30_000,
    );
    expect(condition(ws, 'JobStarted')).toMatchObject({
      status: 'False',
      reason: 'WorkspaceTuningJobStatusFailed',
    });
    expect(condition(ws, 'WorkspaceSucceeded')).toMatchObject({
      status: 'False',
      reason: 'workspaceFailed',
    });
    const pods = await sim.core.listNamespacedPod({
      namespace: 'ml',
      labelSelector: 'kaito.sh/workspace=oom-tune',
    });
    const failed = pods.items.find(p => p.status?.phase === 'Failed')!;
    expect(
      failed.status?.containerStatuses?.[0].state?.terminated,
    ).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    const log = await sim.core.readNamespacedPodLog({
      namespace: 'ml',
      name: failed.metadata!.name!,
      container: 'oom-tune',
    });
    expect(log).toContain('torch.OutOfMemoryError: CUDA out of memory.');
  });

  it('OOM: a model larger than the node restarts with ContainerOOMKilled', async () => {
    const body = inferenceWorkspace('oom-serve', {
      metadata: {
        name: 'oom-serve',
        namespace: 'ml',
        annotations: {
          'kaito.sh/runtime': 'transformers',
          'kaito.sh/bypass-resource-checks': 'True',
        },
      },
      resource: {
        instanceType: 'Standard_NV36ads_A10_v5',
        labelSelector: { matchLabels: { apps: 'oom-serve' } },
      },
      inference: { preset: { name: 'qwen2.5-coder-32b-instruct' } },
    });
    // KAITO v0.12 refuses this (no multi-node transformers, not bypassable);
    // such a workspace exists only if an earlier KAITO admitted it.
    const refused = await sim.custom
      .createNamespacedCustomObject({ ...WS, namespace: 'ml', body })
      .catch(e => e);
    expect(JSON.parse(refused.body).message).toContain(
      'Multi-node distributed inference is not supported with Huggingface Transformers runtime',
    );
    await sim.store.restore(body as never);
    const ws = await sim.waitForWorkspace(
      'ml',
      'oom-serve',
      w => condition(w, 'InferenceReady')?.reason === 'ContainerOOMKilled',
      30_000,
    );
    expect(condition(ws, 'InferenceReady').message).toMatch(
      /^pod oom-serve-0 container oom-serve was OOMKilled \(exit code 137\)/,
    );
    const pod = await sim.core.readNamespacedPod({
      namespace: 'ml',
      name: 'oom-serve-0',
    });
    expect(
      pod.status?.containerStatuses?.[0].lastState?.terminated?.reason ??
        pod.status?.containerStatuses?.[0].state?.terminated?.reason,
    ).toBe('OOMKilled');
  });

  it('watch drop: a client-node informer survives the server closing its watch', async () => {
    const informer = makeInformer(
      sim.kc,
      '/apis/kaito.sh/v1beta1/namespaces/ml/workspaces',
      () =>
        sim.custom.listNamespacedCustomObject({
          ...WS,
          namespace: 'ml',
        }) as any,
    );
    const added: string[] = [];
    const errors: unknown[] = [];
    let connects = 0;
    informer.on('add', (obj: KubernetesObject) =>
      added.push(obj.metadata!.name!),
    );
    informer.on('connect', () => connects++);
    informer.on('error', error => {
      errors.push(error);
      setTimeout(() => informer.start(), 50);
    });
    await informer.start();
    await setFaults({ watchDrop: { everyMs: 150 } });
    await new Promise(resolve => setTimeout(resolve, 600));
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('after-drops'),
    });
    await eventually(
      () => added.includes('after-drops') || undefined,
      10_000,
      'the informer to see the new workspace',
    );
    // Each drop made the informer watch again from its last resourceVersion.
    expect(connects).toBeGreaterThanOrEqual(3);
    await informer.stop();
  });

  it('latency: every Kubernetes and ARM request takes at least the added latency', async () => {
    await setFaults({ latencyMs: { kube: 250, arm: 250 } });
    let started = Date.now();
    await sim.core.listNamespace();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    started = Date.now();
    await sim.aks.agentPools.get(
      sim.resourceGroup,
      sim.clusterName,
      'nodepool1',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });
});
