import type { Migration } from './migration.ts';

/**
 * Experiments and everything a run produces. Runs and their stages are the
 * unit of resumption: a stage's rows are written in the same transaction that
 * marks it done, so a killed process never leaves a "done" stage half stored.
 * Large payloads (frames, weights, synthetic pixels) are BLOBs in their own
 * tables so listing runs never reads them.
 */
export const experiments: Migration = {
  version: 2,
  name: 'experiments',
  up(db) {
    db.exec(`
      CREATE TABLE experiments (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        preset      TEXT,
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
        label         TEXT NOT NULL,
        config        TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        created_at    TEXT NOT NULL,
        finished_at   TEXT,
        error         TEXT,
        -- Set by \`ddrl cancel\` from any process; the executing worker polls it between steps.
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        -- The process executing the run, so a resume can tell a live run from a killed one.
        runner_pid    INTEGER,
        -- The offline dataset the run learns from (collected by it, or imported).
        dataset_id    INTEGER REFERENCES datasets(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX runs_by_experiment ON runs (experiment_id);

      CREATE TABLE stages (
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        stage       TEXT NOT NULL,
        position    INTEGER NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
        started_at  TEXT,
        finished_at TEXT,
        seconds     REAL,
        error       TEXT,
        -- Opaque progress inside a stage (e.g. students already trained), so a resume skips them.
        checkpoint  TEXT,
        PRIMARY KEY (run_id, stage)
      ) STRICT;

      CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        series TEXT NOT NULL,
        step   INTEGER NOT NULL,
        value  REAL NOT NULL,
        PRIMARY KEY (run_id, series, step)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE models (
        id           INTEGER PRIMARY KEY,
        run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('expert', 'student')),
        method       TEXT NOT NULL,
        member       INTEGER NOT NULL,
        architecture TEXT NOT NULL,
        weights      BLOB NOT NULL,
        created_at   TEXT NOT NULL,
        UNIQUE (run_id, role, method, member)
      ) STRICT;

      CREATE TABLE datasets (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER REFERENCES runs(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        game        TEXT NOT NULL,
        mode        TEXT NOT NULL,
        source      TEXT NOT NULL CHECK (source IN ('collected', 'imported')),
        episodes    INTEGER NOT NULL,
        transitions INTEGER NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX datasets_by_run ON datasets (run_id);

      CREATE TABLE dataset_episodes (
        dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        -- NULL for imported episodes: they cannot be re-simulated.
        level_seed   INTEGER,
        length       INTEGER NOT NULL,
        return       REAL NOT NULL,
        actions      BLOB NOT NULL,
        rewards      BLOB NOT NULL,
        observations BLOB NOT NULL,
        PRIMARY KEY (dataset_id, idx)
      ) STRICT;

      CREATE TABLE synthetic_snapshots (
        run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        iteration INTEGER NOT NULL,
        loss      REAL,
        labels    BLOB NOT NULL,
        -- uint8 frames (clamped) for viewing; the final set also keeps its float pixels.
        frames    BLOB NOT NULL,
        pixels    BLOB,
        PRIMARY KEY (run_id, iteration)
      ) STRICT;

      -- What each method of a run learns from: BC p% (episodes kept, transitions) or the synthetic set.
      CREATE TABLE method_data (
        run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        method   TEXT NOT NULL,
        kind     TEXT NOT NULL CHECK (kind IN ('expert', 'bc', 'synthetic')),
        episodes INTEGER NOT NULL,
        samples  INTEGER NOT NULL,
        -- Indices of the dataset transitions used (int32 BLOB); NULL for the synthetic set and the expert.
        step_indices BLOB,
        PRIMARY KEY (run_id, method)
      ) STRICT;

      CREATE TABLE eval_episodes (
        model_id   INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        split      TEXT NOT NULL CHECK (split IN ('id', 'ood')),
        idx        INTEGER NOT NULL,
        level_seed INTEGER NOT NULL,
        length     INTEGER NOT NULL,
        return     REAL NOT NULL,
        actions    BLOB NOT NULL,
        rewards    BLOB NOT NULL,
        PRIMARY KEY (model_id, split, idx)
      ) STRICT;
    `);
  },
};
