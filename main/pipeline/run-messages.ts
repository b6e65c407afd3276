/** The messages between a run queue and the worker thread executing one run. */
import type { RunStatus, StageName, StageStatus } from '@shared/config/stages.ts';
import type { RunLogLine } from '../storage/run-log.ts';
import type { RunOwner } from '../storage/run-owner.ts';
import type { StageProgress } from './stage-context.ts';

export interface RunWorkerData {
  readonly dbPath: string;
  readonly runId: number;
  /** The process that claimed the run for this worker: the run must still be its. */
  readonly owner: RunOwner;
  /** Forces a tfjs backend (else DDRL_BACKEND or the best that starts). */
  readonly backend?: string;
}

export type ToRunWorker = { readonly type: 'cancel' };

export type FromRunWorker =
  | { readonly type: 'progress'; readonly progress: StageProgress }
  | { readonly type: 'stage-end'; readonly stage: StageName; readonly status: StageStatus; readonly seconds: number }
  | { readonly type: 'log'; readonly line: RunLogLine }
  | { readonly type: 'finished'; readonly status: RunStatus }
  | { readonly type: 'error'; readonly message: string };
