import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { createNetwork } from '../nets/create.ts';
import { createTrainable, disposeTrainable, type TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { toyDataset } from '../testing/toy-data.ts';
import { OBS_VALUES } from './data.ts';
import { EnsembleActionSource } from './ensemble.ts';
import { NetworkActionSource, policyProbabilities } from './policy.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

describe('an ensemble of students', () => {
  const data = toyDataset(2, 15);
  const frames = (data.obs as Uint8Array).subarray(0, 8 * OBS_VALUES);
  const slots = [0, 1, 2, 3, 4, 5, 6, 7];
  let nets: TrainableNet[];
  beforeAll(() => {
    nets = [1, 2, 3].map((seed) => createTrainable(createNetwork({ kind: 'student' }), 'pytorch', seed));
  });

  it("plays the most likely action of the members' average distribution when greedy", async () => {
    const probabilities = await Promise.all(nets.map((net) => policyProbabilities(net, { count: 8, obs: frames, actions: data.actions.subarray(0, 8) })));
    const out = new Uint8Array(8);
    new EnsembleActionSource(nets, 8, { temperature: 1, greedy: true }, new Random(1)).choose(slots, [], frames, out);
    for (let i = 0; i < 8; i++) {
      const mean = Array.from({ length: 15 }, (_, a) => probabilities.reduce((sum, p) => sum + p[i * 15 + a]!, 0) / nets.length);
      expect(out[i]).toBe(mean.indexOf(Math.max(...mean)));
    }
  });

  it('of one member samples exactly as that network does', () => {
    const alone = new Uint8Array(8);
    const asEnsemble = new Uint8Array(8);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 5; step++) {
      new NetworkActionSource(nets[0]!, 8, { temperature: 1, greedy: false }, new Random(step)).choose(slots, [], frames, alone);
      new EnsembleActionSource([nets[0]!], 8, { temperature: 1, greedy: false }, new Random(step)).choose(slots, [], frames, asEnsemble);
      expect(Array.from(asEnsemble)).toEqual(Array.from(alone));
    }
    expect(tf.memory().numTensors).toBe(before);
    nets.forEach(disposeTrainable);
  });
});
