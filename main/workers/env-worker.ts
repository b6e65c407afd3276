/**
 * Worker entry: steps one slice of a `ParallelVecEnv`'s environments in place
 * in the shared buffers, woken by `Atomics.notify` on the control words.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { vecBufferViews } from '../../shared/procgen/vec/vec-buffers.ts';
import { VecEnv } from '../../shared/procgen/vec/vec-env.ts';
import { COMMAND, COMMAND_EXIT, COMMAND_STEP, FAILED, FINISHED, GENERATION, type EnvWorkerData, type EnvWorkerReady } from '../procgen/env-control.ts';

const data = workerData as EnvWorkerData;
const control = new Int32Array(data.control);
const env = new VecEnv(data.config, vecBufferViews(data.buffer, data.config.numEnvs), { first: data.first, end: data.end });
/** Polls before sleeping: the next step usually follows within microseconds, and a futex wake-up costs more. */
const SPIN_POLLS = 20_000;

// Read before announcing readiness: the parent may issue the first command the moment it hears from us.
let generation = Atomics.load(control, GENERATION);
parentPort!.postMessage({ ready: true } satisfies EnvWorkerReady);
for (;;) {
  for (let i = 0; i < SPIN_POLLS && Atomics.load(control, GENERATION) === generation; i++);
  Atomics.wait(control, GENERATION, generation);
  generation = Atomics.load(control, GENERATION);
  const command = Atomics.load(control, COMMAND);
  if (command === COMMAND_EXIT) break;
  if (command === COMMAND_STEP) {
    try {
      env.step();
    } catch (error) {
      data.errorPort.postMessage(error instanceof Error ? error.message : String(error));
      Atomics.store(control, FAILED, 1);
    }
  }
  Atomics.add(control, FINISHED, 1);
  Atomics.notify(control, FINISHED);
}
data.errorPort.close();
// Loader hooks keep a worker's event loop alive: leave explicitly (ends this thread only).
process.exit(0);
