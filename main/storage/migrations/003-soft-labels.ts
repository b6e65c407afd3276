import type { Migration } from './migration.ts';

/**
 * Soft labels of a synthetic set: the expert's action distribution on each
 * synthetic sample (float32, samples x actions), stored with each snapshot when
 * the run distils with `distill.softLabels`. NULL for one-hot sets.
 */
export const softLabels: Migration = {
  version: 3,
  name: 'soft-labels',
  up(db) {
    db.exec('ALTER TABLE synthetic_snapshots ADD COLUMN soft_labels BLOB');
  },
};
