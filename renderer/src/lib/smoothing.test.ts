import { describe, expect, it } from 'vitest';
import { movingAverage } from './smoothing.ts';

describe('moving average', () => {
  it('averages the trailing window, shorter at the start', () => {
    expect(movingAverage([2, 4, 6, 8, 10], 3)).toEqual([2, 3, 4, 6, 8]);
  });
});
