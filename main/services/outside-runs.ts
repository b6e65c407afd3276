/**
 * Runs that other processes execute (`ddrl run` or `ddrl study` in a terminal, another app on the
 * same file) change the database without a word to this one's clients, so their views would stand
 * still for hours. A watcher asks SQLite every few seconds whether another connection committed
 * (`PRAGMA data_version`, one cheap read); when one did, every run of another owner whose status or
 * stages changed goes out as a 'run-status' event, the running stage's stored progress (written
 * every 2 s by the executing process) as a 'progress' event, and its new stored log lines as 'log'
 * events, as this process's own runs do. Runs this process executes report themselves and are skipped.
 */
import { lastRunLogId, readRunLogAfter } from '../storage/run-log.ts';
import { thisProcess } from '../storage/run-owner.ts';
import { runStates, type StoredProgress } from '../storage/runs.ts';
import type { ServiceContext } from './context.ts';
import { apiStatus, logEventOf } from './runs.ts';

/** How often the database is asked whether another process changed it. */
export const OUTSIDE_RUNS_POLL_MS = 2000;
/** Log lines passed on per look at most: a burst beyond it is read on the next. */
const LINES_PER_LOOK = 500;

const sameProgress = (a: StoredProgress, b: StoredProgress | null | undefined) =>
  b !== null && b !== undefined && a.stage === b.stage && a.done === b.done && a.total === b.total && a.message === b.message;

/** Starts watching; returns the function that stops it. */
export function watchOutsideRuns(ctx: Pick<ServiceContext, 'db' | 'events'>, everyMs = OUTSIDE_RUNS_POLL_MS): () => void {
  const db = ctx.db.connection;
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let version = dataVersion.get();
  let known = runStates(db);
  let lastLine = lastRunLogId(db);
  const outside = (runner: string | null | undefined) => runner !== thisProcess.id;
  let backlog = false;
  const look = () => {
    const now = dataVersion.get();
    if (now === version && !backlog) return;
    version = now;
    const states = runStates(db);
    for (const [runId, state] of states) {
      if (!outside(state.runner)) continue;
      const before = known.get(runId);
      if (before?.status !== state.status || before.stages !== state.stages) ctx.events.emit({ type: 'run-status', runId, status: apiStatus(state.status) });
      const p = state.progress;
      if (p && state.status === 'running' && !sameProgress(p, before?.progress))
        ctx.events.emit({ type: 'progress', runId, phase: p.stage, done: p.done, total: p.total, ...(p.message === null ? {} : { message: p.message }) });
    }
    known = states;
    const lines = readRunLogAfter(db, lastLine, LINES_PER_LOOK);
    for (const line of lines) {
      lastLine = line.id;
      if (outside(states.get(line.runId)?.runner)) ctx.events.emit(logEventOf(line));
    }
    // More lines than one look passes on: the next look reads on, whether or not anything else changes.
    backlog = lines.length === LINES_PER_LOOK;
  };
  let lastProblem = '';
  const timer = setInterval(() => {
    try {
      look();
      lastProblem = '';
    } catch (error) {
      // A busy or damaged file must not take the host down: say so once, and look again next time.
      const problem = error instanceof Error ? error.message : String(error);
      if (problem !== lastProblem)
        ctx.events.emit({
          type: 'log',
          level: 'warn',
          source: 'outside runs',
          message: `Could not read runs of other processes: ${problem}`,
          time: Date.now(),
        });
      lastProblem = problem;
    }
  }, everyMs);
  // A watcher alone keeps no process alive (`ddrl about` starts the services and ends).
  timer.unref();
  return () => clearInterval(timer);
}
