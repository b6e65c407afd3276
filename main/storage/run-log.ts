/** The stored log of each run (see migration 011): appended by the executing run, read by the run page. */
import type { Database } from 'better-sqlite3';
import type { LogLevel } from '@shared/api/events.ts';
import type { StageName } from '@shared/config/stages.ts';

export interface RunLogLine {
  readonly id: number;
  readonly runId: number;
  /** Milliseconds since the epoch. */
  readonly time: number;
  /** null: a line of the run itself (started, finished), not of one stage. */
  readonly stage: StageName | null;
  readonly level: LogLevel;
  readonly message: string;
}

/** Longer messages (a stack trace) are cut here: the log is for reading, the stage's error keeps the whole text. */
const MAX_MESSAGE = 2_000;

export function appendRunLog(db: Database, runId: number, stage: StageName | null, level: LogLevel, message: string): RunLogLine {
  const line = { runId, time: Date.now(), stage, level, message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message };
  const { lastInsertRowid } = db
    .prepare('INSERT INTO run_log (run_id, time, stage, level, message) VALUES (?, ?, ?, ?, ?)')
    .run(runId, line.time, stage, level, line.message);
  return { id: Number(lastInsertRowid), ...line };
}

const COLUMNS = 'id, run_id AS runId, time, stage, level, message';

/** Every run's lines stored after line `afterId`, oldest first, at most `limit`. */
export function readRunLogAfter(db: Database, afterId: number, limit: number): RunLogLine[] {
  return db.prepare(`SELECT ${COLUMNS} FROM run_log WHERE id > ? ORDER BY id LIMIT ?`).all(afterId, limit) as RunLogLine[];
}

/** The id of the newest stored line of any run (0 without any). */
export const lastRunLogId = (db: Database): number => db.prepare('SELECT coalesce(max(id), 0) FROM run_log').pluck().get() as number;

/** A run's newest `limit` lines, oldest first. */
export function readRunLog(db: Database, runId: number, limit: number): RunLogLine[] {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM run_log WHERE run_id = ? ORDER BY id DESC LIMIT ?`).all(runId, limit) as RunLogLine[];
  return rows.reverse();
}
