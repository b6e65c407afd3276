/**
 * The computations two backends must agree on, on tiny shapes: every layer's forward pass,
 * its first derivatives and the second derivatives gradient matching takes; one matching
 * step of each distillation variant; one BC step. Each returns named arrays, read with
 * `await data()` (the webgpu backend cannot read synchronously under Node), so a test can
 * run them on one backend in its own process and on another in a child process and compare.
 */
import * as tf from '@tensorflow/tfjs-core';
import { oneHotLabels } from '../losses.ts';
import { createNetwork } from '../nets/create.ts';
import { avgPool, conv3x3, dense, maxPool, relu, reluConv3x3, residualBlock } from '../nets/layers.ts';
import { initParams, type NetworkDef } from '../nets/network.ts';
import { adam, disposeOptimizer, sgdMomentum } from '../train/optimizers.ts';
import { PolicyActor, SAMPLE_POLICY } from '../train/policy.ts';
import { Random } from '../random.ts';
import { OBS_VALUES } from '../train/data.ts';
import { bcStep, dcMatchStep, dmMatchStep, paperMatchStep, type Batch, type SyntheticGroup } from '../train/steps.ts';
import { siameseAugment } from '../train/augment.ts';
import type { DistillVariant } from '@shared/config/methods.ts';
import { separatedValues } from './gradcheck.ts';

export type ParityResults = Record<string, number[]>;

interface LayerCase {
  readonly name: string;
  readonly x: () => tf.Tensor;
  readonly params: () => tf.Tensor[];
  readonly apply: (x: tf.Tensor, params: tf.Tensor[]) => tf.Tensor;
}

const rnd = (shape: number[], seed: number, scale = 0.5) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);
const as4 = (t: tf.Tensor) => t as tf.Tensor4D;
const as1 = (t: tf.Tensor) => t as tf.Tensor1D;

/** Every layer of the networks, with separated inputs where a max or relu decides (ties would let backends pick differently). */
export const LAYER_CASES: readonly LayerCase[] = [
  {
    name: 'conv3x3 s1',
    x: () => rnd([2, 5, 5, 3], 1),
    params: () => [rnd([3, 3, 3, 4], 2), rnd([4], 3)],
    apply: (x, [w, b]) => conv3x3(as4(x), as4(w!), as1(b!), 1),
  },
  {
    name: 'conv3x3 s2',
    x: () => rnd([2, 6, 6, 3], 4),
    params: () => [rnd([3, 3, 3, 2], 5), rnd([2], 6)],
    apply: (x, [w, b]) => conv3x3(as4(x), as4(w!), as1(b!), 2),
  },
  {
    name: 'conv3x3 s2 odd',
    x: () => rnd([1, 7, 5, 2], 7),
    params: () => [rnd([3, 3, 2, 3], 8), rnd([3], 9)],
    apply: (x, [w, b]) => conv3x3(as4(x), as4(w!), as1(b!), 2),
  },
  {
    name: 'relu conv3x3',
    x: () => separatedValues([1, 4, 4, 2], 0.05, 10),
    params: () => [rnd([3, 3, 2, 3], 11), rnd([3], 12)],
    apply: (x, [w, b]) => reluConv3x3(as4(x), as4(w!), as1(b!), 1),
  },
  {
    name: 'dense',
    x: () => rnd([3, 5], 13),
    params: () => [rnd([5, 4], 14), rnd([4], 15)],
    apply: (x, [w, b]) => dense(x as tf.Tensor2D, w as tf.Tensor2D, as1(b!)),
  },
  { name: 'max-pool', x: () => separatedValues([2, 6, 6, 2], 0.04, 16), params: () => [], apply: (x) => maxPool(as4(x)) },
  { name: 'max-pool odd', x: () => separatedValues([1, 5, 5, 2], 0.04, 17), params: () => [], apply: (x) => maxPool(as4(x)) },
  { name: 'avg-pool', x: () => rnd([2, 4, 6, 3], 18), params: () => [], apply: (x) => avgPool(as4(x)) },
  { name: 'relu', x: () => separatedValues([3, 8], 0.05, 19), params: () => [], apply: (x) => relu(x) },
  {
    name: 'residual block',
    x: () => separatedValues([1, 4, 4, 2], 0.05, 20),
    params: () => [rnd([3, 3, 2, 2], 21), rnd([2], 22), rnd([3, 3, 2, 2], 23), rnd([2], 24)],
    apply: (x, [w0, b0, w1, b1]) => residualBlock(as4(x), as4(w0!), as1(b0!), as4(w1!), as1(b1!)),
  },
];

