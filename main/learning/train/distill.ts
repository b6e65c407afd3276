/**
 * Dataset distillation by gradient matching: learns the pixels of a small synthetic set
 * whose training gradients resemble those of the real data.
 *
 * "paper" (the official code): a frozen pretrained expert; each iteration, for every
 * action, a real batch of that action and the synthetic samples of that action; squared
 * L2 distance between their parameter gradients (MSE on softmax vs one-hot), summed over
 * actions; SGD lr 0.1 momentum 0.5 on the pixels; synthetic set initialised from real
 * samples of each action, pixels never clamped.
 *
 * "dc" (Zhao et al. 2021): a freshly initialised network every iteration; several
 * matching steps with layer-wise cosine distance on the whole synthetic set, each
 * followed by an inner loop that trains the network on the synthetic set.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sgdMomentum, adam, disposeOptimizer } from './optimizers.ts';
import { BC_LOSSES, type BcLoss } from '../losses.ts';
import { createNetwork, type NetworkOptions } from '../nets/create.ts';
import { INIT_SCHEMES, type InitScheme } from '../nets/init.ts';
import { createTrainable, disposeTrainable, type TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { checkpoint, Throughput, type RunControl } from './control.ts';
import { BatchBuilder, checkLabelledSet, disposeBatch, OBS_VALUES, type LabelledSet } from './data.ts';
import { bcStep, dcMatchStep, paperMatchStep, syntheticBatch, type SyntheticGroup } from './steps.ts';
import { indexesByAction, sampleWithoutReplacement } from './coreset.ts';
import { checkChoice, checkLearningRate, checkNumber, ConfigError } from './validate.ts';

export const DISTILL_VARIANTS = ['paper', 'dc'] as const;
export type DistillVariant = (typeof DISTILL_VARIANTS)[number];
export const ALLOCATIONS = ['balanced', 'proportional'] as const;
export type Allocation = (typeof ALLOCATIONS)[number];

export interface DistillConfig {
  readonly variant: DistillVariant;
  readonly iterations: number;
  /** Synthetic samples in total (the paper: 150 = 10 per action). */
  readonly syntheticSize: number;
  /** Per-action split: equal, or proportional to each action's frequency in the real data. */
  readonly allocation: Allocation;
  /** Real samples per action per iteration ("paper"; README: 75), or per matching step ("dc"). */
  readonly realBatch: number;
  readonly loss: BcLoss;
  readonly pixelLearningRate: number;
  readonly pixelMomentum: number;
  /** "dc": the network re-initialised every iteration (the student by default). */
  readonly network: NetworkOptions;
  readonly init: InitScheme;
  /** "dc": matching steps per fresh network. */
  readonly matchSteps: number;
  /** "dc": Adam steps on the synthetic set after each matching step. */
  readonly innerSteps: number;
  readonly innerLearningRate: number;
  readonly seed: number;
  readonly progressEvery: number;
}

export const DISTILL_DEFAULTS: DistillConfig = {
  variant: 'paper',
  iterations: 1000,
  syntheticSize: 150,
  allocation: 'balanced',
  realBatch: 75,
  loss: 'mse',
  pixelLearningRate: 0.1,
  pixelMomentum: 0.5,
  network: { kind: 'student' },
  init: 'pytorch',
  matchSteps: 10,
  innerSteps: 10,
  innerLearningRate: 0.005,
  seed: 0,
  progressEvery: 1,
};

export function resolveDistillConfig(overrides: Partial<DistillConfig>, actionCount: number): DistillConfig {
  const config = { ...DISTILL_DEFAULTS, ...overrides };
  checkChoice('variant', config.variant, DISTILL_VARIANTS);
  checkChoice('allocation', config.allocation, ALLOCATIONS);
  checkChoice('loss', config.loss, BC_LOSSES);
  checkChoice('init', config.init, INIT_SCHEMES);
  checkNumber('iterations', config.iterations, 1, 1e7, { integer: true });
  if (!(config.syntheticSize >= actionCount)) {
    throw new ConfigError(
      `syntheticSize = ${config.syntheticSize} is below the number of actions (${actionCount}): use at least ${actionCount} so every action can have a sample.`,
    );
  }
  checkNumber('syntheticSize', config.syntheticSize, actionCount, 100000, { integer: true });
  checkNumber('realBatch', config.realBatch, 1, 4096, { integer: true });
  checkLearningRate('pixelLearningRate', config.pixelLearningRate);
  checkNumber('pixelMomentum', config.pixelMomentum, 0, 0.999);
  checkNumber('matchSteps', config.matchSteps, 1, 1e5, { integer: true });
  checkNumber('innerSteps', config.innerSteps, 0, 1e5, { integer: true });
  checkLearningRate('innerLearningRate', config.innerLearningRate);
  checkNumber('seed', config.seed, 0, 2 ** 32 - 1, { integer: true });
  checkNumber('progressEvery', config.progressEvery, 1, 1e7, { integer: true });
  return config;
}

