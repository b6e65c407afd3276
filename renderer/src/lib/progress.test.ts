import { describe, expect, it } from 'vitest';
import { describeProgress } from './progress.ts';

describe('progress in words', () => {
  it('shows whole counts however fractional the report, and no rate before a second has passed', () => {
    const text = describeProgress({ done: 0, total: 12, at: 0 }, { done: 0.15, total: 12, at: 500 });
    expect(text).toMatchObject({ counts: '0/12', rate: null, left: null });
    expect(text.fraction).toBeCloseTo(0.0125, 12);
  });

  it('measures the rate since the stage began and the time left at that rate', () => {
    expect(describeProgress({ done: 2, total: 20, at: 1000 }, { done: 8, total: 20, at: 4000 })).toEqual({
      counts: '8/20',
      fraction: 0.4,
      rate: '2.0/s',
      left: '6.0 s left',
    });
    expect(describeProgress({ done: 0, total: 1e6, at: 0 }, { done: 40_000, total: 1e6, at: 100_000 })).toMatchObject({ rate: '400/s', left: '40.0 min left' });
    expect(describeProgress({ done: 0, total: 10, at: 0 }, { done: 1, total: 10, at: 120_000 })).toMatchObject({ rate: '0.5/min', left: '18.0 min left' });
  });
});
