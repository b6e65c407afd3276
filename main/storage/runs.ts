import type { Database } from 'better-sqlite3';
import { parseExperimentConfig, type ExperimentConfig } from '@shared/config/experiment.ts';
import { STAGES, type RunStatus, type StageName, type StageStatus } from '@shared/config/stages.ts';
import { now } from './blobs.ts';
import { processAlive, type RunOwner } from './run-owner.ts';

export interface ExperimentRow {
  readonly id: number;
  readonly name: string;
  readonly preset: string | null;
  readonly createdAt: string;
}

export interface RunRow {
  readonly id: number;
  readonly experimentId: number;
  readonly label: string;
  readonly config: ExperimentConfig;
  readonly status: RunStatus;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  readonly cancelRequested: boolean;
  /** The process that queued or executes (or last executed) the run. */
  readonly runnerPid: number | null;
  /** That process's start id (`RunOwner.id`). */
  readonly runner: string | null;
  readonly datasetId: number | null;
  /** Where the run was made when it was copied in from another database (`ddrl copy-run`); null: made here. */
  readonly origin: string | null;
}

export interface StageRow {
  readonly stage: StageName;
  readonly status: StageStatus;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly seconds: number | null;
  readonly error: string | null;
  readonly checkpoint: string | null;
}

/** A run id that does not exist, or a run in the wrong state for the request. */
export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
}

interface RunRecord {
  id: number;
  experiment_id: number;
  label: string;
  config: string;
  status: RunStatus;
  created_at: string;
  finished_at: string | null;
  error: string | null;
  cancel_requested: number;
  runner_pid: number | null;
  runner: string | null;
  dataset_id: number | null;
  origin: string | null;
}

const toRun = (r: RunRecord): RunRow => ({
  id: r.id,
  experimentId: r.experiment_id,
  label: r.label,
  config: parseExperimentConfig(JSON.parse(r.config)),
  status: r.status,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  error: r.error,
  cancelRequested: r.cancel_requested !== 0,
  runnerPid: r.runner_pid,
  runner: r.runner,
  datasetId: r.dataset_id,
  origin: r.origin,
});

/** Creates an experiment with one run per config (one for a plain run, several for a sweep), queued by `owner`. */
export function createExperiment(
  db: Database,
  experiment: { name: string; preset: string | null },
  runs: readonly { label: string; config: ExperimentConfig }[],
  owner: RunOwner,
): { experimentId: number; runIds: number[] } {
  return db.transaction(() => {
    const experimentId = Number(
      db.prepare('INSERT INTO experiments (name, preset, created_at) VALUES (?, ?, ?)').run(experiment.name, experiment.preset, now()).lastInsertRowid,
    );
    return { experimentId, runIds: addRuns(db, experimentId, runs, owner) };
  })();
}

/** Adds queued runs to an existing experiment (a study adds runs whose configs depend on earlier ones). */
export function addRuns(db: Database, experimentId: number, runs: readonly { label: string; config: ExperimentConfig }[], owner: RunOwner): number[] {
  return db.transaction(() => {
    const created = now();
    const insertRun = db.prepare("INSERT INTO runs (experiment_id, label, config, status, created_at, runner, runner_pid) VALUES (?, ?, ?, 'queued', ?, ?, ?)");
    const insertStage = db.prepare("INSERT INTO stages (run_id, stage, position, status) VALUES (?, ?, ?, 'pending')");
    return runs.map(({ label, config }) => {
      const runId = Number(insertRun.run(experimentId, label, JSON.stringify(config), created, owner.id, owner.pid).lastInsertRowid);
      STAGES.forEach((stage, position) => insertStage.run(runId, stage, position));
      return runId;
    });
  })();
}

/** The newest experiment with this name, if any. */
export function findExperimentByName(db: Database, name: string): ExperimentRow | undefined {
  const id = db.prepare('SELECT max(id) FROM experiments WHERE name = ?').pluck().get(name) as number | null;
  return id === null ? undefined : getExperiment(db, id);
}

