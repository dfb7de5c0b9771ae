import { estimateGpuUsage, estimateRunCost, hoursBetween } from './cost';
import { findGpuSku } from './skus';

const a100 = findGpuSku('Standard_NC24ads_A100_v4')!;
const h200 = findGpuSku('Standard_ND96isr_H200_v5')!;

describe('hoursBetween', () => {
  it('measures spans in hours', () => {
    expect(hoursBetween('2026-01-01T00:00:00Z', '2026-01-01T01:30:00Z')).toBe(
      1.5,
    );
    expect(hoursBetween(new Date(0), new Date(3_600_000))).toBe(1);
    expect(hoursBetween(7_200_000, '1970-01-01T03:00:00Z')).toBe(1);
    expect(hoursBetween('2026-01-01T02:00:00Z', '2026-01-01T01:00:00Z')).toBe(
      0,
    );
  });

  it('rejects invalid times', () => {
    expect(() => hoursBetween('yesterday', '2026-01-01T00:00:00Z')).toThrow(
      TypeError,
    );
    expect(() => hoursBetween(0, Number.NaN)).toThrow('Invalid time: NaN');
    expect(() => hoursBetween(Infinity, 0)).toThrow('Invalid time: Infinity');
  });
});

describe('estimateGpuUsage', () => {
  it('multiplies nodes, GPUs and hours and prices them', () => {
    expect(estimateGpuUsage(a100, 3, 2)).toEqual({
      nodeHours: 6,
      gpuHours: 6,
      estimatedCostUsd: 22.04,
      priceSource: expect.stringContaining('eastus'),
    });
  });

  it('names the price source the same way every time', () => {
    const first = estimateGpuUsage(a100, 1, 1).priceSource;
    expect(first).toBe(
      `${a100.price!.source}, ${a100.price!.region}, ${a100.price!.asOf}`,
    );
    expect(estimateGpuUsage(a100, 2, 5).priceSource).toBe(first);
  });

  it('counts every GPU of multi-GPU SKUs and leaves out unknown prices', () => {
    expect(estimateGpuUsage(h200, 1, 0.5)).toEqual({
      nodeHours: 0.5,
      gpuHours: 4,
    });
  });

  it('rejects negative inputs', () => {
    expect(() => estimateGpuUsage(a100, -1, 1)).toThrow(RangeError);
    expect(() => estimateGpuUsage(a100, 1, Number.NaN)).toThrow(RangeError);
  });
});

describe('estimateRunCost', () => {
  it('prices a finished run', () => {
    expect(
      estimateRunCost(a100, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:45:00Z'),
    ).toMatchObject({
      nodeHours: 0.75,
      gpuHours: 0.75,
      estimatedCostUsd: 2.75,
    });
  });
});
