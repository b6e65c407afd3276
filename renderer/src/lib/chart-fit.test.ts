import { describe, expect, it } from 'vitest';
import { chartExtent, defaultFit, offAxis, shownDots } from './chart-fit.ts';
import type { ResultMark, ResultRow } from './results.ts';

const mark = (method: string, dataKind: ResultRow['dataKind'], mean: number, halfWidth: number, dots: number[]): ResultMark => ({
  method,
  split: 'id',
  series: 'run 1',
  color: '#fff',
  dots,
  row: {
    method,
    split: 'id',
    models: dots.length,
    episodesPerModel: 100,
    intervalOver: 'students',
    mean,
    ciLow: mean - halfWidth,
    ciHigh: mean + halfWidth,
    std: 0,
    min: mean,
    max: mean,
    normalised: 0,
    dataKind,
    dataSamples: 0,
    dataEpisodes: 0,
    dataUsed: '',
    indistinguishableFromRandom: null,
  },
});

// paper-bigfish's shape: the expert's episodes span 0..41, every learner sits near 1.
const expert = mark('expert', 'expert', 17.4, 3.3, [0, 41]);
const planner = mark('planner', 'expert', 37.9, 1.5, [4, 41]);
const random = {
  ...mark('random', 'random', 1.28, 0.81, [0, 40]),
  row: { ...mark('random', 'random', 1.28, 0.81, []).row, intervalOver: 'episodes' as const },
};
const students = [mark('bc-100', 'bc', 0.9, 0.1, [0.8, 1.0]), mark('synthetic', 'synthetic', 1.25, 0.4, [0.8, 1.9]), random];

describe('results chart axis', () => {
  it("fits the learners' means and the random policy's interval, not the teachers or single episodes, when asked", () => {
    // From the random policy's interval [0.47, 2.09] (not its episodes, one of which scored 40) and the students' means.
    const [low, high] = chartExtent([expert, planner, ...students], 'learners');
    expect(low).toBeCloseTo(0.47 - 0.05 * (2.09 - 0.47), 6);
    expect(high).toBeCloseTo(2.09 + 0.05 * (2.09 - 0.47), 6);
    expect(chartExtent([expert, planner, ...students], 'all')[1]).toBeGreaterThan(41);
  });

  it('fits the learners by default only where everything would crowd them into a third of the axis', () => {
    expect(defaultFit([expert, planner, ...students])).toBe('learners');
    // Students spread over most of the expert's range: one axis for all.
    expect(defaultFit([expert, mark('bc-100', 'bc', 17, 3, [2, 38])])).toBe('all');
    // Students near the expert's mean but close together: fitted to them, the expert's mean is still on the axis.
    const close = [expert, mark('bc-100', 'bc', 15, 2, [10, 22])];
    expect(defaultFit(close)).toBe('learners');
    expect(offAxis(expert, chartExtent(close, 'learners'))).toBeNull();
    // No learner rows (an evaluation that only played the expert): everything.
    expect(chartExtent([expert], 'learners')).toEqual(chartExtent([expert], 'all'));
  });

  it('says which side of the axis a mean lies beyond', () => {
    const axis = [0.4, 2.1] as const;
    expect(offAxis(expert, axis)).toBe('above');
    expect(offAxis(students[0]!, axis)).toBeNull();
    expect(offAxis(mark('x', 'bc', -3, 0, []), axis)).toBe('below');
  });

  it("draws only the dots on the axis, and no single model's episodes when fitting the learners", () => {
    const axis = chartExtent([expert, planner, ...students], 'learners');
    expect(shownDots(students[1]!, 'learners', axis)).toEqual([0.8, 1.9]);
    // The random policy's episodes (0 and 40) and the off-axis expert's: none.
    expect(shownDots(random, 'learners', axis)).toEqual([]);
    expect(shownDots(expert, 'learners', axis)).toEqual([]);
    const all = chartExtent([expert, planner, ...students], 'all');
    expect(shownDots(random, 'all', all)).toEqual([0, 40]);
  });
});
