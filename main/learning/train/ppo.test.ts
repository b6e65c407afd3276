import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { disposeTrainable } from '../nets/trainable.ts';
import { computeGae, trainPpo } from './ppo.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

const tiny = { kind: 'impala' as const, channels: [2, 4, 4] };

describe('PPO', () => {
  it('computes GAE advantages and returns as the recursion defines them, cutting at episode ends', () => {
    // One env, 3 steps; the episode ends after step 1.
    const rewards = Float32Array.from([1, 2, 3]);
    const values = Float32Array.from([0.5, 0.25, 1, 2]); // last = bootstrap
    const dones = Uint8Array.from([0, 1, 0]);
    const adv = new Float32Array(3);
    const ret = new Float32Array(3);
    const [g, l] = [0.9, 0.8];
    computeGae(rewards, values, dones, { numEnvs: 1, rolloutSteps: 3, gamma: g, lambda: l }, adv, ret);
    const d2 = 3 + g * 2 - 1;
    const d1 = 2 - 0.25; // done: no bootstrap
    const d0 = 1 + g * 0.25 - 0.5;
    expect(adv[2]).toBeCloseTo(d2, 5);
    expect(adv[1]).toBeCloseTo(d1, 5);
    expect(adv[0]).toBeCloseTo(d0 + g * l * d1, 5);
    expect(ret[0]).toBeCloseTo(adv[0]! + 0.5, 5);
  });

  it('runs updates on starpilot with finite losses, records episodes and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const { net, episodeReturns } = await trainPpo(
      { game: 'starpilot', network: tiny, numEnvs: 4, rolloutSteps: 32, totalSteps: 4 * 32 * 3, minibatches: 2, epochs: 2 },
      { onProgress: (p) => progress.push(p.loss) },
    );
    expect(progress).toHaveLength(3);
    expect(progress.every(Number.isFinite)).toBe(true);
    expect(episodeReturns.length).toBeGreaterThan(0);
    disposeTrainable(net);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad settings by name', async () => {
    await expect(trainPpo({ game: 'starpilot', learningRate: -1 })).rejects.toThrow(/learningRate = -1 is invalid/);
    await expect(trainPpo({ game: 'starpilot', network: { kind: 'student' }, numEnvs: 2, rolloutSteps: 2, totalSteps: 4, minibatches: 1 })).rejects.toThrow(
      /needs a network with a value head/,
    );
  });
});
