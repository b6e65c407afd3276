import { describe, expect, it } from 'vitest';
import { movingAverage, withTrend } from './smoothing.ts';

describe('trend lines', () => {
  it('averages the trailing window, shorter at the start', () => {
    expect(movingAverage([2, 4, 6, 8, 10], 3)).toEqual([2, 3, 4, 6, 8]);
  });

  it('fades a long series behind its moving average and leaves a short one alone', () => {
    const short = { name: 'd', steps: [1, 2], values: [1, 2], color: '#fff' };
    expect(withTrend(short)).toEqual([short]);
    const values = Array.from({ length: 500 }, (_, i) => (i % 2 ? 1 : -1));
    const [raw, trend] = withTrend({ ...short, steps: values.map((_, i) => i), values });
    expect(raw).toMatchObject({ faded: true, values });
    expect(trend!.name).toBe('d (mean of 10)');
    expect(Math.abs(trend!.values[499]!)).toBeLessThan(0.11);
  });
});
