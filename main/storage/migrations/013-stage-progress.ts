import type { Migration } from './migration.ts';

/**
 * The running stage's latest progress (done of total, and its message), stored every few seconds
 * by the process executing it: what another process's app shows of a run it does not execute
 * (a `ddrl study` in a terminal). NULL outside a running stage.
 */
export const stageProgress: Migration = {
  version: 13,
  name: 'stage-progress',
  up(db) {
    db.exec(`
      ALTER TABLE stages ADD COLUMN progress_done REAL;
      ALTER TABLE stages ADD COLUMN progress_total REAL;
      ALTER TABLE stages ADD COLUMN progress_message TEXT;
    `);
  },
};
