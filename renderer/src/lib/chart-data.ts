/**
 * What the chart module draws, computed apart from the drawing library so it
 * is tested: smoothing as chosen, lines of different step grids aligned on one
 * x axis (uPlot's data layout), the nearest stored value to a hovered x.
 */
import type { ChartLine } from './chart-line.ts';
import { movingAverage } from './smoothing.ts';

/** `auto`: long series (100+ points) fade behind a mean over ~2% of their points; a number: that window for every line. */
export type Smoothing = 'off' | 'auto' | number;

export const SMOOTHING_CHOICES: readonly Smoothing[] = ['auto', 'off', 5, 20, 50, 200];

/** Series this long are noisy enough to want a trend line by default. */
const NOISY = 100;

/** The lines as drawn: a smoothed line gets its raw values faded behind it (the legend's key is `trendOf ?? name`). */
export function smoothLines(lines: readonly ChartLine[], smoothing: Smoothing): ChartLine[] {
  return lines.flatMap((line) => {
    if (line.faded || smoothing === 'off') return [line];
    const window = smoothing === 'auto' ? (line.values.length >= NOISY ? Math.max(5, Math.round(line.values.length / 50)) : 0) : smoothing;
    if (window < 2 || line.values.length <= window) return [line];
    return [
      { ...line, faded: true },
      { ...line, name: `${line.name} (mean of ${window})`, values: movingAverage(line.values, window), trendOf: line.name },
    ];
  });
}

/** [x, ...one y per line] on the union of the lines' steps, null where a line has no value. */
export function alignLines(lines: readonly ChartLine[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(lines.flatMap((l) => l.steps))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((line) => {
    const out = new Array<number | null>(xs.length).fill(null);
    line.steps.forEach((step, i) => {
      const value = line.values[i]!;
      out[at.get(step)!] = Number.isFinite(value) ? value : null;
    });
    return out;
  });
  return [xs, ...ys];
}

/** The index of the value nearest to `index` that is not null (lines on coarser grids have gaps), or -1. */
export function nearestValueIndex(values: readonly (number | null)[], index: number): number {
  for (let d = 0; d < values.length; d++) {
    if (values[index - d] != null) return index - d;
    if (values[index + d] != null) return index + d;
  }
  return -1;
}

/** A log y axis needs every value above zero. */
export const allPositive = (lines: readonly ChartLine[]): boolean => lines.every((l) => l.values.every((v) => !Number.isFinite(v) || v > 0));

/** The legend entry a drawn line belongs to: a trend and its faded raw line are one entry. */
export const legendKey = (line: ChartLine): string => line.trendOf ?? line.name;
