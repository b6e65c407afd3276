/**
 * The compare view's arithmetic, kept out of the component so it is tested:
 * one method order for every run, returns on a raw or normalised scale, the
 * best cell per split, and the table as CSV.
 */
import { RESULT_STAT_COLUMNS } from '@shared/api/runs.ts';
import { CONSTANT_METHOD, RANDOM_METHOD } from '@shared/config/methods.ts';
import { RETURN_BOUNDS } from '@shared/config/return-bounds.ts';
import type { ResultMark, ResultRow, Split } from './results.ts';

export type ReturnScale = 'raw' | 'normalised';

/**
 * The methods of several runs in one order that keeps each run's own order
 * (the run page's): a method a run adds goes right after the one it follows
 * there, so `random` or `planner` rows sit where a single run shows them.
 */
export function mergeMethodOrder(orders: readonly (readonly string[])[]): string[] {
  const merged: string[] = [];
  for (const order of orders) {
    let after = -1;
    order.forEach((method, i) => {
      const at = merged.indexOf(method);
      if (at >= 0) {
        after = at;
        return;
      }
      // Nothing of this run placed before it yet: just before the first of its successors already placed, else last.
      const successor = after < 0 ? order.slice(i + 1).find((m) => merged.includes(m)) : undefined;
      const place = after >= 0 ? after + 1 : successor ? merged.indexOf(successor) : merged.length;
      merged.splice(place, 0, method);
      after = place;
    });
  }
  return merged;
}

/** Procgen's (Rmin, Rmax) for a game and mode, or null for one this app does not know. */
export function returnBounds(game: string, mode: string): readonly [number, number] | null {
  const byMode = (RETURN_BOUNDS as Record<string, Record<string, readonly [number, number]> | undefined>)[game];
  return byMode?.[mode] ?? null;
}

/** A result row with every return mapped to (value - Rmin) / (Rmax - Rmin); the spread scales with it. */
export function normaliseRow(row: ResultRow, bounds: readonly [number, number]): ResultRow {
  const [low, high] = bounds;
  const f = (v: number) => (v - low) / (high - low);
  const fn = (v: number | null) => (v === null ? null : f(v));
  return { ...row, mean: f(row.mean), ciLow: fn(row.ciLow), ciHigh: fn(row.ciHigh), std: row.std / (high - low), min: f(row.min), max: f(row.max) };
}

/** A mark on the chosen scale (its dots too); raw marks are returned as they are. */
export function scaleMark(mark: ResultMark, scale: ReturnScale, bounds: readonly [number, number] | null): ResultMark {
  if (scale === 'raw' || !bounds) return mark;
  const [low, high] = bounds;
  return { ...mark, row: normaliseRow(mark.row, bounds), dots: mark.dots.map((d) => (d - low) / (high - low)) };
}

/** Policies every run carries for reference, not methods being compared. */
const REFERENCE_POLICIES: ReadonlySet<string> = new Set([RANDOM_METHOD, CONSTANT_METHOD, 'planner']);

/**
 * Per split, the index of the row with the highest normalised mean (the same
 * ranking as raw within one game, and the only fair one across games); ties
 * mark the first. The reference policies are not candidates: the random policy
 * and the best constant action are floors and the planner the teacher, not
 * methods being compared.
 */
export function bestRows(rows: readonly ResultRow[]): Record<Split, number | null> {
  const best: Record<Split, number | null> = { id: null, ood: null };
  rows.forEach((row, i) => {
    if (REFERENCE_POLICIES.has(row.method)) return;
    const current = best[row.split];
    if (current === null || row.normalised > rows[current]!.normalised) best[row.split] = i;
  });
  return best;
}

const CSV_HEADER = ['run', ...RESULT_STAT_COLUMNS, 'dataUsed', 'indistinguishableFromRandom'];

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The compared rows as CSV, one line per run, method and split, full precision (raw returns plus the normalised mean). */
export function resultsCsv(rows: readonly ResultRow[], runs: readonly string[]): string {
  const lines = rows.map((r, i) => [runs[i] ?? '', ...RESULT_STAT_COLUMNS.map((c) => r[c]), r.dataUsed, r.indistinguishableFromRandom].map(csvField).join(','));
  return [CSV_HEADER.join(','), ...lines].join('\r\n') + '\r\n';
}
