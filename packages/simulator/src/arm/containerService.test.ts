/**
 * The real @azure/arm-containerservice client (25.x, modular generation)
 * against the simulator over HTTPS.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { AgentPool } from '@azure/arm-containerservice';
import {
  CLUSTER,
  credential,
  KUBECONFIG,
  LOCATION,
  nextEvent,
  POLL,
  RESOURCE_GROUP,
  startArm,
  SUBSCRIPTION,
} from './__testUtils__/harness';

type Env = Awaited<ReturnType<typeof startArm>>;

const gpu: AgentPool = {
  vmSize: 'Standard_NC24ads_A100_v4',
  count: 1,
  mode: 'User',
  osType: 'Linux',
  nodeTaints: ['sku=gpu:NoSchedule'],
  nodeLabels: { apps: 'gpu', 'kaito.sh/workspace': 'phi-tune' },
  tags: {
    'created-by': 'backstage',
    'backstage-entity': 'component:default_chat',
  },
};

describe('ContainerServiceClient against the simulator', () => {
  let env: Env;
  let client: ContainerServiceClient;
  beforeEach(async () => {
    env = await startArm({ random: () => 0.5 });
    client = env.containerService;
  });
  afterEach(() => env.stop());

  describe('managed cluster', () => {
    it('gets the cluster with the AI toolchain operator enabled', async () => {
      const mc = await client.managedClusters.get(RESOURCE_GROUP, CLUSTER);
      expect(mc).toMatchObject({
        name: CLUSTER,
        location: LOCATION,
        type: 'Microsoft.ContainerService/ManagedClusters',
        kubernetesVersion: '1.34.2',
        provisioningState: 'Succeeded',
        powerState: { code: 'Running' },
        aiToolchainOperatorProfile: { enabled: true },
        oidcIssuerProfile: { enabled: true },
        nodeResourceGroup: `MC_${RESOURCE_GROUP}_${CLUSTER}_${LOCATION}`,
      });
      expect(mc.fqdn).toMatch(/\.hcp\.eastus\.azmk8s\.io$/);
      expect(mc.agentPoolProfiles).toEqual([
        expect.objectContaining({
          name: 'nodepool1',
          vmSize: 'Standard_D4s_v5',
          count: 2,
          mode: 'System',
        }),
      ]);
    });

    it('lists clusters by resource group and by subscription', async () => {
      const inGroup = [];
      for await (const mc of client.managedClusters.listByResourceGroup(
        RESOURCE_GROUP,
      ))
        inGroup.push(mc.name);
      const inSubscription = [];
      for await (const mc of client.managedClusters.list())
        inSubscription.push(mc.name);
      expect(inGroup).toEqual([CLUSTER]);
      expect(inSubscription).toEqual([CLUSTER]);
    });

    it('answers 404 for unknown clusters and resource groups', async () => {
      await expect(
        client.managedClusters.get(RESOURCE_GROUP, 'other'),
      ).rejects.toMatchObject({
        name: 'RestError',
        statusCode: 404,
        code: 'ResourceNotFound',
        message: expect.stringContaining(
          "The Resource 'Microsoft.ContainerService/managedClusters/other' under resource group 'rg-kaito' was not found",
        ),
      });
      await expect(
        client.managedClusters.get('rg-other', CLUSTER),
      ).rejects.toMatchObject({
        statusCode: 404,
        code: 'ResourceGroupNotFound',
      });
      const otherSubscription = new ContainerServiceClient(
        credential,
        '00000000-0000-0000-0000-000000000000',
        {
          endpoint: env.sim.url,
          tlsOptions: { ca: env.sim.caCertPem },
        },
      );
      await expect(
        otherSubscription.managedClusters.get(RESOURCE_GROUP, CLUSTER),
      ).rejects.toMatchObject({
        statusCode: 404,
        code: 'SubscriptionNotFound',
      });
    });

    it('returns the user kubeconfig from listClusterUserCredentials', async () => {
      const result = await client.managedClusters.listClusterUserCredentials(
        RESOURCE_GROUP,
        CLUSTER,
      );
      expect(result.kubeconfigs?.map(k => k.name)).toEqual(['clusterUser']);
      expect(Buffer.from(result.kubeconfigs![0].value!).toString('utf8')).toBe(
        KUBECONFIG,
      );
      const exec = await client.managedClusters.listClusterUserCredentials(
        RESOURCE_GROUP,
        CLUSTER,
        { format: 'exec' },
      );
      expect(Buffer.from(exec.kubeconfigs![0].value!).toString('utf8')).toBe(
        KUBECONFIG,
      );
    });
  });

  describe('agent pools', () => {
    it('creates a GPU pool (beginCreateOrUpdateAndWait) and fires agentPoolSucceeded', async () => {
      const succeeded = nextEvent(env.sim, 'agentPoolSucceeded', 'gpu');
      const pool = await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      expect(pool).toMatchObject({
        name: 'gpu',
        type: 'Microsoft.ContainerService/managedClusters/agentPools',
        provisioningState: 'Succeeded',
        vmSize: 'Standard_NC24ads_A100_v4',
        count: 1,
        mode: 'User',
        osType: 'Linux',
        osSKU: 'Ubuntu',
        typePropertiesType: 'VirtualMachineScaleSets',
        scaleSetPriority: 'Regular',
        maxPods: 250,
        nodeTaints: ['sku=gpu:NoSchedule'],
        nodeLabels: { apps: 'gpu', 'kaito.sh/workspace': 'phi-tune' },
        tags: {
          'created-by': 'backstage',
          'backstage-entity': 'component:default_chat',
        },
        orchestratorVersion: '1.34.2',
        currentOrchestratorVersion: '1.34.2',
        powerState: { code: 'Running' },
      });
      expect(pool.eTag).toMatch(/^[0-9a-f-]{36}$/);
      const [event, detail] = await succeeded;
      expect(event.properties.provisioningState).toBe('Succeeded');
      expect(detail).toMatchObject({ operation: 'Create', count: 1 });
    });

    it('supports the 25.x awaitable poller and reports progress while Creating', async () => {
      const poller = client.agentPools.createOrUpdate(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      await poller.submitted();
      expect(
        (await client.agentPools.get(RESOURCE_GROUP, CLUSTER, 'gpu'))
          .provisioningState,
      ).toBe('Creating');
      const pool = await poller;
      expect(pool.provisioningState).toBe('Succeeded');
      expect(poller.operationState?.status).toBe('succeeded');
    });

    it('scales a pool by updating its count', async () => {
      await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      const current = await client.agentPools.get(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
      );
      const started = nextEvent(env.sim, 'agentPoolSucceeded', 'gpu');
      const poller = await client.agentPools.beginCreateOrUpdate(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        { ...current, count: 2 },
        POLL,
      );
      expect(
        (await client.agentPools.get(RESOURCE_GROUP, CLUSTER, 'gpu'))
          .provisioningState,
      ).toBe('Scaling');
      const scaled = await poller.pollUntilDone();
      expect(scaled).toMatchObject({
        count: 2,
        provisioningState: 'Succeeded',
        tags: gpu.tags,
      });
      expect((await started)[1]).toMatchObject({
        operation: 'Scale',
        previousCount: 1,
        count: 2,
      });
    });

    it('updates autoscaler settings and echoes them', async () => {
      const pool = await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        { ...gpu, count: 1, enableAutoScaling: true, minCount: 0, maxCount: 3 },
        POLL,
      );
      expect(pool).toMatchObject({
        enableAutoScaling: true,
        minCount: 0,
        maxCount: 3,
        count: 1,
      });
    });

    it('creates Spot pools with the label, taint and defaults AKS adds', async () => {
      const pool = await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'spot',
        { ...gpu, scaleSetPriority: 'Spot' },
        POLL,
      );
      expect(pool).toMatchObject({
        scaleSetPriority: 'Spot',
        scaleSetEvictionPolicy: 'Delete',
        spotMaxPrice: -1,
        nodeLabels: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
        nodeTaints: [
          'sku=gpu:NoSchedule',
          'kubernetes.azure.com/scalesetpriority=spot:NoSchedule',
        ],
      });
    });

    it('lists pools and gets the upgrade profile', async () => {
      await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      const names = [];
      for await (const pool of client.agentPools.list(RESOURCE_GROUP, CLUSTER))
        names.push(pool.name);
      expect(names).toEqual(['nodepool1', 'gpu']);
      const profile = await client.agentPools.getUpgradeProfile(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
      );
      expect(profile).toMatchObject({
        name: 'default',
        kubernetesVersion: '1.34.2',
        osType: 'Linux',
        upgrades: [],
        latestNodeImageVersion: 'AKSUbuntu-2204gen2containerd-202608.12.0',
      });
    });

    it('deletes a pool and waits; a second delete is a no-op (204)', async () => {
      await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      const deleted = nextEvent(env.sim, 'agentPoolDeleted', 'gpu');
      await client.agentPools.beginDeleteAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        POLL,
      );
      await deleted;
      await expect(
        client.agentPools.get(RESOURCE_GROUP, CLUSTER, 'gpu'),
      ).rejects.toMatchObject({
        statusCode: 404,
        code: 'NotFound',
      });
      await expect(
        client.agentPools.beginDeleteAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          POLL,
        ),
      ).resolves.toBeUndefined();
    });

    it.each([
      [
        'an invalid name',
        'GPU-Pool',
        {},
        'InvalidParameter',
        /^The value of parameter agentPoolProfile.name is invalid/,
      ],
      [
        'an unknown VM size',
        'gpu',
        { vmSize: 'Standard_ND96asr_A100_v4' },
        'InvalidParameter',
        /The VM size of Standard_ND96asr_A100_v4 is not allowed/,
      ],
      [
        'minCount > maxCount',
        'gpu',
        { enableAutoScaling: true, minCount: 3, maxCount: 1 },
        'InvalidParameter',
        /agentPoolProfile.minCount is invalid/,
      ],
      [
        'count outside [min, max]',
        'gpu',
        { enableAutoScaling: true, minCount: 0, maxCount: 1, count: 2 },
        'InvalidParameter',
        /agentPoolProfile.count is invalid/,
      ],
      [
        'count above 1000',
        'gpu',
        { count: 1001 },
        'InvalidParameter',
        /agentPoolProfile.count is invalid/,
      ],
      [
        'a malformed taint',
        'gpu',
        { nodeTaints: ['sku=gpu'] },
        'InvalidParameter',
        /Taint 'sku=gpu' is not valid/,
      ],
      [
        'a tag name with "/"',
        'gpu',
        { tags: { 'backstage.io/owner': 'x' } },
        'InvalidTagNameCharacters',
        /reserved characters/,
      ],
      [
        'a control plane newer node version',
        'gpu',
        { orchestratorVersion: '1.35' },
        'NodePoolMcVersionIncompatible',
        /incompatible/,
      ],
    ])('rejects %s with 400', async (_label, name, extra, code, message) => {
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          name,
          { ...gpu, ...extra },
          POLL,
        ),
      ).rejects.toMatchObject({
        name: 'RestError',
        statusCode: 400,
        code,
        message: expect.stringMatching(message),
      });
      expect(env.sim.getAgentPool(name)).toBeUndefined();
    });

    it('rejects a second write while the pool is being created (409)', async () => {
      const first = await client.agentPools.beginCreateOrUpdate(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          { ...gpu, count: 2 },
          POLL,
        ),
      ).rejects.toMatchObject({
        statusCode: 409,
        code: 'OperationNotAllowed',
        message: expect.stringMatching(
          /^Operation is not allowed because there's an in progress create node pool operation/,
        ),
      });
      await expect(first.pollUntilDone()).resolves.toMatchObject({
        count: 1,
        provisioningState: 'Succeeded',
      });
    });

    it('answers the armConflict fault with 409 OperationNotAllowed', async () => {
      env.faults.patch({ armConflict: { count: 1 } });
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          gpu,
          POLL,
        ),
      ).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          gpu,
          POLL,
        ),
      ).resolves.toMatchObject({
        provisioningState: 'Succeeded',
      });
    });

    it('aborts a running create (abortLatestOperation)', async () => {
      const create = await client.agentPools.beginCreateOrUpdate(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      const failed = nextEvent(env.sim, 'agentPoolFailed', 'gpu');
      await client.agentPools.beginAbortLatestOperationAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        POLL,
      );
      await expect(create.pollUntilDone()).rejects.toThrow(
        'Operation was canceled',
      );
      expect(
        (await client.agentPools.get(RESOURCE_GROUP, CLUSTER, 'gpu'))
          .provisioningState,
      ).toBe('Canceled');
      expect((await failed)[1]).toMatchObject({
        operation: 'Create',
        code: 'Canceled',
      });
      await expect(
        client.agentPools.beginAbortLatestOperationAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          POLL,
        ),
      ).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
      // A PUT reconciles a Canceled pool.
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          gpu,
          POLL,
        ),
      ).resolves.toMatchObject({ provisioningState: 'Succeeded' });
    });

    it('supports If-Match with the pool eTag', async () => {
      const created = await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          { ...gpu, count: 2 },
          { ...POLL, ifMatch: 'stale' },
        ),
      ).rejects.toMatchObject({ statusCode: 412, code: 'PreconditionFailed' });
      await expect(
        client.agentPools.beginCreateOrUpdateAndWait(
          RESOURCE_GROUP,
          CLUSTER,
          'gpu',
          { ...gpu, count: 2 },
          { ...POLL, ifMatch: created.eTag },
        ),
      ).resolves.toMatchObject({ count: 2 });
    });
  });

  describe('quota', () => {
    /** Creates a pool whose LRO is expected to fail; returns what the SDK and the simulator saw. */
    const failingCreate = async (name: string, pool: AgentPool) => {
      const failed = nextEvent(env.sim, 'agentPoolFailed', name);
      const error = await client.agentPools
        .beginCreateOrUpdateAndWait(RESOURCE_GROUP, CLUSTER, name, pool, POLL)
        .then(
          () => undefined,
          (e: Error) => e,
        );
      const afterwards = await client.agentPools.get(
        RESOURCE_GROUP,
        CLUSTER,
        name,
      );
      return { error, afterwards, event: (await failed)[1] };
    };

    const expectQuotaExceeded = (
      result: Awaited<ReturnType<typeof failingCreate>>,
      detail: string,
    ) => {
      expect(result.error).toBeInstanceOf(Error);
      expect(result.error?.message).toMatch(
        /^The long-running operation has failed\. QuotaExceeded\. /,
      );
      expect(result.error?.message).toContain(detail);
      expect(result.afterwards.provisioningState).toBe('Failed');
      expect(result.afterwards.status?.provisioningError).toMatchObject({
        code: 'QuotaExceeded',
        message: expect.stringContaining(detail),
      });
      expect(result.event).toMatchObject({ code: 'QuotaExceeded' });
    };

    it('fails the LRO with QuotaExceeded when the family is exhausted (fault)', async () => {
      env.faults.patch({
        quotaExhaustedFamilies: ['standardNCADSA100v4Family'],
      });
      const result = await failingCreate('gpu', gpu);
      expect(result.error?.message).toBeDefined();
      expectQuotaExceeded(
        result,
        'Operation could not be completed as it results in exceeding approved standardNCADSA100v4Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current Limit: 0, Current Usage: 0, Additional Required: 24, (Minimum) New Limit Required: 24.',
      );
    });

    it('fails the LRO with QuotaExceeded when real usage would exceed the limit', async () => {
      await env.stop();
      env = await startArm({
        random: () => 0.5,
        vCpuQuota: { standardNCADSA100v4Family: 48 },
      });
      client = env.containerService;
      await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu1',
        gpu,
        POLL,
      );
      const result = await failingCreate('gpu2', { ...gpu, count: 2 });
      expect(result.error?.message).toBeDefined();
      expectQuotaExceeded(
        result,
        'Current Limit: 48, Current Usage: 24, Additional Required: 48, (Minimum) New Limit Required: 72.',
      );
    });
  });

  describe('faults', () => {
    it('retries throttled requests transparently (429 + Retry-After)', async () => {
      const statuses: number[] = [];
      env.sim.on('request', entry => statuses.push(entry.statusCode));
      env.faults.patch({ armThrottling: { count: 2, retryAfterSeconds: 0 } });
      await expect(
        client.managedClusters.get(RESOURCE_GROUP, CLUSTER),
      ).resolves.toMatchObject({ name: CLUSTER });
      expect(statuses).toEqual([429, 429, 200]);
      expect(env.faults.get().armThrottling.count).toBe(0);

      statuses.length = 0;
      env.faults.patch({ armThrottling: { count: 1, retryAfterSeconds: 1 } });
      const began = Date.now();
      await client.agentPools.beginCreateOrUpdateAndWait(
        RESOURCE_GROUP,
        CLUSTER,
        'gpu',
        gpu,
        POLL,
      );
      expect(Date.now() - began).toBeGreaterThanOrEqual(950);
      expect(statuses.slice(0, 2)).toEqual([429, 201]);
    });

    it('adds latencyMs.arm to every request', async () => {
      env.faults.patch({ latencyMs: { arm: 80 } });
      const began = Date.now();
      await client.managedClusters.get(RESOURCE_GROUP, CLUSTER);
      expect(Date.now() - began).toBeGreaterThanOrEqual(75);
    });
  });

  describe('trusting the simulator CA', () => {
    it('works per client through additionalPolicies setting request.tlsSettings', async () => {
      const ca = env.sim.caCertPem;
      const viaPolicy = new ContainerServiceClient(credential, SUBSCRIPTION, {
        endpoint: env.sim.url,
        additionalPolicies: [
          {
            position: 'perCall',
            policy: {
              name: 'trustSimulatorCa',
              sendRequest: (request, next) => {
                request.tlsSettings = { ca };
                return next(request);
              },
            },
          },
        ],
      });
      await expect(
        viaPolicy.managedClusters.get(RESOURCE_GROUP, CLUSTER),
      ).resolves.toMatchObject({ name: CLUSTER });
    });

    it('is not trusted by a client without the CA', async () => {
      const untrusting = new ContainerServiceClient(credential, SUBSCRIPTION, {
        endpoint: env.sim.url,
        retryOptions: { maxRetries: 0 },
      });
      await expect(
        untrusting.managedClusters.get(RESOURCE_GROUP, CLUSTER),
      ).rejects.toMatchObject({
        code: expect.stringMatching(
          /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
        ),
      });
    });
  });
});
