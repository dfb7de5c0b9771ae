import { Log, Watch } from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import {
  condition,
  eventually,
  startTestSimulator,
  tuningWorkspace,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(60_000);

/**
 * A NAP tuning run end to end, observed only through the real clients:
 * conditions and state through the lifecycle, the NodeClaim and the agent
 * pool gpu-provisioner makes from it, the node that joins, the Job and its
 * pod, Trainer-style logs (tail and follow) and the events on the workspace.
 */
describe('tuning workspace with node auto-provisioning', () => {
  let sim: TestSimulator;
  const seen: string[] = [];
  let stopWatch: (() => void) | undefined;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 600 });
    await sim.createNamespace('ml');
    await sim.core.createNamespacedSecret({
      namespace: 'ml',
      body: {
        metadata: { name: 'push-secret' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': 'e30=' },
      },
    });
    const watch = new Watch(sim.kc);
    const req = await watch.watch(
      '/apis/kaito.sh/v1beta1/namespaces/ml/workspaces',
      {},
      (_type, obj: any) => {
        const summary = [
          'NodeClaimReady',
          'ResourceReady',
          'JobStarted',
          'WorkspaceSucceeded',
        ]
          .map(
            t =>
              `${t}=${condition(obj, t)?.status ?? '-'}/${
                condition(obj, t)?.reason ?? '-'
              }`,
          )
          .join(' ');
        const entry = `${obj.status?.state ?? '-'} ${summary}`;
        if (seen[seen.length - 1] !== entry) seen.push(entry);
      },
      () => undefined,
    );
    stopWatch = () => req.abort();
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: tuningWorkspace('tune-phi3'),
    });
  });

  afterAll(async () => {
    stopWatch?.();
    await sim?.close();
  });

  it('goes Pending -> Running -> Succeeded with KAITO v0.12 conditions', async () => {
    const ws = await sim.waitForWorkspace(
      'ml',
      'tune-phi3',
      w => w.status?.state === 'Succeeded',
      45_000,
    );
    expect(ws.metadata.finalizers).toContain('workspace.finalizer.kaito.sh');
    expect(ws.status.targetNodeCount).toBe(1);
    expect(ws.status.workerNodes).toHaveLength(1);
    expect(ws.status.workerNodes[0]).toMatch(
      /^aks-ws[0-9a-f]{9}-\d{8}-vmss000000$/,
    );
    expect(condition(ws, 'NodeClaimReady')).toMatchObject({
      status: 'True',
      reason: 'NodeClaimsReady',
    });
    expect(condition(ws, 'NodesReady')).toMatchObject({
      status: 'True',
      reason: 'NodesReady',
    });
    expect(condition(ws, 'ResourceReady')).toMatchObject({
      status: 'True',
      reason: 'workspaceResourceStatusSuccess',
    });
    expect(condition(ws, 'JobStarted')).toMatchObject({
      status: 'True',
      reason: 'WorkspaceTuningJobStatusStarted',
    });
    expect(condition(ws, 'WorkspaceSucceeded')).toMatchObject({
      status: 'True',
      reason: 'workspaceSucceeded',
    });
    expect(condition(ws, 'InferenceReady')).toBeUndefined();
    expect(ws.metadata.annotations['simulator.kaito.sh/tuning-output']).toMatch(
      /^myregistry\.azurecr\.io\/adapters\/tune-phi3:0\.0\.1@sha256:[0-9a-f]{64}$/,
    );

    const states = seen.map(s => s.split(' ')[0]);
    expect(states).toContain('Pending');
    expect(states).toContain('Running');
    expect(states[states.length - 1]).toBe('Succeeded');
    expect(
      seen.some(s => s.includes('NodeClaimReady=False/AwaitingReconciliation')),
    ).toBe(true);
    expect(
      seen.some(s =>
        s.includes('JobStarted=False/WorkspaceTuningJobStatusPending'),
      ),
    ).toBe(true);
  });

  it('provisions the node through a NodeClaim and an ARM agent pool named after it', async () => {
    const claims: any = await sim.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: 'kaito.sh/workspace=tune-phi3',
    });
    expect(claims.items).toHaveLength(1);
    const claim = claims.items[0];
    expect(claim.metadata.name).toMatch(/^ws[0-9a-f]{9}$/);
    expect(claim.metadata.labels).toMatchObject({
      'karpenter.sh/nodepool': 'kaito',
      'kaito.sh/workspace': 'tune-phi3',
      'kaito.sh/workspacenamespace': 'ml',
      apps: 'tune-phi3',
    });
    expect(claim.spec.taints).toEqual([
      { key: 'sku', value: 'gpu', effect: 'NoSchedule' },
    ]);
    expect(
      ['Launched', 'Registered', 'Initialized', 'Ready'].map(
        t => condition(claim, t)?.status,
      ),
    ).toEqual(['True', 'True', 'True', 'True']);

    const pool = await sim.aks.agentPools.get(
      sim.resourceGroup,
      sim.clusterName,
      claim.metadata.name,
    );
    expect(pool.vmSize).toBe('Standard_NC24ads_A100_v4');
    expect(pool.count).toBe(1);
    expect(pool.nodeTaints).toEqual(['sku=gpu:NoSchedule']);
    expect(pool.nodeLabels).toMatchObject({
      apps: 'tune-phi3',
      'kaito.sh/workspace': 'tune-phi3',
    });
    expect(pool.provisioningState).toBe('Succeeded');

    const node = (await sim.core.readNode({
      name: claim.status.nodeName,
    })) as any;
    expect(node.metadata.labels).toMatchObject({
      agentpool: claim.metadata.name,
      'kubernetes.azure.com/agentpool': claim.metadata.name,
      'node.kubernetes.io/instance-type': 'Standard_NC24ads_A100_v4',
      'kubernetes.io/os': 'linux',
      apps: 'tune-phi3',
      'nvidia.com/gpu.product': 'NVIDIA-A100-80GB-PCIe',
      'nvidia.com/gpu.count': '1',
      'nvidia.com/gpu.memory': '81920',
    });
    expect(node.status.capacity['nvidia.com/gpu']).toBe('1');
    expect(node.spec.taints).toEqual([
      { key: 'sku', value: 'gpu', effect: 'NoSchedule' },
    ]);
  });

  it('runs a Job named after the workspace with the containers of KAITO tuning', async () => {
    const job = await sim.batch.readNamespacedJob({
      namespace: 'ml',
      name: 'tune-phi3',
    });
    expect(job.metadata?.labels?.['kaito.sh/workspace']).toBe('tune-phi3');
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Workspace',
      name: 'tune-phi3',
      controller: true,
    });
    expect(job.status?.succeeded).toBe(1);
    const pods = await sim.core.listNamespacedPod({
      namespace: 'ml',
      labelSelector: 'kaito.sh/workspace=tune-phi3',
    });
    expect(pods.items).toHaveLength(1);
    const pod = pods.items[0];
    expect(pod.metadata?.name).toMatch(
      /^tune-phi3-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    );
    expect(pod.status?.phase).toBe('Succeeded');
    expect(pod.spec?.initContainers?.map(c => c.name)).toEqual([
      'model-weights-downloader',
      'data-downloader',
    ]);
    expect(pod.spec?.containers.map(c => c.name)).toEqual([
      'tune-phi3',
      'pusher',
      'pause',
    ]);
    expect(pod.spec?.containers[0].resources?.limits?.['nvidia.com/gpu']).toBe(
      '1',
    );
    expect(pod.spec?.tolerations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'sku', value: 'gpu' }),
      ]),
    );
  });

  it('logs like a Hugging Face Trainer run, with tailLines', async () => {
    const pods = await sim.core.listNamespacedPod({
      namespace: 'ml',
      labelSelector: 'kaito.sh/workspace=tune-phi3',
    });
    const name = pods.items[0].metadata!.name!;
    const log = await sim.core.readNamespacedPodLog({
      namespace: 'ml',
      name,
      container: 'tune-phi3',
    });
    const lines = log.trim().split('\n');
    const dicts = lines.filter(l => l.startsWith("{'loss'"));
    expect(dicts.length).toBeGreaterThanOrEqual(9);
    const losses = dicts.map(l => Number(/'loss': ([\d.]+)/.exec(l)![1]));
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(dicts[0]).toMatch(
      /^\{'loss': [\d.]+, 'grad_norm': [\d.]+, 'learning_rate': [\d.e-]+, 'epoch': [\d.]+\}$/,
    );
    expect(lines.some(l => /^\s*\d+%\|.*\| 12\/\d+ \[/.test(l))).toBe(true);
    expect(
      lines.some(
        l => l.startsWith("{'train_runtime': ") && l.includes("'train_loss': "),
      ),
    ).toBe(true);

    const tail = await sim.core.readNamespacedPodLog({
      namespace: 'ml',
      name,
      container: 'tune-phi3',
      tailLines: 3,
    });
    expect(tail.trim().split('\n')).toEqual(lines.slice(-3));

    const pusher = await sim.core.readNamespacedPodLog({
      namespace: 'ml',
      name,
      container: 'pusher',
    });
    expect(pusher).toContain(
      'Pushed [registry] myregistry.azurecr.io/adapters/tune-phi3:0.0.1',
    );
    const ws = await sim.workspace('ml', 'tune-phi3');
    expect(pusher).toContain(
      `Digest: ${
        ws.metadata.annotations['simulator.kaito.sh/tuning-output'].split(
          '@',
        )[1]
      }`,
    );

    const noContainer = await sim.kubeRequest(
      'GET',
      `/api/v1/namespaces/ml/pods/${name}/log`,
    );
    expect(noContainer.status).toBe(400);
    expect(JSON.parse(noContainer.body).message).toBe(
      `a container name must be specified for pod ${name}, choose one of: [tune-phi3 pusher pause] or one of the init containers: [model-weights-downloader data-downloader]`,
    );
  });

  it('records events on the workspace and its objects', async () => {
    const events = await sim.core.listNamespacedEvent({ namespace: 'ml' });
    const on = (kind: string, reason: string) =>
      events.items.filter(
        e => e.involvedObject.kind === kind && e.reason === reason,
      );
    expect(on('Workspace', 'NodeClaimCreated')[0]?.message).toMatch(
      /^Successfully created NodeClaim ws[0-9a-f]{9} for workspace ml\/tune-phi3$/,
    );
    expect(on('Job', 'SuccessfulCreate')).toHaveLength(1);
    expect(on('Job', 'Completed')).toHaveLength(1);
    expect(on('Pod', 'Scheduled')[0]?.message).toMatch(
      /^Successfully assigned ml\/tune-phi3-\w{5} to aks-ws/,
    );
    expect(on('Pod', 'Pulled').length).toBeGreaterThan(0);
  });
});

