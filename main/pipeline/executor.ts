/**
 * Executes one run: its stages in order, skipping those already done. Each
 * stage's results and its 'done' mark are written in one transaction; a
 * failure marks the stage and the run failed with the error text; a
 * cancellation keeps everything finished so `ddrl resume` continues.
 */
import type { Database } from 'better-sqlite3';
import { STAGES, type RunStatus, type StageName, type StageStatus } from '@shared/config/stages.ts';
import { formatDuration } from '@shared/format/duration.ts';
import { CancelledError } from '../learning/train/control.ts';
import type { LogLevel } from '@shared/api/events.ts';
import { appendRunLog, type RunLogLine } from '../storage/run-log.ts';
import type { RunOwner } from '../storage/run-owner.ts';
import { finishStage, getRun, getStages, markStageRunning, setRunStatus } from '../storage/runs.ts';
import { RunCancelledError, StageContext, type StageDefinition, type StageProgress } from './stage-context.ts';
import { stageDefinitions } from './stages/index.ts';

export interface ExecuteHooks {
  readonly signal: AbortSignal;
  onProgress(progress: StageProgress): void;
  /** A stage ended (done, failed or cancelled) after `seconds` in this attempt. */
  onStageEnd?(stage: StageName, status: StageStatus, seconds: number): void;
  /** A line was added to the run's stored log. */
  onLog?(line: RunLogLine): void;
  /** What trains this attempt (the TensorFlow.js backend, its GPU adapter), logged with its start: a run's provenance. */
  readonly device?: string;
}

/** The first line of an error's text: a log line, not a stack trace. */
const firstLine = (text: string) => text.split('\n', 1)[0]!;

/** A run that is not this process's to execute (see `claimRun`). */
export class RunStateError extends Error {
  override readonly name = 'RunStateError';
}

/** Executes a run that `owner` has claimed (`claimRun`): it is 'running' under that owner. */
export async function executeRun(db: Database, runId: number, owner: RunOwner, hooks: ExecuteHooks): Promise<RunStatus> {
  const run = getRun(db, runId);
  if (run.status !== 'running' || run.runner !== owner.id) throw new RunStateError(`Run ${runId} was not claimed by this process (it is ${run.status}).`);
  const checkpoints = new Map(getStages(db, runId).map((s) => [s.stage, s]));
  const log = (stage: StageName | null, level: LogLevel, message: string) => hooks.onLog?.(appendRunLog(db, runId, stage, level, message));
  const finished = STAGES.filter((name) => checkpoints.get(name)!.status === 'done');
  const on = hooks.device ? ` on ${hooks.device}` : '';
  log(
    null,
    'info',
    finished.length === 0
      ? `started${on}`
      : `resumed${on}: ${finished.join(', ')} already done (kept); from ${STAGES.find((name) => !finished.includes(name)) ?? 'the end'}`,
  );
  for (const name of STAGES) {
    const previous = checkpoints.get(name)!;
    if (previous.status === 'done') continue;
    const definition: StageDefinition = stageDefinitions[name];
    const ctx = new StageContext(
      db,
      runId,
      run.config,
      name,
      previous.checkpoint === null ? null : JSON.parse(previous.checkpoint),
      hooks.signal,
      hooks.onProgress,
      log,
    );
    markStageRunning(db, runId, name);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      ctx.throwIfCancelled();
      const commit = await definition.run(ctx);
      db.transaction(() => {
        commit(db);
        finishStage(db, runId, name, 'done', seconds());
      })();
      log(name, 'info', `done after ${formatDuration(seconds())}`);
      hooks.onStageEnd?.(name, 'done', seconds());
    } catch (error) {
      // The learning core's trainers stop on the same signal with their own CancelledError.
      const cancelled = error instanceof RunCancelledError || error instanceof CancelledError;
      const reason = error instanceof Error ? error.message : String(error);
      const message = error instanceof Error && !cancelled ? (error.stack ?? reason) : reason;
      db.transaction(() => {
        finishStage(db, runId, name, cancelled ? 'cancelled' : 'failed', seconds(), message);
        setRunStatus(db, runId, cancelled ? 'cancelled' : 'failed', cancelled ? message : `${name}: ${reason}`);
      })();
      if (cancelled) log(name, 'warn', `cancelled after ${formatDuration(seconds())}; finished parts are kept`);
      else log(name, 'error', `failed after ${formatDuration(seconds())}: ${firstLine(reason)}`);
      hooks.onStageEnd?.(name, cancelled ? 'cancelled' : 'failed', seconds());
      log(null, cancelled ? 'warn' : 'error', cancelled ? 'cancelled' : `failed at ${name}`);
      return cancelled ? 'cancelled' : 'failed';
    }
  }
  setRunStatus(db, runId, 'done');
  log(null, 'info', 'succeeded');
  return 'done';
}
