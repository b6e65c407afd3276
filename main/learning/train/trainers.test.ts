import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LearningRateSchedule } from '@shared/config/schedules.ts';
import { initBackend } from '../backend.ts';
import { bcLoss, squaredL2Distance } from '../losses.ts';
import { createNetwork } from '../nets/create.ts';
import { convSpecs, denseSpecs, initParams, type NetworkDef } from '../nets/network.ts';
import { createTrainable, disposeTrainable } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { directionalDerivative, mixedDirection } from '../testing/gradcheck.ts';
import { conv3x3, dense, flatten, maxPool, relu, residualBlock } from '../nets/layers.ts';
import { toyDataset } from '../testing/toy-data.ts';
import { actionAgreement, trainBc } from './bc.ts';
import { OBS_VALUES, selectTopEpisodes, subset } from './data.ts';
import { allocateSynthetic, distill } from './distill.ts';
import { dcMatchStep, paramGrads } from './steps.ts';
import { oneHotLabels } from '../losses.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

const ACTIONS = 4;
const smallStudent = { kind: 'student' as const, channels: [4, 8, 4, 3], actions: ACTIONS };
const smallImpala = { kind: 'impala' as const, channels: [4], actions: ACTIONS };

function mean(values: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i]!;
  return s / (to - from);
}

describe('behavioural cloning', () => {
  it('reduces its loss and reaches high agreement on a small fixed problem, without leaking tensors', async () => {
    const data = toyDataset(8, ACTIONS);
    const before = tf.memory().numTensors;
    const { net, losses } = await trainBc(data, { network: smallStudent, steps: 80, batchSize: 16, learningRate: 0.01, seed: 3 });
    expect(mean(losses, 70, 80)).toBeLessThan(0.5 * mean(losses, 0, 10));
    expect(await actionAgreement(net, data)).toBeGreaterThanOrEqual(0.9);
    disposeTrainable(net);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cross-entropy and MAE losses also train', async () => {
    const data = toyDataset(6, ACTIONS);
    for (const loss of ['ce', 'mae'] as const) {
      const { net, losses } = await trainBc(data, { network: smallStudent, loss, steps: 40, batchSize: 24, learningRate: 0.01, seed: 4 });
      expect(mean(losses, 35, 40), loss).toBeLessThan(mean(losses, 0, 5));
      disposeTrainable(net);
    }
  });

  it('an emphasis on the tail of the set makes its samples outweigh a larger head that contradicts them', async () => {
    // Head: 16 frames of each of two actions. Tail: 4 of the action-0 frames again, labelled 1.
    const head = toyDataset(16, 2);
    const tailFrames = 4;
    const obs = new Uint8Array(head.obs.length + tailFrames * OBS_VALUES);
    obs.set(head.obs);
    obs.set(head.obs.subarray(0, tailFrames * OBS_VALUES), head.obs.length);
    const actions = Int32Array.from([...head.actions, ...Array<number>(tailFrames).fill(1)]);
    const data = { count: head.count + tailFrames, obs, actions };
    const relabelled = { count: 16, obs: head.obs.subarray(0, 16 * OBS_VALUES), actions: new Int32Array(16).fill(1) };
    const agreementWith = async (emphasis?: { from: number; share: number }) => {
      const { net } = await trainBc(data, { network: smallStudent, loss: 'ce', steps: 60, batchSize: 16, learningRate: 0.01, seed: 5, emphasis });
      const agreement = await actionAgreement(net, relabelled);
      disposeTrainable(net);
      return agreement;
    };
    expect(await agreementWith()).toBeLessThanOrEqual(0.25);
    expect(await agreementWith({ from: head.count, share: 0.9 })).toBeGreaterThanOrEqual(0.75);
  });

  it("a cosine schedule scales each step's update by its rate: the second of two steps moves the weights half as far", async () => {
    const data = toyDataset(8, ACTIONS);
    const weightsAfter = async (steps: number, schedule: LearningRateSchedule) => {
      const { net } = await trainBc(data, { network: smallStudent, steps, batchSize: 16, learningRate: 0.01, seed: 3, schedule });
      const values = net.vars.map((v) => v.dataSync<'float32'>().slice());
      disposeTrainable(net);
      return values;
    };
    // Both schedules take step 1 at the full rate, so step 2 starts from the same weights with the same gradient.
    const afterOne = await weightsAfter(1, 'constant');
    const moved = (values: Float32Array[]) => values.reduce((sum, v, i) => sum + v.reduce((s, x, j) => s + Math.abs(x - afterOne[i]![j]!), 0), 0);
    const constant = moved(await weightsAfter(2, 'constant'));
    expect(constant).toBeGreaterThan(0);
    expect(moved(await weightsAfter(2, 'cosine')) / constant).toBeCloseTo(0.5, 3);
  });

  it('stops between steps when cancelled', async () => {
    const controller = new AbortController();
    const run = trainBc(
      toyDataset(4, ACTIONS),
      { network: smallStudent, steps: 1000, batchSize: 8, progressEvery: 1 },
      { signal: controller.signal, onProgress: (p) => p.step === 3 && controller.abort() },
    );
    await expect(run).rejects.toThrow(/cancelled after step 3/);
  });

  it('rejects a negative learning rate, naming the field and the valid range', async () => {
    await expect(trainBc(toyDataset(2, ACTIONS), { learningRate: -0.1 })).rejects.toThrow(/learningRate = -0.1 is invalid: use a number > 0/);
  });
});

