import { describe, expect, it } from 'vitest';
import { alignLines, allPositive, nearestValueIndex, smoothLines } from './chart-data.ts';

const line = (name: string, steps: number[], values: number[]) => ({ name, steps, values, color: '#fff' });

describe('smoothing', () => {
  it('by default fades a long series behind its moving average and leaves a short one alone', () => {
    const short = line('d', [1, 2], [1, 2]);
    expect(smoothLines([short], 'auto')).toEqual([short]);
    const values = Array.from({ length: 500 }, (_, i) => (i % 2 ? 1 : -1));
    const [raw, trend] = smoothLines(
      [
        line(
          'd',
          values.map((_, i) => i),
          values,
        ),
      ],
      'auto',
    );
    expect(raw).toMatchObject({ faded: true, values });
    expect(trend!.name).toBe('d (mean of 10)');
    expect(Math.abs(trend!.values[499]!)).toBeLessThan(0.11);
  });

  it('applies a chosen window to every line longer than it, and nothing when off', () => {
    const l = line('loss', [0, 1, 2, 3, 4, 5], [6, 0, 6, 0, 6, 0]);
    expect(smoothLines([l], 'off')).toEqual([l]);
    const [, trend] = smoothLines([l], 5);
    expect(trend).toMatchObject({ name: 'loss (mean of 5)', values: [6, 3, 4, 3, 3.6, 2.4], trendOf: 'loss' });
    expect(smoothLines([line('few', [0, 1], [1, 2])], 5)).toHaveLength(1);
  });
});

describe('alignment', () => {
  it('puts lines of different grids on the union of their steps with gaps as null, non-finite values too', () => {
    expect(alignLines([line('a', [0, 2, 4], [1, 2, NaN]), line('b', [1, 2], [5, 6])])).toEqual([
      [0, 1, 2, 4],
      [1, null, 2, null],
      [null, 5, 6, null],
    ]);
  });

  it('finds the nearest stored value to a hovered index', () => {
    expect(nearestValueIndex([null, 5, null, null, 7], 3)).toBe(4);
    expect(nearestValueIndex([null, 5, null, null, null], 3)).toBe(1);
    expect(nearestValueIndex([null, null], 0)).toBe(-1);
  });

  it('allows a log axis only when every value is above zero', () => {
    expect(allPositive([line('a', [0, 1], [0.5, 2])])).toBe(true);
    expect(allPositive([line('a', [0, 1], [0, 2])])).toBe(false);
  });
});
