/**
 * A run's results as the paper reports them: per method (expert, BC p%,
 * synthetic) and split (ID, OOD), the mean over students of each student's
 * mean return, a 95% confidence interval (Student t over students), the
 * per-student spread, the Procgen-normalised mean and the data each used;
 * beside them two floors on the same level seeds, the best constant action and
 * a uniformly random policy, and whether each method's interval overlaps the
 * random policy's. Printed as a table, or exported as CSV
 * and JSON.
 */
import type { Database } from 'better-sqlite3';
import { formatColumns } from '@shared/format/columns.ts';
import { RESULT_STAT_COLUMNS } from '@shared/api/runs.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import type { Mode } from '@shared/procgen/engine/game.ts';
import { evalReturns, type Split } from '../storage/evaluations.ts';
import { listMethodData, type MethodData } from '../storage/methods.ts';
import { getRun } from '../storage/runs.ts';
import { summarise } from '@shared/stats.ts';
import { CONSTANT_METHOD, RANDOM_METHOD, SYNTHETIC_SOFT_METHOD, rowMethod, type CoresetControl } from '@shared/config/methods.ts';
import { describeControl } from './coreset-controls.ts';
import type { ExperimentConfig, ExpertSource } from '@shared/config/experiment.ts';
import { FLOOR_TAGS, RANDOM_NOT_EVALUATED, floorVerdictAmong, intervalsOverlap, randomFloorSentences } from '@shared/random-floor.ts';
import { evaluateMissingFloorPolicies } from './stages/evaluate.ts';
import { constantActionOf, constantDataUsed } from './constant-policy.ts';
import { listModels } from '../storage/models.ts';

import { RETURN_BOUNDS, normalisedReturn } from '@shared/config/return-bounds.ts';

export { RETURN_BOUNDS, normalisedReturn };
export { summarise, tQuantile95, type Summary } from '@shared/stats.ts';

export interface ResultRow {
  readonly method: string;
  readonly split: Split;
  /** Models averaged (students; 1 for the expert). */
  readonly models: number;
  readonly episodesPerModel: number;
  /** With several students the interval is over their means; with one model, over its episodes. */
  readonly intervalOver: 'students' | 'episodes';
  readonly mean: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Spread of the per-student means (of the episodes for a single model). */
  readonly std: number;
  readonly min: number;
  readonly max: number;
  readonly normalised: number;
  /** `random`: the random policy, which learns from nothing; `constant`: the best constant action, chosen on selection episodes. */
  readonly dataKind: MethodData['kind'] | 'random' | 'constant';
  /** Transitions (expert, BC) or synthetic samples the method learned from. */
  readonly dataSamples: number;
  readonly dataEpisodes: number;
  /** The data in words, e.g. "3853 transitions (8 ep.)" or "150 synthetic samples, expert soft labels". */
  readonly dataUsed: string;
  /** Whether the 95% interval overlaps the random policy's on this split; null for the random row itself and without one. */
  readonly indistinguishableFromRandom: boolean | null;
}

export interface RunResults {
  readonly runId: number;
  readonly game: GameName;
  readonly mode: Mode;
  /** How the expert was made: its data are planner demonstrations or PPO environment steps. */
  readonly expertSource: ExpertSource;
  readonly rows: readonly ResultRow[];
}

/**
 * The results of a run. A run evaluated before runs had a random policy or a constant action
 * gets them evaluated and stored here, once (deterministic, the seeds the stage uses, seconds).
 */
export function runResults(db: Database, runId: number): RunResults {
  evaluateMissingFloorPolicies(db, runId);
  return storedRunResults(db, runId);
}

/** The results of a run as stored, writing nothing (a run evaluated before the floors existed lacks their rows). */
export function storedRunResults(db: Database, runId: number): RunResults {
  const run = getRun(db, runId);
  const { game, mode } = run.config;
  const data = new Map(listMethodData(db, runId).map((m) => [m.method, m]));
  const returns = evalReturns(db, runId);
  // Each method's extra rows ('[greedy]', '[ensemble of K]') follow it; the floors learn from nothing: they have no method data, and their rows come last.
  const evaluated = [...new Set(returns.map((r) => r.method))];
  const extraRows = (method: string) => evaluated.filter((row) => row !== method && rowMethod(row) === method).sort();
  const order = [...[...data.keys()].flatMap((method) => [method, ...extraRows(method)]), CONSTANT_METHOD, RANDOM_METHOD];
  const constantModel = listModels(db, runId).find((m) => m.method === CONSTANT_METHOD);
  const constantAction = constantModel ? constantActionOf(constantModel) : null;
  const floor = (method: string): Pick<ResultRow, 'dataKind' | 'dataUsed'> =>
    method === CONSTANT_METHOD && constantAction !== null
      ? { dataKind: 'constant', dataUsed: constantDataUsed(game, constantAction) }
      : { dataKind: 'random', dataUsed: 'none (random actions)' };
  const rows: Omit<ResultRow, 'indistinguishableFromRandom'>[] = [];
  for (const method of order) {
    for (const split of ['id', 'ood'] as const) {
      const models = returns.filter((r) => r.split === split && r.method === method);
      if (models.length === 0) continue;
      const perModel = models.map((m) => m.returns.reduce((s, v) => s + v, 0) / m.returns.length);
      const s = models.length > 1 ? summarise(perModel) : summarise(models[0]!.returns);
      const d = data.get(rowMethod(method));
      const described = d ? { dataKind: d.kind, dataUsed: dataUsed(rowMethod(method), d, run.config.expert.source, run.config.distill) } : floor(method);
      rows.push({
        method,
        split,
        models: models.length,
        episodesPerModel: models[0]!.returns.length,
        intervalOver: models.length > 1 ? 'students' : 'episodes',
        mean: s.mean,
        ciLow: s.mean - s.halfWidth,
        ciHigh: s.mean + s.halfWidth,
        std: s.std,
        min: s.min,
        max: s.max,
        normalised: normalisedReturn(game, mode, s.mean),
        dataKind: described.dataKind,
        dataSamples: d?.samples ?? 0,
        dataEpisodes: d?.episodes ?? 0,
        dataUsed: described.dataUsed,
      });
    }
  }
  const randomRow = (split: Split) => rows.find((r) => r.method === RANDOM_METHOD && r.split === split);
  return {
    runId,
    game,
    mode,
    expertSource: run.config.expert.source,
    rows: rows.map((row) => {
      const random = randomRow(row.split);
      return { ...row, indistinguishableFromRandom: random && row.method !== RANDOM_METHOD ? intervalsOverlap(row, random) : null };
    }),
  };
}

