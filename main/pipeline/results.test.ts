import { describe, expect, it } from 'vitest';
import { normalisedReturn, summarise, tQuantile95 } from './results.ts';

describe('results statistics', () => {
  it('gives a Student t 95% interval over the values', () => {
    const s = summarise([1, 2, 3]);
    expect(s).toMatchObject({ n: 3, mean: 2, std: 1, min: 1, max: 3 });
    expect(s.halfWidth).toBeCloseTo((4.303 * 1) / Math.sqrt(3), 6);
  });

  it('has no interval for a single value', () => {
    expect(summarise([5]).halfWidth).toBeNaN();
  });

  it('continues the t table smoothly past 30 degrees of freedom, toward the normal quantile', () => {
    expect(tQuantile95(30)).toBeCloseTo(2.042, 3);
    expect(tQuantile95(31)).toBeLessThan(2.042);
    expect(tQuantile95(31)).toBeGreaterThan(2.03);
    expect(tQuantile95(10_000)).toBeCloseTo(1.96, 3);
  });

  it("normalises with Procgen's constants", () => {
    expect(normalisedReturn('bigfish', 'easy', 40)).toBe(1);
    expect(normalisedReturn('starpilot', 'easy', 2.5)).toBe(0);
    expect(normalisedReturn('jumper', 'easy', 6.5)).toBeCloseTo(0.5, 12);
    expect(normalisedReturn('jumper', 'hard', 1)).toBe(0);
  });
});
