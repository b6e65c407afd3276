/**
 * The calls that decode and deflate frames (dataset samples, synthetic sets,
 * episodes with frames) run in a pool of worker threads, each with its own
 * database connection, so a burst of them never blocks the event loop that
 * answers everything else. Calls wait in one queue; a call whose client left
 * (its signal aborted) is dropped before it starts.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { CallOutput, ParsedCallInput } from '@shared/api/contract.ts';
import { ApiError, type ApiErrorBody } from '@shared/api/errors.ts';
import { startWorker } from '../procgen/start-worker.ts';

/** The pool's worker entry (the host bundles it: `main/host/worker-bundles.ts`). */
export const CALL_WORKER_ENTRY = new URL('../workers/call-worker.ts', import.meta.url);

/** The calls the pool runs; their handlers are `pooledHandlers` in `inspect.ts`. */
export const POOLED_CALLS = [
  'dataset.samples',
  'synthetic.get',
  'episodes.get',
  'episodes.policy',
  'runs.distributions',
  'synthetic.nearest',
  'media.episodes',
  'media.synthetic',
] as const;
export type PooledCall = (typeof POOLED_CALLS)[number];

export interface CallWorkerData {
  readonly dbPath: string;
  /** Start the TensorFlow.js backend at once (a warmed pool), not on the first call that needs it. */
  readonly warm: boolean;
}
export type ToCallWorker = { readonly id: number; readonly call: PooledCall; readonly input: unknown };
export type FromCallWorker = { readonly id: number } & ({ readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: ApiErrorBody });

interface Task {
  readonly message: ToCallWorker;
  readonly signal: AbortSignal | undefined;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

/** One worker per core beyond the first (at most 4): the first core keeps the event loop. */
const defaultSize = () => Math.max(1, Math.min(4, availableParallelism() - 1));

export class CallPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  private started = 0;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly dbPath: string,
    private readonly size = defaultSize(),
  ) {}

  run<N extends PooledCall>(call: N, input: ParsedCallInput<N>, signal?: AbortSignal): Promise<CallOutput<N>> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new ApiError('failed', 'The app is shutting down.'));
      this.waiting.push({ message: { id: this.nextId++, call, input }, signal, resolve: resolve as (output: unknown) => void, reject });
      this.pump();
    });
  }

  /** Starts every worker not started yet, each loading its backend, so the first calls find them ready. */
  warm(): void {
    if (this.closed) return;
    while (this.started < this.size) this.idle.push(this.startOne(true));
    this.pump();
  }

  /** Ends the workers; calls still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new ApiError('failed', 'The app is shutting down.'));
    await Promise.all([...this.idle.splice(0), ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      const task = this.waiting[0]!;
      if (task.signal?.aborted) {
        this.waiting.shift();
        task.reject(new ApiError('failed', 'The client left before the call started.'));
        continue;
      }
      const worker = this.idle.pop() ?? (this.started < this.size ? this.startOne() : undefined);
      if (!worker) return;
      this.waiting.shift();
      this.busy.set(worker, task);
      worker.postMessage(task.message);
    }
  }

  private startOne(warm = false): Worker {
    this.started++;
    const data: CallWorkerData = { dbPath: this.dbPath, warm };
    const worker = startWorker(CALL_WORKER_ENTRY, { workerData: data });
    worker.on('message', (reply: FromCallWorker) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (task) {
        if (reply.ok) task.resolve(reply.output);
        else task.reject(new ApiError(reply.error.code, reply.error.message));
      }
      this.pump();
    });
    // A worker that dies fails its call; the next call starts a fresh one.
    let gone = false;
    const lost = (error: Error) => {
      if (gone) return;
      gone = true;
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.started--;
      task?.reject(new ApiError('failed', `The worker running the call stopped: ${error.message}`));
      if (!this.closed) this.pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
    worker.unref();
    return worker;
  }
}
