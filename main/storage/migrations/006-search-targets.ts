import type { Migration } from './migration.ts';

/**
 * Search targets of planner demonstrations: per step, the planner's action
 * distribution from its per-action scores (float32, length x 15), which the
 * expert network imitates instead of one arbitrary best action. NULL for
 * episodes whose actor does not label states (networks, imports).
 */
export const searchTargets: Migration = {
  version: 6,
  name: 'search-targets',
  up(db) {
    db.exec('ALTER TABLE dataset_episodes ADD COLUMN targets BLOB');
  },
};
