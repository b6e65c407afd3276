import type { Database } from 'better-sqlite3';
import { now } from './blobs.ts';

/** A named comparison: which runs, and the compare view's options (JSON the renderer owns). */
export interface SavedComparison {
  readonly id: number;
  readonly name: string;
  readonly runIds: readonly number[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface ComparisonRecord {
  id: number;
  name: string;
  run_ids: string;
  options: string;
  created_at: string;
  updated_at: string;
}

const fromRecord = (r: ComparisonRecord): SavedComparison => ({
  id: r.id,
  name: r.name,
  runIds: JSON.parse(r.run_ids) as number[],
  options: JSON.parse(r.options) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Saves under a name; saving again under the same name replaces that comparison (it keeps its id). */
export function saveComparison(db: Database, name: string, runIds: readonly number[], options: Readonly<Record<string, unknown>>): SavedComparison {
  const at = now();
  db.prepare(
    `INSERT INTO saved_comparisons (name, run_ids, options, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET run_ids = excluded.run_ids, options = excluded.options, updated_at = excluded.updated_at`,
  ).run(name, JSON.stringify(runIds), JSON.stringify(options), at, at);
  return fromRecord(db.prepare('SELECT * FROM saved_comparisons WHERE name = ?').get(name) as ComparisonRecord);
}

/** By name. */
export function listComparisons(db: Database): SavedComparison[] {
  return (db.prepare('SELECT * FROM saved_comparisons ORDER BY name COLLATE NOCASE, id').all() as ComparisonRecord[]).map(fromRecord);
}

/** True when a comparison of that id existed. */
export function deleteComparison(db: Database, id: number): boolean {
  return db.prepare('DELETE FROM saved_comparisons WHERE id = ?').run(id).changes > 0;
}

/** The ids among these that name no run (deleted since the comparison was saved). */
export function missingRunIds(db: Database, runIds: readonly number[]): number[] {
  const exists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  return runIds.filter((id) => exists.get(id) === undefined);
}
