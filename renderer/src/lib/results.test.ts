import { describe, expect, it } from 'vitest';
import type { EpisodesList } from '@shared/api/inspect.ts';
import { dotsByMethod, seedAggregate, type RunResults } from './results.ts';

const episode = (idx: number, ret: number) => ({ idx, levelSeed: idx, length: 10, return: ret });

describe('result dots', () => {
  it('gives a student method one dot per student (its mean) and the lone expert one dot per episode', () => {
    const list: EpisodesList = {
      runId: 1,
      game: 'bigfish',
      mode: 'easy',
      dataset: null,
      otherDatasets: [],
      models: [
        { modelId: 1, role: 'expert', method: 'expert', member: 0, id: [episode(0, 3), episode(1, 5)], ood: [episode(0, 1)] },
        { modelId: 2, role: 'student', method: 'synthetic', member: 0, id: [episode(0, 1), episode(1, 3)], ood: [] },
        { modelId: 3, role: 'student', method: 'synthetic', member: 1, id: [episode(0, 4), episode(1, 4)], ood: [] },
      ],
    };
    const dots = dotsByMethod(list);
    expect(dots.get('expert')).toEqual({ id: [3, 5], ood: [1] });
    expect(dots.get('synthetic')).toEqual({ id: [2, 4], ood: [] });
  });
});

describe('seed aggregates', () => {
  const row = (method: string, split: 'id' | 'ood', mean: number) => ({
    method,
    split,
    models: 2,
    episodesPerModel: 10,
    intervalOver: 'students' as const,
    mean,
    ciLow: null,
    ciHigh: null,
    std: 0,
    min: mean,
    max: mean,
    normalised: mean / 10,
    dataKind: 'synthetic' as const,
    dataSamples: 150,
    dataEpisodes: 0,
    dataUsed: '150 synthetic samples',
    indistinguishableFromRandom: null,
  });
  const run = (runId: number, mean: number, randomMean?: number): RunResults => ({
    runId,
    game: 'bigfish',
    mode: 'easy',
    expertSource: 'planner',
    rows: [row('synthetic', 'id', mean), ...(randomMean === undefined ? [] : [row('random', 'id', randomMean)])],
  });

  it('averages the runs means with a t interval over runs, one dot per run', () => {
    const [mark] = seedAggregate([run(1, 1), run(2, 2), run(3, 3)], '3 seeds', '#fff');
    expect(mark!.dots).toEqual([1, 2, 3]);
    expect(mark!.row.mean).toBe(2);
    // t(0.975, 2) = 4.303; std 1; half width 4.303 / sqrt(3).
    expect(mark!.row.ciHigh! - 2).toBeCloseTo(4.303 / Math.sqrt(3), 6);
    expect(mark!.row.models).toBe(3);
    expect(mark!.over).toBe('runs (seeds)');
  });

  it("judges the aggregate against the aggregated random policy's interval, not each run's flag", () => {
    // Random means 1, 1.2, 1.4 (interval about [0.70, 1.70]); synthetic 1.5, 1.6, 1.7 (about [1.35, 1.85]): they overlap.
    const close = seedAggregate([run(1, 1.5, 1), run(2, 1.6, 1.2), run(3, 1.7, 1.4)], '3 seeds', '#fff');
    expect(close.find((m) => m.method === 'synthetic')!.row.indistinguishableFromRandom).toBe(true);
    expect(close.find((m) => m.method === 'random')!.row.indistinguishableFromRandom).toBeNull();
    // Synthetic 5, 5.1, 5.2 is clear of it.
    const clear = seedAggregate([run(1, 5, 1), run(2, 5.1, 1.2), run(3, 5.2, 1.4)], '3 seeds', '#fff');
    expect(clear.find((m) => m.method === 'synthetic')!.row.indistinguishableFromRandom).toBe(false);
    // Without random rows there is nothing to judge against.
    expect(seedAggregate([run(1, 1), run(2, 2)], '2 seeds', '#fff')[0]!.row.indistinguishableFromRandom).toBeNull();
  });
});
