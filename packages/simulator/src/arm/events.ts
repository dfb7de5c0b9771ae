/** Event and result types of the ArmSimulator (shared by the store and the HTTP layer). */
import type { AgentPoolResource } from './agentPoolSpec';
import type { OperationRecord, PoolOperationKind } from './operations';

export type AgentPoolWriteKind = 'Create' | 'Update' | 'Scale';

export interface AgentPoolOperationStartedDetail {
  operation: PoolOperationKind;
  operationId: string;
}

export interface AgentPoolSucceededDetail {
  operation: AgentPoolWriteKind;
  operationId: string;
  /** Node count the pool now has. */
  count: number;
  /** Node count before the operation (0 for a create). */
  previousCount: number;
}

export interface AgentPoolFailedDetail {
  operation: AgentPoolWriteKind;
  operationId: string;
  code: string;
  message: string;
}

export interface AgentPoolDeletedDetail {
  operationId: string;
}

export interface ArmRequestLogEntry {
  method: string;
  path: string;
  statusCode: number;
  requestId: string;
  durationMs: number;
  errorCode?: string;
}

export type ArmSimulatorEvents = {
  agentPoolOperationStarted: [
    pool: AgentPoolResource,
    detail: AgentPoolOperationStartedDetail,
  ];
  agentPoolSucceeded: [
    pool: AgentPoolResource,
    detail: AgentPoolSucceededDetail,
  ];
  agentPoolFailed: [pool: AgentPoolResource, detail: AgentPoolFailedDetail];
  agentPoolDeleted: [pool: AgentPoolResource, detail: AgentPoolDeletedDetail];
  request: [entry: ArmRequestLogEntry];
};

/** Optimistic concurrency headers (`If-Match`, `If-None-Match`) of an agent pool write. */
export interface WriteConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
}

export interface AcceptedOperation {
  pool: AgentPoolResource;
  created: boolean;
  operation: OperationRecord;
}

/** `emit` as the agent pool store needs it. */
export type EmitArmEvent = <K extends keyof ArmSimulatorEvents>(
  event: K,
  ...args: ArmSimulatorEvents[K]
) => unknown;
