/**
 * The run calls of the API: list, get (with stages), results, start, cancel,
 * resume. Started runs execute through one RunQueue per database (one run at a
 * time, each in a worker thread); progress and state changes go out as events.
 * Runs whose process died are marked 'interrupted' whenever runs are read.
 */
import type { ParsedCallInput } from '@shared/api/contract.ts';
import type { ApiEvent } from '@shared/api/events.ts';
import type { RunInfo } from '@shared/api/runs.ts';
import { ApiError } from '@shared/api/errors.ts';
import { ConfigError } from '@shared/config/experiment.ts';
import { applyAssignments, expandSweeps, parseAssignment, parseSweep } from '@shared/config/overrides.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { isCancellable, type RunStatus } from '@shared/config/stages.ts';
import { maxRunsPerStart } from '../pipeline/limits.ts';
import { RunQueue } from '../pipeline/run-queue.ts';
import { runResults } from '../pipeline/results.ts';
import { RUN_LOG_LIMIT } from '@shared/api/runs.ts';
import { appendRunLog, readRunLog, type RunLogLine } from '../storage/run-log.ts';
import { thisProcess } from '../storage/run-owner.ts';
import {
  cancelExperiment,
  getExperiment,
  createExperiment,
  getRun,
  getStages,
  interruptOrphanedRuns,
  listRuns,
  requestCancel,
  requeueRun,
  whyNotClaimable,
  type RunRow,
} from '../storage/runs.ts';
import type { ServiceContext } from './context.ts';

const queues = new WeakMap<ServiceContext['db'], RunQueue>();

/** The API's run states name a finished run 'succeeded'. */
export const apiStatus = (status: RunStatus) => (status === 'done' ? 'succeeded' : status);

/** A stored log line of a run as the event that carries it to the clients. */
export const logEventOf = (line: RunLogLine): ApiEvent => ({
  type: 'log',
  level: line.level,
  source: `run ${line.runId}`,
  message: line.message,
  time: line.time,
  runId: line.runId,
  id: line.id,
  stage: line.stage,
});

function queueOf(ctx: ServiceContext): RunQueue {
  let queue = queues.get(ctx.db);
  if (!queue) {
    // The executing run stores its log (start, stage ends, what stages report, end) and passes each line on;
    // only a run that never got as far as its executor (not claimable, a dead worker) is logged here.
    const emit = (line: RunLogLine) => ctx.events.emit(logEventOf(line));
    queue = new RunQueue(
      ctx.db,
      {
        onStart: (runId) => ctx.events.emit({ type: 'run-status', runId, status: 'running' }),
        onProgress: (runId, p) =>
          ctx.events.emit({
            type: 'progress',
            runId,
            phase: p.stage,
            done: p.done,
            total: p.total,
            ...(p.message === undefined ? {} : { message: p.message }),
          }),
        onLog: (_runId, line) => emit(line),
        onFinish: (runId, status, error) => {
          ctx.events.emit({ type: 'run-status', runId, status: apiStatus(status), ...(error === undefined ? {} : { message: error }) });
          if (error !== undefined) emit(appendRunLog(ctx.db.connection, runId, null, status === 'failed' ? 'error' : 'warn', error));
        },
      },
      { place: ctx.runPlace },
    );
    queues.set(ctx.db, queue);
  }
  return queue;
}

/** Cancels this process's runs (see `RunQueue.stop`); for a host or app about to exit. */
export async function stopRuns(ctx: ServiceContext, graceMs: number): Promise<void> {
  await queues.get(ctx.db)?.stop(graceMs);
}

/** Marks runs of dead processes 'interrupted' and tells the clients. */
export function noticeOrphanedRuns(ctx: ServiceContext): void {
  for (const runId of interruptOrphanedRuns(ctx.db.connection, thisProcess)) ctx.events.emit({ type: 'run-status', runId, status: 'interrupted' });
}

/** A run's stages as the API lists them (without the opaque resume checkpoints). */
export const stageInfosOf = (ctx: ServiceContext, runId: number): RunInfo['stages'] =>
  getStages(ctx.db.connection, runId).map(({ checkpoint: _, ...stage }) => stage);

export function runInfoOf(ctx: ServiceContext, run: RunRow): RunInfo {
  return {
    id: run.id,
    experimentId: run.experimentId,
    label: run.label,
    game: run.config.game,
    mode: run.config.mode,
    status: run.status,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    error: run.error,
    datasetId: run.datasetId,
    origin: run.origin,
    config: run.config as unknown as Record<string, unknown>,
    stages: stageInfosOf(ctx, run.id),
  };
}

/** Storage errors (an unknown run id, ...) become the call's error message. */
export function found<T>(get: () => T): T {
  try {
    return get();
  } catch (error) {
    throw new ApiError('invalid_input', error instanceof Error ? error.message : String(error));
  }
}

