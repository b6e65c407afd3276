/**
 * The floors of a results table: whether a method's 95% interval overlaps a
 * uniformly random policy's on the same level seeds (so its mean could be noise
 * around what random actions score), whether it clears the best constant action
 * (one move played always), and those verdicts in words. Shared by the CLI's
 * table and the renderer's, so both say the same thing.
 */
import { BC_ALL_DATA_METHOD, CONSTANT_METHOD, RANDOM_METHOD, isFloorMethod } from './config/methods.ts';
import { NUM_ACTIONS } from './procgen/engine/actions.ts';

/** A result's interval; null or NaN bounds mean "undefined" (one value, no spread to estimate). */
export interface Interval {
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
}

const defined = (v: number | null): v is number => v !== null && Number.isFinite(v);

/**
 * Whether two 95% intervals overlap. An undefined interval overlaps everything: a single
 * value cannot show that a method differs from random, so it is not reported as a finding.
 */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  if (!defined(a.ciLow) || !defined(a.ciHigh) || !defined(b.ciLow) || !defined(b.ciHigh)) return true;
  return a.ciLow <= b.ciHigh && b.ciLow <= a.ciHigh;
}

/** Whether interval `a` lies wholly under `b` (both defined): a method that does significantly worse than `b`. */
export function whollyBelow(a: Interval, b: Interval): boolean {
  return defined(a.ciHigh) && defined(b.ciLow) && defined(a.ciLow) && defined(b.ciHigh) && a.ciHigh < b.ciLow;
}

/**
 * Where a row's 95% interval lies against the floors on one split: 'at' the random policy's level
 * (overlapping), 'below' it (wholly under), clear above it but not above the best 'constant'
 * action's interval, or 'above' both.
 */
export type FloorVerdict = 'at' | 'below' | 'constant' | 'above';

/**
 * A row's `FloorVerdict`; null for the random row itself or without one. `constant` is the best
 * constant action's interval, given for rows that learned (not for the floors themselves): a
 * student that collapses onto one move clears random on bigfish and is still only that move.
 */
export function floorVerdict(
  row: Interval & { readonly indistinguishableFromRandom: boolean | null },
  random: Interval | undefined,
  constant?: Interval,
): FloorVerdict | null {
  if (random === undefined || row.indistinguishableFromRandom === null) return null;
  if (row.indistinguishableFromRandom) return 'at';
  if (whollyBelow(row, random)) return 'below';
  return constant && !whollyBelow(constant, row) ? 'constant' : 'above';
}

/** A verdict as text tables write it after an interval (`ddrl results`, the study report); nothing where clear above both floors. */
export const FLOOR_TAGS: Readonly<Record<FloorVerdict, string>> = { at: ' ~random', below: ' below random', constant: ' ≤ constant', above: '' };

/** Whether a verdict is clear above the random policy (whatever it says about the constant action). */
export const clearOfRandom = (verdict: FloorVerdict | null): boolean => verdict === 'above' || verdict === 'constant';

interface FloorRow extends Interval {
  readonly method: string;
  readonly split: 'id' | 'ood';
  readonly mean: number;
  /** Whether this row's interval overlaps the random row's of its split (`intervalsOverlap`). */
  readonly indistinguishableFromRandom: boolean | null;
}

/**
 * A row's `floorVerdict` against the floors among `rows` (one run's table, or one study game's),
 * on its split. The floors themselves are held against the random policy only: the constant
 * action is a floor, not a student that collapsed onto one move.
 */
export function floorVerdictAmong(row: FloorRow, rows: readonly FloorRow[]): FloorVerdict | null {
  const floor = (method: string) => rows.find((r) => r.method === method && r.split === row.split);
  return floorVerdict(row, floor(RANDOM_METHOD), isFloorMethod(row.method) ? undefined : floor(CONSTANT_METHOD));
}

export interface FloorSentence {
  readonly split: 'id' | 'ood';
  /** Whether some method is indistinguishable from random, or below it, there (a warning, not a reassurance). */
  readonly noise: boolean;
  readonly text: string;
}

const SPLIT_WORDS = { id: 'training levels (ID)', ood: 'unseen levels (OOD)' } as const;

const list = (names: readonly string[]): string => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`);

const fixed = (v: number | null): string => (defined(v) ? v.toFixed(2) : '-');

/** What a results table says while its run has no random row. */
export const RANDOM_NOT_EVALUATED = 'Random policy: not evaluated yet (the evaluate stage has not finished).';

/** What the floor note adds where `studentRecipeIsTheLimit` holds. */
export const STUDENT_RECIPE_LIMIT = `Students trained on all of the expert's data (${BC_ALL_DATA_METHOD}) are among them while the expert is not: with this student recipe (students.*: network, steps, learning rate) they learn nothing even from all the data, so change the recipe before comparing methods by it.`;

