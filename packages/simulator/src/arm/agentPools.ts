/**
 * The agent pools of the simulated cluster and their long-running operations:
 * AKS validation and conflicts, quota, timing through the SimClock, and the
 * events that report each outcome.
 */
import { randomUUID } from 'node:crypto';
import {
  AgentPoolProperties,
  AgentPoolResource,
  resolveAgentPoolSpec,
  stripReadOnly,
  validatePoolName,
} from './agentPoolSpec';
import {
  agentPoolNotFound,
  anotherPoolOperationInProgress,
  ArmError,
  ArmErrorDetail,
  injectedConflict,
  lastSystemPool,
  poolOperationInProgress,
  preconditionFailed,
  tooManyPools,
} from './errors';
import type {
  AcceptedOperation,
  AgentPoolWriteKind,
  WriteConditions,
} from './events';
import {
  nominalDurationMs,
  OPERATION_VERB,
  OperationLog,
  OperationRecord,
  PoolOperationKind,
  quotaFailureDelayMs,
  RUNNING_STATE,
} from './operations';
import { PoolAllocation, quotaExceededMessage } from './quota';
import { nodeResourceGroup } from './resources';
import { findVmSize, VmSize } from './vmSizes';
import { OperationTimers } from './operationTimers';
import {
  failOperation,
  poolResource,
  succeedOperation,
  withStatus,
  type AgentPoolStoreContext,
  type PoolState,
} from './poolState';
import {
  checkWriteConditions,
  onlyCountChanged,
  stripETagQuotes,
} from './poolWriteConditions';

export const MAX_AGENT_POOLS = 100;

export type { AgentPoolStoreContext } from './poolState';

export class AgentPoolStore {
  private readonly pools = new Map<string, PoolState>();
  private readonly operations = new OperationLog();
  private readonly timers: OperationTimers;

  constructor(private readonly ctx: AgentPoolStoreContext) {
    this.timers = new OperationTimers(ctx.clock);
  }

  /** Adds a pool that already exists (Succeeded), e.g. the cluster's system pool. */
  seed(poolName: string, properties: Partial<AgentPoolProperties>): void {
    const spec = resolveAgentPoolSpec(
      poolName,
      { properties },
      undefined,
      this.ctx.cluster,
    );
    this.pools.set(poolName, {
      name: poolName,
      properties: withStatus(this.ctx, spec, 'Succeeded'),
      vmCount: spec.count ?? 0,
    });
  }

  get(poolName: string): AgentPoolResource | undefined {
    const state = this.pools.get(poolName.toLowerCase());
    return state ? poolResource(this.ctx, state) : undefined;
  }

  list(): AgentPoolResource[] {
    return [...this.pools.values()].map(state => poolResource(this.ctx, state));
  }

  operation(operationId: string): OperationRecord | undefined {
    return this.operations.get(operationId);
  }

  /** Cancels the timers of running operations (the pools stay as they are). */
  stopTimers(): void {
    this.timers.cancelAll();
  }