/** The runs of one experiment, oldest first. */
export function listExperimentRuns(db: Database, experimentId: number): RunRow[] {
  return (db.prepare('SELECT * FROM runs WHERE experiment_id = ? ORDER BY id').all(experimentId) as RunRecord[]).map(toRun);
}

export function getExperiment(db: Database, id: number): ExperimentRow | undefined {
  const r = db.prepare('SELECT id, name, preset, created_at FROM experiments WHERE id = ?').get(id) as
    { id: number; name: string; preset: string | null; created_at: string } | undefined;
  return r && { id: r.id, name: r.name, preset: r.preset, createdAt: r.created_at };
}

export function getRun(db: Database, id: number): RunRow {
  const r = db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRecord | undefined;
  if (!r) {
    const last = db.prepare('SELECT max(id) AS id FROM runs').get() as { id: number | null };
    throw new RunNotFoundError(
      `No run with id ${id}. ` + (last.id === null ? 'There are no runs yet: start one with `ddrl run --preset NAME`.' : 'List the runs with `ddrl runs`.'),
    );
  }
  return toRun(r);
}

/** Runs, newest first; `limit` keeps listings fast with thousands of runs. */
export function listRuns(db: Database, limit = 200): RunRow[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as RunRecord[]).map(toRun);
}

export function setRunStatus(db: Database, id: number, status: RunStatus, error: string | null = null): void {
  const finished = status === 'queued' || status === 'running' ? null : now();
  db.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error, finished, id);
}

/**
 * Takes a run that `owner` queued for execution, in one statement: only one
 * process can win, and a run cancelled or taken meanwhile is not started.
 */
export function claimRun(db: Database, id: number, owner: RunOwner): boolean {
  return (
    db
      .prepare(
        "UPDATE runs SET status = 'running', runner = ?, runner_pid = ?, error = NULL, finished_at = NULL WHERE id = ? AND status = 'queued' AND runner IS ? AND cancel_requested = 0",
      )
      .run(owner.id, owner.pid, id, owner.id).changes === 1
  );
}

/** Why `owner` cannot execute this run now, in words that say what to do. */
export function whyNotClaimable(run: RunRow, owner: RunOwner): string {
  const elsewhere = run.runner !== owner.id;
  if (run.status === 'done') return `Run ${run.id} is already done: see its results with \`ddrl results ${run.id}\`.`;
  if (run.status === 'running' || (run.status === 'queued' && elsewhere)) {
    const where = elsewhere ? `in process ${run.runnerPid ?? '?'}` : 'here';
    return `Run ${run.id} is ${run.status === 'running' ? 'executing' : 'queued'} ${where}: cancel it first with \`ddrl cancel ${run.id}\`.`;
  }
  return `Run ${run.id} is ${run.status}: \`ddrl resume ${run.id}\` continues it.`;
}

/** Asks the executing worker (in any process) to stop at its next step; a queued run is cancelled at once. */
export function requestCancel(db: Database, id: number): void {
  db.transaction(() => {
    db.prepare('UPDATE runs SET cancel_requested = 1 WHERE id = ?').run(id);
    db.prepare("UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'").run(now(), id);
  })();
}

/** Ends a run whose worker was terminated before it could record its end: cancelled, resumable. */
export function stopRun(db: Database, id: number, message: string): void {
  db.transaction(() => {
    db.prepare("UPDATE stages SET status = 'cancelled', error = ? WHERE run_id = ? AND status = 'running'").run(message, id);
    db.prepare("UPDATE runs SET status = 'cancelled', error = ?, finished_at = ? WHERE id = ? AND status = 'running'").run(message, now(), id);
  })();
}

/** Cancels every queued or executing run of an experiment at once (see `requestCancel`); returns their ids. */
export function cancelExperiment(db: Database, experimentId: number): number[] {
  return db.transaction(() => {
    const ids = db.prepare("SELECT id FROM runs WHERE experiment_id = ? AND status IN ('queued', 'running') ORDER BY id").pluck().all(experimentId) as number[];
    for (const id of ids) requestCancel(db, id);
    return ids;
  })();
}

