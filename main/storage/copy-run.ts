/**
 * Copying a run from another database into this one, with everything it made: its
 * stages, dataset, models, evaluation episodes, synthetic sets, method data, metrics
 * and log. Finished runs made on several machines (or in several files at once) can so
 * be compared and reported in one place. One transaction: a failure copies
 * nothing, and the source file is only read.
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { now } from './blobs.ts';
import { readSchemaVersion } from './migrate.ts';
import { latestSchemaVersion } from './migrations/index.ts';
import { findExperimentByName } from './runs.ts';

/** The source cannot be copied from: the message says why and what to do. */
export class CopyRunError extends Error {
  override readonly name = 'CopyRunError';
}

export interface CopyRunRequest {
  /** The database file holding the run. */
  readonly from: string;
  readonly runId: number;
  /** The experiment (by name) the copy joins, created when missing; default: the source run's own experiment name. */
  readonly experiment?: string;
  /** The copy's label; default: the source run's. */
  readonly label?: string;
}

interface SourceRun {
  label: string;
  status: string;
  config: string;
  experiment: string;
  preset: string | null;
}

/** Reads what the copy needs from the source, refusing what cannot be copied faithfully. */
function inspectSource(path: string, runId: number): SourceRun {
  if (!existsSync(path)) throw new CopyRunError(`--from ${path}: no such file. Name the database file that holds the run (ddrl runs --db FILE lists them).`);
  const source = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const version = readSchemaVersion(source);
    if (version !== latestSchemaVersion)
      throw new CopyRunError(
        version < latestSchemaVersion
          ? `${path} has schema version ${version}, this DDRL Studio ${latestSchemaVersion}: open it once with this version to upgrade it (ddrl runs --db ${path}), then copy.`
          : `${path} was written by a newer DDRL Studio (schema version ${version}, this one knows up to ${latestSchemaVersion}): update the app first.`,
      );
    const run = source
      .prepare('SELECT r.label, r.status, r.config, e.name AS experiment, e.preset FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?')
      .get(runId) as SourceRun | undefined;
    if (!run) throw new CopyRunError(`${path} has no run ${runId}: list its runs with \`ddrl runs --db ${path}\`.`);
    // Stage checkpoints name the source's own dataset ids (DAgger's rounds): only a finished run copies faithfully.
    if (run.status !== 'done')
      throw new CopyRunError(
        `Run ${runId} of ${path} is ${run.status}, not done: copy it once it has finished${run.status === 'queued' || run.status === 'running' ? '' : ` (ddrl resume ${runId} --db ${path} continues it there)`}.`,
      );
    const expert = (JSON.parse(run.config) as { expert?: { source?: string; reuseRunId?: number } }).expert;
    if (expert?.source === 'reuse')
      throw new CopyRunError(
        `Run ${runId} of ${path} reuses run ${expert.reuseRunId}'s expert, a run of that file: copy run ${expert.reuseRunId} instead, or runs that train their own expert.`,
      );
    return run;
  } finally {
    source.close();
  }
}

/** Column names of a table, as this version's schema has them (source and target share it). */
const columnsOf = (db: Database, table: string): string[] =>
  (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);

/**
 * Copies the rows of `table` that `where` selects from the attached source, replacing the
 * columns in `set` by bound values (a new run or model id) and leaving out `omit` (a row id
 * the target assigns anew).
 */
function copyRows(db: Database, table: string, where: string, whereParams: unknown[], set: Record<string, unknown>, omit: readonly string[] = []): void {
  const columns = columnsOf(db, table).filter((c) => !omit.includes(c));
  const values = columns.map((c) => (c in set ? '?' : `"${c}"`));
  const bound = columns.filter((c) => c in set).map((c) => set[c]);
  db.prepare(`INSERT INTO main."${table}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${values.join(', ')} FROM src."${table}" WHERE ${where}`).run(
    ...bound,
    ...whereParams,
  );
}

/** Copies run `runId` of `request.from` into `db`; returns the copy's id. */
export function copyRun(db: Database, request: CopyRunRequest): number {
  const from = resolve(request.from);
  if (from === resolve(db.name))
    throw new CopyRunError(`--from ${request.from} is this database itself: a run is copied between two files (\`ddrl resume\` continues one here).`);
  const source = inspectSource(from, request.runId);
  const origin = `run ${request.runId} of ${from}${source.preset ? ` (preset ${source.preset})` : ''}`;
  db.prepare('ATTACH DATABASE ? AS src').run(from);
  try {
    return db.transaction(() => {
      const experimentName = request.experiment ?? source.experiment;
      const experimentId =
        findExperimentByName(db, experimentName)?.id ??
        Number(db.prepare('INSERT INTO experiments (name, preset, created_at) VALUES (?, ?, ?)').run(experimentName, source.preset, now()).lastInsertRowid);
      // The run first (its dataset is linked once copied); it arrives stopped, owned by nobody.
      const runId = Number(
        db
          .prepare(
            `INSERT INTO runs (experiment_id, label, config, status, created_at, finished_at, error, cancel_requested, runner_pid, dataset_id, runner, tags, notes, origin)
             SELECT ?, ?, config, status, created_at, finished_at, error, 0, NULL, NULL, NULL, tags, notes, ? FROM src.runs WHERE id = ?`,
          )
          .run(experimentId, request.label ?? source.label, origin, request.runId).lastInsertRowid,
      );
      // In their stored order: some listings follow it (method_data's rowid orders the results table).
      for (const table of ['stages', 'synthetic_snapshots', 'method_data'])
        copyRows(db, table, 'run_id = ? ORDER BY rowid', [request.runId], { run_id: runId });
      copyRows(db, 'metrics', 'run_id = ?', [request.runId], { run_id: runId });
      copyRows(db, 'run_log', 'run_id = ? ORDER BY id', [request.runId], { run_id: runId }, ['id']);
      db.prepare("INSERT INTO run_log (run_id, time, stage, level, message) VALUES (?, ?, NULL, 'info', ?)").run(runId, Date.now(), `Copied from ${origin}.`);

      // The datasets it collected, and the one it used (an imported one stays owned by no run).
      const linked = db.prepare('SELECT dataset_id FROM src.runs WHERE id = ?').pluck().get(request.runId) as number | null;
      const datasets = db.prepare('SELECT id, run_id AS owner FROM src.datasets WHERE run_id = ? OR id = ? ORDER BY id').all(request.runId, linked) as {
        id: number;
        owner: number | null;
      }[];
      for (const { id: datasetId, owner } of datasets) {
        copyRows(db, 'datasets', 'id = ?', [datasetId], { run_id: owner === request.runId ? runId : null }, ['id']);
        const copyId = Number(db.prepare('SELECT last_insert_rowid()').pluck().get());
        copyRows(db, 'dataset_episodes', 'dataset_id = ? ORDER BY rowid', [datasetId], { dataset_id: copyId });
        if (datasetId === linked) db.prepare('UPDATE runs SET dataset_id = ? WHERE id = ?').run(copyId, runId);
      }

      const modelIds = db.prepare('SELECT id FROM src.models WHERE run_id = ? ORDER BY id').pluck().all(request.runId) as number[];
      for (const modelId of modelIds) {
        copyRows(db, 'models', 'id = ?', [modelId], { run_id: runId }, ['id']);
        const copyId = Number(db.prepare('SELECT last_insert_rowid()').pluck().get());
        copyRows(db, 'eval_episodes', 'model_id = ? ORDER BY rowid', [modelId], { model_id: copyId });
      }
      return runId;
    })();
  } finally {
    db.prepare('DETACH DATABASE src').run();
  }
}
