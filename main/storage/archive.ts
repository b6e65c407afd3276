/**
 * A results archive: one experiment's finished runs in a database small enough to keep
 * with the code. A study outgrows any one sitting here (two hours per paper run, a
 * dozen runs per game) and a database is not kept between sittings, so what it
 * measured must travel in a file: the archive keeps every number (each evaluation
 * episode's return, length and level seed), the configs, stages, logs, metrics and what
 * each method learned from, and the weights of experts the runs trained themselves,
 * so `ddrl report` and `ddrl results` read it as they read the original, and
 * `ddrl study --db ARCHIVE` resumes the study from it. It drops what can be made again
 * and weighs gigabytes: the datasets' frames, the synthetic sets, the students' weights
 * and the evaluation episodes' actions (so its episodes cannot be replayed).
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { findExperimentByName } from './runs.ts';

/** The `app_meta` key marking a database as an archive; its value says what it was made from. */
export const ARCHIVE_META_KEY = 'archive';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

export interface ArchiveSummary {
  readonly runs: number;
  /** Runs of the experiment left out: not finished, so nothing they made is final. */
  readonly unfinished: number;
  readonly bytes: number;
}

/**
 * Writes the archive of experiment `name`'s done runs to `out`, replacing it only once the
 * new one is complete (an existing archive survives a failure).
 */
export function archiveExperiment(db: Database, sourcePath: string, name: string, out: string): ArchiveSummary {
  const target = resolve(out);
  if (target === resolve(sourcePath)) throw new ArchiveError(`--out ${out} is the database itself: name another file for the archive.`);
  const experiment = findExperimentByName(db, name);
  if (!experiment) throw new ArchiveError(`No experiment named '${name}': \`ddrl runs\` lists the runs with their experiments.`);
  const counts = db
    .prepare("SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) AS total FROM runs WHERE experiment_id = ?")
    .get(experiment.id) as {
    done: number;
    total: number;
  };
  if (counts.done === 0) throw new ArchiveError(`Experiment '${name}' has no finished run yet: an archive keeps finished runs only.`);

  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  db.prepare('VACUUM INTO ?').run(partial);
  try {
    const archive = new BetterSqlite3(partial);
    try {
      archive.pragma('foreign_keys = ON');
      archive.transaction(() => {
        archive.prepare('DELETE FROM experiments WHERE id != ?').run(experiment.id);
        archive.prepare("DELETE FROM runs WHERE status != 'done'").run();
        archive.exec(`
          DELETE FROM datasets;
          DELETE FROM synthetic_snapshots;
          DELETE FROM saved_comparisons;
          -- A checkpoint only resumes an interrupted stage (and a DAgger one holds the network's weights).
          UPDATE stages SET checkpoint = NULL;
          UPDATE eval_episodes SET actions = X'', rewards = X'';
          -- Experts a run trained itself stay: a resumed study's new runs reuse them.
          UPDATE models SET weights = X'' WHERE NOT (role = 'expert' AND method = 'expert' AND
            run_id IN (SELECT id FROM runs WHERE json_extract(config, '$.expert.source') NOT IN ('reuse', 'file')));
        `);
        archive
          .prepare('INSERT OR REPLACE INTO app_meta (key, value) VALUES (?, ?)')
          .run(ARCHIVE_META_KEY, JSON.stringify({ experiment: name, from: resolve(sourcePath), at: new Date().toISOString() }));
      })();
      archive.exec('VACUUM');
    } finally {
      archive.close();
    }
    renameSync(partial, target);
  } finally {
    if (existsSync(partial)) rmSync(partial);
  }
  return { runs: counts.done, unfinished: counts.total - counts.done, bytes: statSync(target).size };
}
