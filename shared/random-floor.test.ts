import { describe, expect, it } from 'vitest';
import { agreementInWords, floorVerdict, intervalsOverlap, randomFloorSentences } from './random-floor.ts';

const row = (method: string, split: 'id' | 'ood', ciLow: number | null, ciHigh: number | null, random?: { ciLow: number; ciHigh: number }) => ({
  method,
  split,
  mean: ciLow !== null && ciHigh !== null ? (ciLow + ciHigh) / 2 : 0,
  ciLow,
  ciHigh,
  indistinguishableFromRandom: random ? intervalsOverlap({ ciLow, ciHigh }, random) : null,
});

describe('the random-policy floor', () => {
  it('calls two intervals overlapping exactly when they share a point, touching ends included', () => {
    const random = { ciLow: 0.5, ciHigh: 1.5 };
    expect(intervalsOverlap({ ciLow: 1.4, ciHigh: 3 }, random)).toBe(true);
    expect(intervalsOverlap({ ciLow: 1.5, ciHigh: 3 }, random)).toBe(true);
    expect(intervalsOverlap({ ciLow: 1.5001, ciHigh: 3 }, random)).toBe(false);
    expect(intervalsOverlap({ ciLow: -2, ciHigh: 0.4999 }, random)).toBe(false);
    expect(intervalsOverlap({ ciLow: -2, ciHigh: 9 }, random)).toBe(true);
    expect(intervalsOverlap({ ciLow: 0.9, ciHigh: 1.1 }, random)).toBe(true);
  });

  it("gives a row's verdict against the random policy: at its level, wholly below, or clear above", () => {
    const random = { ciLow: 1.06, ciHigh: 1.88 };
    // paper-starpilot: synthetic-soft 1.29 [1.16, 1.41], random-frames 0.50 [0.40, 0.61], bc-100 2.19 [1.97, 2.41].
    expect(floorVerdict(row('synthetic-soft', 'id', 1.16, 1.41, random), random)).toBe('at');
    expect(floorVerdict(row('random-frames', 'id', 0.4, 0.61, random), random)).toBe('below');
    expect(floorVerdict(row('bc-100', 'id', 1.97, 2.41, random), random)).toBe('above');
    // The random row itself, and a run without one: no verdict.
    expect(floorVerdict(row('random', 'id', 1.06, 1.88), random)).toBeNull();
    expect(floorVerdict(row('bc-100', 'id', 1.97, 2.41, random), undefined)).toBeNull();
  });

  it('holds a row clear of random against the best constant action: not above its interval is one move for all it shows', () => {
    // bigfish: random 1.28 [0.47, 2.09], constant (LEFT+UP) 6.68 [4.53, 8.83].
    const random = { ciLow: 0.47, ciHigh: 2.09 };
    const constant = { ciLow: 4.53, ciHigh: 8.83 };
    expect(floorVerdict(row('bc-100 [greedy]', 'id', 5.9, 7.9, random), random, constant)).toBe('constant');
    expect(floorVerdict(row('bc-100', 'id', 2.5, 4.1, random), random, constant)).toBe('constant');
    expect(floorVerdict(row('expert', 'id', 14.14, 20.66, random), random, constant)).toBe('above');
    // Touching ends overlap, as everywhere; at or under random, the random verdict stands.
    expect(floorVerdict(row('mtt', 'id', 8.83, 10, random), random, constant)).toBe('constant');
    expect(floorVerdict(row('dm', 'id', 0.65, 1.28, random), random, constant)).toBe('at');
    expect(floorVerdict(row('dm', 'id', 0.01, 0.15, random), random, constant)).toBe('below');
    // A constant action under random (jumper's 1.30 against 3.20) is cleared by whatever clears random.
    const jumperRandom = { ciLow: 2.27, ciHigh: 4.13 };
    expect(floorVerdict(row('bc-40', 'id', 4.5, 5.5, jumperRandom), jumperRandom, { ciLow: 0.63, ciHigh: 1.97 })).toBe('above');
  });

  it('treats an undefined interval (one value) as indistinguishable: one number is no finding', () => {
    expect(intervalsOverlap({ ciLow: null, ciHigh: null }, { ciLow: 0, ciHigh: 1 })).toBe(true);
    expect(intervalsOverlap({ ciLow: 5, ciHigh: 6 }, { ciLow: NaN, ciHigh: NaN })).toBe(true);
  });

  it('names, per split, exactly the methods whose interval overlaps the random one, and says so when none does', () => {
    const idRandom = { ciLow: 0.5, ciHigh: 1.5 };
    const oodRandom = { ciLow: 0.2, ciHigh: 0.8 };
    const rows = [
      row('expert', 'id', 4, 6, idRandom),
      row('bc-40', 'id', 1.2, 2, idRandom),
      row('synthetic', 'id', 1.6, 2.4, idRandom),
      row('random', 'id', idRandom.ciLow, idRandom.ciHigh),
      row('expert', 'ood', 0.7, 3, oodRandom),
      row('bc-40', 'ood', 0.81, 3, oodRandom),
      row('random', 'ood', oodRandom.ciLow, oodRandom.ciHigh),
    ];
    const [id, ood] = randomFloorSentences(rows);
    expect(id).toMatchObject({ split: 'id', noise: true });
    expect(id!.text).toBe(
      'On training levels (ID), bc-40 is indistinguishable from a random policy (95% intervals overlap the random policy 1.00 [0.50, 1.50]): do not read its result as a finding.',
    );
    expect(ood).toMatchObject({ split: 'ood', noise: true });
    expect(ood!.text).toMatch(/^On unseen levels \(OOD\), expert is indistinguishable .* The expert network is among them/);
    expect(ood!.text).not.toMatch(/bc-40/);

    const clear = rows.filter((r) => r.split === 'id' && r.method !== 'bc-40');
    expect(randomFloorSentences(clear)).toEqual([
      { split: 'id', noise: false, text: "On training levels (ID), every method's 95% interval is clear of the random policy 1.00 [0.50, 1.50]." },
    ]);
  });

  it("says the student recipe is the limit exactly where BC on all the data is at random's level and the expert is not", () => {
    const random = { ciLow: 0.5, ciHigh: 1.5 };
    const ceiling = /Students trained on all of the expert's data \(bc-100\) are among them while the expert is not/;
    const table = (expert: [number, number], bcAll: [number, number]) => [
      row('expert', 'id', ...expert, random),
      row('bc-100', 'id', ...bcAll, random),
      row('synthetic', 'id', 0.6, 1.2, random),
      row('random', 'id', random.ciLow, random.ciHigh),
    ];
    expect(randomFloorSentences(table([8, 12], [1, 2]))[0]!.text).toMatch(ceiling);
    // BC on all the data learned: only the synthetic row is noise.
    expect(randomFloorSentences(table([8, 12], [2, 3]))[0]!.text).not.toMatch(ceiling);
    // The expert is noise too: that is the sentence to read, not the recipe's.
    const weakExpert = randomFloorSentences(table([0.5, 2], [1, 2]))[0]!.text;
    expect(weakExpert).not.toMatch(ceiling);
    expect(weakExpert).toMatch(/The expert network is among them/);
  });

  it('names the methods whose interval lies wholly under the random one: clear of the floor is not above it', () => {
    const random = { ciLow: 0.5, ciHigh: 1.5 };
    const below = /bc-10 and kcenter-frames score below it \(95% intervals wholly under the random policy's\): worse than random actions/;
    const rows = [
      row('expert', 'id', 4, 6, random),
      row('bc-10', 'id', 0.1, 0.49, random),
      row('kcenter-frames', 'id', 0.2, 0.3, random),
      row('random', 'id', random.ciLow, random.ciHigh),
    ];
    // No method overlaps random, yet two are under it: a warning, not "every interval is clear".
    const [clearOfIt] = randomFloorSentences(rows);
    expect(clearOfIt).toMatchObject({ split: 'id', noise: true });
    expect(clearOfIt!.text).toMatch(below);
    // Beside noise rows too; a row touching the floor's lower end is noise, not below it.
    const [both] = randomFloorSentences([...rows, row('synthetic', 'id', 0.2, 0.5, random)]);
    expect(both!.text).toMatch(/synthetic is indistinguishable from a random policy/);
    expect(both!.text).toMatch(below);
    expect(randomFloorSentences(rows.filter((r) => r.method !== 'bc-10' && r.method !== 'kcenter-frames'))[0]!.text).not.toMatch(/below it/);
  });

  it('names methods only: the best constant action, a floor, is neither noise nor below random in the sentence', () => {
    const random = { ciLow: 0.5, ciHigh: 1.5 };
    const rows = [row('bc-100', 'id', 2, 3, random), row('random', 'id', random.ciLow, random.ciHigh)];
    const sentence = (constant: [number, number]) => randomFloorSentences([...rows, row('constant', 'id', ...constant, random)])[0]!;
    // At random's level (starpilot's fire key) or under it: the sentence is the one without it.
    const without = randomFloorSentences(rows)[0];
    for (const constant of [
      [0.9, 1.1],
      [0, 0.2],
    ] as [number, number][])
      expect(sentence(constant)).toEqual(without);
    expect(without).toMatchObject({ noise: false });
    // Clear above what bc-100 reaches (bigfish's upward moves): bc-100 is named as not above one move, a warning.
    expect(sentence([6, 9])).toEqual({
      split: 'id',
      noise: true,
      text: `${without!.text} bc-100 clears it but not the best constant action, 7.50 [6.00, 9.00] (one move played always): its return does not show that more than one move was learned.`,
    });
    // Its row still carries its own verdict.
    expect(floorVerdict(row('constant', 'id', 0, 0.2, random), random)).toBe('below');
  });

  it('says nothing about a split without a random row', () => {
    expect(randomFloorSentences([row('expert', 'id', 1, 2)])).toEqual([]);
  });

  it("puts the expert's agreement with the planner in words, where it was measured, beside a random policy's 1 in 15", () => {
    expect(agreementInWords(0.623, 'planner')).toBe(
      "The expert network picks the planner's action on 62% of the planner's demonstration states; a uniformly random policy would on 6.7% (1 in 15).",
    );
    expect(agreementInWords(0.05, 'dagger')).toMatch(
      /^The expert network picks the planner's action on 5\.0% of the states it reaches playing itself \(last DAgger round\);/,
    );
  });
});