/**
 * Whether, on `split`, BC on all the data is indistinguishable from a random policy while the
 * expert is not: a strong expert whose whole dataset teaches students nothing, so the student
 * recipe, not any method, is what every student row measures.
 */
export function studentRecipeIsTheLimit(rows: readonly FloorRow[], split: 'id' | 'ood'): boolean {
  const verdict = (method: string) => rows.find((r) => r.method === method && r.split === split)?.indistinguishableFromRandom;
  return verdict('expert') === false && verdict(BC_ALL_DATA_METHOD) === true;
}

/**
 * One sentence per split that has a random row: which methods are indistinguishable from a random
 * policy there, or that none is. The floors themselves (the best constant action) are not methods:
 * their rows carry their own verdict, but no sentence names them.
 */
export function randomFloorSentences(rows: readonly FloorRow[]): FloorSentence[] {
  return (['id', 'ood'] as const).flatMap((split): FloorSentence[] => {
    const random = rows.find((r) => r.method === RANDOM_METHOD && r.split === split);
    if (!random) return [];
    const floor = `random policy ${fixed(random.mean)} [${fixed(random.ciLow)}, ${fixed(random.ciHigh)}]`;
    const methods = rows.filter((r) => r.split === split && !isFloorMethod(r.method));
    const noise = methods.filter((r) => r.indistinguishableFromRandom === true).map((r) => r.method);
    const under = methods.filter((r) => whollyBelow(r, random)).map((r) => r.method);
    // Clear of the floor is not above it: students can learn to do worse than random actions.
    const belowToo = under.length
      ? ` ${list(under)} ${under.length === 1 ? 'scores' : 'score'} below it (95% interval${under.length === 1 ? '' : 's'} wholly under the random policy's): worse than random actions, for example by collapsing onto a few actions.`
      : '';
    // Clear above random, yet not above one move played always: the return does not show a policy.
    const constant = rows.find((r) => r.method === CONSTANT_METHOD && r.split === split);
    const oneMove = methods.filter((r) => floorVerdictAmong(r, rows) === 'constant').map((r) => r.method);
    const oneMoveToo = oneMove.length
      ? ` ${list(oneMove)} ${oneMove.length === 1 ? 'clears' : 'clear'} it but not the best constant action, ${fixed(constant!.mean)} [${fixed(constant!.ciLow)}, ${fixed(constant!.ciHigh)}] (one move played always): ${oneMove.length === 1 ? 'its return does' : 'their returns do'} not show that more than one move was learned.`
      : '';
    if (noise.length === 0)
      return [
        {
          split,
          noise: under.length > 0 || oneMove.length > 0,
          text: `On ${SPLIT_WORDS[split]}, every method's 95% interval is clear of the ${floor}.${belowToo}${oneMoveToo}`,
        },
      ];
    const expertToo = noise.includes('expert') ? ' The expert network is among them, so comparing what learned from it says little.' : '';
    const ceilingToo = studentRecipeIsTheLimit(rows, split) ? ` ${STUDENT_RECIPE_LIMIT}` : '';
    const verb = noise.length === 1 ? 'is' : 'are';
    return [
      {
        split,
        noise: true,
        text: `On ${SPLIT_WORDS[split]}, ${list(noise)} ${verb} indistinguishable from a random policy (95% intervals overlap the ${floor}): do not read ${noise.length === 1 ? 'its result as a finding' : 'their results as findings'}.${expertToo}${ceilingToo}${belowToo}${oneMoveToo}`,
      },
    ];
  });
}

/** Where each expert source measures its network's agreement with the planner. */
const AGREEMENT_STATES: Readonly<Record<string, string>> = {
  dagger: 'the states it reaches playing itself (last DAgger round)',
  planner: "the planner's demonstration states",
};

/** The expert network's action agreement with the planner, in words, beside what a uniformly random policy would reach. */
export function agreementInWords(agreement: number, expertSource: string): string {
  const percent = (v: number) => `${(v * 100).toFixed(v < 0.1 ? 1 : 0)}%`;
  const states = AGREEMENT_STATES[expertSource] ?? 'the states it was checked on';
  return `The expert network picks the planner's action on ${percent(agreement)} of ${states}; a uniformly random policy would on ${percent(1 / NUM_ACTIONS)} (1 in ${NUM_ACTIONS}).`;
}