const fixed = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

const EXPERT_DATA = {
  planner: 'planner demo transitions',
  dagger: 'planner-labelled states (DAgger)',
  ppo: 'PPO environment steps',
  reuse: 'reused from another run',
  file: 'loaded from an expert file',
} as const;

function dataUsed(method: string, data: MethodData, expertSource: RunResults['expertSource'], distill: ExperimentConfig['distill']): string {
  if (data.kind === 'coreset') return `${data.samples} ${describeControl(method as CoresetControl)}`;
  if (data.kind === 'synthetic') {
    const labels = method === SYNTHETIC_SOFT_METHOD ? ', expert soft labels' : distill.learnLabels ? ', learned labels' : '';
    return `${data.samples} synthetic samples (${distill.variant})${labels}`;
  }
  // The planner's row counts its own demonstrations, whatever the expert network learned from.
  if (data.kind === 'expert' && method === 'planner') return `${data.samples} ${EXPERT_DATA.planner}`;
  if (data.kind === 'expert')
    return expertSource === 'reuse' || expertSource === 'file' ? EXPERT_DATA[expertSource] : `${data.samples} ${EXPERT_DATA[expertSource]}`;
  return `${data.samples} transitions (${data.episodes} ep.)`;
}

/** The paper-style table: one line per method, ID and OOD side by side. */
export function formatResultsTable(results: RunResults): string {
  const methods = [...new Set(results.rows.map((r) => r.method))];
  const tag = (row: ResultRow) => FLOOR_TAGS[floorVerdictAmong(row, results.rows) ?? 'above'];
  const cell = (row: ResultRow | undefined): string =>
    row
      ? `${fixed(row.mean)} [${fixed(row.ciLow)}, ${fixed(row.ciHigh)}] ${fixed(row.min, 1)}..${fixed(row.max, 1)} (${fixed(row.normalised)})${tag(row)}`
      : '-';
  const header = ['method', 'n', 'ID mean [95% CI] min..max (norm.)', 'OOD mean [95% CI] min..max (norm.)', 'data used'];
  const lines = methods.map((method) => {
    const id = results.rows.find((r) => r.method === method && r.split === 'id');
    const ood = results.rows.find((r) => r.method === method && r.split === 'ood');
    const any = (id ?? ood)!;
    return [method, `${any.models}x${any.episodesPerModel}`, cell(id), cell(ood), any.dataUsed];
  });
  return [
    `Run ${results.runId}: ${results.game} (${results.mode}). Returns: mean over models of each model's mean episode return; 95% CI over students (over episodes for the single expert); normalised with Procgen's (Rmin, Rmax) = (${RETURN_BOUNDS[results.game][results.mode].join(', ')}).`,
    ...formatColumns(header, lines, { rule: true }),
    ...randomFloorNotes(results),
  ].join('\n');
}

/** Under the table: per split, which methods are indistinguishable from a random policy, under it or not above the constant action (the tags above). */
function randomFloorNotes(results: RunResults): string[] {
  if (!results.rows.some((r) => r.method === RANDOM_METHOD)) return [RANDOM_NOT_EVALUATED];
  return randomFloorSentences(results.rows).map((s) => s.text);
}

const CSV_COLUMNS = [
  ...RESULT_STAT_COLUMNS,
  'dataKind',
  'dataSamples',
  'dataEpisodes',
  'indistinguishableFromRandom',
] as const satisfies readonly (keyof ResultRow)[];

export function resultsCsv(results: RunResults): string {
  const value = (v: string | number | boolean | null): string => (v === null ? '' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v));
  return [CSV_COLUMNS.join(','), ...results.rows.map((r) => CSV_COLUMNS.map((c) => value(r[c])).join(','))].join('\n') + '\n';
}

export function resultsJson(results: RunResults): string {
  // NaN (no interval with one value) is not JSON: null says "not defined".
  return JSON.stringify(results, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}
