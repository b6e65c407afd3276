/**
 * Labelled observations as trainers consume them, batch assembly into one reusable
 * buffer, and percentile filtering of episodes by return.
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotLabels } from '../losses.ts';
import type { Random } from '../random.ts';
import type { Batch } from './steps.ts';
import { ConfigError, checkNumber } from './validate.ts';

export const IMAGE_SIZE = 64;
export const OBS_VALUES = IMAGE_SIZE * IMAGE_SIZE * 3;

/** (observation, action) pairs: real uint8 frames or synthetic float pixels, both on the 0..255 scale. */
export interface LabelledSet {
  readonly count: number;
  /** count x 64 x 64 x 3, NHWC. */
  readonly obs: Uint8Array | Float32Array;
  readonly actions: Int32Array;
  /**
   * Soft labels: count x actions distributions (e.g. an expert's policy) that BC fits
   * instead of the one-hot actions; `actions` then names each sample's group only.
   */
  readonly targets?: Float32Array;
}

/** An offline dataset: labelled steps plus the episode each step belongs to and that episode's raw return. */
export interface EpisodeDataset extends LabelledSet {
  readonly episodeIds: Int32Array;
  readonly episodeReturns: Float32Array;
}

export function checkLabelledSet(data: LabelledSet, actionCount: number): void {
  if (data.count < 1) throw new ConfigError('The training set is empty: collect or select at least one sample.');
  if (data.obs.length !== data.count * OBS_VALUES) {
    throw new ConfigError(
      `The training set has ${data.obs.length} pixel values for ${data.count} samples; expected ${data.count * OBS_VALUES} (64x64x3 each).`,
    );
  }
  if (data.actions.length !== data.count) throw new ConfigError(`The training set has ${data.actions.length} actions for ${data.count} samples.`);
  if (data.targets && data.targets.length !== data.count * actionCount) {
    throw new ConfigError(
      `The training set has ${data.targets.length} soft-label values for ${data.count} samples of ${actionCount} actions; expected ${data.count * actionCount}.`,
    );
  }
  for (let i = 0; i < data.count; i++) {
    const a = data.actions[i]!;
    if (!(a >= 0 && a < actionCount)) throw new ConfigError(`Sample ${i} has action ${a}; actions must be 0..${actionCount - 1}.`);
  }
}

/** Assembles batches of given indices into one preallocated pixel buffer (no per-batch garbage). */
export class BatchBuilder {
  private readonly pixels: Float32Array;
  private readonly labels: Int32Array;
  private readonly targets: Float32Array;

  constructor(
    private readonly data: LabelledSet,
    private readonly capacity: number,
    private readonly actionCount: number,
  ) {
    this.pixels = new Float32Array(capacity * OBS_VALUES);
    this.labels = new Int32Array(capacity);
    this.targets = new Float32Array(data.targets ? capacity * actionCount : 0);
  }

  /**
   * Tensors for samples indexes[0..n): the caller disposes them. With `shift`, each
   * frame is translated by a random offset of up to `shift.pixels` in x and y (edges
   * repeated): the augmentation that keeps a network from memorising the levels'
   * backgrounds (Laskin et al. 2020, RAD; Raileanu et al. 2021, DrAC, on Procgen).
   */
  build(indexes: ArrayLike<number>, n = indexes.length, shift?: { readonly pixels: number; readonly random: Random }): Batch {
    if (n > this.capacity) throw new Error(`Batch of ${n} exceeds the builder's capacity ${this.capacity}.`);
    const a = this.actionCount;
    for (let j = 0; j < n; j++) {
      const i = indexes[j]!;
      const frame = this.data.obs.subarray(i * OBS_VALUES, (i + 1) * OBS_VALUES);
      if (shift && shift.pixels > 0) {
        const span = 2 * shift.pixels + 1;
        shiftedFrame(
          frame,
          shift.random.int(span) - shift.pixels,
          shift.random.int(span) - shift.pixels,
          this.pixels.subarray(j * OBS_VALUES, (j + 1) * OBS_VALUES),
        );
      } else this.pixels.set(frame, j * OBS_VALUES);
      this.labels[j] = this.data.actions[i]!;
      if (this.data.targets) this.targets.set(this.data.targets.subarray(i * a, (i + 1) * a), j * a);
    }
    const obs = tf.tensor4d(this.pixels.subarray(0, n * OBS_VALUES), [n, IMAGE_SIZE, IMAGE_SIZE, 3]);
    const targets = this.data.targets ? tf.tensor2d(this.targets.subarray(0, n * a), [n, a]) : oneHotLabels(this.labels.subarray(0, n), a);
    return { obs, targets };
  }
}