/** A smooth non-linear scalar of a layer's output (second derivatives are not trivially zero). */
function probeLoss(y: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(tf.square(tf.add(y, 0.3)), tf.randomNormal(y.shape, 0, 1, 'float32', 99)));
}

/** Forward, d/dx, d/dparam_i, d/dx |dL/dparam_i|^2 and d/dparam_i |dL/dx|^2 of one layer. */
function layerTensors(c: LayerCase): Record<string, tf.Tensor> {
  const x = c.x();
  const params = c.params();
  const withParam = (i: number, p: tf.Tensor) => params.map((q, j) => (j === i ? p : q));
  const out: Record<string, tf.Tensor> = {
    forward: c.apply(x, params),
    'd/dx': tf.grad((xx: tf.Tensor) => probeLoss(c.apply(xx, params)))(x),
  };
  const inputGradNorm = (xx: tf.Tensor, ps: tf.Tensor[]) => tf.sum(tf.square(tf.grad((z: tf.Tensor) => probeLoss(c.apply(z, ps)))(xx)));
  params.forEach((p, i) => {
    const paramGrad = (xx: tf.Tensor) => tf.grad((pp: tf.Tensor) => probeLoss(c.apply(xx, withParam(i, pp))))(p);
    out[`d/dparam${i}`] = paramGrad(x);
    out[`d/dx |dL/dparam${i}|^2`] = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(paramGrad(xx))))(x);
    out[`d/dparam${i} |dL/dx|^2`] = tf.grad((pp: tf.Tensor) => inputGradNorm(x, withParam(i, pp)))(p);
  });
  if (params.length === 0) out['d/dx |dL/dx|^2'] = tf.grad((xx: tf.Tensor) => inputGradNorm(xx, params))(x);
  return out;
}

const ACTIONS = 3;
/**
 * A tiny student (the real 64x64 input, two conv stages of two channels, three actions) for every step: on a
 * software rasteriser one IMPALA matching step takes the better part of a minute, and its
 * layers (max-pool, residual blocks) are compared one by one above.
 */
export const TINY_STUDENT = { kind: 'student', channels: [2, 2], actions: ACTIONS } as const;

function pixels(n: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.randomUniform([n, 64, 64, 3], 0, 1, 'float32', seed), 255) as tf.Tensor4D);
}

function labelled(n: number, seed: number, action?: number): Batch {
  return {
    obs: pixels(n, seed),
    targets: oneHotLabels(
      Array.from({ length: n }, (_, i) => action ?? i % ACTIONS),
      ACTIONS,
    ),
  };
}

