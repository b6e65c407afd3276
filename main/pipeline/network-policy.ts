/**
 * A network as an ActionSource: one batched forward pass for all playing
 * slots, then actions sampled from softmax(logits / temperature) (the paper
 * samples), or greedy when asked. (The learning core's PolicyActor serves a
 * fixed number of environments at temperature 1; slots here finish at
 * different times and collection may change the temperature.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { ProcgenGame } from '@shared/procgen/engine/game.ts';
import type { Random } from '../learning/random.ts';
import type { TrainableNet } from '../learning/nets/trainable.ts';
import { OBSERVATION_BYTES } from '../storage/datasets.ts';
import type { ActionSource } from './play.ts';

export interface SamplingOptions {
  readonly temperature: number;
  readonly greedy: boolean;
}

export class NetworkPolicy implements ActionSource {
  readonly needsFrames = true;
  private pixels = new Float32Array(0);

  constructor(
    private readonly net: TrainableNet,
    private readonly sampling: SamplingOptions,
    private readonly random: Random,
  ) {}

  begin(): void {}

  choose(active: readonly number[], _games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array): void {
    const n = active.length;
    if (this.pixels.length < n * OBSERVATION_BYTES) this.pixels = new Float32Array(n * OBSERVATION_BYTES);
    const pixels = this.pixels.subarray(0, n * OBSERVATION_BYTES);
    for (let i = 0; i < pixels.length; i++) pixels[i] = frames[i]!;
    const { temperature, greedy } = this.sampling;
    const probs = tf.tidy(() => {
      const logits = this.net.def.forward(this.net.vars, tf.tensor4d(pixels, [n, 64, 64, 3])).logits;
      return tf.softmax(tf.div(logits, temperature));
    });
    const p = probs.dataSync() as Float32Array;
    probs.dispose();
    for (let i = 0; i < n; i++) out[i] = greedy ? argmax(p, i * NUM_ACTIONS) : sample(p, i * NUM_ACTIONS, this.random.next());
  }
}

function argmax(p: Float32Array, offset: number): number {
  let best = 0;
  for (let a = 1; a < NUM_ACTIONS; a++) if (p[offset + a]! > p[offset + best]!) best = a;
  return best;
}

function sample(p: Float32Array, offset: number, u: number): number {
  let acc = 0;
  for (let a = 0; a < NUM_ACTIONS; a++) {
    acc += p[offset + a]!;
    if (u < acc) return a;
  }
  return NUM_ACTIONS - 1;
}
