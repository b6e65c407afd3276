import { describe, expect, it } from 'vitest';
import { bestRows, mergeMethodOrder, normaliseRow, resultsCsv, returnBounds, scaleMark } from './compare.ts';
import { seriesColor, type ResultMark, type ResultRow } from './results.ts';

// Rows as the services send them (the fields this module reads; the contract may carry more).
const row = (method: string, split: 'id' | 'ood', mean: number, normalised = mean / 10): ResultRow =>
  ({
    method,
    split,
    models: 2,
    episodesPerModel: 3,
    intervalOver: 'students',
    mean,
    ciLow: mean - 1,
    ciHigh: mean + 1,
    std: 0.5,
    min: mean - 2,
    max: mean + 2,
    normalised,
    dataKind: 'bc',
    dataSamples: 100,
    dataEpisodes: 3,
    dataUsed: '100 transitions (3 ep.)',
    indistinguishableFromRandom: false,
  }) as ResultRow;

describe('method order', () => {
  it("keeps each run's order and puts a method one run adds after the one it follows there", () => {
    expect(
      mergeMethodOrder([
        ['expert', 'bc-100', 'synthetic'],
        ['expert', 'planner', 'bc-100', 'synthetic', 'random'],
      ]),
    ).toEqual(['expert', 'planner', 'bc-100', 'synthetic', 'random']);
    expect(mergeMethodOrder([['expert', 'bc-100'], ['bc-50'], ['expert', 'bc-100', 'bc-50']])).toEqual(['expert', 'bc-100', 'bc-50']);
    expect(
      mergeMethodOrder([
        ['bc-100', 'synthetic'],
        ['expert', 'bc-100'],
      ]),
    ).toEqual(['expert', 'bc-100', 'synthetic']);
    expect(mergeMethodOrder([])).toEqual([]);
  });
});

describe('return scales', () => {
  it("maps every return of a row and its dots with Procgen's bounds, and leaves raw marks alone", () => {
    expect(returnBounds('bigfish', 'easy')).toEqual([1, 40]);
    expect(returnBounds('pong', 'easy')).toBeNull();
    const n = normaliseRow(row('bc-100', 'id', 20.5), [1, 40]);
    expect(n.mean).toBeCloseTo(0.5, 12);
    expect(n.ciLow).toBeCloseTo(18.5 / 39, 12);
    expect(n.std).toBeCloseTo(0.5 / 39, 12);
    const mark: ResultMark = { method: 'bc-100', split: 'id', series: '#1', color: '#fff', row: row('bc-100', 'id', 20.5), dots: [1, 40] };
    expect(scaleMark(mark, 'normalised', [1, 40]).dots).toEqual([0, 1]);
    expect(scaleMark(mark, 'raw', [1, 40])).toBe(mark);
    expect(scaleMark(mark, 'normalised', null)).toBe(mark);
  });
});

describe('best cells', () => {
  it('marks per split the row with the highest normalised mean (fair across games), the first on a tie', () => {
    const rows = [row('a', 'id', 5, 0.2), row('a', 'ood', 3, 0.1), row('b', 'id', 4, 0.9), row('b', 'ood', 3, 0.1), row('c', 'id', 9, 0.5)];
    expect(bestRows(rows)).toEqual({ id: 2, ood: 1 });
    expect(bestRows([])).toEqual({ id: null, ood: null });
  });

  it('never marks the floors (the random policy, the best constant action) or the planner (the teacher)', () => {
    const rows = [
      row('bc-100', 'id', 2, 0.1),
      row('random', 'id', 3, 0.2),
      row('planner', 'id', 40, 1),
      row('bc-100', 'ood', 1, 0.05),
      row('random', 'ood', 2, 0.1),
      row('constant', 'id', 8, 0.5),
      row('constant', 'ood', 7, 0.4),
    ];
    expect(bestRows(rows)).toEqual({ id: 0, ood: 3 });
  });
});

describe('CSV', () => {
  it('writes one line per row with full precision and quotes fields with commas or quotes', () => {
    const csv = resultsCsv([row('bc-100', 'id', 1 / 3)], ['#2 seed=0, "b"']);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe('run,method,split,models,episodesPerModel,intervalOver,mean,ciLow,ciHigh,std,min,max,normalised,dataUsed,indistinguishableFromRandom');
    expect(line).toBe(
      `"#2 seed=0, ""b""",bc-100,id,2,3,students,${1 / 3},${1 / 3 - 1},${1 / 3 + 1},0.5,${1 / 3 - 2},${1 / 3 + 2},${1 / 30},100 transitions (3 ep.),false`,
    );
    expect(end).toBe('');
  });
});

describe('series colours', () => {
  it('gives 200 runs 200 different colours, the palette first', () => {
    const colours = Array.from({ length: 200 }, (_, i) => seriesColor(i));
    expect(new Set(colours).size).toBe(200);
    expect(colours[0]).toBe('#6ea8fe');
  });
});