export function isCancelRequested(db: Database, id: number): boolean {
  const r = db.prepare('SELECT cancel_requested FROM runs WHERE id = ?').get(id) as { cancel_requested: number } | undefined;
  return r !== undefined && r.cancel_requested !== 0;
}

/** The dataset the run learns from; call it in the transaction that finishes the collect stage. */
export function setRunDataset(db: Database, id: number, datasetId: number): void {
  db.prepare('UPDATE runs SET dataset_id = ? WHERE id = ?').run(datasetId, id);
}

export function getStages(db: Database, runId: number): StageRow[] {
  const rows = db
    .prepare('SELECT stage, status, started_at, finished_at, seconds, error, checkpoint FROM stages WHERE run_id = ? ORDER BY position')
    .all(runId) as {
    stage: StageName;
    status: StageStatus;
    started_at: string | null;
    finished_at: string | null;
    seconds: number | null;
    error: string | null;
    checkpoint: string | null;
  }[];
  return rows.map((r) => ({
    stage: r.stage,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    seconds: r.seconds,
    error: r.error,
    checkpoint: r.checkpoint,
  }));
}

/** A running stage's stored progress (`storeStageProgress`). */
export interface StoredProgress {
  readonly stage: StageName;
  readonly done: number;
  readonly total: number;
  readonly message: string | null;
}

/** The stored progress columns of a stage row `alias`, as `progressOf` reads them. */
const progressColumns = (alias: string) =>
  `${alias}.stage AS progressStage, ${alias}.progress_done AS progressDone, ${alias}.progress_total AS progressTotal, ${alias}.progress_message AS progressMessage`;
/** Only a running stage's stored progress counts: a finished stage's is cleared, an older attempt's stale. */
const runningWithProgress = (alias: string) => `${alias}.status = 'running' AND ${alias}.progress_total IS NOT NULL`;
interface ProgressColumns {
  progressStage: StageName | null;
  progressDone: number | null;
  progressTotal: number | null;
  progressMessage: string | null;
}
const progressOf = (r: ProgressColumns): StoredProgress | null =>
  r.progressStage === null ? null : { stage: r.progressStage, done: r.progressDone ?? 0, total: r.progressTotal ?? 0, message: r.progressMessage };

/** The running stage's stored progress of one run, or null (not running, or nothing stored yet). */
export function runningStageProgress(db: Database, runId: number): StoredProgress | null {
  const row = db.prepare(`SELECT ${progressColumns('s')} FROM stages s WHERE s.run_id = ? AND ${runningWithProgress('s')}`).get(runId) as
    ProgressColumns | undefined;
  return row ? progressOf(row) : null;
}

/** One run as a watcher compares it: status, owner, its stages' statuses in one string, and the running stage's stored progress. */
export interface RunState {
  readonly status: RunStatus;
  readonly runner: string | null;
  readonly stages: string;
  readonly progress: StoredProgress | null;
}

/** Every run's state (see `RunState`), by id. */
export function runStates(db: Database): Map<number, RunState> {
  const rows = db
    .prepare(
      `SELECT r.id, r.status, r.runner,
         (SELECT group_concat(status, ',') FROM (SELECT status FROM stages WHERE run_id = r.id ORDER BY position)) AS stages,
         ${progressColumns('p')}
       FROM runs r
       LEFT JOIN stages p ON p.run_id = r.id AND ${runningWithProgress('p')}`,
    )
    .all() as ({ id: number; status: RunStatus; runner: string | null; stages: string | null } & ProgressColumns)[];
  return new Map(
    rows.map((r) => [
      r.id,
      {
        status: r.status,
        runner: r.runner,
        stages: r.stages ?? '',
        progress: progressOf(r),
      },
    ]),
  );
}

const NO_PROGRESS = 'progress_done = NULL, progress_total = NULL, progress_message = NULL';

