import { GpuSku } from './skus';

/**
 * GPU usage and estimated cost of running some nodes of a SKU.
 *
 * @public
 */
export interface GpuUsageEstimate {
  /** Node-hours: nodes x hours. */
  nodeHours: number;
  /** GPU-hours: nodes x GPUs per node x hours. */
  gpuHours: number;
  /** Estimated cost in USD (list price); absent when the SKU has no price. */
  estimatedCostUsd?: number;
  /** Where the price came from, when there is one. */
  priceSource?: string;
}

const MS_PER_HOUR = 3_600_000;

function toMillis(time: Date | string | number): number {
  let millis: number;
  if (typeof time === 'number') millis = time;
  else if (time instanceof Date) millis = time.getTime();
  else millis = new Date(time).getTime();
  if (!Number.isFinite(millis)) {
    throw new TypeError(`Invalid time: ${String(time)}`);
  }
  return millis;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Hours between two times (0 when `end` is before `start`). `end` defaults
 * to now, for runs still in progress.
 *
 * @public
 */
export function hoursBetween(
  start: Date | string | number,
  end: Date | string | number = Date.now(),
): number {
  return Math.max(0, toMillis(end) - toMillis(start)) / MS_PER_HOUR;
}

/**
 * GPU-hours and list-price cost of `nodeCount` nodes of `sku` for `hours`.
 * GPU-hours are rounded to 3 decimals and the cost to cents.
 *
 * @public
 */
export function estimateGpuUsage(
  sku: GpuSku,
  nodeCount: number,
  hours: number,
): GpuUsageEstimate {
  if (!(nodeCount >= 0) || !(hours >= 0)) {
    throw new RangeError('nodeCount and hours must be non-negative numbers');
  }
  const nodeHours = nodeCount * hours;
  const estimate: GpuUsageEstimate = {
    nodeHours: round(nodeHours, 3),
    gpuHours: round(nodeHours * sku.gpuCount, 3),
  };
  if (sku.price) {
    estimate.estimatedCostUsd = round(nodeHours * sku.price.usdPerHour, 2);
    estimate.priceSource = priceSourceOf(sku.price);
  }
  return estimate;
}

const priceSources = new WeakMap<NonNullable<GpuSku['price']>, string>();

/** One string per price (lists estimate the cost of many runs per read). */
function priceSourceOf(price: NonNullable<GpuSku['price']>): string {
  let source = priceSources.get(price);
  if (source === undefined) {
    source = `${price.source}, ${price.region}, ${price.asOf}`;
    priceSources.set(price, source);
  }
  return source;
}

/**
 * {@link estimateGpuUsage} over a time span (`end` defaults to now).
 *
 * @public
 */
export function estimateRunCost(
  sku: GpuSku,
  nodeCount: number,
  start: Date | string | number,
  end?: Date | string | number,
): GpuUsageEstimate {
  return estimateGpuUsage(sku, nodeCount, hoursBetween(start, end));
}