describe('percentile selection', () => {
  it('keeps the steps of the top episodes by return, then the requested fraction of them', () => {
    const data = toyDataset(8, ACTIONS); // 32 steps, episodes 0..7 with return = id
    const top25 = selectTopEpisodes(data, 25, 1, new Random(1));
    expect(new Set(Array.from(top25, (i) => data.episodeIds[i]))).toEqual(new Set([7, 6]));
    expect(top25.length).toBe(8);
    const fifth = selectTopEpisodes(data, 50, 0.5, new Random(1));
    expect(fifth.length).toBe(8);
    expect(Array.from(fifth).every((i) => data.episodeIds[i]! >= 4)).toBe(true);
    expect(subset(data, fifth).count).toBe(8);
  });
});

describe('gradient matching', () => {
  it('allocates balanced or proportional sets over the actions that occur', () => {
    expect(allocateSynthetic([10, 10, 10, 10], 12, 'balanced')).toEqual([3, 3, 3, 3]);
    expect(allocateSynthetic([30, 10, 0, 0], 8, 'proportional')).toEqual([6, 2, 0, 0]);
    expect(allocateSynthetic([1, 1000, 5, 0], 10, 'proportional').reduce((a, b) => a + b)).toBe(10);
    expect(allocateSynthetic([1, 1000, 5, 0], 10, 'proportional')[0]).toBe(1);
  });

  it('the distance gradient with respect to synthetic pixels matches finite differences (second order through conv, max-pool, residual, softmax)', () => {
    // A small IMPALA-like network on 6x6 images: few pooling windows and little float32
    // accumulation, so a step of 1e-4 crosses no max-pool or relu switch (where parameter
    // gradients jump) and still resolves the derivative. This test caught tfjs losing the
    // second-order terms through Softmax's saved output (see kernels/recomputing-grads.ts).
    const specs = [...convSpecs('c', 3, 4), ...convSpecs('r0', 4, 4), ...convSpecs('r1', 4, 4), ...denseSpecs('policy', 9 * 4, ACTIONS, 'policy')];
    const forward = (ps: readonly tf.Tensor[], obs: tf.Tensor4D) => {
      const [cw, cb, w0, b0, w1, b1, dw, db] = ps as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
      const h = residualBlock(maxPool(conv3x3(obs, cw, cb)), w0, b0, w1, b1);
      const features = relu(flatten(h));
      return { logits: dense(features, dw, db), features };
    };
    const def: NetworkDef = { kind: 'impala', channels: [4], actions: ACTIONS, specs, forward };
    const params = specs.map((spec, i) => tf.mul(tf.randomNormal(spec.shape as number[], 0, 1, 'float32', 40 + i), spec.kind === 'bias' ? 0.1 : 0.4));
    const real = { obs: tf.randomUniform([3, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D, targets: oneHotLabels([1, 1, 1], ACTIONS) };
    const syn = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 2);
    for (const loss of ['mse', 'mae', 'ce'] as const) {
      const realGrads = paramGrads(def, params, real, loss);
      const distance = (pixels: tf.Tensor) =>
        squaredL2Distance(paramGrads(def, params, { obs: pixels as tf.Tensor4D, targets: oneHotLabels([1, 1], ACTIONS) }, loss), realGrads);
      for (const [share, seed] of [
        [1, 1],
        [0.5, 2],
      ] as const) {
        const { analytic, numeric } = directionalDerivative(distance, syn, 1e-4, mixedDirection(distance, syn, share, seed));
        expect(Math.abs(analytic - numeric), `${loss}, gradient share ${share}: ${analytic} vs ${numeric}`).toBeLessThan(1e-2 * Math.abs(analytic));
      }
      tf.dispose(realGrads);
    }
    tf.dispose([...params, real.obs, real.targets, syn]);
  });

  it('"paper" lowers the distance on a small fixed problem and reports actions without samples', async () => {
    const data = toyDataset(4, ACTIONS, 1, [2]);
    const expert = createTrainable(createNetwork(smallImpala), 'pytorch', 9);
    const before = tf.memory().numTensors;
    // The paper's lr 0.1 barely moves 0..255 pixels in 12 steps; a large one shows the descent.
    const result = await distill(data, { variant: 'paper', iterations: 12, syntheticSize: 6, realBatch: 4, seed: 2, pixelLearningRate: 1e5 }, {}, expert);
    expect(result.skippedActions).toEqual([2]);
    expect(result.allocation).toEqual([2, 2, 0, 2]);
    expect(result.synthetic.count).toBe(6);
    expect(mean(result.distances, 9, 12)).toBeLessThan(mean(result.distances, 0, 3));
    expect(tf.memory().numTensors).toBe(before);
    disposeTrainable(expert);
  });

  it('snapshots come from one uninterrupted run, and a continued set keeps its sample order', async () => {
    const data = toyDataset(4, ACTIONS);
    const expert = createTrainable(createNetwork(smallImpala), 'pytorch', 9);
    const snapshots: number[] = [];
    const first = await distill(
      data,
      { variant: 'paper', iterations: 6, syntheticSize: 16, realBatch: 4, seed: 2 },
      { snapshotEvery: 3, onSnapshot: (iteration, set) => void snapshots.push(iteration, set.count) },
      expert,
    );
    // The initial set, then every 3 iterations but after the last.
    expect(snapshots).toEqual([0, 16, 3, 16]);
    // With a negligible step the continued set must come back exactly as it went in, sample for sample.
    const continued = await distill(
      data,
      { variant: 'paper', iterations: 1, syntheticSize: 16, realBatch: 4, seed: 5, pixelLearningRate: 1e-30 },
      {},
      expert,
      first.synthetic,
    );
    expect(Array.from(continued.synthetic.actions)).toEqual(Array.from(first.synthetic.actions));
    expect(Buffer.from(continued.synthetic.obs.buffer).equals(Buffer.from(first.synthetic.obs.buffer))).toBe(true);
    disposeTrainable(expert);
  });

  it('"dc" matching steps lower the layer-wise cosine distance on one network', () => {
    const def = createNetwork(smallStudent);
    const params = initParams(def, 'pytorch', 11);
    const data = toyDataset(4, ACTIONS);
    const real = { obs: tf.tensor4d(Float32Array.from(data.obs), [16, 64, 64, 3]), targets: oneHotLabels(data.actions, ACTIONS) };
    const groups = [0, 1, 2, 3].map((action) => ({
      action,
      pixels: tf.variable(tf.mul(tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', action), 255) as tf.Tensor4D),
      oneHot: oneHotLabels([action], ACTIONS),
    }));
    const optimizer = tf.train.momentum(1, 0.5);
    const distances = Array.from({ length: 15 }, () => {
      const d = dcMatchStep(def, params, groups, real, 'mse', optimizer);
      const v = d.dataSync()[0]!;
      d.dispose();
      return v;
    });
    expect(mean(distances, 12, 15)).toBeLessThan(mean(distances, 0, 3));
    optimizer.dispose();
    tf.dispose([...params, real.obs, real.targets, ...groups.flatMap((g) => [g.pixels, g.oneHot])]);
  });

  it('"dc" runs end to end with an inner loop', async () => {
    const data = toyDataset(3, ACTIONS);
    const result = await distill(data, {
      variant: 'dc',
      network: smallStudent,
      iterations: 2,
      matchSteps: 2,
      innerSteps: 2,
      syntheticSize: 8,
      allocation: 'proportional',
      realBatch: 8,
    });
    expect(result.synthetic.count).toBe(8);
    expect(result.distances.every((d) => Number.isFinite(d))).toBe(true);
  });

  it('rejects a synthetic set smaller than the number of actions', async () => {
    const expert = createTrainable(createNetwork(smallImpala), 'pytorch', 1);
    await expect(distill(toyDataset(2, ACTIONS), { syntheticSize: 3 }, {}, expert)).rejects.toThrow(/syntheticSize = 3 is below the number of actions \(4\)/);
    disposeTrainable(expert);
  });
});

describe('losses', () => {
  it('MSE on softmax vs one-hot equals the hand-computed value', () => {
    const logits = tf.tensor2d([[0, 0]]);
    expect(bcLoss(logits, tf.tensor2d([[1, 0]]), 'mse').dataSync()[0]).toBeCloseTo(0.25, 6);
    expect(bcLoss(logits, tf.tensor2d([[1, 0]]), 'ce').dataSync()[0]).toBeCloseTo(Math.log(2), 6);
  });

  it('advantage regression recovers score gaps from soft targets, floors the underflowed ones, and is zero at the recovered values', () => {
    // Scores 1, 0.7 and -9 (a deadly move) at target temperature 0.03: the third target underflows to 0.
    const scores = [1, 0.7, -9];
    const targetTemperature = 0.03;
    const unnormalised = scores.map((s) => Math.exp((s - 1) / targetTemperature));
    const sum = unnormalised.reduce((a, b) => a + b, 0);
    const targets = tf.tensor2d([unnormalised.map((u) => u / sum)]);
    expect(targets.dataSync()[2]).toBe(0);
    const loss = { kind: 'advantage', targetTemperature, temperature: 0.1 } as const;
    // Advantages 0, -0.3 and the floor -3; logits are advantages / 0.1.
    const exact = tf.tensor2d([[0, -3, -30]]);
    expect(bcLoss(exact, targets, loss).dataSync()[0]).toBeCloseTo(0, 8);
    // Mean squared error over the three actions of (0.1 * logit - advantage).
    const off = tf.tensor2d([[1, -3, -20]]);
    expect(bcLoss(off, targets, loss).dataSync()[0]).toBeCloseTo((0.1 ** 2 + 0 + 1 ** 2) / 3, 6);
  });
});
