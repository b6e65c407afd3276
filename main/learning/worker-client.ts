/**
 * Runs a learning job in a worker thread and resolves to its result; progress events
 * arrive on the caller's thread and an AbortSignal cancels between steps.
 */
import { startWorker } from '../procgen/start-worker.ts';
import type { BackendInfo } from './backend.ts';
import type { LearnJob, LearnResult } from './jobs.ts';
import { CancelledError, type Progress } from './train/control.ts';

export interface LearnWorkerData {
  readonly job: LearnJob;
  /** Backend to force (else the best available, or DDRL_BACKEND). */
  readonly backend?: string;
}

export type ToLearnWorker = { readonly type: 'cancel' };

export type FromLearnWorker =
  | { readonly type: 'backend'; readonly backend: BackendInfo }
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'done'; readonly result: LearnResult }
  | { readonly type: 'error'; readonly message: string; readonly cancelled: boolean };

export interface WorkerRunOptions {
  readonly backend?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: Progress) => void;
  readonly onBackend?: (backend: BackendInfo) => void;
}

const ENTRY = new URL(import.meta.url.endsWith('.ts') ? '../workers/learn-worker.ts' : '../workers/learn-worker.js', import.meta.url);

export function runInWorker(job: LearnJob, options: WorkerRunOptions = {}): Promise<LearnResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(ENTRY, { workerData: { job, backend: options.backend } satisfies LearnWorkerData });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', cancel);
      fn();
    };
    const cancel = () => worker.postMessage({ type: 'cancel' } satisfies ToLearnWorker);
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel);
    worker.on('message', (message: FromLearnWorker) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'backend') options.onBackend?.(message.backend);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else
        settle(() =>
          reject(message.cancelled ? Object.assign(new CancelledError('Learning job', 0), { message: message.message }) : new Error(message.message)),
        );
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`The learning worker exited (code ${code}) before finishing its job.`))));
  });
}