/** `out` = `frame` moved by (dx, dy) pixels, the edge rows and columns repeated into the gap. */
function shiftedFrame(frame: Uint8Array | Float32Array, dx: number, dy: number, out: Float32Array): void {
  const row = IMAGE_SIZE * 3;
  const x0 = Math.max(0, dx);
  const x1 = Math.min(IMAGE_SIZE, IMAGE_SIZE + dx);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    const source = Math.min(IMAGE_SIZE - 1, Math.max(0, y - dy)) * row;
    const target = y * row;
    out.set(frame.subarray(source + (x0 - dx) * 3, source + (x1 - dx) * 3), target + x0 * 3);
    for (let x = 0; x < x0; x++) out.set(frame.subarray(source, source + 3), target + x * 3);
    const last = source + (IMAGE_SIZE - 1) * 3;
    for (let x = x1; x < IMAGE_SIZE; x++) out.set(frame.subarray(last, last + 3), target + x * 3);
  }
}

export function disposeBatch(batch: Batch): void {
  batch.obs.dispose();
  batch.targets.dispose();
}

/**
 * Percentile BC's selection: the steps of the top `percentile`% of episodes by return
 * (at least one episode), then a random `fraction` of those steps (the official code
 * keeps 20%). Returns step indexes in dataset order. Unlike the official loader, every
 * selected row is a real step (its buffer bug left most rows uninitialised).
 */
export function selectTopEpisodes(data: EpisodeDataset, percentile: number, fraction: number, random: Random): Int32Array {
  checkNumber('percentile', percentile, 0, 100, { minExclusive: true });
  checkNumber('fraction', fraction, 0, 1, { minExclusive: true });
  const returns = new Map<number, number>();
  for (let i = 0; i < data.count; i++) returns.set(data.episodeIds[i]!, data.episodeReturns[i]!);
  const ranked = [...returns.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const keep = new Set(ranked.slice(0, Math.max(1, Math.round((ranked.length * percentile) / 100))).map(([id]) => id));
  const steps: number[] = [];
  for (let i = 0; i < data.count; i++) if (keep.has(data.episodeIds[i]!)) steps.push(i);
  if (fraction >= 1) return Int32Array.from(steps);
  random.shuffle(steps);
  return Int32Array.from(steps.slice(0, Math.max(1, Math.round(steps.length * fraction)))).sort();
}

/** A view of the chosen samples as their own set (copies the pixels once). */
export function subset(data: LabelledSet, indexes: ArrayLike<number>): LabelledSet {
  const count = indexes.length;
  const obs = new (data.obs.constructor as Uint8ArrayConstructor | Float32ArrayConstructor)(count * OBS_VALUES);
  const actions = new Int32Array(count);
  const width = data.targets ? data.targets.length / data.count : 0;
  const targets = data.targets ? new Float32Array(count * width) : undefined;
  for (let j = 0; j < count; j++) {
    const i = indexes[j]!;
    obs.set(data.obs.subarray(i * OBS_VALUES, (i + 1) * OBS_VALUES), j * OBS_VALUES);
    actions[j] = data.actions[i]!;
    targets?.set(data.targets!.subarray(i * width, (i + 1) * width), j * width);
  }
  return targets ? { count, obs, actions, targets } : { count, obs, actions };
}
