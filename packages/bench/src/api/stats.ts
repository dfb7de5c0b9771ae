/** Latency statistics of one series of sequential reads. */
export interface LatencyStats {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Nearest-rank percentile (`p` in 0..100) of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function latencyStats(samplesMs: number[]): LatencyStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    minMs: sorted[0] ?? NaN,
    meanMs: sorted.length ? sum / sorted.length : NaN,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? NaN,
  };
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 100) return ms.toFixed(0);
  return ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

export function formatMiB(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : (bytes / 1024 / 1024).toFixed(0);
}

/** The closing line of a benchmark run: how long it took and the machine's load around it. */
export function wholeRunLine(
  startedMs: number,
  loadBefore: number[],
  loadAfter: number[],
): string {
  const load = (l: number[]) => l.map(x => x.toFixed(2)).join(' ');
  return `(whole run ${((Date.now() - startedMs) / 1000).toFixed(
    0,
  )} s; load average ${load(loadBefore)} before, ${load(loadAfter)} after)`;
}
