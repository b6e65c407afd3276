import type { Migration } from './migration.ts';

/**
 * Where each synthetic sample started: the index of the dataset transition its pixels
 * were initialised from (int32 per sample), stored with the snapshots of a set
 * distilled from scratch (NULL when continuing a stored set), for the inspector.
 */
export const syntheticOrigins: Migration = {
  version: 10,
  name: 'synthetic-origins',
  up(db) {
    db.exec('ALTER TABLE synthetic_snapshots ADD COLUMN origins BLOB');
  },
};
