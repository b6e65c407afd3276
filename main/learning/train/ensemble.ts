/**
 * An ensemble of students as one policy: the average of their action distributions
 * (softmax of each one's logits), sampled or taken greedily like a single network.
 * Its results are a row of their own, never mixed with a single student's.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ProcgenGame } from '@shared/procgen/engine/game.ts';
import type { TrainableNet } from '../nets/trainable.ts';
import type { Random } from '../random.ts';
import { IMAGE_SIZE, OBS_VALUES } from './data.ts';
import type { ActionSource } from './episodes.ts';
import { checkSampling, chooseActions, type Sampling } from './policy.ts';

export class EnsembleActionSource implements ActionSource {
  readonly needsFrames = true;
  private readonly pixels: Float32Array;
  private readonly probs: Float64Array;
  private readonly actions: Int32Array;
  private readonly logProbs: Float32Array;

  /** `slots`: at least the episode player's slots. */
  constructor(
    private readonly nets: readonly TrainableNet[],
    slots: number,
    private readonly sampling: Sampling,
    private readonly random: Random,
  ) {
    if (nets.length === 0) throw new RangeError('An ensemble needs at least one network.');
    checkSampling(sampling);
    this.pixels = new Float32Array(slots * OBS_VALUES);
    this.probs = new Float64Array(nets[0]!.def.actions);
    this.actions = new Int32Array(slots);
    this.logProbs = new Float32Array(slots);
  }

  begin(): void {}

  choose(active: readonly number[], _games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array): void {
    const logMean = this.forward(frames, active.length);
    this.pick(logMean.dataSync(), active.length, out);
    logMean.dispose();
  }

  async chooseAsync(active: readonly number[], _games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array): Promise<void> {
    const logMean = this.forward(frames, active.length);
    this.pick(await logMean.data(), active.length, out);
    logMean.dispose();
  }

  /** log of the members' mean action distribution, [count, A]: logits of the ensemble's policy. */
  private forward(frames: Uint8Array, count: number): tf.Tensor2D {
    const pixels = this.pixels.subarray(0, count * OBS_VALUES);
    pixels.set(frames.subarray(0, count * OBS_VALUES));
    return tf.tidy(() => {
      const obs = tf.tensor4d(pixels, [count, IMAGE_SIZE, IMAGE_SIZE, 3]);
      const mean = tf.div(tf.addN(this.nets.map((net) => tf.softmax(net.def.forward(net.vars, obs).logits))), this.nets.length);
      return tf.log(tf.add(mean, 1e-12)) as tf.Tensor2D;
    });
  }

  private pick(logits: ArrayLike<number>, count: number, out: Uint8Array): void {
    chooseActions(logits, this.probs.length, count, this.random, this.sampling, this.probs, this.actions, this.logProbs);
    for (let i = 0; i < count; i++) out[i] = this.actions[i]!;
  }
}
