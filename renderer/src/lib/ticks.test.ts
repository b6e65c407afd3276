import { describe, expect, it } from 'vitest';
import { formatNumber, niceTicks, paddedExtent } from './ticks.ts';

describe('axis helpers', () => {
  it('picks round ticks inside the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.13, 0.42, 10)).toEqual([-0.1, 0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('formats values compactly without hiding tiny losses', () => {
    expect(formatNumber(0.000491)).toBe('4.91e-4');
    expect(formatNumber(12.3456)).toBe('12.3');
    expect(formatNumber(1976)).toBe('1976');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(-3.0e-18)).toBe('0');
  });

  it('pads an extent and widens a flat one', () => {
    expect(paddedExtent([0, 10], 0.1)).toEqual([-1, 11]);
    expect(paddedExtent([2, 2])).toEqual([1.5, 2.5]);
    expect(paddedExtent([])).toEqual([0, 1]);
  });
});