/**
 * Run control plus snapshots of the synthetic set: the initial set (iteration 0, unless
 * continuing an earlier one), then every `snapshotEvery` iterations (not after the last).
 */
export interface DistillControl extends RunControl {
  readonly snapshotEvery?: number;
  readonly onSnapshot?: (iteration: number, synthetic: LabelledSet & { obs: Float32Array }, distances: Float32Array) => void | Promise<void>;
}

export interface DistillResult {
  readonly synthetic: LabelledSet & { readonly obs: Float32Array };
  /** Synthetic samples per action (0 for skipped actions). */
  readonly allocation: readonly number[];
  /** Actions with no real sample: they get no synthetic samples and no matching term. */
  readonly skippedActions: readonly number[];
  /** Matching distance of every iteration. */
  readonly distances: Float32Array;
}

/** Synthetic samples per action: equal or proportional split of `size` over the actions that occur. */
export function allocateSynthetic(realCounts: readonly number[], size: number, allocation: Allocation): number[] {
  const present = realCounts.map((c, a) => (c > 0 ? a : -1)).filter((a) => a >= 0);
  if (present.length === 0) throw new ConfigError('The real data has no samples: nothing to distil.');
  const total = present.reduce((n, a) => n + realCounts[a]!, 0);
  const shares = realCounts.map((c) => (c === 0 ? 0 : allocation === 'balanced' ? size / present.length : (size * c) / total));
  // Every present action gets at least one sample; the rest goes by largest remainder.
  const counts = shares.map((s, a) => (realCounts[a]! > 0 ? Math.max(1, Math.floor(s)) : 0));
  let left = size - counts.reduce((a, b) => a + b, 0);
  const byRemainder = present.slice().sort((a, b) => shares[b]! - Math.floor(shares[b]!) - (shares[a]! - Math.floor(shares[a]!)) || a - b);
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length, left--) counts[byRemainder[i]!]!++;
  for (let i = 0; left < 0; i = (i + 1) % byRemainder.length) {
    const a = byRemainder[byRemainder.length - 1 - i]!;
    if (counts[a]! > 1) {
      counts[a]!--;
      left++;
    }
  }
  return counts;
}

/**
 * Distils `data`. The "paper" variant needs the trained `expert` (left untouched); "dc"
 * builds its own networks from `config.network`. `initial` continues from an earlier
 * synthetic set (a stored snapshot) instead of initialising from real samples; its
 * samples keep their order, so sample k is the same sample across snapshots.
 */
export async function distill(
  data: LabelledSet,
  overrides: Partial<DistillConfig> = {},
  control: DistillControl = {},
  expert?: TrainableNet,
  initial?: LabelledSet,
): Promise<DistillResult> {
  const actionCount = expert?.def.actions ?? overrides.network?.actions ?? 15;
  const config = resolveDistillConfig(overrides, actionCount);
  if (config.variant === 'paper' && !expert) throw new ConfigError("The 'paper' variant matches gradients of a trained expert: pass its weights.");
  checkLabelledSet(data, actionCount);
  const random = new Random(config.seed);
  const byAction = indexesByAction(data.actions, actionCount);
  const realCounts = byAction.map((ix) => ix.length);
  const allocation = initial ? countsByAction(initial, actionCount) : allocateSynthetic(realCounts, config.syntheticSize, config.allocation);
  const skippedActions = realCounts.flatMap((c, a) => (c === 0 ? [a] : []));
  const groups = initial
    ? initialGroups(initial, indexesByAction(initial.actions, actionCount), allocation, actionCount, null)
    : initialGroups(data, byAction, allocation, actionCount, random);
  const optimizer = sgdMomentum(config.pixelLearningRate, config.pixelMomentum);
  const distances = new Float32Array(config.iterations);
  const throughput = new Throughput();
  const every = control.snapshotEvery ?? 0;
  try {
    if (control.onSnapshot && every > 0 && !initial) await control.onSnapshot(0, await readSynthetic(groups), distances.subarray(0, 0));
    for (let it = 0; it < config.iterations; it++) {
      await checkpoint(control, 'Distillation', it);
      distances[it] =
        config.variant === 'paper'
          ? await paperIteration(expert!, data, byAction, groups, config, optimizer, random)
          : await dcIteration(data, groups, config, optimizer, random, actionCount, control, it);
      throughput.add(config.syntheticSize);
      if ((it + 1) % config.progressEvery === 0 || it + 1 === config.iterations) {
        await control.onProgress?.({
          step: it + 1,
          totalSteps: config.iterations,
          loss: distances[it]!,
          samplesPerSecond: throughput.take(),
          metrics: { skippedActions: skippedActions.length },
        });
      }
      // Snapshots come from inside the one loop, so the pixels' momentum never restarts.
      if (control.onSnapshot && every > 0 && (it + 1) % every === 0 && it + 1 < config.iterations) {
        await control.onSnapshot(it + 1, await readSynthetic(groups), distances.subarray(0, it + 1));
      }
    }
    return { synthetic: await readSynthetic(groups), allocation, skippedActions, distances };
  } finally {
    disposeOptimizer(optimizer);
    for (const g of groups) tf.dispose([g.pixels, g.oneHot]);
  }
}

