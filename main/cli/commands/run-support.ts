/** What the run commands share: the RUN argument, opening the database, executing queued runs. */
import type { RunStatus } from '@shared/config/stages.ts';
import { RunQueue } from '../../pipeline/run-queue.ts';
import { formatResultsTable, runResults } from '../../pipeline/results.ts';
import { openDatabase, type AppDatabase } from '../../storage/database.ts';
import { thisProcess } from '../../storage/run-owner.ts';
import { interruptOrphanedRuns } from '../../storage/runs.ts';
import { UsageError, type CliIo } from '../command.ts';
import { RunProgressDisplay } from '../run-progress.ts';

/** The RUN positional: a run id (a whole number from 1). */
export function parseRunId(positionals: readonly string[], command: string): number {
  if (positionals.length !== 1) throw new UsageError(`give exactly one run id, e.g. \`ddrl ${command} 3\` (list runs with \`ddrl runs\`).`);
  const text = positionals[0]!;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`run id '${text}' is not valid: run ids are whole numbers from 1 (see \`ddrl runs\`).`);
  return Number(text);
}

/** Opens the database for a run command; runs of processes that have died are marked 'interrupted' first. */
export async function withDatabase<T>(path: string, use: (db: AppDatabase) => Promise<T> | T): Promise<T> {
  const db = openDatabase({ path });
  try {
    interruptOrphanedRuns(db.connection, thisProcess);
    return await use(db);
  } finally {
    db.close();
  }
}

/** How long Ctrl-C or SIGTERM waits for the run to stop at a step before its worker is terminated. */
const stopGraceMs = 5000;

/**
 * Executes the runs (queued by this process) one after another in worker
 * threads with progress on the terminal; Ctrl-C or SIGTERM cancels within
 * seconds (finished stages stay). Prints each finished run's results table.
 * Resolves to the exit code: 0 when all are done.
 */
export async function executeRuns(db: AppDatabase, runIds: readonly number[], io: CliIo): Promise<number> {
  const statuses = new Map<number, RunStatus>();
  const display = new RunProgressDisplay(io);
  const queue = new RunQueue(db, {
    onStart: (id) => display.onStart(id),
    onProgress: (id, p) => display.onProgress(id, p),
    onStageEnd: (id, stage, status, seconds) => display.onStageEnd(id, stage, status, seconds),
    onFinish: (id, status, error) => {
      statuses.set(id, status);
      if (status === 'done') io.out(`\n${formatResultsTable(runResults(db.connection, id))}\n`);
      else if (status !== 'failed' && error !== undefined) io.err(`Run ${id} not started: ${error}`);
      else if (status === 'cancelled') io.err(`Run ${id} cancelled: \`ddrl resume ${id}\` continues from its last checkpoint.`);
      else io.err(`Run ${id} failed: ${error ?? db.connection.prepare('SELECT error FROM runs WHERE id = ?').pluck().get(id)}`);
    },
  });
  const interrupt = (): void => {
    io.err('\nCancelling: the run stops at its next step and keeps what it finished.');
    void queue.stop(stopGraceMs);
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    let all: Promise<void> = Promise.resolve();
    for (const id of runIds) all = queue.enqueue(id);
    await all;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  const failed = runIds.filter((id) => statuses.get(id) !== 'done');
  if (failed.length === 0) return 0;
  return runIds.some((id) => statuses.get(id) === 'cancelled') ? 130 : 1;
}
