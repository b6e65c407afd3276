/**
 * The distillation methods: each one's gradient with respect to the synthetic pixels (and
 * learned labels) against finite differences on a tiny network, the siamese augmentation,
 * and each method end to end on a toy problem.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend.ts';
import { oneHotLabels, squaredL2Distance } from '../../losses.ts';
import { createNetwork } from '../../nets/create.ts';
import { convSpecs, denseSpecs, type NetworkDef } from '../../nets/network.ts';
import { conv3x3, dense, flatten, maxPool, relu, residualBlock } from '../../nets/layers.ts';
import { createTrainable, disposeTrainable } from '../../nets/trainable.ts';
import { Random } from '../../random.ts';
import { directionalDerivative, mixedDirection } from '../../testing/gradcheck.ts';
import { toyDataset } from '../../testing/toy-data.ts';
import { drawSiameseParams, siameseAugment } from '../augment.ts';
import { distill } from '../distill.ts';
import { ConfigError } from '../validate.ts';
import { dcDistance, dmDistance, dmMatchStep, mttDistance, paramGrads, selectRows } from '../steps.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

const ACTIONS = 4;

/** A small IMPALA-like network on 6x6 images (see trainers.test.ts for why this size). */
function tinyNetwork(): { def: NetworkDef; params: tf.Tensor[] } {
  const specs = [...convSpecs('c', 3, 4), ...convSpecs('r0', 4, 4), ...convSpecs('r1', 4, 4), ...denseSpecs('policy', 9 * 4, ACTIONS, 'policy')];
  const forward = (ps: readonly tf.Tensor[], obs: tf.Tensor4D) => {
    const [cw, cb, w0, b0, w1, b1, dw, db] = ps as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor1D, tf.Tensor2D, tf.Tensor1D];
    const features = relu(flatten(residualBlock(maxPool(conv3x3(obs, cw, cb)), w0, b0, w1, b1)));
    return { logits: dense(features, dw, db), features };
  };
  const def: NetworkDef = { kind: 'impala', channels: [4], actions: ACTIONS, specs, forward };
  const params = specs.map((spec, i) => tf.mul(tf.randomNormal(spec.shape as number[], 0, 1, 'float32', 40 + i), spec.kind === 'bias' ? 0.1 : 0.4));
  return { def, params };
}

function expectMatchesFiniteDifferences(f: (x: tf.Tensor) => tf.Scalar, at: tf.Tensor, what: string): void {
  for (const [share, seed] of [
    [1, 1],
    [0.5, 2],
  ] as const) {
    const { analytic, numeric } = directionalDerivative(f, at, 1e-4, mixedDirection(f, at, share, seed));
    expect(Math.abs(analytic - numeric), `${what}, gradient share ${share}: ${analytic} vs ${numeric}`).toBeLessThan(1e-2 * Math.abs(analytic));
  }
}

