import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { createNetwork } from './create.ts';
import { createTrainable, disposeTrainable, foldPolicyTemperature } from './trainable.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

describe('a policy temperature folded into the network', () => {
  it('divides the logits by it and leaves the value and the features alone', () => {
    const net = createTrainable(createNetwork({ kind: 'impala', channels: [4], actions: 15 }), 'pytorch', 7);
    const obs = tf.randomUniform([3, 64, 64, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
    const outputs = () =>
      tf.tidy(() => {
        const { logits, value, features } = net.def.forward(net.vars, obs);
        return [logits.arraySync(), value!.arraySync(), features.arraySync()] as const;
      });
    const [logits, value, features] = outputs();
    foldPolicyTemperature(net, 0.25);
    const folded = outputs();
    // A power of two: the folded logits are exactly four times the old ones.
    expect(folded[0]).toEqual((logits as number[][]).map((row) => row.map((l) => 4 * l)));
    expect(folded[1]).toEqual(value);
    expect(folded[2]).toEqual(features);
    obs.dispose();
    expect(() => foldPolicyTemperature(net, 0)).toThrow(/policy temperature must be above 0, got 0/);
    disposeTrainable(net);
  });
});
