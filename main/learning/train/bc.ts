/**
 * Behavioural cloning: a network learns to predict the action of each observation.
 * The paper's defaults: the student CNN, Adam lr 0.005, MSE between softmax and the
 * one-hot action. Works on any labelled set: a full dataset, a percentile selection
 * or a synthetic set.
 */
import * as tf from '@tensorflow/tfjs-core';
import { LEARNING_RATE_SCHEDULES, type LearningRateSchedule } from '@shared/config/schedules.ts';
import { adam, disposeOptimizer, learningRateAt, setLearningRate } from './optimizers.ts';
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
  /** 'cosine': the rate falls from `learningRate` to 0 over the steps. */
  readonly schedule: LearningRateSchedule;
  /** Samples per step; a set smaller than this is used whole (full batch). */
  readonly batchSize: number;
  readonly steps: number;
  readonly seed: number;
  /** Emit a progress event every this many steps. */
  readonly progressEvery: number;
  /** Random translation of each training frame by up to this many pixels (0: none). */
  readonly shift: number;
  /**
   * Samples from index `from` on make up at least `share` of every batch (DAgger: the states
   * the network itself visited, which would otherwise be a few percent of the demonstrations).
   * Absent: every sample alike.
   */
  readonly emphasis?: { readonly from: number; readonly share: number };
}

export const BC_DEFAULTS: BcConfig = {
  network: { kind: 'student' },
  init: 'pytorch',
  loss: 'mse',
  learningRate: 0.005,
  schedule: 'constant',
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
  checkChoice('schedule', config.schedule, LEARNING_RATE_SCHEDULES);
  checkNumber('batchSize', config.batchSize, 1, 4096, { integer: true });
  checkNumber('steps', config.steps, 1, 1e7, { integer: true });
  checkNumber('seed', config.seed, 0, 2 ** 32 - 1, { integer: true });
  checkNumber('progressEvery', config.progressEvery, 1, 1e7, { integer: true });
  checkNumber('shift', config.shift, 0, 16, { integer: true });
  if (config.emphasis) {
    checkNumber('emphasis.from', config.emphasis.from, 0, 2 ** 31 - 1, { integer: true });
    checkNumber('emphasis.share', config.emphasis.share, 0, 1);
  }
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
  const sampler = batchSampler(data.count, batchSize, random, config.emphasis);
  const losses = new Float32Array(config.steps);
  const throughput = new Throughput();
  try {
    for (let step = 0; step < config.steps; step++) {
      await checkpoint(control, 'Behavioural cloning', step);
      setLearningRate(optimizer, learningRateAt(config.schedule, config.learningRate, step, config.steps));
      const batch = builder.build(sampler(), batchSize, config.shift > 0 ? { pixels: config.shift, random } : undefined);
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

/**
 * The indexes of each next batch: epochs over a reshuffled order (a final partial batch is
 * skipped). With an emphasis, the emphasised tail and the rest are two such orders and each
 * batch takes its share from the tail (at least `share`, at least the tail's share of the set).
 */
function batchSampler(count: number, batchSize: number, random: Random, emphasis: BcConfig['emphasis']): () => Int32Array {
  const from = emphasis ? Math.min(emphasis.from, count) : count;
  if (!emphasis || from === 0 || from === count) return epochOrder(0, count, batchSize, random);
  const tailCount = Math.max(1, Math.min(batchSize - 1, Math.round(batchSize * Math.max(emphasis.share, (count - from) / count))));
  const head = epochOrder(0, from, batchSize - tailCount, random);
  const tail = epochOrder(from, count, tailCount, random);
  const indexes = new Int32Array(batchSize);
  return () => {
    indexes.set(head(), 0);
    indexes.set(tail(), batchSize - tailCount);
    return indexes;
  };
}

/** `n` indexes of [start, end) at a time, in epochs over a reshuffled order; n may exceed the range (indexes then repeat within a batch). */
function epochOrder(start: number, end: number, n: number, random: Random): () => Int32Array {
  const size = end - start;
  if (n > size) {
    const indexes = new Int32Array(n);
    return () => {
      for (let i = 0; i < n; i++) indexes[i] = start + random.int(size);
      return indexes;
    };
  }
  const order = Int32Array.from({ length: size }, (_, i) => start + i);
  let cursor = size; // forces a shuffle before the first batch
  return () => {
    if (cursor + n > size) {
      random.shuffle(order);
      cursor = 0;
    }
    cursor += n;
    return order.subarray(cursor - n, cursor);
  };
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