async function paperIteration(
  expert: TrainableNet,
  data: LabelledSet,
  byAction: Int32Array[],
  groups: SyntheticGroup[],
  config: DistillConfig,
  optimizer: tf.Optimizer,
  random: Random,
): Promise<number> {
  const builder = new BatchBuilder(data, config.realBatch, expert.def.actions);
  const real = groups.map((g) => builder.build(sampleWithoutReplacement(byAction[g.action]!, config.realBatch, random)));
  try {
    const distance = paperMatchStep(expert.def, expert.vars, groups, real, config.loss, optimizer);
    const value = (await distance.data())[0]!;
    distance.dispose();
    return value;
  } finally {
    real.forEach(disposeBatch);
  }
}

async function dcIteration(
  data: LabelledSet,
  groups: SyntheticGroup[],
  config: DistillConfig,
  optimizer: tf.Optimizer,
  random: Random,
  actionCount: number,
  control: RunControl,
  it: number,
): Promise<number> {
  const net = createTrainable(createNetwork({ ...config.network, actions: actionCount }), config.init, random.int(2 ** 31));
  const all = Int32Array.from({ length: data.count }, (_, i) => i);
  const builder = new BatchBuilder(data, Math.min(config.realBatch, data.count), actionCount);
  const innerOptimizer = adam(config.innerLearningRate);
  let total = 0;
  try {
    for (let m = 0; m < config.matchSteps; m++) {
      const real = builder.build(sampleWithoutReplacement(all, config.realBatch, random));
      const distance = dcMatchStep(net.def, net.vars, groups, real, config.loss, optimizer);
      total += (await distance.data())[0]!;
      distance.dispose();
      disposeBatch(real);
      // The inner loop trains the network on the (now fixed) synthetic pixels.
      for (let s = 0; s < config.innerSteps; s++) {
        tf.tidy(() => bcStep(net, innerOptimizer, syntheticBatch(groups), config.loss)).dispose();
      }
      await checkpoint(control, 'Distillation', it);
    }
    return total / config.matchSteps;
  } finally {
    disposeOptimizer(innerOptimizer);
    disposeTrainable(net);
  }
}

function countsByAction(data: LabelledSet, actionCount: number): number[] {
  const counts = new Array<number>(actionCount).fill(0);
  for (let i = 0; i < data.count; i++) counts[data.actions[i]!]!++;
  return counts;
}

/**
 * Synthetic groups initialised from samples of each action (pixels on the 0..255
 * scale): drawn at random from real data, or, with no `random`, taken in order
 * (continuing a stored synthetic set).
 */
function initialGroups(data: LabelledSet, byAction: Int32Array[], allocation: readonly number[], actionCount: number, random: Random | null): SyntheticGroup[] {
  const groups: SyntheticGroup[] = [];
  allocation.forEach((count, action) => {
    if (count === 0) return;
    const builder = new BatchBuilder(data, count, actionCount);
    const pool = byAction[action]!;
    const batch = builder.build(random ? sampleWithoutReplacement(pool, count, random) : pool.subarray(0, count));
    groups.push({ action, pixels: tf.variable(batch.obs, true), oneHot: batch.targets });
    batch.obs.dispose();
  });
  return groups;
}

async function readSynthetic(groups: readonly SyntheticGroup[]): Promise<LabelledSet & { obs: Float32Array }> {
  const count = groups.reduce((n, g) => n + g.pixels.shape[0], 0);
  const obs = new Float32Array(count * OBS_VALUES);
  const actions = new Int32Array(count);
  let offset = 0;
  for (const g of groups) {
    obs.set((await g.pixels.data()) as Float32Array, offset * OBS_VALUES);
    actions.fill(g.action, offset, offset + g.pixels.shape[0]);
    offset += g.pixels.shape[0];
  }
  return { count, obs, actions };
}
