/** Small statistics helpers for the benchmark tables. */

/**
 * Median of the finite values (NaN when there are none).
 * @param values samples
 * @returns the median
 */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Nearest-rank percentiles of the first `count` samples (sorts that part in place).
 * @param samples latency samples
 * @param count how many of them are valid
 * @param ps percentiles wanted, 0–100
 * @returns one value per percentile (NaN when there are no samples)
 */
export function percentiles(samples: Float64Array, count: number, ps: readonly number[]): number[] {
  if (count === 0) return ps.map(() => NaN);
  const sorted = samples.subarray(0, count).sort();
  return ps.map((p) => sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))] as number);
}
