/**
 * Acting with a network, the one action chooser of the app (PPO's rollouts,
 * collection, evaluation): observations to a tensor, one batched forward pass,
 * and actions drawn from softmax(logits / temperature) on the JS side in
 * float64 (seeded, identical on every backend), or greedy. Buffers are
 * preallocated; nothing is allocated per step but tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ProcgenGame } from '@shared/procgen/engine/game.ts';
import type { NetworkOutput } from '../nets/network.ts';
import type { TrainableNet } from '../nets/trainable.ts';
import type { Random } from '../random.ts';
import { BatchBuilder, disposeBatch, IMAGE_SIZE, OBS_VALUES, type LabelledSet } from './data.ts';
import type { ActionSource } from './episodes.ts';
import { checkNumber } from './validate.ts';

export interface Sampling {
  /** Divides the logits before the softmax: < 1 sharpens, > 1 flattens (1 = the policy itself). */
  readonly temperature: number;
  /** Takes the most likely action instead of sampling (temperature then does not matter). */
  readonly greedy: boolean;
}

/** Sampling from the policy as it is (the paper's evaluation protocol, PPO's rollouts). */
export const SAMPLE_POLICY: Sampling = { temperature: 1, greedy: false };

export function checkSampling({ temperature }: Sampling): void {
  checkNumber('temperature', temperature, 0, 1e6, { minExclusive: true });
}

export interface PolicyStep {
  /** Chosen action per observation (the first `count` entries are this step's). */
  readonly actions: Int32Array;
  /** log pi(action | obs) under the sampling temperature. */
  readonly logProbs: Float32Array;
  /** Value estimate per observation (0 for networks without a value head). */
  readonly values: Float32Array;
}

export class PolicyActor {
  private readonly pixels: Float32Array;
  private readonly actions: Int32Array;
  private readonly logProbs: Float32Array;
  private readonly values: Float32Array;
  private readonly probs: Float64Array;

  /** `capacity`: the most observations one `act` call decides for. */
  constructor(
    private readonly net: TrainableNet,
    private readonly capacity: number,
  ) {
    checkNumber('capacity', capacity, 1, 1 << 16, { integer: true });
    this.pixels = new Float32Array(capacity * OBS_VALUES);
    this.actions = new Int32Array(capacity);
    this.logProbs = new Float32Array(capacity);
    this.values = new Float32Array(capacity);
    this.probs = new Float64Array(net.def.actions);
  }

  /**
   * Acts on the first `count` [64, 64, 3] uint8 observations of `observations`, reading the
   * network's output synchronously (the episode player's callers are synchronous; the
   * webgpu backend cannot do this: use actAsync there).
   */
  act(observations: Uint8Array, random: Random, sampling: Sampling, count = this.capacity): PolicyStep {
    const [logits, values] = this.forward(observations, count);
    const logitValues = logits.dataSync();
    this.values.set(values.dataSync());
    tf.dispose([logits, values]);
    return this.choose(logitValues, random, sampling, count);
  }

  /** act with asynchronous reads: works on every backend, webgpu included. */
  async actAsync(observations: Uint8Array, random: Random, sampling: Sampling, count = this.capacity): Promise<PolicyStep> {
    const [logits, values] = this.forward(observations, count);
    const [logitValues, valueValues] = await Promise.all([logits.data(), values.data()]);
    this.values.set(valueValues);
    tf.dispose([logits, values]);
    return this.choose(logitValues, random, sampling, count);
  }

  /** The logits [count, A] and values [count] of the first `count` observations. */
  private forward(observations: Uint8Array, count: number): [tf.Tensor, tf.Tensor] {
    if (!(count >= 1 && count <= this.capacity)) throw new RangeError(`PolicyActor.act: count ${count} is outside 1..${this.capacity} (its capacity).`);
    const pixels = this.pixels.subarray(0, count * OBS_VALUES);
    pixels.set(observations.subarray(0, count * OBS_VALUES));
    return tf.tidy(() => {
      const out = this.net.def.forward(this.net.vars, tf.tensor4d(pixels, [count, IMAGE_SIZE, IMAGE_SIZE, 3]));
      return [out.logits, out.value ?? tf.zeros([count])];
    });
  }

  private choose(logitValues: tf.TypedArray, random: Random, sampling: Sampling, count: number): PolicyStep {
    chooseActions(logitValues, this.net.def.actions, count, random, sampling, this.probs, this.actions, this.logProbs);
    return { actions: this.actions, logProbs: this.logProbs, values: this.values };
  }
}

