/** Histogram arithmetic for the distributions panel: shares of counts and common return bins. */

/** Each count as a share of their total (all zero when the total is). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Counts of several series of values in the same `bins` equal-width bins spanning all of
 * them (one bin of width 1 when every value is the same). `edges` has bins + 1 entries;
 * the last bin includes its upper edge.
 */
export function commonBins(series: readonly (readonly number[])[], bins: number): { edges: number[]; counts: number[][] } {
  const all = series.flat();
  const low = all.length ? Math.min(...all) : 0;
  const high = all.length ? Math.max(...all) : 1;
  const width = high > low ? (high - low) / bins : 1;
  const n = high > low ? bins : 1;
  const edges = Array.from({ length: n + 1 }, (_, i) => low + i * width);
  const counts = series.map((values) => {
    const c = new Array<number>(n).fill(0);
    for (const v of values) c[Math.min(n - 1, Math.floor((v - low) / width))]!++;
    return c;
  });
  return { edges, counts };
}
