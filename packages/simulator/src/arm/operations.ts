/**
 * Long-running agent pool operations: how long each takes on real AKS
 * (nominal durations, scaled by the SimClock) and the records behind
 * `GET .../locations/{loc}/operations/{id}`.
 */
import { randomUUID } from 'node:crypto';
import { ArmErrorDetail } from './errors';
import { VmSize } from './vmSizes';

export type PoolOperationKind =
  | 'Create'
  | 'Update'
  | 'Scale'
  | 'Delete'
  | 'Abort';
export type OperationStatus =
  | 'InProgress'
  | 'Succeeded'
  | 'Failed'
  | 'Canceled';

/** `provisioningState` while an operation of each kind runs. */
export const RUNNING_STATE: Record<PoolOperationKind, string> = {
  Create: 'Creating',
  Update: 'Updating',
  Scale: 'Scaling',
  Delete: 'Deleting',
  Abort: 'Canceling',
};

/** The verb AKS uses in "in progress <verb> node pool operation". */
export const OPERATION_VERB: Record<PoolOperationKind, string> = {
  Create: 'create',
  Update: 'update',
  Scale: 'scale',
  Delete: 'delete',
  Abort: 'abort',
};

const SECOND = 1000;
const between = (
  lowSeconds: number,
  highSeconds: number,
  random: () => number,
) => Math.round((lowSeconds + (highSeconds - lowSeconds) * random()) * SECOND);

/**
 * Nominal (real-AKS) duration of an operation. GPU pools take longer: the
 * VMs are bigger, the driver is installed at provisioning and the device
 * plugin must report the GPUs before AKS calls the node ready.
 */
export function nominalDurationMs(
  kind: PoolOperationKind,
  size: VmSize,
  fromCount: number,
  toCount: number,
  random: () => number = Math.random,
): number {
  const gpu = size.gpu !== undefined;
  switch (kind) {
    case 'Create':
      if (toCount === 0) return between(45, 75, random);
      return gpu ? between(240, 360, random) : between(150, 210, random);
    case 'Scale':
      if (toCount > fromCount)
        return gpu ? between(240, 330, random) : between(120, 180, random);
      return between(60, 120, random);
    case 'Update':
      return between(30, 90, random);
    case 'Abort':
      return between(15, 45, random);
    case 'Delete':
      if (fromCount === 0) return between(30, 60, random);
      return gpu ? between(180, 300, random) : between(120, 200, random);
    default:
      return between(60, 120, random);
  }
}

/** How long before a quota shortfall surfaces (AKS preflight against Compute). */
export const quotaFailureDelayMs = (random: () => number = Math.random) =>
  between(20, 45, random);

export interface OperationRecord {
  id: string;
  kind: PoolOperationKind;
  poolName: string;
  status: OperationStatus;
  startTime: Date;
  endTime?: Date;
  error?: ArmErrorDetail;
}

/** Keeps operation records so clients can poll them after the pool is gone. */
export class OperationLog {
  private readonly records = new Map<string, OperationRecord>();

  constructor(private readonly capacity = 1000) {}

  start(kind: PoolOperationKind, poolName: string, now: Date): OperationRecord {
    const record: OperationRecord = {
      id: randomUUID(),
      kind,
      poolName,
      status: 'InProgress',
      startTime: now,
    };
    this.records.set(record.id, record);
    while (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
    }
    return record;
  }

  finish(
    record: OperationRecord,
    status: Exclude<OperationStatus, 'InProgress'>,
    now: Date,
    error?: ArmErrorDetail,
  ) {
    record.status = status;
    record.endTime = now;
    if (error) record.error = error;
  }

  get(id: string): OperationRecord | undefined {
    return this.records.get(id.toLowerCase());
  }
}

/** The operation status body (`Azure-AsyncOperation` target). */
export function operationStatusBody(record: OperationRecord) {
  return {
    name: record.id,
    status: record.status,
    startTime: record.startTime.toISOString(),
    ...(record.endTime ? { endTime: record.endTime.toISOString() } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}
