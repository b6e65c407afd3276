/**
 * Runs waiting to execute, one at a time (the machine's cores go to the one
 * executing), each in its own worker thread. Progress and state changes are
 * reported to listeners (the CLI's bars, the API's events).
 */
import type { Worker } from 'node:worker_threads';
import type { RunStatus, StageName, StageStatus } from '@shared/config/stages.ts';
import { startWorker } from '../procgen/start-worker.ts';
import type { FromRunWorker, RunWorkerData } from './run-messages.ts';
import type { StageProgress } from './stage-context.ts';

const WORKER_URL = new URL('../workers/run-executor.ts', import.meta.url);

export interface RunQueueListener {
  onStart?(runId: number): void;
  onProgress?(runId: number, progress: StageProgress): void;
  onStageEnd?(runId: number, stage: StageName, status: StageStatus, seconds: number): void;
  /** The run ended: done, failed, cancelled, or an error before it could start (`error`). */
  onFinish?(runId: number, status: RunStatus, error?: string): void;
}

export class RunQueue {
  private readonly waiting: number[] = [];
  private current: { runId: number; worker: Worker } | undefined;
  private idle: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly dbPath: string,
    private readonly listener: RunQueueListener = {},
    private readonly backend?: string,
  ) {}

  /** Queues a run; resolves when the queue has no more work. */
  enqueue(runId: number): Promise<void> {
    this.waiting.push(runId);
    if (!this.current) {
      this.idle = new Promise((resolve) => (this.wake = resolve));
      void this.next();
    }
    return this.idle;
  }

  /** Stops the executing run at its next step, or drops a waiting one. Returns whether it was here. */
  cancel(runId: number): boolean {
    if (this.current?.runId === runId) {
      this.current.worker.postMessage({ type: 'cancel' });
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

  private async next(): Promise<void> {
    const runId = this.waiting.shift();
    if (runId === undefined) {
      this.current = undefined;
      this.wake?.();
      return;
    }
    const result = await this.execute(runId);
    this.listener.onFinish?.(runId, result.status, result.error);
    await this.next();
  }

  private execute(runId: number): Promise<{ status: RunStatus; error?: string }> {
    const data: RunWorkerData = { dbPath: this.dbPath, runId, ...(this.backend ? { backend: this.backend } : {}) };
    const worker = startWorker(WORKER_URL, { workerData: data });
    this.current = { runId, worker };
    this.listener.onStart?.(runId);
    return new Promise((resolve) => {
      let result: { status: RunStatus; error?: string } = { status: 'failed', error: 'the worker stopped without a result' };
      worker.on('message', (message: FromRunWorker) => {
        if (message.type === 'progress') this.listener.onProgress?.(runId, message.progress);
        else if (message.type === 'stage-end') this.listener.onStageEnd?.(runId, message.stage, message.status, message.seconds);
        else if (message.type === 'finished') result = { status: message.status };
        else result = { status: 'failed', error: message.message };
      });
      worker.on('error', (error) => (result = { status: 'failed', error: error.message }));
      worker.on('exit', () => resolve(result));
    });
  }
}