/**
 * Samples (or takes the most likely) action of each of `count` observations from its
 * logits ([count x a]), in float64 with a stable softmax; writes `actions` and their
 * `logProbs`. `probs` is scratch of length a.
 */
export function chooseActions(
  logitValues: ArrayLike<number>,
  a: number,
  count: number,
  random: Random,
  sampling: Sampling,
  probs: Float64Array,
  actions: Int32Array,
  logProbs: Float32Array,
): void {
  const inverseTemperature = 1 / sampling.temperature;
  for (let e = 0; e < count; e++) {
    let max = -Infinity;
    for (let k = 0; k < a; k++) max = Math.max(max, logitValues[e * a + k]! * inverseTemperature);
    let sum = 0;
    for (let k = 0; k < a; k++) sum += probs[k] = Math.exp(logitValues[e * a + k]! * inverseTemperature - max);
    let choice = 0;
    if (sampling.greedy) {
      for (let k = 1; k < a; k++) if (probs[k]! > probs[choice]!) choice = k;
    } else {
      let u = random.next() * sum;
      choice = a - 1;
      for (let k = 0; k < a; k++) {
        u -= probs[k]!;
        if (u < 0) {
          choice = k;
          break;
        }
      }
    }
    actions[e] = choice;
    logProbs[e] = Math.log(probs[choice]! / sum);
  }
}

/** A network as the episode player's action source: one forward pass for all playing slots. */
export class NetworkActionSource implements ActionSource {
  readonly needsFrames = true;
  private readonly actor: PolicyActor;

  /** `slots`: at least the episode player's slots. */
  constructor(
    net: TrainableNet,
    slots: number,
    private readonly sampling: Sampling,
    private readonly random: Random,
  ) {
    checkSampling(sampling);
    this.actor = new PolicyActor(net, slots);
  }

  begin(): void {}

  choose(active: readonly number[], _games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array): void {
    const { actions } = this.actor.act(frames, this.random, this.sampling, active.length);
    for (let i = 0; i < active.length; i++) out[i] = actions[i]!;
  }

  async chooseAsync(active: readonly number[], _games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array): Promise<void> {
    const { actions } = await this.actor.actAsync(frames, this.random, this.sampling, active.length);
    for (let i = 0; i < active.length; i++) out[i] = actions[i]!;
  }
}

/**
 * The network's action distribution, softmax(logits), on every observation of `data`:
 * [count x actions], e.g. an expert's soft labels for a synthetic set.
 */
export async function policyProbabilities(net: TrainableNet, data: LabelledSet, chunk = 256): Promise<Float32Array> {
  return (await forwardInChunks(net, data, chunk, (out) => tf.softmax(out.logits))).values;
}

/**
 * What the network's policy head reads (its penultimate layer) on the observations
 * `indexes` of `data` (all by default): [indexes x dim], without copying the frames.
 */
export async function policyFeatures(net: TrainableNet, data: LabelledSet, indexes?: Int32Array, chunk = 256): Promise<{ values: Float32Array; dim: number }> {
  return forwardInChunks(net, data, chunk, (out) => out.features, indexes);
}

/** One row per observation (`indexes` of `data`, all by default) from the network's output, `chunk` per forward pass. */
async function forwardInChunks(
  net: TrainableNet,
  data: LabelledSet,
  chunk: number,
  rowsOf: (out: NetworkOutput) => tf.Tensor2D,
  indexes: Int32Array = Int32Array.from({ length: data.count }, (_, i) => i),
): Promise<{ values: Float32Array; dim: number }> {
  let values = new Float32Array(0);
  let dim = 0;
  const count = indexes.length;
  const builder = new BatchBuilder({ count: data.count, obs: data.obs, actions: data.actions }, Math.min(chunk, count), net.def.actions);
  for (let start = 0; start < count; start += chunk) {
    const batch = builder.build(indexes.subarray(start, Math.min(start + chunk, count)));
    const rows = tf.tidy(() => rowsOf(net.def.forward(net.vars, batch.obs)));
    if (start === 0) {
      dim = rows.shape[1];
      values = new Float32Array(count * dim);
    }
    values.set(await rows.data(), start * dim);
    rows.dispose();
    disposeBatch(batch);
  }
  return { values, dim };
}
