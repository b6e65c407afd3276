/**
 * Runs waiting to execute, one at a time (the machine's cores go to the one
 * executing), each in its own worker thread or child process (run-process.ts). Progress and state changes are
 * reported to listeners (the CLI's bars, the API's events).
 *
 * A run is claimed in the database just before it starts (`claimRun`), so a
 * run cancelled, resumed or taken by another process meanwhile is skipped,
 * never executed twice.
 */
import type { RunStatus, StageName, StageStatus } from '@shared/config/stages.ts';
import type { AppDatabase } from '../storage/database.ts';
import { thisProcess } from '../storage/run-owner.ts';
import { claimRun, getRun, requestCancel, stopRun, whyNotClaimable } from '../storage/runs.ts';
import type { RunLogLine } from '../storage/run-log.ts';
import type { RunWorkerData } from './run-messages.ts';
import { startRunExecutor, type RunExecutor, type RunPlace } from './run-process.ts';
import type { StageProgress } from './stage-context.ts';

export interface RunQueueListener {
  onStart?(runId: number): void;
  onProgress?(runId: number, progress: StageProgress): void;
  onStageEnd?(runId: number, stage: StageName, status: StageStatus, seconds: number): void;
  /** The executing run stored a line in its log. */
  onLog?(runId: number, line: RunLogLine): void;
  /**
   * The run ended (done, failed, cancelled), or was not started: then `error`
   * says why and `status` is the state it is in (cancelled, or taken elsewhere).
   */
  onFinish?(runId: number, status: RunStatus, error?: string): void;
}

interface Executing {
  readonly runId: number;
  readonly executor: RunExecutor;
  /** Set when the executor had to be terminated: it could not record its own end. */
  terminated: boolean;
}

export class RunQueue {
  private readonly waiting: number[] = [];
  private current: Executing | undefined;
  private idle: Promise<void> = Promise.resolve();
  private draining = false;
  private readonly owner = thisProcess;

  constructor(
    private readonly db: AppDatabase,
    private readonly listener: RunQueueListener = {},
    private readonly options: { readonly backend?: string | undefined; readonly place?: RunPlace | undefined } = {},
  ) {}

  /** Queues a run that this process queued in the database; resolves when the queue has no more work. */
  enqueue(runId: number): Promise<void> {
    this.waiting.push(runId);
    if (!this.draining) {
      this.draining = true;
      this.idle = this.drain();
    }
    return this.idle;
  }

  /** Stops the executing run at its next step, or drops a waiting one. Returns whether it was here. */
  cancel(runId: number): boolean {
    if (this.current?.runId === runId) {
      this.current.executor.post({ type: 'cancel' });
      return true;
    }
    const at = this.waiting.indexOf(runId);
    if (at >= 0) this.waiting.splice(at, 1);
    return at >= 0;
  }

  /** Cancels the executing run and drops the waiting ones. */
  cancelAll(): void {
    this.waiting.length = 0;
    if (this.current) this.cancel(this.current.runId);
  }

  /**
   * For a process that is about to exit: the waiting runs are cancelled, the
   * executing one is asked to stop and, if it has not within `graceMs`, its
   * executor is terminated and the run marked cancelled. Everything stays resumable.
   */
  async stop(graceMs: number): Promise<void> {
    for (const runId of this.waiting.splice(0)) requestCancel(this.db.connection, runId);
    const executing = this.current;
    if (!executing) return;
    executing.executor.post({ type: 'cancel' });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
    if (await Promise.race([executing.executor.exited.then(() => false), late])) {
      executing.terminated = true;
      await executing.executor.terminate();
      stopRun(this.db.connection, executing.runId, `cancelled: the process stopped (its executor did not stop within ${graceMs / 1000} s)`);
    }
    clearTimeout(timer);
    await this.idle;
  }

  private async drain(): Promise<void> {
    try {
      for (let runId = this.waiting.shift(); runId !== undefined; runId = this.waiting.shift()) {
        if (claimRun(this.db.connection, runId, this.owner)) {
          const result = await this.execute(runId);
          this.current = undefined;
          this.listener.onFinish?.(runId, result.status, result.error);
        } else {
          const run = getRun(this.db.connection, runId);
          this.listener.onFinish?.(runId, run.status, whyNotClaimable(run, this.owner));
        }
      }
    } finally {
      // In the same step as the loop's end: a run enqueued from now on starts a new drain.
      this.draining = false;
    }
  }

  private execute(runId: number): Promise<{ status: RunStatus; error?: string }> {
    const { backend, place = { kind: 'thread' } } = this.options;
    const data: RunWorkerData = { dbPath: this.db.path, runId, owner: this.owner, ...(backend ? { backend } : {}) };
    const executor = startRunExecutor(data, place);
    let result: { status: RunStatus; error?: string } = { status: 'failed', error: 'the run executor stopped without a result' };
    const executing: Executing = { runId, executor, terminated: false };
    this.current = executing;
    this.listener.onStart?.(runId);
    executor.onMessage((message) => {
      if (message.type === 'progress') this.listener.onProgress?.(runId, message.progress);
      else if (message.type === 'stage-end') this.listener.onStageEnd?.(runId, message.stage, message.status, message.seconds);
      else if (message.type === 'log') this.listener.onLog?.(runId, message.line);
      else if (message.type === 'finished') result = { status: message.status };
      else result = { status: 'failed', error: message.message };
    });
    executor.onError((message) => (result = { status: 'failed', error: message }));
    return executor.exited.then(() => (executing.terminated ? { status: 'cancelled' } : result));
  }
}
