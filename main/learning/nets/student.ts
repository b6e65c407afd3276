/**
 * The paper's student: four conv3x3 (12, 48, 12, 3 channels), each followed by relu and
 * 2x2 average pooling (64 -> 4), flatten 48 -> dense to the action logits. Raw 0..255
 * input, no scaling (as in the official code). 11,826 parameters by default.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { avgPool, conv3x3, dense, flatten, relu } from './layers.ts';
import { convSpecs, denseSpecs, ParamReader, type NetworkDef, type NetworkOutput, type ParamSpec } from './network.ts';

export const STUDENT_CHANNELS = [12, 48, 12, 3] as const;
const IMAGE_SIZE = 64;

export function studentNetwork(channels: readonly number[] = STUDENT_CHANNELS, actions = 15): NetworkDef {
  const specs: ParamSpec[] = [];
  let cin = 3;
  channels.forEach((c, i) => {
    specs.push(...convSpecs(`conv${i}`, cin, c));
    cin = c;
  });
  const side = IMAGE_SIZE >> channels.length;
  if (side < 1) throw new Error(`A student with ${channels.length} conv stages pools 64x64 below one pixel: use at most 6 stages.`);
  specs.push(...denseSpecs('policy', side * side * cin, actions, 'policy'));

  function forward(params: readonly tf.Tensor[], obs: tf.Tensor4D): NetworkOutput {
    const read = new ParamReader(params);
    let x = obs;
    for (let i = 0; i < channels.length; i++) x = avgPool(relu(conv3x3(x, ...read.conv())));
    const features = flatten(x);
    return { logits: dense(features, ...read.dense()), features };
  }

  return { kind: 'student', channels: [...channels], actions, specs, forward };
}
