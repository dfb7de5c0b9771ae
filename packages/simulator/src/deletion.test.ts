import {
  condition,
  eventually,
  inferenceWorkspace,
  startTestSimulator,
  tuningWorkspace,
  WS,
  type TestSimulator,
} from './wiring/__testUtils__/simulatorHarness';

jest.setTimeout(60_000);

const gone = async (read: () => Promise<unknown>) => {
  try {
    await read();
    return undefined;
  } catch (e) {
    const { code, statusCode } = e as { code?: number; statusCode?: number };
    return code === 404 || statusCode === 404 ? true : undefined;
  }
};

/**
 * Deleting a workspace: the finalizer holds it while KAITO deletes its
 * NodeClaims (WorkspaceDeleting=True), gpu-provisioner deletes each agent
 * pool, the nodes leave, and the garbage collector removes what the
 * workspace owns (Job, pods, StatefulSet, Services).
 */
describe('deleting workspaces', () => {
  let sim: TestSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeScale: 1000 });
    await sim.createNamespace('ml');
  });

  afterAll(() => sim?.close());

  it('cascades from a tuning workspace to its Job, pods, NodeClaim, pool and node', async () => {
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: tuningWorkspace('to-delete', {
        tuning: {
          ...tuningWorkspace('x').tuning,
          output: { volumeSource: { emptyDir: {} } },
        },
      }),
    });
    const ws = await sim.waitForWorkspace(
      'ml',
      'to-delete',
      w => condition(w, 'JobStarted')?.status === 'True',
      30_000,
    );
    const claims: any = await sim.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: 'kaito.sh/workspace=to-delete',
    });
    const claimName = claims.items[0].metadata.name;
    const nodeName = ws.status.workerNodes[0];

    await sim.custom.deleteNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      name: 'to-delete',
    });
    // Held by the finalizer while gpu-provisioner deletes the pool (minutes on AKS).
    const deleting = await sim.workspace('ml', 'to-delete');
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.metadata.finalizers).toContain(
      'workspace.finalizer.kaito.sh',
    );
    const marked = await eventually(async () => {
      const w = await sim.workspace('ml', 'to-delete');
      return condition(w, 'WorkspaceDeleting') ? w : undefined;
    });
    expect(condition(marked, 'WorkspaceDeleting')).toMatchObject({
      status: 'True',
      reason: 'workspaceDeleted',
      message: 'workspace is being deleted',
    });

    await eventually(
      () => gone(() => sim.workspace('ml', 'to-delete')),
      30_000,
      'the workspace to go',
    );
    await eventually(
      () =>
        gone(() =>
          sim.batch.readNamespacedJob({ namespace: 'ml', name: 'to-delete' }),
        ),
      10_000,
      'the Job',
    );
    const pods = await sim.core.listNamespacedPod({
      namespace: 'ml',
      labelSelector: 'kaito.sh/workspace=to-delete',
    });
    expect(pods.items).toHaveLength(0);
    await eventually(
      () =>
        gone(() =>
          sim.custom.getClusterCustomObject({
            group: 'karpenter.sh',
            version: 'v1',
            plural: 'nodeclaims',
            name: claimName,
          }),
        ),
      10_000,
      'the NodeClaim',
    );
    await eventually(
      () =>
        gone(() =>
          sim.aks.agentPools.get(sim.resourceGroup, sim.clusterName, claimName),
        ),
      10_000,
      'the agent pool',
    );
    await eventually(
      () => gone(() => sim.core.readNode({ name: nodeName })),
      10_000,
      'the node',
    );
  });

  it('removes the StatefulSet and both Services of an inference workspace', async () => {
    await sim.custom.createNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      body: inferenceWorkspace('serve-then-delete'),
    });
    await sim.waitForWorkspace(
      'ml',
      'serve-then-delete',
      w => w.status?.state === 'Ready',
      30_000,
    );
    await sim.custom.deleteNamespacedCustomObject({
      ...WS,
      namespace: 'ml',
      name: 'serve-then-delete',
    });
    await eventually(
      () => gone(() => sim.workspace('ml', 'serve-then-delete')),
      30_000,
      'the workspace',
    );
    await eventually(
      () =>
        gone(() =>
          sim.apps.readNamespacedStatefulSet({
            namespace: 'ml',
            name: 'serve-then-delete',
          }),
        ),
      10_000,
      'the StatefulSet',
    );
    await eventually(
      () =>
        gone(() =>
          sim.core.readNamespacedService({
            namespace: 'ml',
            name: 'serve-then-delete',
          }),
        ),
      10_000,
      'the Service',
    );
    await eventually(
      () =>
        gone(() =>
          sim.core.readNamespacedService({
            namespace: 'ml',
            name: 'serve-then-delete-headless',
          }),
        ),
      10_000,
      'the headless Service',
    );
    await eventually(
      () =>
        gone(() =>
          sim.core.readNamespacedPod({
            namespace: 'ml',
            name: 'serve-then-delete-0',
          }),
        ),
      10_000,
      'the pod',
    );
    const pools = [];
    for await (const pool of sim.aks.agentPools.list(
      sim.resourceGroup,
      sim.clusterName,
    ))
      pools.push(pool.name);
    expect(pools).toEqual(['nodepool1']);
  });
});
