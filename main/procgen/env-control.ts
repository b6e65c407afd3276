/**
 * The shared control words between a `ParallelVecEnv` and its stepping
 * workers (an Int32Array on a SharedArrayBuffer). The parent bumps
 * `GENERATION` with a command; each worker runs it on its slice, then bumps
 * `FINISHED`. Waiting is `Atomics.wait`, so no message is posted per step.
 */
import type { MessagePort } from 'node:worker_threads';
import type { VecEnvConfig } from '../../shared/procgen/vec/vec-env.ts';

export const CONTROL_WORDS = 4;
export const GENERATION = 0;
export const COMMAND = 1;
export const FINISHED = 2;
/** Non-zero once a worker failed; its error arrives on its error port. */
export const FAILED = 3;

export const COMMAND_STEP = 1;
export const COMMAND_EXIT = 2;

/** What the parent passes to each worker in `workerData`. */
export interface EnvWorkerData {
  /** The VecEnv config (plain data). */
  config: VecEnvConfig;
  buffer: SharedArrayBuffer;
  control: SharedArrayBuffer;
  first: number;
  end: number;
  errorPort: MessagePort;
}

/** Posted once by a worker when its environments are built and published. */
export interface EnvWorkerReady {
  ready: true;
}