/** A trainable copy of `t`, which is disposed (tf.variable keeps its own reference to the data). */
function variableOf<R extends tf.Rank>(t: tf.Tensor<R>): tf.Variable<R> {
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

function syntheticGroups(perAction: number): SyntheticGroup[] {
  return Array.from({ length: ACTIONS }, (_, action) => ({
    action,
    pixels: variableOf(pixels(perAction, 100 + action)),
    oneHot: oneHotLabels(new Array<number>(perAction).fill(action), ACTIONS),
  }));
}

/** The distance, and how far one matching step moved the pixels. */
async function matchingStep(variant: DistillVariant, def: NetworkDef): Promise<ParityResults> {
  const params = initParams(def, 'pytorch', 7);
  const groups = syntheticGroups(1);
  const before = groups.map((g) => tf.clone(g.pixels));
  const optimizer = sgdMomentum(0.1, 0.5);
  const perAction = variant === 'paper' || variant === 'dm';
  const real = perAction ? groups.map((g, i) => labelled(1, 200 + i, g.action)) : [labelled(3, 210)];
  // dsa and dm: one fixed siamese augmentation (a shift, a brightness and a contrast change).
  const augment = siameseAugment({ dx: 1, dy: -1, brightness: 10, contrast: 1.1 });
  const distance =
    variant === 'paper'
      ? paperMatchStep(def, params, groups, real, 'mse', optimizer)
      : variant === 'dm'
        ? dmMatchStep(def, params, groups, real, optimizer, augment)
        : dcMatchStep(def, params, groups, real[0]!, 'mse', optimizer, variant === 'dsa' ? augment : undefined);
  const moved = tf.tidy(() => tf.concat(groups.map((g, i) => tf.reshape(tf.sub(g.pixels, before[i]!), [-1]))));
  const result = { distance: Array.from(await distance.data()), 'pixel step': Array.from(await moved.data()) };
  tf.dispose([distance, moved, ...before, ...params, ...real.flatMap((b) => [b.obs, b.targets]), ...groups.flatMap((g) => [g.pixels, g.oneHot])]);
  disposeOptimizer(optimizer);
  return result;
}

/** The loss, and how far one Adam step moved every parameter. */
async function bcStepResults(): Promise<ParityResults> {
  const def = createNetwork(TINY_STUDENT);
  const vars = initParams(def, 'pytorch', 5).map(variableOf);
  const before = vars.map((v) => tf.clone(v));
  const optimizer = adam(5e-3);
  const batch = labelled(3, 300);
  const loss = bcStep({ def, vars }, optimizer, batch, 'mse');
  const moved = tf.tidy(() => tf.concat(vars.map((v, i) => tf.reshape(tf.sub(v, before[i]!), [-1]))));
  const result = { loss: Array.from(await loss.data()), 'parameter step': Array.from(await moved.data()) };
  tf.dispose([loss, moved, batch.obs, batch.targets, ...before, ...vars]);
  disposeOptimizer(optimizer);
  return result;
}

/** The action chooser (PPO's rollouts, collection, evaluation): sampled actions and their log-probabilities. */
async function policyResults(): Promise<ParityResults> {
  const def = createNetwork(TINY_STUDENT);
  const vars = initParams(def, 'pytorch', 9).map(variableOf);
  const random = new Random(11);
  const observations = Uint8Array.from({ length: 3 * OBS_VALUES }, () => random.int(256));
  const step = await new PolicyActor({ def, vars }, 3).actAsync(observations, new Random(12), SAMPLE_POLICY);
  tf.dispose(vars);
  return { actions: Array.from(step.actions), 'log probabilities': Array.from(step.logProbs) };
}

/** Everything above on the current backend, keyed `group: quantity`. */
export async function parityResults(): Promise<ParityResults> {
  const results: ParityResults = {};
  for (const c of LAYER_CASES) {
    const tensors = tf.tidy(() => layerTensors(c));
    for (const [key, t] of Object.entries(tensors)) results[`${c.name}: ${key}`] = Array.from(await t.data());
    tf.dispose(Object.values(tensors));
  }
  const steps: [string, () => Promise<ParityResults>][] = [
    ['gm paper (student)', () => matchingStep('paper', createNetwork(TINY_STUDENT))],
    ['gm dc (student)', () => matchingStep('dc', createNetwork(TINY_STUDENT))],
    ['gm dsa (student)', () => matchingStep('dsa', createNetwork(TINY_STUDENT))],
    ['gm dm (student)', () => matchingStep('dm', createNetwork(TINY_STUDENT))],
    ['bc step (student)', bcStepResults],
    ['policy (student)', policyResults],
  ];
  for (const [group, run] of steps) for (const [key, values] of Object.entries(await run())) results[`${group}: ${key}`] = values;
  return results;
}
