/**
 * What the study's stored runs say, per game: the table of every method and control at 150
 * samples, the best distilled row held against the target, the best control, BC on all the data
 * and the best constant action, and the size sweep. The one reading of the runs that the
 * markdown report (`study-report.ts`) and the app's Study view (`study.get`) both present.
 * Every number is a row of `runResults`, so it equals `ddrl results`.
 */
import type { Database } from 'better-sqlite3';
import {
  BC_ALL_DATA_METHOD,
  CONSTANT_METHOD,
  isCoresetControl,
  isDistilledMethod,
  isFloorMethod,
  RANDOM_METHOD,
  SYNTHETIC_METHOD,
  type DistillVariant,
} from '@shared/config/methods.ts';
import { clearOfRandom, floorVerdict, intervalsOverlap, studentRecipeIsTheLimit, whollyBelow } from '@shared/random-floor.ts';
import { GAME_NAMES, type GameName } from '@shared/procgen/games/index.ts';
import { getStages, type RunRow } from '../storage/runs.ts';
import { runResults, type ResultRow } from './results.ts';
import { bestOfPhaseOne, methodLabel, sizeLabel, STUDY_METHODS, STUDY_SIZES } from './study.ts';

/** One table row: a result row of one run, named for the study (synthetic rows carry their method). */
export interface StudyRow {
  readonly name: string;
  readonly runId: number;
  readonly id: ResultRow | undefined;
  readonly ood: ResultRow | undefined;
}

/** One size of the sweep: the best method's and the best control's rows, and that run's random policy. */
export interface SweepPoint {
  readonly size: number;
  readonly method: StudyRow | undefined;
  readonly control: StudyRow | undefined;
  readonly random: StudyRow | undefined;
}

export type TargetVerdict = 'met' | 'missed' | 'not measured';

export interface GameFindings {
  readonly game: GameName;
  /** The finished phase-1 runs (150 samples), with the seconds their stages took. */
  readonly runs: { readonly method: DistillVariant; readonly runId: number; readonly seconds: number }[];
  /** Phase-1 methods without a finished run. */
  readonly missing: DistillVariant[];
  /** The run whose expert, BC and floor rows stand in while the paper run is not done; null once it is. */
  readonly standIn: { readonly method: DistillVariant; readonly runId: number } | null;
  /** Reference rows (expert, baselines, controls), then every run's distilled rows, then the floors. */
  readonly rows: StudyRow[];
  /**
   * The best distilled row by its ID mean; whether it reaches the target (50% of the expert's return, ID
   * and OOD); that share and what it is held against, in words. Null without distilled rows.
   */
  readonly best: { readonly name: string; readonly target: TargetVerdict; readonly summary: string; readonly against: string[] } | null;
  /** The size sweep; null until the paper run is done (its controls are the sweep's). */
  readonly sweep: {
    /** Sizes (15, 50, 500) with no finished run. */
    readonly unfinished: number[];
    /** The best method (named with its variant), the best control and their rows per size; null before any size is done. */
    readonly result: { readonly method: string; readonly control: string; readonly points: SweepPoint[] } | null;
  } | null;
}

const fixed = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-');

/** A run's result rows, read once per findings however many tables and sweep points use them. */
type ResultsOf = (run: RunRow) => readonly ResultRow[];

function rowsOfRun(resultsOf: ResultsOf, run: RunRow, keep: (method: string) => boolean, rename: (method: string) => string): StudyRow[] {
  const rows = resultsOf(run);
  return [...new Set(rows.map((r) => r.method))].filter(keep).map((method) => ({
    name: rename(method),
    runId: run.id,
    id: rows.find((r) => r.method === method && r.split === 'id'),
    ood: rows.find((r) => r.method === method && r.split === 'ood'),
  }));
}

