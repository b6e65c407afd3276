/**
 * The expert: IMPALA CNN (Espeholt et al. 2018) as the Procgen baselines use it.
 * Input /255; per stage conv3x3 -> max-pool 3x3/2 -> two residual blocks; then
 * relu -> dense 256 -> relu -> policy logits and value. Channels (16, 32, 32) by default.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv3x3, dense, flatten, maxPool, relu, residualBlock } from './layers.ts';
import { convSpecs, denseSpecs, ParamReader, type NetworkDef, type NetworkOutput, type ParamSpec } from './network.ts';

export const IMPALA_CHANNELS = [16, 32, 32] as const;
export const IMPALA_HIDDEN = 256;
const IMAGE_SIZE = 64;

/** Spatial size after n stride-2 pools with padding 1 (64 -> 32 -> 16 -> 8). */
function pooledSize(stages: number): number {
  let size = IMAGE_SIZE;
  for (let i = 0; i < stages; i++) size = Math.floor((size - 1) / 2) + 1;
  return size;
}

export function impalaNetwork(channels: readonly number[] = IMPALA_CHANNELS, actions = 15, hidden = IMPALA_HIDDEN): NetworkDef {
  const specs: ParamSpec[] = [];
  let cin = 3;
  channels.forEach((c, s) => {
    specs.push(...convSpecs(`stage${s}.conv`, cin, c));
    for (const r of [0, 1]) specs.push(...convSpecs(`stage${s}.res${r}.conv0`, c, c), ...convSpecs(`stage${s}.res${r}.conv1`, c, c));
    cin = c;
  });
  const side = pooledSize(channels.length);
  specs.push(...denseSpecs('fc', side * side * cin, hidden), ...denseSpecs('policy', hidden, actions, 'policy'), ...denseSpecs('value', hidden, 1, 'value'));

  function forward(params: readonly tf.Tensor[], obs: tf.Tensor4D): NetworkOutput {
    const read = new ParamReader(params);
    let x = tf.mul(obs, 1 / 255) as tf.Tensor4D;
    for (let s = 0; s < channels.length; s++) {
      x = maxPool(conv3x3(x, ...read.conv()));
      x = residualBlock(x, ...read.conv(), ...read.conv());
      x = residualBlock(x, ...read.conv(), ...read.conv());
    }
    const h = relu(dense(relu(flatten(x)), ...read.dense()));
    const logits = dense(h, ...read.dense());
    const value = tf.reshape(dense(h, ...read.dense()), [obs.shape[0]]) as tf.Tensor1D;
    return { logits, value, features: h };
  }

  return { kind: 'impala', channels: [...channels], actions, specs, forward };
}
