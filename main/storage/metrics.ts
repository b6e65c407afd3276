import type { Database } from 'better-sqlite3';

/** One point of a scalar series, keyed (run, series, step) as tracking UIs need. */
export interface MetricPoint {
  readonly series: string;
  readonly step: number;
  readonly value: number;
}

/** Appends points in one transaction; a repeated (series, step) overwrites (a resumed stage re-logs). */
export function appendMetrics(db: Database, runId: number, points: readonly MetricPoint[]): void {
  const insert = db.prepare('INSERT OR REPLACE INTO metrics (run_id, series, step, value) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const p of points) insert.run(runId, p.series, p.step, p.value);
  })();
}

export function listSeries(db: Database, runId: number): string[] {
  return (db.prepare('SELECT DISTINCT series FROM metrics WHERE run_id = ? ORDER BY series').all(runId) as { series: string }[]).map((r) => r.series);
}

/**
 * A series downsampled to at most `maxPoints` (mean over equal step buckets),
 * so long series draw fast.
 */
export function readSeries(db: Database, runId: number, series: string, maxPoints = 1000): { step: number; value: number }[] {
  const range = db.prepare('SELECT count(*) AS n, min(step) AS lo, max(step) AS hi FROM metrics WHERE run_id = ? AND series = ?').get(runId, series) as {
    n: number;
    lo: number | null;
    hi: number | null;
  };
  if (range.n === 0 || range.lo === null || range.hi === null) return [];
  if (range.n <= maxPoints) {
    return db.prepare('SELECT step, value FROM metrics WHERE run_id = ? AND series = ? ORDER BY step').all(runId, series) as { step: number; value: number }[];
  }
  const width = Math.ceil((range.hi - range.lo + 1) / maxPoints);
  return db
    .prepare(
      'SELECT CAST(max(step) AS INTEGER) AS step, avg(value) AS value FROM metrics WHERE run_id = ? AND series = ? GROUP BY CAST((step - ?) / ? AS INTEGER) ORDER BY step',
    )
    .all(runId, series, range.lo, width) as { step: number; value: number }[];
}
