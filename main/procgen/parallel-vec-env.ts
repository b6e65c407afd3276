/**
 * A `VecEnv` stepped by several threads at once: the environments are split
 * into near-equal slices; the calling thread steps the first slice, one
 * worker thread per other slice steps its own, all in place in one
 * SharedArrayBuffer. A step is one `Atomics.notify` out and one
 * `Atomics.wait` back: no message per step, no copy of observations.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { allocateVecBuffers, type VecBuffers } from '../../shared/procgen/vec/vec-buffers.ts';
import { checkVecEnvConfig, VecEnv, type EnvSlice, type VecEnvConfig } from '../../shared/procgen/vec/vec-env.ts';
import { startWorker } from './start-worker.ts';
import { COMMAND, COMMAND_EXIT, COMMAND_STEP, CONTROL_WORDS, FAILED, FINISHED, GENERATION, type EnvWorkerData } from './env-control.ts';

/** How long a step may take before the workers are presumed dead. */
const STEP_TIMEOUT_MS = 60_000;

const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? '../workers/env-worker.ts' : '../workers/env-worker.js', import.meta.url);

/** Splits `numEnvs` into `parts` contiguous slices whose sizes differ by at most one. */
export function splitEnvs(numEnvs: number, parts: number): EnvSlice[] {
  const slices: EnvSlice[] = [];
  for (let p = 0; p < parts; p++) {
    slices.push({ first: Math.floor((p * numEnvs) / parts), end: Math.floor(((p + 1) * numEnvs) / parts) });
  }
  return slices;
}

export class ParallelVecEnv {
  readonly config: VecEnvConfig;
  readonly buffers: VecBuffers;
  /** Stepping threads, the caller included. */
  readonly threads: number;
  private readonly local: VecEnv;
  private readonly control: Int32Array;
  private readonly workers: readonly Worker[];
  private readonly errorPorts: readonly MessagePort[];
  private closed = false;

  private constructor(config: VecEnvConfig, buffers: VecBuffers, control: Int32Array, local: VecEnv, workers: Worker[], errorPorts: MessagePort[]) {
    this.config = config;
    this.buffers = buffers;
    this.control = control;
    this.local = local;
    this.workers = workers;
    this.errorPorts = errorPorts;
    this.threads = workers.length + 1;
  }

  /** Starts `threads - 1` workers (default: one thread per core) and waits until every environment is built. */
  static async create(config: VecEnvConfig, threads: number = availableParallelism()): Promise<ParallelVecEnv> {
    checkVecEnvConfig(config);
    if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
      throw new RangeError(`invalid thread count ${threads}: use an integer in 1..256`);
    }
    const buffers = allocateVecBuffers(config.numEnvs, true);
    const controlBuffer = new SharedArrayBuffer(CONTROL_WORDS * 4);
    const control = new Int32Array(controlBuffer);
    const slices = splitEnvs(config.numEnvs, Math.min(threads, config.numEnvs));
    const workers: Worker[] = [];
    const errorPorts: MessagePort[] = [];
    const started: Promise<void>[] = [];
    for (const slice of slices.slice(1)) {
      const channel = new MessageChannel();
      const data: EnvWorkerData = {
        config,
        buffer: buffers.buffer as SharedArrayBuffer,
        control: controlBuffer,
        first: slice.first,
        end: slice.end,
        errorPort: channel.port2,
      };
      const worker = startWorker(WORKER_URL, { workerData: data, transferList: [channel.port2] });
      workers.push(worker);
      errorPorts.push(channel.port1);
      started.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
          worker.once('exit', (code) =>
            reject(new Error(`environment worker for envs ${slice.first}..${slice.end - 1} exited with code ${code} before it was ready`)),
          );
        }),
      );
    }
    const local = new VecEnv(config, buffers, slices[0]!);
    try {
      await Promise.all(started);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
    for (const worker of workers) {
      worker.removeAllListeners('exit');
      worker.removeAllListeners('error');
      // A crash after start-up surfaces on the next step (timeout) or here in the log.
      worker.on('error', (error) => console.error(`environment worker failed: ${error.message}`));
    }
    return new ParallelVecEnv(config, buffers, control, local, workers, errorPorts);
  }

  /** Steps every environment with `buffers.actions`; results are in `buffers` when it returns. */
  step(): void {
    if (this.closed) throw new Error('step() on a closed ParallelVecEnv: create a new one.');
    const control = this.control;
    const workers = this.workers.length;
    Atomics.store(control, FINISHED, 0);
    Atomics.store(control, COMMAND, COMMAND_STEP);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    let localError: unknown;
    try {
      this.local.step();
    } catch (error) {
      localError = error;
    }
    for (let finished = Atomics.load(control, FINISHED); finished < workers; finished = Atomics.load(control, FINISHED)) {
      if (Atomics.wait(control, FINISHED, finished, STEP_TIMEOUT_MS) === 'timed-out') {
        // A worker still inside this step would race the next one: this env cannot be used any more.
        this.closed = true;
        for (const worker of this.workers) void worker.terminate();
        throw new Error(
          `environment workers did not finish a step within ${STEP_TIMEOUT_MS / 1000} s (${finished} of ${workers} done); the environment is closed`,
        );
      }
    }
    if (localError) throw localError;
    if (Atomics.load(control, FAILED) !== 0) throw new Error(this.collectWorkerErrors());
  }

  /** Sets one action per environment and steps. */
  stepWith(actions: ArrayLike<number>): void {
    if (actions.length !== this.config.numEnvs) {
      throw new RangeError(`got ${actions.length} actions for ${this.config.numEnvs} environments: pass exactly one per environment`);
    }
    this.buffers.actions.set(actions);
    this.step();
  }

  /** Stops the workers; the buffers stay readable. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exits = this.workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
    Atomics.store(this.control, COMMAND, COMMAND_EXIT);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
    await Promise.all(exits);
    for (const port of this.errorPorts) port.close();
  }

  private collectWorkerErrors(): string {
    const messages: string[] = [];
    for (const port of this.errorPorts) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) messages.push(String(m.message));
    }
    Atomics.store(this.control, FAILED, 0);
    return messages.join('; ') || 'an environment worker failed without a message';
  }
}
