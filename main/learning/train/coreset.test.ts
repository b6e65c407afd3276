import { describe, expect, it } from 'vitest';
import { Random } from '../random.ts';
import { indexesByAction, kCenterGreedy, randomCoreset } from './coreset.ts';

describe('greedy k-center', () => {
  // Five points in 2-D: a cluster near the origin, one at (10, 0), one at (0, 6).
  const points = [
    [0, 0],
    [1, 0],
    [0, 1],
    [10, 0],
    [0, 6],
  ];
  const features = Float32Array.from(points.flat());
  const all = Int32Array.from(points.keys());

  it('starts nearest the mean, then picks the farthest point first, then the farthest from both', () => {
    // Mean (2.2, 1.4): nearest is (1, 0); farthest from it (10, 0); then (0, 6), farther from both than the cluster.
    expect(Array.from(kCenterGreedy(features, 2, all, 3))).toEqual([1, 3, 4]);
  });

  it('picks among the candidates only, and repeats only when asked for more than there are', () => {
    expect(Array.from(kCenterGreedy(features, 2, Int32Array.from([0, 2, 4]), 2))).toEqual([2, 4]);
    const many = kCenterGreedy(features, 2, Int32Array.from([0, 3]), 3);
    expect(new Set(many.subarray(0, 2))).toEqual(new Set([0, 3]));
    expect(many).toHaveLength(3);
  });
});

describe('random coreset', () => {
  it('draws exactly the allocation of each action, from that action, without repeats', () => {
    const actions = Int32Array.from({ length: 300 }, (_, i) => i % 3);
    const byAction = indexesByAction(actions, 3);
    const picks = randomCoreset(byAction, [5, 0, 7], new Random(1));
    expect(picks).toHaveLength(12);
    expect(Array.from(picks.subarray(0, 5), (i) => actions[i])).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(picks.subarray(5), (i) => actions[i])).toEqual(new Array(7).fill(2));
    expect(new Set(picks).size).toBe(12);
    // Seeded: the same picks again.
    expect(randomCoreset(byAction, [5, 0, 7], new Random(1))).toEqual(picks);
  });
});
