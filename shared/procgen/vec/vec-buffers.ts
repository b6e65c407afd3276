/**
 * The arrays a vectorised environment exchanges with its caller, all views on
 * one buffer so worker threads can share it (a SharedArrayBuffer) and step
 * their slice of the environments in place.
 */
import { OBSERVATION_SIZE } from '../render/frame-renderer.ts';

export const OBSERVATION_BYTES = OBSERVATION_SIZE * OBSERVATION_SIZE * 3;

export interface VecBuffers {
  readonly numEnvs: number;
  /** The buffer every view below lives in. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Input: one action (0..14) per environment. */
  readonly actions: Int32Array;
  /** Output of the last step, per environment. */
  readonly rewards: Float32Array;
  readonly dones: Uint8Array;
  /** Procgen `info`: the level now played, the level the last step was played in, and whether it was completed. */
  readonly levelSeeds: Int32Array;
  readonly prevLevelSeeds: Int32Array;
  readonly prevLevelComplete: Uint8Array;
  /** Return and length of the episode that the last step ended, where `dones` is 1 (the auto-reset clears the running sums). */
  readonly finishedReturns: Float32Array;
  readonly finishedLengths: Int32Array;
  /** [numEnvs, 64, 64, 3] RGB observations. */
  readonly observations: Uint8Array;
}

/** Bytes needed for `numEnvs` environments: 4-byte fields first, so every view is aligned. */
export function vecBufferBytes(numEnvs: number): number {
  return numEnvs * (6 * 4 + 2 + OBSERVATION_BYTES);
}

/** Views over `buffer` (made by `allocateVecBuffers`, possibly in another thread). */
export function vecBufferViews(buffer: ArrayBuffer | SharedArrayBuffer, numEnvs: number): VecBuffers {
  checkNumEnvs(numEnvs);
  if (buffer.byteLength < vecBufferBytes(numEnvs)) {
    throw new RangeError(`a buffer of ${buffer.byteLength} bytes is too small for ${numEnvs} environments (needs ${vecBufferBytes(numEnvs)})`);
  }
  const n = numEnvs;
  return {
    numEnvs,
    buffer,
    actions: new Int32Array(buffer, 0, n),
    rewards: new Float32Array(buffer, 4 * n, n),
    levelSeeds: new Int32Array(buffer, 8 * n, n),
    prevLevelSeeds: new Int32Array(buffer, 12 * n, n),
    finishedReturns: new Float32Array(buffer, 16 * n, n),
    finishedLengths: new Int32Array(buffer, 20 * n, n),
    dones: new Uint8Array(buffer, 24 * n, n),
    prevLevelComplete: new Uint8Array(buffer, 25 * n, n),
    observations: new Uint8Array(buffer, 26 * n, n * OBSERVATION_BYTES),
  };
}

/** Fresh buffers; `shared` puts them in a SharedArrayBuffer for worker threads. */
export function allocateVecBuffers(numEnvs: number, shared = false): VecBuffers {
  checkNumEnvs(numEnvs);
  const bytes = vecBufferBytes(numEnvs);
  return vecBufferViews(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), numEnvs);
}

export const MAX_ENVS = 4096;

export function checkNumEnvs(numEnvs: number): void {
  if (!Number.isInteger(numEnvs) || numEnvs < 1 || numEnvs > MAX_ENVS) {
    throw new RangeError(`invalid number of environments ${numEnvs}: use an integer in 1..${MAX_ENVS}`);
  }
}
