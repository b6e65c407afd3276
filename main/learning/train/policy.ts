/**
 * Acting with a network: observations from a vectorised environment's buffer to a tensor,
 * one forward pass, and actions drawn from the softmax on the JS side (seeded, identical
 * on every backend). Buffers are preallocated; nothing is allocated per step but tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainableNet } from '../nets/trainable.ts';
import type { Random } from '../random.ts';
import { IMAGE_SIZE, OBS_VALUES } from './data.ts';

export interface PolicyStep {
  /** Chosen action per environment. */
  readonly actions: Int32Array;
  /** log pi(action | obs) per environment. */
  readonly logProbs: Float32Array;
  /** Value estimate per environment (0 for networks without a value head). */
  readonly values: Float32Array;
}

export class PolicyActor {
  private readonly pixels: Float32Array;
  private readonly actions: Int32Array;
  private readonly logProbs: Float32Array;
  private readonly values: Float32Array;
  private readonly probs: Float64Array;

  constructor(
    private readonly net: TrainableNet,
    private readonly numEnvs: number,
  ) {
    this.pixels = new Float32Array(numEnvs * OBS_VALUES);
    this.actions = new Int32Array(numEnvs);
    this.logProbs = new Float32Array(numEnvs);
    this.values = new Float32Array(numEnvs);
    this.probs = new Float64Array(net.def.actions);
  }

  /** Acts on [numEnvs, 64, 64, 3] uint8 observations; greedy takes the most likely action. */
  act(observations: Uint8Array, random: Random, greedy: boolean): PolicyStep {
    this.pixels.set(observations.subarray(0, this.numEnvs * OBS_VALUES));
    const [logits, values] = tf.tidy(() => {
      const out = this.net.def.forward(this.net.vars, tf.tensor4d(this.pixels, [this.numEnvs, IMAGE_SIZE, IMAGE_SIZE, 3]));
      return [out.logits, out.value ?? tf.zeros([this.numEnvs])];
    });
    const logitValues = logits.dataSync();
    this.values.set(values.dataSync());
    tf.dispose([logits, values]);
    const a = this.net.def.actions;
    for (let e = 0; e < this.numEnvs; e++) {
      // Stable softmax in float64.
      let max = -Infinity;
      for (let k = 0; k < a; k++) max = Math.max(max, logitValues[e * a + k]!);
      let sum = 0;
      for (let k = 0; k < a; k++) sum += this.probs[k] = Math.exp(logitValues[e * a + k]! - max);
      let choice = 0;
      if (greedy) {
        for (let k = 1; k < a; k++) if (this.probs[k]! > this.probs[choice]!) choice = k;
      } else {
        let u = random.next() * sum;
        choice = a - 1;
        for (let k = 0; k < a; k++) {
          u -= this.probs[k]!;
          if (u < 0) {
            choice = k;
            break;
          }
        }
      }
      this.actions[e] = choice;
      this.logProbs[e] = Math.log(this.probs[choice]! / sum);
    }
    return { actions: this.actions, logProbs: this.logProbs, values: this.values };
  }
}