describe('following the logs of a running tuning pod', () => {
  let sim: TestSimulator;
  afterAll(() => sim?.close());

  it('streams new lines as the run advances and ends when the container exits', async () => {
    sim = await startTestSimulator({ timeScale: 300 });
    await sim.createNamespace('ml');
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: tuningWorkspace('follow-me', {
        tuning: {
          ...tuningWorkspace('x').tuning,
          output: { volumeSource: { emptyDir: {} } },
        },
      }),
    });
    const name = await eventually(
      async () => {
        const pods = await sim.core.listNamespacedPod({
          namespace: 'ml',
          labelSelector: 'kaito.sh/workspace=follow-me',
        });
        const pod = pods.items[0];
        return pod?.status?.containerStatuses?.[0]?.state?.running
          ? pod.metadata!.name!
          : undefined;
      },
      40_000,
      'the trainer to start',
    );

    const stream = new PassThrough();
    let text = '';
    const chunks: number[] = [];
    stream.on('data', chunk => {
      text += chunk.toString();
      chunks.push(Date.now());
    });
    const done = new Promise<void>(resolve =>
      stream.on('end', () => resolve()),
    );
    await new Log(sim.kc).log('ml', name, 'follow-me', stream, {
      follow: true,
      timestamps: true,
    });
    await done;
    const lines = text.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(
      /^\S+Z Adapter saved to \/mnt\/results$/,
    );
    expect(lines.every(l => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(l))).toBe(true);
    // Lines arrived over time, not in one burst.
    expect(chunks[chunks.length - 1] - chunks[0]).toBeGreaterThan(500);
    const ws = await sim.workspace('ml', 'follow-me');
    expect(ws.status.state).toMatch(/Running|Succeeded/);
  });
});