/** "A beats B" in words, on one split: the difference and whether the 95% intervals separate them. */
function comparison(a: StudyRow, b: StudyRow | undefined, split: 'id' | 'ood', random: ResultRow | undefined): string {
  const x = a[split];
  const y = b?.[split];
  if (!x || !y || !b) return 'not measured';
  const difference = x.mean - y.mean;
  const significant = !intervalsOverlap(x, y);
  // Two rows at or under a random policy's level can still separate (one recipe fails more steadily than another): not a finding.
  const aboveRandom = (r: ResultRow) => clearOfRandom(floorVerdict(r, random));
  const neither = significant && !aboveRandom(x) && !aboveRandom(y) ? ', but neither is above a random policy' : '';
  return `${difference >= 0 ? '+' : ''}${fixed(difference)} vs ${b.name} (${significant ? (difference > 0 ? 'better, significant' : 'worse, significant') + neither : 'not significant: the 95% intervals overlap'})`;
}

/** The best distilled row held against the target (50% of the expert), the best control, BC on all data and the constant action. */
function bestFindings(rows: readonly StudyRow[]): GameFindings['best'] {
  const byIdMean = (a: StudyRow, b: StudyRow) => (b.id?.mean ?? -Infinity) - (a.id?.mean ?? -Infinity);
  const best = rows.filter((r) => r.name.startsWith(SYNTHETIC_METHOD)).sort(byIdMean)[0];
  if (!best) return null;
  const controls = rows.filter((r) => isCoresetControl(r.name)).sort(byIdMean);
  const find = (name: string) => rows.find((r) => r.name === name);
  const [expert, bc, constant, random] = [find('expert'), find(BC_ALL_DATA_METHOD), find(CONSTANT_METHOD), find(RANDOM_METHOD)];
  // A share of an expert at or below zero (or of a margin at or below zero) means nothing.
  const ratio = (split: 'id' | 'ood', floor: number) => {
    const [b, e] = [best[split]?.mean, expert?.[split]?.mean];
    return b === undefined || e === undefined || !(e - floor > 0) ? undefined : (b - floor) / (e - floor);
  };
  const percent = (r: number | undefined) => (r === undefined ? '-' : `${Math.round(100 * r) || 0}%`);
  const share = (split: 'id' | 'ood') => ratio(split, 0);
  const margin = (split: 'id' | 'ood') => ratio(split, random?.[split]?.mean ?? NaN);
  const shares = [share('id'), share('ood')];
  const verdict: TargetVerdict = shares.every((r) => r !== undefined && r >= 0.5) ? 'met' : shares.some((r) => r === undefined) ? 'not measured' : 'missed';
  const noisyExpert = expert && (expert.id?.indistinguishableFromRandom || expert.ood?.indistinguishableFromRandom);
  const against = [
    `against the best control: ID ${comparison(best, controls[0], 'id', random?.id)}; OOD ${comparison(best, controls[0], 'ood', random?.ood)}`,
    `against BC on all data: ID ${comparison(best, bc, 'id', random?.id)}; OOD ${comparison(best, bc, 'ood', random?.ood)}`,
  ];
  if (constant) {
    // Clear above it only where the best row's interval lies wholly over the constant action's.
    const notClear = (['id', 'ood'] as const).filter((split) => {
      const [b, c] = [best[split], constant[split]];
      return b && c && !whollyBelow(c, b);
    });
    against.push(
      `against the best constant action, ${(constant.id ?? constant.ood)?.dataUsed ?? 'one action always'}: ID ${comparison(best, constant, 'id', random?.id)}; OOD ${comparison(best, constant, 'ood', random?.ood)}` +
        (notClear.length
          ? `. ≤ constant ${notClear.map((s) => s.toUpperCase()).join(' and ')}: its 95% interval does not lie above that of one move played always, so this return does not show that more than one move was learned.`
          : ''),
    );
  }
  // The expert's and bc-100's rows already carry their verdicts against the random policy.
  const verdicts = [expert?.id, expert?.ood, bc?.id, bc?.ood].filter((r) => r !== undefined);
  const recipeLimited = (['id', 'ood'] as const).filter((split) => studentRecipeIsTheLimit(verdicts, split));
  if (recipeLimited.length > 0)
    against.push(
      `BC on all data is itself indistinguishable from a random policy (${recipeLimited.map((s) => s.toUpperCase()).join(' and ')}) while the expert is not: ` +
        'the students learn nothing even from all of the data, so these comparisons measure the student recipe (students.*), not distillation.',
    );
  return {
    name: best.name,
    target: verdict,
    summary:
      `${percent(share('id'))} of the expert's return ID and ${percent(share('ood'))} OOD (target >= 50% on both: ${verdict}); ` +
      `${percent(margin('id'))} and ${percent(margin('ood'))} of the expert's margin over a random policy` +
      (noisyExpert ? ': the expert itself is indistinguishable from a random policy here, so these shares mean nothing.' : '.'),
    against,
  };
}

