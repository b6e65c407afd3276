import type { Migration } from './migration.ts';

/**
 * Coreset controls (real frames chosen without learning pixels) are methods of their
 * own: `method_data.kind` gains 'coreset', and a method may carry its own labels
 * (`targets`: float32, samples x 15, e.g. the expert's action distribution on the
 * chosen frames); NULL means the dataset's actions. SQLite cannot alter a CHECK
 * constraint, so the table is rebuilt with its rows.
 */
export const coresetControls: Migration = {
  version: 7,
  name: 'coreset-controls',
  up(db) {
    db.exec(`
      CREATE TABLE method_data_new (
        run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        method   TEXT NOT NULL,
        kind     TEXT NOT NULL CHECK (kind IN ('expert', 'bc', 'synthetic', 'coreset')),
        episodes INTEGER NOT NULL,
        samples  INTEGER NOT NULL,
        -- Indices of the dataset transitions used (int32 BLOB); NULL for the synthetic set and the expert.
        step_indices BLOB,
        -- The method's own labels (float32, samples x 15); NULL: the dataset's actions.
        targets  BLOB,
        PRIMARY KEY (run_id, method)
      ) STRICT;
      INSERT INTO method_data_new (run_id, method, kind, episodes, samples, step_indices)
        SELECT run_id, method, kind, episodes, samples, step_indices FROM method_data ORDER BY rowid;
      DROP TABLE method_data;
      ALTER TABLE method_data_new RENAME TO method_data;
    `);
  },
};