  /** An agent pool PUT: validates, starts the operation, returns what ARM answers. */
  put(
    poolName: string,
    body: unknown,
    conditions: WriteConditions = {},
  ): AcceptedOperation {
    validatePoolName(poolName);
    const existing = this.pools.get(poolName);
    if (existing?.operation) {
      throw poolOperationInProgress(
        OPERATION_VERB[existing.operation.record.kind],
        poolName,
        this.ctx.cluster.name,
      );
    }
    if (this.ctx.faults.take('armConflict'))
      throw injectedConflict(this.ctx.cluster.name);
    checkWriteConditions(
      poolName,
      existing?.properties.eTag,
      Boolean(existing),
      conditions,
    );
    if (!existing && this.pools.size >= MAX_AGENT_POOLS)
      throw tooManyPools(MAX_AGENT_POOLS);
    this.checkSerialized(poolName);

    const previousSpec = existing
      ? stripReadOnly(existing.properties)
      : undefined;
    const spec = resolveAgentPoolSpec(
      poolName,
      body,
      previousSpec,
      this.ctx.cluster,
    );
    if (
      existing?.properties.mode === 'System' &&
      spec.mode !== 'System' &&
      this.systemPools() <= 1
    ) {
      throw lastSystemPool(poolName);
    }
    const size = findVmSize(spec.vmSize) as VmSize;
    const count = spec.count ?? 0;
    const vmsBefore = existing?.vmCount ?? 0;
    let kind: AgentPoolWriteKind = 'Create';
    if (existing && previousSpec) {
      kind = onlyCountChanged(previousSpec, spec) ? 'Scale' : 'Update';
    }

    const shortfall = this.ctx.quota.check(
      this.allocations(),
      size,
      count - vmsBefore,
      spec.scaleSetPriority === 'Spot',
      this.ctx.faults.get().quotaExhaustedFamilies,
    );

    const now = this.ctx.clock.now();
    const record = this.operations.start(kind, poolName, now);
    const state: PoolState = existing ?? {
      name: poolName,
      properties: {},
      vmCount: 0,
    };
    state.properties = withStatus(this.ctx, spec, RUNNING_STATE[kind]);
    if (!shortfall) state.vmCount = Math.max(vmsBefore, count);
    this.pools.set(poolName, state);

    if (shortfall) {
      const error: ArmErrorDetail = {
        code: 'QuotaExceeded',
        message: quotaExceededMessage(shortfall, {
          subscriptionId: this.ctx.identity.subscriptionId,
          location: this.ctx.cluster.location,
          clusterName: this.ctx.cluster.name,
          nodeResourceGroup: nodeResourceGroup(this.ctx.identity),
        }),
      };
      this.track(state, record, quotaFailureDelayMs(this.ctx.random), () =>
        failOperation(this.ctx, this.operations, state, record, error),
      );
    } else {
      let timing: PoolOperationKind = kind;
      if (kind !== 'Create') timing = count !== vmsBefore ? 'Scale' : 'Update';
      const delay = nominalDurationMs(
        timing,
        size,
        vmsBefore,
        count,
        this.ctx.random,
      );
      this.track(state, record, delay, () =>
        succeedOperation(this.ctx, this.operations, state, record, vmsBefore),
      );
    }
    const pool = poolResource(this.ctx, state);
    this.ctx.emit('agentPoolOperationStarted', pool, {
      operation: kind,
      operationId: record.id,
    });
    return { pool, created: !existing, operation: record };
  }

  /** An agent pool DELETE; undefined when the pool does not exist (ARM: 204). */
  remove(
    poolName: string,
    conditions: WriteConditions = {},
  ): AcceptedOperation | undefined {
    const state = this.pools.get(poolName.toLowerCase());
    if (!state) {
      if (conditions.ifMatch && stripETagQuotes(conditions.ifMatch) !== '*') {
        throw preconditionFailed(
          `Operation failed. The agent pool '${poolName}' does not exist, so the eTag in the If-Match header ('${conditions.ifMatch}') cannot match.`,
        );
      }
      return undefined;
    }
    if (state.operation?.record.kind === 'Delete') {
      throw poolOperationInProgress(
        'delete',
        state.name,
        this.ctx.cluster.name,
      );
    }
    if (this.ctx.faults.take('armConflict'))
      throw injectedConflict(this.ctx.cluster.name);
    checkWriteConditions(state.name, state.properties.eTag, true, conditions);
    this.checkSerialized(state.name);
    if (state.properties.mode === 'System' && this.systemPools() <= 1) {
      throw lastSystemPool(state.name);
    }

    const now = this.ctx.clock.now();
    const record = this.operations.start('Delete', state.name, now);
    if (state.operation) {
      // A delete overrides a running create/update/scale, as on AKS.
      const overridden = state.operation;
      overridden.cancel();
      this.operations.finish(overridden.record, 'Canceled', now, {
        code: 'Canceled',
        message: `The operation was overriden and canceled by a later operation ${record.id}.`,
      });
      state.operation = undefined;
    }
    state.properties = {
      ...state.properties,
      provisioningState: 'Deleting',
      eTag: randomUUID(),
    };
    delete state.properties.status;
    const size = findVmSize(state.properties.vmSize) as VmSize;
    const delay = nominalDurationMs(
      'Delete',
      size,
      state.vmCount,
      0,
      this.ctx.random,
    );
    this.track(state, record, delay, () => {
      state.operation = undefined;
      state.vmCount = 0;
      this.pools.delete(state.name);
      this.operations.finish(record, 'Succeeded', this.ctx.clock.now());
      this.ctx.emit('agentPoolDeleted', poolResource(this.ctx, state), {
        operationId: record.id,
      });
    });
    const pool = poolResource(this.ctx, state);
    this.ctx.emit('agentPoolOperationStarted', pool, {
      operation: 'Delete',
      operationId: record.id,
    });
    return { pool, created: false, operation: record };
  }

