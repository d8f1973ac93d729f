/** The nearest-rank percentile (0–100) of some numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) {
    throw new Error('percentile of no values');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function mean(values: number[]): number {
  if (values.length === 0) {
    throw new Error('mean of no values');
  }
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Milliseconds since `start`, a `performance.now()` reading. */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}
