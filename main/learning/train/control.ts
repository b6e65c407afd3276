/** Progress reporting and cancellation shared by every trainer. */
import type { TrainableNet } from '../nets/trainable.ts';

export interface Progress {
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  /** Samples (or environment steps, for PPO) processed per second since the previous event. */
  readonly samplesPerSecond: number;
  /** Trainer-specific figures (e.g. mean episode return, entropy). */
  readonly metrics?: Readonly<Record<string, number>>;
}

export interface RunControl {
  /** Checked between steps; an aborted signal ends the run with CancelledError. */
  readonly signal?: AbortSignal;
  /** A returned promise is awaited by BC, distillation and PPO: a listener may read tensors (asynchronously, as the webgpu backend needs). */
  readonly onProgress?: (progress: Progress) => unknown;
  /** Awaited after each finished update (PPO), with the network: where a caller stores a checkpoint of it. */
  readonly afterUpdate?: (update: number, net: TrainableNet) => void | Promise<void>;
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(what: string, step: number) {
    super(`${what} was cancelled after step ${step}.`);
  }
}

/**
 * Called between steps: yields to the event loop (so a cancel message can arrive in a
 * worker) and throws CancelledError if the run was aborted.
 */
export async function checkpoint(control: RunControl, what: string, step: number): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (control.signal?.aborted) throw new CancelledError(what, step);
}

/** Measures samples per second between progress events. */
export class Throughput {
  private last = performance.now();
  private samples = 0;

  add(samples: number): void {
    this.samples += samples;
  }

  /** Rate since the previous call, then restarts the count. */
  take(): number {
    const now = performance.now();
    const rate = (this.samples * 1000) / Math.max(now - this.last, 1e-3);
    this.last = now;
    this.samples = 0;
    return rate;
  }
}