export function markStageRunning(db: Database, runId: number, stage: StageName): void {
  db.prepare(`UPDATE stages SET status = 'running', started_at = coalesce(started_at, ?), error = NULL, ${NO_PROGRESS} WHERE run_id = ? AND stage = ?`).run(
    now(),
    runId,
    stage,
  );
}

/** A running stage's latest progress, for processes that do not execute it (see migration 013). */
export function storeStageProgress(db: Database, runId: number, stage: StageName, done: number, total: number, message: string | null): void {
  db.prepare('UPDATE stages SET progress_done = ?, progress_total = ?, progress_message = ? WHERE run_id = ? AND stage = ?').run(
    done,
    total,
    message,
    runId,
    stage,
  );
}

/** Ends a stage. Call it inside the transaction that stores the stage's results. */
export function finishStage(
  db: Database,
  runId: number,
  stage: StageName,
  status: Exclude<StageStatus, 'pending' | 'running'>,
  seconds: number,
  error: string | null = null,
): void {
  db.prepare(`UPDATE stages SET status = ?, finished_at = ?, seconds = coalesce(seconds, 0) + ?, error = ?, ${NO_PROGRESS} WHERE run_id = ? AND stage = ?`).run(
    status,
    now(),
    seconds,
    error,
    runId,
    stage,
  );
}

/** Progress inside a stage (JSON), stored with the partial results it describes. */
export function saveStageCheckpoint(db: Database, runId: number, stage: StageName, checkpoint: unknown): void {
  db.prepare('UPDATE stages SET checkpoint = ? WHERE run_id = ? AND stage = ?').run(JSON.stringify(checkpoint), runId, stage);
}

/**
 * Queues a cancelled, failed or interrupted run again for `owner`: stages left
 * unfinished are 'pending' again (their partial results stay, described by
 * their checkpoint). False, changing nothing, when the run is in another state
 * (done, or queued or executing: two resumes of one run cannot both win).
 */
export function requeueRun(db: Database, runId: number, owner: RunOwner): boolean {
  return db
    .transaction(() => {
      const requeued =
        db
          .prepare(
            "UPDATE runs SET status = 'queued', runner = ?, runner_pid = ?, cancel_requested = 0, error = NULL, finished_at = NULL WHERE id = ? AND status IN ('cancelled', 'failed', 'interrupted')",
          )
          .run(owner.id, owner.pid, runId).changes === 1;
      if (requeued) db.prepare("UPDATE stages SET status = 'pending' WHERE run_id = ? AND status IN ('running', 'failed', 'cancelled')").run(runId);
      return requeued;
    })
    .immediate();
}

/**
 * Runs queued or executing under a process that has ended (killed, crashed)
 * become 'interrupted', so nothing shows them running without a runner and
 * they can be resumed. A run of an earlier process with this process's pid is
 * told apart by its owner id. Returns the ids it marked.
 */
export function interruptOrphanedRuns(db: Database, self: RunOwner, alive: (pid: number) => boolean = processAlive): number[] {
  const orphansNow = () =>
    (
      db.prepare("SELECT id, status, runner, runner_pid FROM runs WHERE status IN ('queued', 'running') ORDER BY id").all() as Pick<
        RunRecord,
        'id' | 'status' | 'runner' | 'runner_pid'
      >[]
    ).filter((r) => r.runner !== self.id && (r.runner_pid === null || r.runner_pid === self.pid || !alive(r.runner_pid)));
  // Usually there are none: only then is the write lock taken (and the runs read again under it).
  if (orphansNow().length === 0) return [];
  return db
    .transaction(() => {
      const orphans = orphansNow();
      const mark = db.prepare("UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ?");
      const stages = db.prepare("UPDATE stages SET status = 'pending' WHERE run_id = ? AND status = 'running'");
      for (const r of orphans) {
        const was = r.status === 'running' ? 'executing it' : 'that queued it';
        mark.run(`interrupted: the process ${was} (pid ${r.runner_pid ?? '?'}) ended; \`ddrl resume ${r.id}\` continues it`, now(), r.id);
        stages.run(r.id);
      }
      return orphans.map((r) => r.id);
    })
    .immediate();
}
