import type { Migration } from './migration.ts';

/**
 * Where a run was made when it was copied in from another database (`ddrl copy-run`):
 * "run 3 of /path/paper.sqlite (preset paper-bigfish)"; NULL for runs made here. A study
 * report names such runs and the command that made them, instead of claiming them.
 */
export const runOrigin: Migration = {
  version: 12,
  name: 'run-origin',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN origin TEXT');
  },
};
