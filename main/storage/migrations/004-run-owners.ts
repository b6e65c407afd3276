import type { Migration } from './migration.ts';

/**
 * Runs get an owner and a status for runs whose process died. `runner` is the
 * owning process's start id (pid plus a random part, so a new process with an
 * old pid is not taken for it); `runner_pid` is kept to tell whether it lives.
 * 'interrupted': the run was queued or executing when its process ended.
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt;
 * migrations run with foreign keys off (dropping it must not cascade to its
 * stages), and the rebuild checks them before the transaction commits.
 */
export const runOwners: Migration = {
  version: 4,
  name: 'run-owners',
  up(db) {
    db.exec(`
      CREATE TABLE runs_new (
        id            INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        label         TEXT NOT NULL,
        config        TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
        created_at    TEXT NOT NULL,
        finished_at   TEXT,
        error         TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        runner_pid    INTEGER,
        dataset_id    INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
        runner        TEXT
      ) STRICT;
      INSERT INTO runs_new (id, experiment_id, label, config, status, created_at, finished_at, error, cancel_requested, runner_pid, dataset_id)
        SELECT id, experiment_id, label, config, status, created_at, finished_at, error, cancel_requested, runner_pid, dataset_id FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_new RENAME TO runs;
      CREATE INDEX runs_by_experiment ON runs (experiment_id);
      CREATE INDEX runs_by_status ON runs (status);
    `);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`Rebuilding the runs table broke ${broken.length} foreign keys; the database was not changed.`);
  },
};
