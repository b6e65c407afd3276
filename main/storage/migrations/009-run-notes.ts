import type { Migration } from './migration.ts';

/** A researcher's tags (a JSON array of strings) and free-text notes on each run. */
export const runNotes: Migration = {
  version: 9,
  name: 'run-notes',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
    `);
  },
};
