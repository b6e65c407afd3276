import { describe, expect, it } from 'vitest';
import { commonBins, shares } from './histograms.ts';

describe('histograms', () => {
  it('turns counts into shares', () => {
    expect(shares([1, 3, 0])).toEqual([0.25, 0.75, 0]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });

  it('bins several series on common edges, the top value in the last bin', () => {
    const { edges, counts } = commonBins(
      [
        [0, 1, 2, 10],
        [5, 10],
      ],
      5,
    );
    expect(edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(counts).toEqual([
      [2, 1, 0, 0, 1],
      [0, 0, 1, 0, 1],
    ]);
    expect(commonBins([[3, 3]], 4)).toEqual({ edges: [3, 4], counts: [[2]] });
  });
});