describe('gradients of each method with respect to the synthetic set', () => {
  const augment = siameseAugment({ dx: 1, dy: -1, brightness: 0.05, contrast: 1.1 });

  it('dc and dsa: layer-wise cosine distance, without and with the siamese augmentation', () => {
    const { def, params } = tinyNetwork();
    const real = { obs: tf.randomUniform([3, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D, targets: oneHotLabels([1, 2, 1], ACTIONS) };
    const syn = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 2);
    const targets = oneHotLabels([1, 2], ACTIONS);
    for (const [name, aug] of [
      ['dc', undefined],
      ['dsa', augment],
    ] as const) {
      const realGrads = paramGrads(def, params, { obs: aug ? aug(real.obs) : real.obs, targets: real.targets }, 'mse');
      expectMatchesFiniteDifferences((pixels) => dcDistance(def, params, { obs: pixels as tf.Tensor4D, targets }, realGrads, 'mse', aug), syn, name);
      tf.dispose(realGrads);
    }
    tf.dispose([...params, real.obs, real.targets, syn, targets]);
  });

  it('dm: distance of mean embeddings, with the siamese augmentation', () => {
    const { def, params } = tinyNetwork();
    const realMeans = [1, 2].map(
      (seed) => tf.mean(def.forward(params, augment(tf.randomUniform([4, 6, 6, 3], 0, 1, 'float32', seed) as tf.Tensor4D)).features, 0) as tf.Tensor1D,
    );
    const syn = tf.randomUniform([4, 6, 6, 3], 0, 1, 'float32', 3);
    // Two actions of two samples each, as the groups the method matches.
    const distance = (pixels: tf.Tensor) => {
      const [a, b] = tf.split(pixels as tf.Tensor4D, 2);
      return dmDistance(def, params, [a as tf.Tensor4D, b as tf.Tensor4D], realMeans, augment);
    };
    expectMatchesFiniteDifferences(distance, syn, 'dm');
    tf.dispose([...params, ...realMeans, syn]);
  });

  it('mtt: the unrolled trajectory distance, with respect to the pixels, the label logits and the log learning rate', () => {
    const { def, params } = tinyNetwork();
    // A target a little way from the start, as a later checkpoint would be.
    const target = params.map((p, i) => tf.add(p, tf.mul(tf.randomNormal(p.shape, 0, 1, 'float32', 60 + i), 0.05)));
    const pixels = tf.randomUniform([3, 6, 6, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const logits = tf.randomNormal([3, ACTIONS], 0, 1, 'float32', 5) as tf.Tensor2D;
    const logRate = tf.scalar(Math.log(0.5));
    // Two unrolled steps on different minibatches of the three samples.
    const picks = [Int32Array.from([0, 2]), Int32Array.from([1, 2])];
    const distance = (obs: tf.Tensor4D, l: tf.Tensor2D, rate: tf.Scalar) =>
      mttDistance(
        def,
        params,
        target,
        picks.map((at) => ({ obs: selectRows(obs, at), targets: selectRows(tf.softmax(l) as tf.Tensor2D, at) })),
        tf.exp(rate) as tf.Scalar,
        'mse',
      );
    expectMatchesFiniteDifferences((x) => distance(x as tf.Tensor4D, logits, logRate), pixels, 'mtt pixels');
    expectMatchesFiniteDifferences((l) => distance(pixels, l as tf.Tensor2D, logRate), logits, 'mtt labels');
    // The rate is one number: the difference quotient of a float32 loss near 1 needs a wider step.
    const rate = directionalDerivative((r) => distance(pixels, logits, r as tf.Scalar), logRate, 1e-2, tf.scalar(1));
    expect(Math.abs(rate.analytic - rate.numeric), `mtt learning rate: ${rate.analytic} vs ${rate.numeric}`).toBeLessThan(1e-2 * Math.abs(rate.analytic));
    tf.dispose([...params, ...target, pixels, logits, logRate]);
  });

  it('learned labels: the paper distance and dc distance with respect to the label logits', () => {
    const { def, params } = tinyNetwork();
    const real = { obs: tf.randomUniform([3, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D, targets: oneHotLabels([1, 1, 1], ACTIONS) };
    const pixels = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const logits = tf.randomNormal([2, ACTIONS], 0, 1, 'float32', 5);
    const realGrads = paramGrads(def, params, real, 'mse');
    expectMatchesFiniteDifferences(
      (l) => squaredL2Distance(paramGrads(def, params, { obs: pixels, targets: tf.softmax(l) as tf.Tensor2D }, 'mse'), realGrads),
      logits,
      'paper labels',
    );
    expectMatchesFiniteDifferences(
      (l) => dcDistance(def, params, { obs: pixels, targets: tf.softmax(l) as tf.Tensor2D }, realGrads, 'mse'),
      logits,
      'dc labels',
    );
    tf.dispose([...params, ...realGrads, real.obs, real.targets, pixels, logits]);
  });
});

describe('siamese augmentation', () => {
  it('is one transformation for the real and the synthetic batch of a step', () => {
    const { def, params } = tinyNetwork();
    const images = tf.randomUniform([3, 6, 6, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const targets = oneHotLabels([0, 1, 2], ACTIONS);
    const augment = siameseAugment(drawSiameseParams(['translate', 'brightness', 'contrast'], new Random(3)));
    // dm: a synthetic set equal to the real batch, augmented alike, has equal mean embeddings: distance 0, pixels unmoved.
    const pixels = tf.variable(images.clone());
    const optimizer = tf.train.sgd(1);
    const distance = dmMatchStep(def, params, [{ action: 0, pixels, oneHot: targets }], [{ obs: images, targets }], optimizer, augment);
    expect(distance.dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(pixels, images))).dataSync()[0]).toBe(0);
    // dsa: identical sets augmented alike match far better than with the augmentation on one side only.
    const alike = paramGrads(def, params, { obs: augment(images), targets }, 'mse');
    const unaugmented = paramGrads(def, params, { obs: images, targets }, 'mse');
    const siamese = dcDistance(def, params, { obs: images, targets }, alike, 'mse', augment).dataSync()[0]!;
    const oneSided = dcDistance(def, params, { obs: images, targets }, unaugmented, 'mse', augment).dataSync()[0]!;
    expect(siamese).toBeLessThan(oneSided - 0.5);
    tf.dispose([...params, ...alike, ...unaugmented, distance, pixels, images, targets]);
    optimizer.dispose();
  });

  it('translates content (zeros fill the gap), shifts brightness and scales contrast around the mean', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(siameseAugment({ dx: 1, dy: 0, brightness: 0, contrast: 1 })(x).dataSync())).toEqual([0, 1, 0, 3]);
    expect(Array.from(siameseAugment({ dx: 0, dy: -1, brightness: 0, contrast: 1 })(x).dataSync())).toEqual([3, 4, 0, 0]);
    expect(Array.from(siameseAugment({ dx: 0, dy: 0, brightness: 10, contrast: 2 })(x).dataSync())).toEqual([9.5, 11.5, 13.5, 15.5]);
    // Off augmentations draw the identity.
    expect(drawSiameseParams([], new Random(1))).toEqual({ dx: 0, dy: 0, brightness: 0, contrast: 1 });
    x.dispose();
  });
});

describe('each method end to end', () => {
  const smallStudent = { kind: 'student' as const, channels: [4, 8, 4, 3], actions: ACTIONS };

  for (const variant of ['dc', 'dsa', 'dm', 'mtt'] as const) {
    it(`"${variant}" distils a toy problem without leaking tensors`, async () => {
      const data = toyDataset(4, ACTIONS);
      const before = tf.memory().numTensors;
      const result = await distill(data, {
        variant,
        network: smallStudent,
        iterations: 3,
        matchSteps: 2,
        innerSteps: 2,
        syntheticSize: 8,
        realBatch: 4,
        // mtt: one trajectory of three checkpoints two steps apart; unrolls of two steps on four samples.
        mtt: {
          trajectories: 1,
          checkpoints: 3,
          stepsPerCheckpoint: 2,
          trajectoryLearningRate: 0.01,
          targetSpan: 1,
          syntheticSteps: 2,
          syntheticBatch: 4,
          learnRate: true,
        },
        seed: 1,
      });
      expect(result.synthetic.count).toBe(8);
      expect(result.distances.every((d) => Number.isFinite(d) && d >= 0)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('learned labels come back as distributions that moved from the one-hot start', async () => {
    const data = toyDataset(4, ACTIONS);
    const expert = createTrainable(createNetwork({ kind: 'impala', channels: [4], actions: ACTIONS }), 'pytorch', 9);
    const result = await distill(
      data,
      { variant: 'paper', iterations: 5, syntheticSize: 4, realBatch: 4, seed: 2, learnLabels: true, pixelLearningRate: 1 },
      {},
      expert,
    );
    const targets = result.synthetic.targets!;
    expect(targets).toHaveLength(4 * ACTIONS);
    for (let i = 0; i < 4; i++) expect(targets.subarray(i * ACTIONS, (i + 1) * ACTIONS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // They start at 0.9 on their action.
    const own = Array.from({ length: 4 }, (_, i) => targets[i * ACTIONS + result.synthetic.actions[i]!]!);
    expect(own.some((p) => Math.abs(p - 0.9) > 1e-4)).toBe(true);
    disposeTrainable(expert);
  });

  it('dm refuses to learn labels, naming the methods that can', async () => {
    await expect(distill(toyDataset(2, ACTIONS), { variant: 'dm', learnLabels: true, network: smallStudent, syntheticSize: 4 })).rejects.toThrow(ConfigError);
    await expect(distill(toyDataset(2, ACTIONS), { variant: 'dm', learnLabels: true, network: smallStudent, syntheticSize: 4 })).rejects.toThrow(
      /learnLabels = true with variant 'dm': its loss does not read labels.*Use variant paper, dc, dsa, mtt or learnLabels = false/,
    );
  });

  it('unit-adam moves each pixel by at most about the learning rate times the pixel range per step', async () => {
    const data = toyDataset(4, ACTIONS);
    const expert = createTrainable(createNetwork({ kind: 'impala', channels: [4], actions: ACTIONS }), 'pytorch', 9);
    const start = await distill(data, { variant: 'paper', iterations: 1, syntheticSize: 4, realBatch: 4, seed: 2, pixelLearningRate: 1e-30 }, {}, expert);
    const moved = await distill(
      data,
      { variant: 'paper', iterations: 1, syntheticSize: 4, realBatch: 4, seed: 2, pixels: 'unit-adam', pixelLearningRate: 0.01 },
      {},
      expert,
    );
    let largest = 0;
    let total = 0;
    for (let i = 0; i < moved.synthetic.obs.length; i++) {
      const change = Math.abs(moved.synthetic.obs[i]! - start.synthetic.obs[i]!);
      largest = Math.max(largest, change);
      total += change;
    }
    // Adam's first step moves every parameter with a gradient by the learning rate: 0.01 of 255.
    expect(largest).toBeLessThan(2.55 * 1.01);
    expect(total / moved.synthetic.obs.length).toBeGreaterThan(1);
    disposeTrainable(expert);
  });
});
