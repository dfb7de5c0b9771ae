import {
  condition,
  eventually,
  inferenceWorkspace,
  startTestSimulator,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(60_000);

const POLL = { updateIntervalInMs: 5 };

/**
 * KAITO with `--node-provisioner=byo`: a GPU pool created through ARM (as
 * the plugin does) whose nodeLabels match the workspace's selector; KAITO
 * creates no NodeClaim and reports only NodesReady and ResourceReady.
 */
describe('bring-your-own nodes from an ARM-created agent pool', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 1000, nodeProvisioner: 'byo' });
    await sim.createNamespace('ml');
  });

  afterAll(() => sim?.close());

  it('rejects a workspace while no Ready node matches its selector', async () => {
    const error = await sim.custom
      .createNamespacedCustomObject({
        ...WS,
        namespace: 'ml',
        body: inferenceWorkspace('byo-chat', {
          resource: { labelSelector: { matchLabels: { apps: 'byo-chat' } } },
        }),
      })
      .catch(e => e);
    expect(error.code).toBe(400);
    expect(JSON.parse(error.body).message).toBe(
      'admission webhook "validation.workspace.kaito.sh" denied the request: validation failed: No nodes found matching the specified label selector: ',
    );
  });

  it('serves on the pool nodes once they joined', async () => {
    const pool = await sim.aks.agentPools.beginCreateOrUpdateAndWait(
      sim.resourceGroup,
      sim.clusterName,
      'byoa100',
      {
        vmSize: 'Standard_NC24ads_A100_v4',
        count: 1,
        mode: 'User',
        nodeLabels: { apps: 'byo-chat' },
        nodeTaints: ['sku=gpu:NoSchedule'],
        tags: { 'created-by': 'backstage' },
      },
      POLL,
    );
    expect(pool.provisioningState).toBe('Succeeded');
    const node = await eventually(
      async () => {
        const nodes = await sim.core.listNode({
          labelSelector: 'agentpool=byoa100',
        });
        const ready = nodes.items.find(
          n =>
            n.status?.conditions?.find(c => c.type === 'Ready')?.status ===
              'True' && n.status?.allocatable?.['nvidia.com/gpu'],
        );
        return ready;
      },
      20_000,
      'the pool node',
    );
    expect(node.metadata?.name).toMatch(/^aks-byoa100-\d{8}-vmss000000$/);
    expect(node.metadata?.labels).toMatchObject({
      apps: 'byo-chat',
      'nvidia.com/gpu.count': '1',
    });

    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('byo-chat', {
        resource: { labelSelector: { matchLabels: { apps: 'byo-chat' } } },
      }),
    });
    const ws = await sim.waitForWorkspace(
      'ml',
      'byo-chat',
      w => w.status?.state === 'Ready',
      30_000,
    );
    expect(ws.status.workerNodes).toEqual([node.metadata?.name]);
    expect(condition(ws, 'NodeClaimReady')).toBeUndefined();
    expect(condition(ws, 'NodesReady')).toMatchObject({
      status: 'True',
      reason: 'NodesReady',
    });
    expect(condition(ws, 'ResourceReady')).toMatchObject({
      status: 'True',
      reason: 'workspaceResourceStatusSuccess',
    });
    const claims: any = await sim.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
    });
    expect(claims.items).toHaveLength(0);
    const pod = await sim.core.readNamespacedPod({
      namespace: 'ml',
      name: 'byo-chat-0',
    });
    expect(pod.spec?.nodeName).toBe(node.metadata?.name);

    const reply = await sim.kubeRequest(
      'POST',
      '/api/v1/namespaces/ml/services/byo-chat:80/proxy/v1/chat/completions',
      {
        model: 'phi-3-mini-128k-instruct',
        messages: [{ role: 'user', content: 'on my own nodes' }],
      },
    );
    expect(JSON.parse(reply.body).choices[0].message.content).toBe(
      '[phi-3-mini-128k-instruct] You said: on my own nodes',
    );
  });

  it('rejects an instanceType in BYO mode, naming the field', async () => {
    const error = await sim.custom
      .createNamespacedCustomObject({
        ...WS,
        namespace: 'ml',
        body: inferenceWorkspace('byo-typed', {
          resource: {
            instanceType: 'Standard_NC24ads_A100_v4',
            labelSelector: { matchLabels: { apps: 'byo-chat' } },
          },
        }),
      })
      .catch(e => e);
    expect(error.code).toBe(400);
    expect(JSON.parse(error.body).message).toContain(
      'invalid value: instanceType must be empty when node auto-provisioning is disabled (BYO scenario): spec.resource.instanceType',
    );
  });

  it('rejects a selector whose nodes carry different GPUs (GFD labels)', async () => {
    await sim.aks.agentPools.beginCreateOrUpdateAndWait(
      sim.resourceGroup,
      sim.clusterName,
      'byoa10',
      {
        vmSize: 'Standard_NV36ads_A10_v5',
        count: 1,
        mode: 'User',
        nodeLabels: { apps: 'byo-chat' },
        nodeTaints: ['sku=gpu:NoSchedule'],
      },
      POLL,
    );
    await eventually(
      async () => {
        const nodes = await sim.core.listNode({
          labelSelector: 'agentpool=byoa10',
        });
        return nodes.items[0]?.metadata?.labels?.['nvidia.com/gpu.product'];
      },
      20_000,
      'the A10 node and its GFD labels',
    );
    const error = await sim.custom
      .createNamespacedCustomObject({
        ...WS,
        namespace: 'ml',
        body: inferenceWorkspace('byo-mixed', {
          resource: { labelSelector: { matchLabels: { apps: 'byo-chat' } } },
        }),
      })
      .catch(e => e);
    expect(error.code).toBe(400);
    expect(JSON.parse(error.body).message).toMatch(
      /Non-uniform GPU product: node aks-byoa\S+-vmss000000 has NVIDIA-A\S+ GPUs, but previous node has NVIDIA-A\S+ GPUs, all nodes must have the same GPU product for homogeneous placement/,
    );
  });
});
