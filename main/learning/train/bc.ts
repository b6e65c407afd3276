/**
 * Behavioural cloning: a network learns to predict the action of each observation.
 * The paper's defaults: the student CNN, Adam lr 0.005, MSE between softmax and the
 * one-hot action. Works on any labelled set: a full dataset, a percentile selection
 * or a synthetic set.
 */
import * as tf from '@tensorflow/tfjs-core';
import { adam, disposeOptimizer } from './optimizers.ts';
import { BC_LOSSES, type ImitationLoss } from '../losses.ts';
import { createNetwork, type NetworkOptions } from '../nets/create.ts';
import { INIT_SCHEMES, type InitScheme } from '../nets/init.ts';
import { createTrainable, type TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { checkpoint, Throughput, type RunControl } from './control.ts';
import { BatchBuilder, checkLabelledSet, disposeBatch, type LabelledSet } from './data.ts';
import { bcStep } from './steps.ts';
import { checkChoice, checkLearningRate, checkNumber } from './validate.ts';

export interface BcConfig {
  readonly network: NetworkOptions;
  readonly init: InitScheme;
  readonly loss: ImitationLoss;
  readonly learningRate: number;
  /** Samples per step; a set smaller than this is used whole (full batch). */
  readonly batchSize: number;
  readonly steps: number;
  readonly seed: number;
  /** Emit a progress event every this many steps. */
  readonly progressEvery: number;
  /** Random translation of each training frame by up to this many pixels (0: none). */
  readonly shift: number;
}

export const BC_DEFAULTS: BcConfig = {
  network: { kind: 'student' },
  init: 'pytorch',
  loss: 'mse',
  learningRate: 0.005,
  batchSize: 64,
  steps: 1000,
  seed: 0,
  progressEvery: 10,
  shift: 0,
};

export function resolveBcConfig(overrides: Partial<BcConfig> = {}): BcConfig {
  const config = { ...BC_DEFAULTS, ...overrides };
  if (typeof config.loss === 'object') {
    checkNumber('loss.targetTemperature', config.loss.targetTemperature, 0, 100, { minExclusive: true });
    checkNumber('loss.temperature', config.loss.temperature, 0, 100, { minExclusive: true });
  } else checkChoice('loss', config.loss, BC_LOSSES);
  checkChoice('init', config.init, INIT_SCHEMES);
  checkLearningRate('learningRate', config.learningRate);
  checkNumber('batchSize', config.batchSize, 1, 4096, { integer: true });
  checkNumber('steps', config.steps, 1, 1e7, { integer: true });
  checkNumber('seed', config.seed, 0, 2 ** 32 - 1, { integer: true });
  checkNumber('progressEvery', config.progressEvery, 1, 1e7, { integer: true });
  checkNumber('shift', config.shift, 0, 16, { integer: true });
  return config;
}

export interface BcResult {
  readonly net: TrainableNet;
  /** Loss of every step. */
  readonly losses: Float32Array;
}

/** Trains a fresh network (or `start`, when given) on `data`; the caller disposes the result's net. */
export async function trainBc(data: LabelledSet, overrides: Partial<BcConfig> = {}, control: RunControl = {}, start?: TrainableNet): Promise<BcResult> {
  const config = resolveBcConfig(overrides);
  const random = new Random(config.seed);
  const net = start ?? createTrainable(createNetwork(config.network), config.init, random.int(2 ** 31));
  checkLabelledSet(data, net.def.actions);
  const batchSize = Math.min(config.batchSize, data.count);
  const builder = new BatchBuilder(data, batchSize, net.def.actions);
  const optimizer = adam(config.learningRate);
  const order = Int32Array.from({ length: data.count }, (_, i) => i);
  const losses = new Float32Array(config.steps);
  const throughput = new Throughput();
  let cursor = data.count; // forces a shuffle before the first batch
  try {
    for (let step = 0; step < config.steps; step++) {
      await checkpoint(control, 'Behavioural cloning', step);
      // Epochs over a reshuffled order; a final partial batch is skipped.
      if (cursor + batchSize > data.count) {
        random.shuffle(order);
        cursor = 0;
      }
      const batch = builder.build(order.subarray(cursor, cursor + batchSize), batchSize, config.shift > 0 ? { pixels: config.shift, random } : undefined);
      cursor += batchSize;
      const loss = bcStep(net, optimizer, batch, config.loss);
      disposeBatch(batch);
      // An asynchronous read: the webgpu backend cannot read synchronously.
      losses[step] = (await loss.data())[0]!;
      loss.dispose();
      throughput.add(batchSize);
      if ((step + 1) % config.progressEvery === 0 || step + 1 === config.steps) {
        await control.onProgress?.({ step: step + 1, totalSteps: config.steps, loss: losses[step]!, samplesPerSecond: throughput.take() });
      }
    }
  } catch (error) {
    if (!start) net.vars.forEach((v) => v.dispose());
    throw error;
  } finally {
    disposeOptimizer(optimizer);
  }
  return { net, losses };
}

/** Fraction of samples whose most likely action (argmax of the logits) is the labelled one. */
export async function actionAgreement(net: TrainableNet, data: LabelledSet, chunk = 256): Promise<number> {
  const indexes = Int32Array.from({ length: data.count }, (_, i) => i);
  const builder = new BatchBuilder(data, Math.min(chunk, data.count), net.def.actions);
  let agree = 0;
  for (let start = 0; start < data.count; start += chunk) {
    const part = indexes.subarray(start, Math.min(start + chunk, data.count));
    const batch = builder.build(part);
    const matches = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(net.def.forward(net.vars, batch.obs).logits, 1), tf.argMax(batch.targets, 1)), 'int32')));
    agree += (await matches.data())[0]!;
    matches.dispose();
    disposeBatch(batch);
  }
  return agree / data.count;
}
