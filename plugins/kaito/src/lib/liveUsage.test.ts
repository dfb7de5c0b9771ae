import { runs, tuningSummary } from '../__fixtures__';
import { runNow, summaryNow } from './liveUsage';

const HOUR = 3_600_000;

describe('summaryNow', () => {
  it('moves the age and the usage of a running workspace on from its read', () => {
    const ws = tuningSummary(); // 1 node of A100 (1 GPU), 1.5 h, $5.51, $3.673/h
    const later = summaryNow(ws, 0, 2 * HOUR);
    expect(later.ageSeconds).toBe(5400 + 7200);
    expect(later.gpuHours).toBeCloseTo(3.5);
    expect(later.estimatedCostUsd).toBeCloseTo(5.51 + 2 * 3.673);
  });

  it('keeps the figures of a finished run or one without nodes', () => {
    const done = tuningSummary({ finishedAt: '2026-11-23T11:30:00Z' });
    expect(summaryNow(done, 0, HOUR)).toMatchObject({
      gpuHours: 1.5,
      estimatedCostUsd: 5.51,
    });
    const waiting = tuningSummary({
      usage: { nodeCount: 0, hours: 1, gpuHours: 0, estimatedCostUsd: 0 },
    });
    expect(summaryNow(waiting, 0, HOUR)).toMatchObject({
      gpuHours: 0,
      estimatedCostUsd: 0,
    });
  });
});

describe('runNow', () => {
  it('grows only active runs, by their nodes, GPUs and price', () => {
    const [active, done] = runs().map((r, i) => ({ ...r, active: i === 0 }));
    const grown = runNow(active, 0, HOUR);
    expect(grown.durationSeconds).toBe(active.durationSeconds + 3600);
    expect(grown.gpuHours).toBeCloseTo(
      active.gpuHours + active.nodeCount * (active.gpusPerNode ?? 1),
    );
    expect(runNow(done, 0, HOUR)).toMatchObject({
      durationSeconds: done.durationSeconds,
      gpuHours: done.gpuHours,
    });
  });
});
