import type { EventEmitter } from 'node:events';

/**
 * The part of `ArmSimulator` (src/arm) the Kubernetes side relies on: the
 * in-process agent pool API (same validation, quota, faults and LRO as the
 * HTTPS one) and its lifecycle events.
 */
export interface AgentPool {
  id?: string;
  name: string;
  properties: {
    count?: number;
    vmSize?: string;
    mode?: string;
    nodeLabels?: Record<string, string>;
    nodeTaints?: string[];
    provisioningState?: string;
    orchestratorVersion?: string;
    currentOrchestratorVersion?: string;
    nodeImageVersion?: string;
    osSKU?: string;
    osDiskSizeGB?: number;
    scaleSetPriority?: string;
    availabilityZones?: string[];
    [key: string]: unknown;
  };
}

export interface AgentPoolApi extends EventEmitter {
  createOrUpdateAgentPool(
    poolName: string,
    pool: { properties: Record<string, unknown> },
  ): unknown | Promise<unknown>;
  deleteAgentPool(poolName: string): unknown | Promise<unknown>;
  getAgentPool(poolName: string): AgentPool | undefined;
  listAgentPools(): AgentPool[];
}

export interface ArmFailure {
  code: string;
  message: string;
}

/** An `ArmError` (statusCode, code, message) thrown synchronously by the API. */
export function asArmError(error: unknown):
  | {
      statusCode: number;
      code: string;
      message: string;
      retryAfterSeconds?: number;
    }
  | undefined {
  const e = error as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    retryAfterSeconds?: unknown;
  };
  if (e && typeof e.statusCode === 'number' && typeof e.code === 'string') {
    return {
      statusCode: e.statusCode,
      code: e.code,
      message: String(e.message ?? ''),
      retryAfterSeconds:
        typeof e.retryAfterSeconds === 'number'
          ? e.retryAfterSeconds
          : undefined,
    };
  }
  return undefined;
}