  /**
   * Synchronous core of `abortLatestOperation`: stops the running create,
   * update or scale. The pool goes Canceling, then Canceled (terminal; a new
   * PUT reconciles it). Nodes already provisioned stay.
   */
  abort(poolName: string): AcceptedOperation {
    const state = this.pools.get(poolName.toLowerCase());
    if (!state) throw agentPoolNotFound(poolName, this.ctx.cluster.name);
    const running = state.operation;
    if (!running) {
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed: there is no in progress operation on agent pool '${state.name}' to abort; its provisioning state is '${state.properties.provisioningState}'.`,
      );
    }
    if (running.record.kind === 'Delete' || running.record.kind === 'Abort') {
      throw poolOperationInProgress(
        OPERATION_VERB[running.record.kind],
        state.name,
        this.ctx.cluster.name,
      );
    }
    const now = this.ctx.clock.now();
    const record = this.operations.start('Abort', state.name, now);
    running.cancel();
    const canceled: ArmErrorDetail = {
      code: 'Canceled',
      message: `The operation was overriden and canceled by a later operation ${record.id}.`,
    };
    this.operations.finish(running.record, 'Canceled', now, canceled);
    state.operation = undefined;
    state.properties = {
      ...state.properties,
      provisioningState: RUNNING_STATE.Abort,
      eTag: randomUUID(),
    };
    const size = findVmSize(state.properties.vmSize) as VmSize;
    const delay = nominalDurationMs(
      'Abort',
      size,
      state.vmCount,
      state.vmCount,
      this.ctx.random,
    );
    this.track(state, record, delay, () => {
      state.operation = undefined;
      state.properties = {
        ...state.properties,
        provisioningState: 'Canceled',
        eTag: randomUUID(),
      };
      this.operations.finish(record, 'Succeeded', this.ctx.clock.now());
      this.ctx.emit('agentPoolFailed', poolResource(this.ctx, state), {
        operation: running.record.kind as AgentPoolWriteKind,
        operationId: running.record.id,
        code: canceled.code,
        message: canceled.message,
      });
    });
    const pool = poolResource(this.ctx, state);
    this.ctx.emit('agentPoolOperationStarted', pool, {
      operation: 'Abort',
      operationId: record.id,
    });
    return { pool, created: false, operation: record };
  }

  // ---------------------------------------------------------------- internals

  allocations(): PoolAllocation[] {
    return [...this.pools.values()].map(state => ({
      size: findVmSize(state.properties.vmSize) as VmSize,
      vmCount: state.vmCount,
      spot: state.properties.scaleSetPriority === 'Spot',
    }));
  }

  private systemPools(): number {
    return [...this.pools.values()].filter(
      p =>
        p.properties.mode === 'System' && p.operation?.record.kind !== 'Delete',
    ).length;
  }

  private checkSerialized(poolName: string) {
    if (!this.ctx.serializePoolOperations) return;
    for (const other of this.pools.values()) {
      if (other.name !== poolName && other.operation) {
        throw anotherPoolOperationInProgress(
          other.name,
          RUNNING_STATE[other.operation.record.kind],
        );
      }
    }
  }

  private track(
    state: PoolState,
    record: OperationRecord,
    nominalMs: number,
    done: () => void,
  ) {
    state.operation = { record, cancel: this.timers.after(nominalMs, done) };
  }
}