/** The size sweep of the best method and the best control, with phase 1's 150 samples as one of its sizes. */
function sweepFindings(
  resultsOf: ResultsOf,
  game: GameName,
  byLabel: ReadonlyMap<string, RunRow>,
  methodRuns: readonly RunRow[],
  paper: RunRow,
  random: StudyRow | undefined,
): NonNullable<GameFindings['sweep']> {
  const sizes = STUDY_SIZES.flatMap((size) => {
    const run = size === 150 ? undefined : byLabel.get(sizeLabel(game, size));
    return run?.status === 'done' ? [{ size, run }] : [];
  });
  const unfinished = STUDY_SIZES.filter((size) => size !== 150 && !sizes.some((d) => d.size === size));
  if (sizes.length === 0) return { unfinished, result: null };
  const { method, control, run: bestRun } = bestOfPhaseOne(methodRuns, resultsOf);
  const only = (run: RunRow, names: readonly string[]) =>
    rowsOfRun(
      resultsOf,
      run,
      (m) => names.includes(m),
      (m) => m,
    );
  const at150 = only(bestRun, [method]);
  const points: SweepPoint[] = [
    { size: 150, method: at150[0], control: only(paper, [control])[0], random },
    ...sizes.map(({ size, run }) => {
      const r = only(run, [method, control, RANDOM_METHOD]);
      const named = (name: string) => r.find((x) => x.name === name);
      return { size, method: named(method), control: named(control), random: named(RANDOM_METHOD) };
    }),
  ].sort((a, b) => a.size - b.size);
  return { unfinished, result: { method: `${method} (${bestRun.config.distill.variant})`, control, points } };
}

/** The findings of the study experiment's runs, per game with a finished phase-1 run (missing runs are named, not invented). */
export function studyFindings(db: Database, runs: readonly RunRow[]): GameFindings[] {
  const byLabel = new Map(runs.map((r) => [r.label, r]));
  const read = new Map<number, readonly ResultRow[]>();
  const resultsOf: ResultsOf = (run) => read.get(run.id) ?? read.set(run.id, runResults(db, run.id).rows).get(run.id)!;
  return GAME_NAMES.flatMap((game): GameFindings[] => {
    const methodRuns = STUDY_METHODS.flatMap((method) => {
      const run = byLabel.get(methodLabel(game, method));
      return run?.status === 'done' ? [{ method, run }] : [];
    });
    if (methodRuns.length === 0) return [];
    const paper = methodRuns.find((m) => m.method === 'paper');
    // Every phase-1 run of a game shares the expert and the level seeds: the paper run's reference rows
    // (expert, every BC baseline, the controls, the floors) are the fullest; another's stand in until it is done.
    const reference = paper ?? methodRuns[0]!;
    const rows: StudyRow[] = [
      ...rowsOfRun(
        resultsOf,
        reference.run,
        (m) => !isDistilledMethod(m) && !isFloorMethod(m),
        (m) => m,
      ),
      ...methodRuns.flatMap(({ method, run }) => rowsOfRun(resultsOf, run, isDistilledMethod, (m) => `${m} (${method})`)),
      ...rowsOfRun(resultsOf, reference.run, isFloorMethod, (m) => m),
    ];
    return [
      {
        game,
        runs: methodRuns.map(({ method, run }) => ({ method, runId: run.id, seconds: getStages(db, run.id).reduce((s, st) => s + (st.seconds ?? 0), 0) })),
        missing: STUDY_METHODS.filter((m) => !methodRuns.some((r) => r.method === m)),
        standIn: paper ? null : { method: reference.method, runId: reference.run.id },
        rows,
        best: bestFindings(rows),
        sweep: paper
          ? sweepFindings(
              resultsOf,
              game,
              byLabel,
              methodRuns.map((m) => m.run),
              paper.run,
              rows.find((r) => r.name === RANDOM_METHOD),
            )
          : null,
      },
    ];
  });
}
