import type { CallOutput } from '@shared/api/contract.ts';
import type { EpisodesList } from '@shared/api/inspect.ts';
import { RANDOM_METHOD } from '@shared/config/methods.ts';
import { intervalsOverlap } from '@shared/random-floor.ts';
import { summarise } from '@shared/stats.ts';

export type RunResults = CallOutput<'runs.results'>;
export type ResultRow = RunResults['rows'][number];
export type Split = ResultRow['split'];

/** One method on one split for one run, as the results chart draws it. */
export interface ResultMark {
  readonly method: string;
  readonly split: Split;
  /** Which run (compare view) the mark belongs to. */
  readonly series: string;
  readonly color: string;
  readonly row: ResultRow;
  /** Each model's mean episode return (students), or each episode's return (a single model); each run's mean for a seed aggregate. */
  readonly dots: readonly number[];
  /** What the interval is over when it is not the row's own (`runs` for a seed aggregate). */
  readonly over?: string;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/** Per method and split: every student's mean return, or the lone model's episode returns (what the interval is over). */
export function dotsByMethod(episodes: EpisodesList): Map<string, Record<Split, number[]>> {
  const byMethod = new Map<string, { id: number[][]; ood: number[][] }>();
  for (const model of episodes.models) {
    const entry = byMethod.get(model.method) ?? { id: [], ood: [] };
    entry.id.push(model.id.map((e) => e.return));
    entry.ood.push(model.ood.map((e) => e.return));
    byMethod.set(model.method, entry);
  }
  const out = new Map<string, Record<Split, number[]>>();
  for (const [method, { id, ood }] of byMethod) {
    const dots = (models: number[][]) => (models.length === 1 ? (models[0] ?? []) : models.filter((m) => m.length > 0).map(mean));
    out.set(method, { id: dots(id), ood: dots(ood) });
  }
  return out;
}

export function resultMarks(results: RunResults, episodes: EpisodesList | null, series: string, color: string): ResultMark[] {
  const dots = episodes ? dotsByMethod(episodes) : new Map<string, Record<Split, number[]>>();
  return results.rows.map((row) => ({ method: row.method, split: row.split, series, color, row, dots: dots.get(row.method)?.[row.split] ?? [] }));
}

/** Distinguishable colours for runs and methods on the dark theme. */
export const PALETTE = ['#6ea8fe', '#f0a35e', '#4cc38a', '#d77fd8', '#e3d26f', '#5fd0d6', '#f0605d', '#a3a9f5'];

/**
 * The i-th series colour: the palette, then hues a golden angle apart (no two
 * alike however many runs are compared), alternating two lightnesses.
 */
export function seriesColor(i: number): string {
  if (i < PALETTE.length) return PALETTE[i]!;
  const hue = Math.round((i * 137.508 + 17) % 360);
  return `hsl(${hue} 68% ${i % 2 === 0 ? 66 : 56}%)`;
}

/**
 * Runs that differ only in their seed, as one mark per method and split: the
 * mean over runs of each run's mean, with a 95% interval over runs and each
 * run as a dot.
 */
export function seedAggregate(runs: readonly RunResults[], series: string, color: string): ResultMark[] {
  const keys = [...new Set(runs.flatMap((r) => r.rows.map((row) => `${row.method}\u0000${row.split}`)))];
  const marks = keys.flatMap((key): ResultMark[] => {
    const rows = runs.flatMap((r) => r.rows.filter((row) => `${row.method}\u0000${row.split}` === key));
    const first = rows[0];
    if (!first) return [];
    const means = rows.map((row) => row.mean);
    const s = summarise(means);
    const orNull = (v: number) => (Number.isFinite(v) ? v : null);
    const row: ResultRow = {
      ...first,
      models: rows.length,
      mean: s.mean,
      ciLow: orNull(s.mean - s.halfWidth),
      ciHigh: orNull(s.mean + s.halfWidth),
      std: s.std,
      min: s.min,
      max: s.max,
      normalised: rows.reduce((sum, r) => sum + r.normalised, 0) / rows.length,
    };
    return [{ method: first.method, split: first.split, series, color, row, dots: means, over: 'runs (seeds)' }];
  });
  // Each run's flag was against its own random row: the aggregate is judged against the aggregated random policy.
  const floor = (split: Split) => marks.find((m) => m.method === RANDOM_METHOD && m.split === split)?.row;
  return marks.map((m) => {
    const random = floor(m.split);
    return { ...m, row: { ...m.row, indistinguishableFromRandom: random && m.method !== RANDOM_METHOD ? intervalsOverlap(m.row, random) : null } };
  });
}
