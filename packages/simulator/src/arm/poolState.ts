/**
 * An agent pool as the store holds it, what ARM shows of it, and how a
 * long-running operation ends (Succeeded or Failed, with its event).
 */
import { randomUUID } from 'node:crypto';
import type { SimClock } from '../clock';
import type { FaultStore } from '../faults';
import { resolveNodeVersion } from './nodeConfig';
import type {
  AgentPoolProperties,
  AgentPoolResource,
  ClusterFacts,
} from './agentPoolTypes';
import type { ArmErrorDetail } from './errors';
import type { AgentPoolWriteKind, EmitArmEvent } from './events';
import type { OperationLog, OperationRecord } from './operations';
import type { QuotaBook } from './quota';
import {
  AGENT_POOL_TYPE,
  agentPoolId,
  type ClusterIdentity,
} from './resources';

export interface AgentPoolStoreContext {
  clock: SimClock;
  faults: FaultStore;
  quota: QuotaBook;
  random: () => number;
  serializePoolOperations: boolean;
  cluster: ClusterFacts;
  identity: ClusterIdentity;
  nodeImageVersion: (osSku?: string) => string;
  emit: EmitArmEvent;
}

export interface PoolState {
  name: string;
  properties: AgentPoolProperties;
  /** VMs the pool holds or has reserved; what quota usage counts. */
  vmCount: number;
  operation?: { record: OperationRecord; cancel: () => void };
}

/** Spec plus the read-only fields AKS reports. */
export function withStatus(
  ctx: Pick<AgentPoolStoreContext, 'cluster' | 'nodeImageVersion'>,
  spec: AgentPoolProperties,
  provisioningState: string,
): AgentPoolProperties {
  return {
    ...spec,
    provisioningState,
    powerState: { code: 'Running' },
    currentOrchestratorVersion: resolveNodeVersion(
      spec.orchestratorVersion ?? ctx.cluster.kubernetesVersion,
      ctx.cluster.kubernetesVersion,
    ),
    nodeImageVersion: ctx.nodeImageVersion(spec.osSKU),
    eTag: randomUUID(),
  };
}

export function poolResource(
  ctx: Pick<AgentPoolStoreContext, 'identity'>,
  state: PoolState,
): AgentPoolResource {
  return {
    id: agentPoolId(ctx.identity, state.name),
    name: state.name,
    type: AGENT_POOL_TYPE,
    properties: structuredClone(state.properties),
  };
}

export function succeedOperation(
  ctx: AgentPoolStoreContext,
  operations: OperationLog,
  state: PoolState,
  record: OperationRecord,
  previousCount: number,
) {
  state.operation = undefined;
  state.vmCount = state.properties.count ?? 0;
  state.properties = {
    ...state.properties,
    provisioningState: 'Succeeded',
    eTag: randomUUID(),
  };
  delete state.properties.status;
  operations.finish(record, 'Succeeded', ctx.clock.now());
  ctx.emit('agentPoolSucceeded', poolResource(ctx, state), {
    operation: record.kind as AgentPoolWriteKind,
    operationId: record.id,
    count: state.vmCount,
    previousCount,
  });
}

export function failOperation(
  ctx: AgentPoolStoreContext,
  operations: OperationLog,
  state: PoolState,
  record: OperationRecord,
  error: ArmErrorDetail,
) {
  state.operation = undefined;
  state.properties = {
    ...state.properties,
    provisioningState: 'Failed',
    status: { provisioningError: error },
    eTag: randomUUID(),
  };
  operations.finish(record, 'Failed', ctx.clock.now(), error);
  ctx.emit('agentPoolFailed', poolResource(ctx, state), {
    operation: record.kind as AgentPoolWriteKind,
    operationId: record.id,
    code: error.code,
    message: error.message,
  });
}
