/**
 * What ARM's HTTP layer (`server.ts`, `routes.ts`) serves: the subscription's
 * coordinates, its Entra tenant and faults, and the synchronous cores of the
 * managed cluster and agent pool operations. `ArmSimulator` implements it;
 * the HTTP layer depends on this interface only, so the simulator can own its
 * server without an import cycle.
 */
import type { FaultStore } from '../faults';
import type { EntraDirectory } from '../entra/directory';
import type { AgentPoolResource } from './agentPoolSpec';
import type {
  AcceptedOperation,
  ArmRequestLogEntry,
  WriteConditions,
} from './events';
import type { OperationRecord } from './operations';
import type { ComputeUsage } from './quota';
import type { ClusterIdentity, managedClusterResource } from './resources';

export interface ArmService {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly location: string;
  readonly tenantId: string;
  /** The Entra tenant whose tokens ARM accepts. */
  readonly tenant: EntraDirectory;
  readonly faults: FaultStore;
  /** The base URL the server listens on. */
  readonly url: string;
  readonly unavailableSizes: ReadonlySet<string>;
  getAgentPool(poolName: string): AgentPoolResource | undefined;
  listAgentPools(): AgentPoolResource[];
  clusterKubeconfig(): string;
  getManagedCluster(): ReturnType<typeof managedClusterResource>;
  computeUsages(location?: string): ComputeUsage[];
  getOperation(operationId: string): OperationRecord | undefined;
  identity(): ClusterIdentity;
  latestNodeImageVersion(osSku?: string): string;
  putAgentPool(
    poolName: string,
    body: unknown,
    conditions?: WriteConditions,
  ): AcceptedOperation;
  beginDeleteAgentPool(
    poolName: string,
    conditions?: WriteConditions,
  ): AcceptedOperation | undefined;
  beginAbortAgentPoolOperation(poolName: string): AcceptedOperation;
  /** Reports a served request (the `request` event). */
  emit(event: 'request', entry: ArmRequestLogEntry): boolean;
}
