import type { Migration } from './migration.ts';

/**
 * Learned labels of a synthetic set (distill.learnLabels): per sample, the label
 * distribution learned with its pixels (float32, samples x 15), stored with every
 * snapshot so a resumed distillation continues them and students train on them.
 * NULL when the run does not learn labels.
 */
export const learnedLabels: Migration = {
  version: 8,
  name: 'learned-labels',
  up(db) {
    db.exec('ALTER TABLE synthetic_snapshots ADD COLUMN learned_labels BLOB');
  },
};
