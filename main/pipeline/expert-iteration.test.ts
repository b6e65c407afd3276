import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { initBackend } from '../learning/backend.ts';
import { disposeTrainable, trainableFromWeights, weightsOf, type TrainableNet } from '../learning/nets/trainable.ts';
import { OBS_VALUES } from '../learning/train/data.ts';
import { policyProbabilities } from '../learning/train/policy.ts';
import type { PlayedEpisode } from '../learning/train/episodes.ts';
import { LabelledAggregate, trainDagger, type DaggerOptions } from './expert-iteration.ts';

beforeAll(async () => {
  await initBackend();
});

/** Share of states where the network's most likely action is one the planner rates best. */
async function greedyAgreement(net: TrainableNet, episodes: readonly PlayedEpisode[]): Promise<number> {
  let agree = 0;
  let total = 0;
  for (const e of episodes) {
    const n = e.actions.length;
    const probabilities = await policyProbabilities(net, { count: n, obs: e.observations!.subarray(0, n * OBS_VALUES), actions: new Int32Array(n) });
    for (let t = 0; t < n; t++) {
      const row = (k: number) => t * NUM_ACTIONS + k;
      let choice = 0;
      let best = 0;
      for (let k = 0; k < NUM_ACTIONS; k++) {
        if (probabilities[row(k)]! > probabilities[row(choice)]!) choice = k;
        best = Math.max(best, e.targets![row(k)]!);
      }
      if (e.targets![row(choice)]! >= best - 1e-6) agree++;
      total++;
    }
  }
  return agree / total;
}

const OPTIONS: DaggerOptions = {
  game: 'bigfish',
  mode: 'easy',
  levels: { startLevel: 100, numLevels: 200 },
  planner: { horizon: 8, rollouts: 1, foresight: 'sampled', futures: 2 },
  targetTemperature: 0,
  loss: 'ce',
  channels: [4, 8, 8],
  demoEpisodes: 2,
  rounds: 1,
  episodesPerRound: 2,
  firstSteps: 10,
  stepsPerRound: 80,
  batchSize: 32,
  learningRate: 3e-3,
  schedule: 'constant',
  policyTemperature: 1,
  shift: 0,
  plannerMix: 0,
  mixDecay: 0.5,
  ownShare: 0,
  seed: 3,
};

describe('DAgger', () => {
  it('a round raises agreement with the planner on the states the network itself visited', async () => {
    let before: Uint8Array | null = null;
    let visited: readonly PlayedEpisode[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const net = await trainDagger(OPTIONS, {
      onRound: async (round, trained) => {
        if (round.round === 0) before = await weightsOf(trained);
        else visited = round.episodes;
      },
    });
    const untrained = trainableFromWeights(before!);
    const agreementBefore = await greedyAgreement(untrained, visited);
    const agreementAfter = await greedyAgreement(net, visited);
    disposeTrainable(untrained);
    disposeTrainable(net);
    expect(visited.length).toBe(2);
    expect(agreementAfter).toBeGreaterThan(agreementBefore + 0.1);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  }, 120_000);

  it('refuses zero rounds and a negative target temperature, naming the field', async () => {
    await expect(trainDagger({ ...OPTIONS, rounds: 0 })).rejects.toThrow(/expert\.dagger\.rounds 0 is invalid: use a whole number 1\.\.1000/);
    await expect(trainDagger({ ...OPTIONS, targetTemperature: -1 })).rejects.toThrow(/expert\.planner\.targetTemperature -1 is invalid: use 0 or more/);
  });

  it('the aggregate grows up to the most states a buffer holds, keeps them, and refuses more naming the fields to lower', () => {
    const aggregate = new LabelledAggregate(10);
    const states = (n: number, value: number) => ({ observations: new Uint8Array(n * OBS_VALUES).fill(value), targets: new Float32Array(n * NUM_ACTIONS) });
    aggregate.add(states(6, 1));
    aggregate.add(states(4, 2));
    expect(aggregate.count).toBe(10);
    expect(() => aggregate.add(states(1, 3))).toThrow(/would number 11, more than the 10 .* use fewer expert\.planner\.episodes, expert\.dagger\.rounds/);
    const view = aggregate.view();
    expect(view.count).toBe(10);
    expect([view.obs[0], view.obs[6 * OBS_VALUES], view.obs[10 * OBS_VALUES - 1]]).toEqual([1, 2, 2]);
  });
});
