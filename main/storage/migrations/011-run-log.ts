import type { Migration } from './migration.ts';

/**
 * Each run's log: its starts and ends, each stage's end, and what stages say as they
 * work (a DAgger round's return, a finished student, ...), kept so the run page shows
 * the whole story after a restart, not only the lines since the window opened.
 */
export const runLog: Migration = {
  version: 11,
  name: 'run-log',
  up(db) {
    db.exec(`
      CREATE TABLE run_log (
        id      INTEGER PRIMARY KEY,
        run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        -- Milliseconds since the epoch.
        time    INTEGER NOT NULL,
        -- NULL for the run's own lines (start, end).
        stage   TEXT,
        level   TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
        message TEXT NOT NULL
      );
      CREATE INDEX run_log_by_run ON run_log(run_id, id);
    `);
  },
};
