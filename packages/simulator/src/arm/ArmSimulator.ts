import { EventEmitter } from 'node:events';
import type https from 'node:https';
import type { SimClock } from '../clock';
import type { FaultStore } from '../faults';
import type { AgentPoolInput, AgentPoolResource } from './agentPoolSpec';
import { AgentPoolStore } from './agentPools';
import type {
  AcceptedOperation,
  ArmSimulatorEvents,
  WriteConditions,
} from './events';
import type { OperationRecord } from './operations';
import { ComputeUsage, QuotaBook } from './quota';
import { ClusterIdentity, managedClusterResource } from './resources';
import { EntraDirectory } from '../entra/directory';
import { closeHttps, listenHttps } from './httpsServer';
import type { ArmService } from './armService';
import { createArmRequestHandler } from './server';
import { createSimulatorTls } from './tls';

export { MAX_AGENT_POOLS } from './agentPools';
export type {
  AcceptedOperation,
  AgentPoolDeletedDetail,
  AgentPoolFailedDetail,
  AgentPoolOperationStartedDetail,
  AgentPoolSucceededDetail,
  AgentPoolWriteKind,
  ArmRequestLogEntry,
  ArmSimulatorEvents,
  WriteConditions,
} from './events';

export interface ArmSimulatorOptions {
  faults: FaultStore;
  clock: SimClock;
  subscriptionId: string;
  resourceGroup: string;
  clusterName: string;
  /** Azure region, e.g. `eastus` (display names such as `East US` are normalized). */
  location: string;
  /** Control plane version; agent pools default to it. Default `1.34.2`. */
  kubernetesVersion?: string;
  /** Entra tenant shown in the cluster identity and OIDC issuer. */
  tenantId?: string;
  /**
   * The subscription's Entra tenant, whose tokens ARM accepts (audience, expiry
   * and issuer checked). Default: a tenant of its own (`tenantId`), served
   * nowhere; the simulator passes the one its Entra endpoint serves.
   */
  tenant?: EntraDirectory;
  /** Listen address. Default `127.0.0.1`. */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  /** Server certificate; generated (with its own CA) at start when absent. */
  tls?: { certPem: string; keyPem: string; caCertPem?: string };
  /** The kubeconfig returned, base64-encoded, by `listClusterUserCredential`. */
  kubeconfig: () => string;
  /** vCPU limits by quota family (also `cores`, `lowPriorityCores`); defaults are generous. */
  vCpuQuota?: Record<string, number>;
  /** VM sizes the subscription cannot use in this region: PUTs get `SkuNotAvailable`. */
  unavailableVmSizes?: string[];
  /**
   * Refuse an agent pool write while another pool of the cluster has an
   * operation running (409 "Another agentpool operation ... is in progress").
   * Older AKS behaviour; current AKS runs operations on different pools in
   * parallel, so the default is false.
   */
  serializePoolOperations?: boolean;
  /** Source of randomness for operation durations (tests may pin it). */
  random?: () => number;
}

const NODE_IMAGE_RELEASE = '202608.12.0';

const normalizeLocation = (location: string) =>
  location.replace(/\s+/g, '').toLowerCase();

/**
 * A simulated subset of Azure Resource Manager for one AKS cluster: the managed
 * cluster, its agent pools as long-running operations with AKS timing, vCPU
 * quota, and Compute usages and SKUs. Served over HTTPS to the real Azure SDK
 * clients, and in-process (same rules) to the simulator's own controllers.
 */
