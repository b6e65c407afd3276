import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { createNetwork } from '../nets/create.ts';
import { createTrainable, disposeTrainable, type TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { OBS_VALUES } from './data.ts';
import { drawLevelSeeds } from './episodes.ts';
import { evaluatePolicy } from './evaluate.ts';
import { PolicyActor, SAMPLE_POLICY } from './policy.ts';

let net: TrainableNet;
beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
  net = createTrainable(createNetwork({ kind: 'student', channels: [4, 8, 4, 3] }), 'orthogonal', 3);
});
afterAll(() => disposeTrainable(net));

/** Random frames, so the logits differ between rows. */
function frames(count: number, seed: number): Uint8Array {
  const random = new Random(seed);
  return Uint8Array.from({ length: count * OBS_VALUES }, () => random.int(256));
}

describe('the policy actor', () => {
  it('decides each row as it would alone, greedy or sampled, and leaks no tensors', () => {
    const batch = frames(5, 1);
    const actor = new PolicyActor(net, 8);
    const before = tf.memory().numTensors;
    const greedy = Array.from(actor.act(batch, new Random(0), { temperature: 1, greedy: true }, 5).actions.subarray(0, 5));
    for (let i = 0; i < 5; i++) {
      const alone = actor.act(batch.subarray(i * OBS_VALUES), new Random(0), { temperature: 1, greedy: true }, 1).actions[0];
      expect(alone).toBe(greedy[i]);
    }
    expect(tf.memory().numTensors).toBe(before);
    // A near-zero temperature samples the most likely action; log-probabilities are of the tempered policy.
    const cold = actor.act(batch, new Random(4), { temperature: 1e-4, greedy: false }, 5);
    expect(Array.from(cold.actions.subarray(0, 5))).toEqual(greedy);
    expect(Array.from(cold.logProbs.subarray(0, 5)).every((p) => p > -1e-3 && p <= 0)).toBe(true);
    const warm = actor.act(batch, new Random(4), SAMPLE_POLICY, 5);
    expect(Array.from(warm.logProbs.subarray(0, 5)).every((p) => p < -0.1)).toBe(true);
  });

  it('samples actions at their softmax probabilities', () => {
    const one = frames(1, 2);
    const actor = new PolicyActor(net, 1);
    const logits = tf.tidy(() => net.def.forward(net.vars, tf.tensor4d(Float32Array.from(one), [1, 64, 64, 3])).logits.dataSync());
    const softmax = (temperature: number) => {
      const z = Array.from(logits).map((l) => Math.exp(l / temperature));
      return z.map((v) => v / z.reduce((s, x) => s + x, 0));
    };
    const temperature = 0.15;
    const expected = softmax(temperature);
    // The temperature must matter here, or the check below could not tell.
    expect(Math.max(...expected.map((p, a) => Math.abs(p - softmax(1)[a]!)))).toBeGreaterThan(0.1);
    const counts = new Array(net.def.actions).fill(0);
    const random = new Random(9);
    const draws = 2000;
    for (let k = 0; k < draws; k++) counts[actor.act(one, random, { temperature, greedy: false }).actions[0]!]++;
    // 2000 draws: a standard error of at most 0.011 per action.
    for (let a = 0; a < net.def.actions; a++) expect(Math.abs(counts[a] / draws - expected[a]!)).toBeLessThan(0.045);
  });

  it('refuses more observations than its capacity', () => {
    expect(() => new PolicyActor(net, 2).act(frames(3, 1), new Random(0), SAMPLE_POLICY, 3)).toThrow(/count 3 is outside 1\.\.2/);
  });
});

describe('evaluation', () => {
  const levelSeeds = drawLevelSeeds({ startLevel: 100, numLevels: 200 }, 5, 6);

  it('plays one episode per level seed in order, reproducibly from a seed, whatever the slots', async () => {
    const before = tf.memory().numTensors;
    const a = await evaluatePolicy(net, { game: 'starpilot', levelSeeds, slots: 4, seed: 5, greedy: true });
    const b = await evaluatePolicy(net, { game: 'starpilot', levelSeeds, slots: 6, seed: 5, greedy: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.map((e) => e.levelSeed)).toEqual(levelSeeds);
    expect(a.every((e) => e.actions.length > 0 && e.rewards.length === e.actions.length)).toBe(true);
    expect(a.map((e) => Array.from(e.actions))).toEqual(b.map((e) => Array.from(e.actions)));
    const sampled = await evaluatePolicy(net, { game: 'starpilot', levelSeeds, slots: 4, seed: 5 });
    const again = await evaluatePolicy(net, { game: 'starpilot', levelSeeds, slots: 4, seed: 5 });
    const otherSeed = await evaluatePolicy(net, { game: 'starpilot', levelSeeds, slots: 4, seed: 6 });
    expect(sampled.map((e) => Array.from(e.actions))).toEqual(again.map((e) => Array.from(e.actions)));
    expect(sampled.map((e) => Array.from(e.actions))).not.toEqual(otherSeed.map((e) => Array.from(e.actions)));
  });

  it('reports progress in finished episodes and stops when cancelled', async () => {
    const progress: number[] = [];
    await evaluatePolicy(net, { game: 'bigfish', levelSeeds, slots: 2 }, { onProgress: (p) => progress.push(p.step) });
    expect(progress.at(-1)).toBe(levelSeeds.length);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    const abort = new AbortController();
    abort.abort();
    await expect(evaluatePolicy(net, { game: 'bigfish', levelSeeds, slots: 2 }, { signal: abort.signal })).rejects.toThrow(
      /Evaluation was cancelled after step/,
    );
  });

  it('rejects bad settings by name', async () => {
    await expect(evaluatePolicy(net, { game: 'bigfish', levelSeeds: [] })).rejects.toThrow(/episodes \(level seeds\) = 0 is invalid/);
    await expect(evaluatePolicy(net, { game: 'bigfish', levelSeeds, temperature: 0 })).rejects.toThrow(/temperature = 0 is invalid: use a number > 0/);
    await expect(evaluatePolicy(net, { game: 'bigfish', levelSeeds, slots: 0 })).rejects.toThrow(/slots = 0 is invalid/);
  });
});
