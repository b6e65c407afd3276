import type { Migration } from './migration.ts';

/**
 * Named comparisons: the runs compared and the view's options, so a comparison
 * outlives the host (whose URL token changes at every start). Run ids are kept
 * as JSON, not as foreign keys: a saved comparison naming a deleted run still
 * opens and says which runs are gone.
 */
export const savedComparisons: Migration = {
  version: 5,
  name: 'saved-comparisons',
  up(db) {
    db.exec(`
      CREATE TABLE saved_comparisons (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        run_ids    TEXT NOT NULL,
        options    TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