export class ArmSimulator
  extends EventEmitter<ArmSimulatorEvents>
  implements ArmService
{
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly location: string;
  readonly kubernetesVersion: string;
  readonly tenantId: string;
  /** The Entra tenant whose tokens ARM accepts. */
  readonly tenant: EntraDirectory;
  readonly faults: FaultStore;

  private readonly quota: QuotaBook;
  private readonly unavailableVmSizes: Set<string>;
  private readonly pools: AgentPoolStore;
  private server?: https.Server;
  private listenUrl?: string;
  private caPem?: string;

  constructor(private readonly options: ArmSimulatorOptions) {
    super();
    for (const key of [
      'subscriptionId',
      'resourceGroup',
      'clusterName',
      'location',
    ] as const) {
      if (!options[key]) throw new Error(`ArmSimulator: ${key} is required`);
    }
    this.subscriptionId = options.subscriptionId;
    this.resourceGroup = options.resourceGroup;
    this.clusterName = options.clusterName;
    this.location = normalizeLocation(options.location);
    this.kubernetesVersion = options.kubernetesVersion ?? '1.34.2';
    this.tenant =
      options.tenant ??
      new EntraDirectory({
        tenantId: options.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47',
      });
    this.tenantId = this.tenant.tenantId;
    this.faults = options.faults;
    this.quota = new QuotaBook(options.vCpuQuota);
    this.unavailableVmSizes = new Set(options.unavailableVmSizes ?? []);
    this.caPem = options.tls
      ? options.tls.caCertPem ?? options.tls.certPem
      : undefined;
    this.pools = new AgentPoolStore({
      clock: options.clock,
      faults: options.faults,
      quota: this.quota,
      random: options.random ?? Math.random,
      serializePoolOperations: options.serializePoolOperations ?? false,
      cluster: {
        name: this.clusterName,
        location: this.location,
        kubernetesVersion: this.kubernetesVersion,
        unavailableVmSizes: this.unavailableVmSizes,
      },
      identity: this.identity(),
      nodeImageVersion: osSku => this.latestNodeImageVersion(osSku),
      // EventEmitter's conditional Args type cannot see through a generic key.
      emit: (event, ...args) => this.emit(event, ...(args as any)),
    });
    this.pools.seed('nodepool1', {
      vmSize: 'Standard_D4s_v5',
      count: 2,
      mode: 'System',
    });
  }

  // ---------------------------------------------------------------- server

  /** Starts the HTTPS endpoint; resolves with its base URL (the SDK `endpoint`). */
  async start(): Promise<{ url: string }> {
    if (this.server && this.listenUrl) return { url: this.listenUrl };
    const tls = this.options.tls ?? (await createSimulatorTls());
    this.caPem = tls.caCertPem ?? tls.certPem;
    const { server, url } = await listenHttps(createArmRequestHandler(this), {
      tls,
      host: this.options.host,
      port: this.options.port,
    });
    this.server = server;
    this.listenUrl = url;
    return { url: this.listenUrl };
  }

  /** Stops the endpoint and cancels running operations' timers. */
  async stop(): Promise<void> {
    this.pools.stopTimers();
    const server = this.server;
    this.server = undefined;
    this.listenUrl = undefined;
    await closeHttps(server);
  }

  get url(): string {
    if (!this.listenUrl) throw new Error('ArmSimulator is not started');
    return this.listenUrl;
  }

  /** PEM of the CA that signed the server certificate (what clients must trust). */
  get caCertPem(): string {
    if (!this.caPem)
      throw new Error(
        'ArmSimulator has no certificate yet; call start() or pass tls',
      );
    return this.caPem;
  }

  // ---------------------------------------------------------- in-process API

  /**
   * PUT an agent pool (create, update or scale). Resolves as soon as ARM
   * accepts it (the pool is then Creating/Updating/Scaling); the outcome
   * arrives as `agentPoolSucceeded` or `agentPoolFailed`. Rejects with
   * `ArmError` when ARM would answer 4xx.
   */
  async createOrUpdateAgentPool(
    poolName: string,
    agentPool: AgentPoolInput,
    conditions: WriteConditions = {},
  ): Promise<AgentPoolResource> {
    if (
      agentPool &&
      typeof agentPool === 'object' &&
      agentPool.properties === undefined &&
      ('vmSize' in agentPool || 'count' in agentPool)
    ) {
      // A programming error, not an ARM answer: SDK-style flattened models are not ARM JSON.
      throw new TypeError(
        'createOrUpdateAgentPool expects ARM JSON ({ properties: { vmSize, count, ... } }), not a flattened SDK model',
      );
    }
    await this.injectLatency();
    return this.pools.put(poolName, agentPool, conditions).pool;
  }

  /**
   * DELETE an agent pool. Resolves with the pool (now Deleting) once accepted,
   * or undefined when there is no such pool (ARM: 204). `agentPoolDeleted`
   * follows when it is gone.
   */
  async deleteAgentPool(
    poolName: string,
    conditions: WriteConditions = {},
  ): Promise<AgentPoolResource | undefined> {
    await this.injectLatency();
    return this.pools.remove(poolName, conditions)?.pool;
  }

  /**
   * Aborts the pool's running create/update/scale (`abortLatestOperation`).
   * Resolves with the pool, now Canceling; `agentPoolFailed` (code `Canceled`)
   * follows when it reaches Canceled.
   */
  async abortAgentPoolOperation(poolName: string): Promise<AgentPoolResource> {
    await this.injectLatency();
    return this.pools.abort(poolName).pool;
  }

  getAgentPool(poolName: string): AgentPoolResource | undefined {
    return this.pools.get(poolName);
  }

  listAgentPools(): AgentPoolResource[] {
    return this.pools.list();
  }

  /** The kubeconfig `listClusterUserCredential` hands out (decoded). */
  clusterKubeconfig(): string {
    return this.options.kubeconfig();
  }

  getManagedCluster() {
    return managedClusterResource(this.identity(), this.listAgentPools());
  }

  /** Compute usages for a region (only this simulator's region has VMs). */
  computeUsages(location: string = this.location): ComputeUsage[] {
    const here = normalizeLocation(location) === this.location;
    return this.quota.usages(
      here ? this.pools.allocations() : [],
      this.faults.get().quotaExhaustedFamilies,
    );
  }

  getOperation(operationId: string): OperationRecord | undefined {
    return this.pools.operation(operationId);
  }

  identity(): ClusterIdentity {
    return {
      subscriptionId: this.subscriptionId,
      resourceGroup: this.resourceGroup,
      clusterName: this.clusterName,
      location: this.location,
      kubernetesVersion: this.kubernetesVersion,
      tenantId: this.tenantId,
    };
  }

  get unavailableSizes(): ReadonlySet<string> {
    return this.unavailableVmSizes;
  }

  latestNodeImageVersion(osSku = 'Ubuntu'): string {
    if (/^AzureLinux/i.test(osSku))
      return `AKSAzureLinux-V3gen2-${NODE_IMAGE_RELEASE}`;
    if (/^Windows/i.test(osSku))
      return 'AKSWindows-2022-containerd-20348.4171.250812';
    const minor = Number(this.kubernetesVersion.split('.')[1] ?? 0);
    const ubuntu =
      osSku === 'Ubuntu2404' || (osSku === 'Ubuntu' && minor >= 35)
        ? '2404'
        : '2204';
    return `AKSUbuntu-${ubuntu}gen2containerd-${NODE_IMAGE_RELEASE}`;
  }

  // ----------------------------------------- synchronous cores (HTTP layer)

  /** Agent pool PUT as ARM answers it (the HTTP layer applies latency itself). */
  putAgentPool(
    poolName: string,
    body: unknown,
    conditions: WriteConditions = {},
  ): AcceptedOperation {
    return this.pools.put(poolName, body, conditions);
  }

  /** Agent pool DELETE; undefined when the pool does not exist (ARM: 204). */
  beginDeleteAgentPool(
    poolName: string,
    conditions: WriteConditions = {},
  ): AcceptedOperation | undefined {
    return this.pools.remove(poolName, conditions);
  }

  /** `abortLatestOperation` on a pool. */
  beginAbortAgentPoolOperation(poolName: string): AcceptedOperation {
    return this.pools.abort(poolName);
  }

  private async injectLatency(): Promise<void> {
    const ms = this.faults.get().latencyMs.arm;
    if (ms > 0) await new Promise(resolve => setTimeout(resolve, ms));
  }
}
