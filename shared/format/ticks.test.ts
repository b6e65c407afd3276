import { describe, expect, it } from 'vitest';
import { niceTicks } from './ticks.ts';

describe('axis ticks', () => {
  it('picks round ticks inside the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.13, 0.42, 10)).toEqual([-0.1, 0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
