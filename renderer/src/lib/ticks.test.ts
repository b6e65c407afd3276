import { describe, expect, it } from 'vitest';
import { formatNumber, paddedExtent } from './ticks.ts';

describe('axis helpers', () => {
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