export async function listRunsCall(_input: ParsedCallInput<'runs.list'>, ctx: ServiceContext): Promise<RunInfo[]> {
  noticeOrphanedRuns(ctx);
  return listRuns(ctx.db.connection).map((run) => runInfoOf(ctx, run));
}

export async function getRunCall(input: ParsedCallInput<'runs.get'>, ctx: ServiceContext): Promise<RunInfo> {
  noticeOrphanedRuns(ctx);
  return runInfoOf(
    ctx,
    found(() => getRun(ctx.db.connection, input.runId)),
  );
}

export async function runLogCall(input: ParsedCallInput<'runs.log'>, ctx: ServiceContext) {
  found(() => getRun(ctx.db.connection, input.runId));
  // One more than shown tells whether older lines were left out.
  const lines = readRunLog(ctx.db.connection, input.runId, RUN_LOG_LIMIT + 1);
  return { lines: lines.slice(-RUN_LOG_LIMIT).map(({ runId: _, ...line }) => line), truncated: lines.length > RUN_LOG_LIMIT };
}

export async function runResultsCall(input: ParsedCallInput<'runs.results'>, ctx: ServiceContext) {
  const results = found(() => runResults(ctx.db.connection, input.runId));
  // Undefined intervals (a single model's single episode) travel as null.
  const orNull = (v: number) => (Number.isFinite(v) ? v : null);
  return { ...results, rows: results.rows.map((r) => ({ ...r, ciLow: orNull(r.ciLow), ciHigh: orNull(r.ciHigh) })) };
}

export async function startRunCall(input: ParsedCallInput<'runs.start'>, ctx: ServiceContext) {
  let points;
  try {
    const base = applyAssignments(presetConfig(input.preset), input.set.map(parseAssignment));
    points = expandSweeps(base, input.sweep.map(parseSweep), maxRunsPerStart());
  } catch (error) {
    if (error instanceof ConfigError) throw new ApiError('invalid_input', error.message);
    throw error;
  }
  const created = createExperiment(
    ctx.db.connection,
    { name: input.name ?? input.preset, preset: input.preset },
    points.map((p) => ({ label: p.label || input.preset, config: p.config })),
    thisProcess,
  );
  const queue = queueOf(ctx);
  for (const runId of created.runIds) {
    ctx.events.emit({ type: 'run-status', runId, status: 'queued' });
    void queue.enqueue(runId);
  }
  return created;
}

export async function cancelRunCall(input: ParsedCallInput<'runs.cancel'>, ctx: ServiceContext): Promise<RunInfo> {
  noticeOrphanedRuns(ctx);
  const run = found(() => getRun(ctx.db.connection, input.runId));
  if (!isCancellable(run.status)) {
    throw new ApiError('invalid_input', `Run ${run.id} is ${run.status}, not queued or running: nothing to cancel.`);
  }
  requestCancel(ctx.db.connection, run.id);
  queueOf(ctx).cancel(run.id);
  return runInfoOf(ctx, getRun(ctx.db.connection, run.id));
}

export async function cancelExperimentCall(input: ParsedCallInput<'runs.cancelExperiment'>, ctx: ServiceContext): Promise<{ cancelled: number[] }> {
  noticeOrphanedRuns(ctx);
  if (!getExperiment(ctx.db.connection, input.experimentId))
    throw new ApiError('invalid_input', `No experiment with id ${input.experimentId}: see the runs list.`);
  const cancelled = cancelExperiment(ctx.db.connection, input.experimentId);
  const queue = queueOf(ctx);
  for (const runId of cancelled) {
    queue.cancel(runId);
    // A run that waited is cancelled now; an executing one says so when it has stopped.
    if (getRun(ctx.db.connection, runId).status === 'cancelled') ctx.events.emit({ type: 'run-status', runId, status: 'cancelled' });
  }
  return { cancelled };
}

/** Queues a cancelled, failed or interrupted run again here; it continues from its last checkpoint. */
export async function resumeRunCall(input: ParsedCallInput<'runs.resume'>, ctx: ServiceContext): Promise<RunInfo> {
  noticeOrphanedRuns(ctx);
  const run = found(() => getRun(ctx.db.connection, input.runId));
  if (!requeueRun(ctx.db.connection, run.id, thisProcess)) throw new ApiError('invalid_input', whyNotClaimable(getRun(ctx.db.connection, run.id), thisProcess));
  ctx.events.emit({ type: 'run-status', runId: run.id, status: 'queued' });
  void queueOf(ctx).enqueue(run.id);
  return runInfoOf(ctx, getRun(ctx.db.connection, run.id));
}
