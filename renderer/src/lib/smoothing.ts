import type { ChartLine } from './chart-line.ts';

/** Trailing mean over `window` values (shorter at the start), the usual smoothing of a training curve. */
export function movingAverage(values: readonly number[], window: number): number[] {
  const out = new Array<number>(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/** Series this long are noisy enough to want a trend line: the raw line fades behind its moving average. */
const NOISY = 100;

/** A line as drawn: a long line becomes its faded raw values plus a moving average over ~2% of its points. */
export function withTrend(line: ChartLine): ChartLine[] {
  if (line.values.length < NOISY) return [line];
  const window = Math.max(5, Math.round(line.values.length / 50));
  return [
    { ...line, faded: true },
    { ...line, name: `${line.name} (mean of ${window})`, values: movingAverage(line.values, window) },
  ];
}
