/**
 * Dataset distillation: learns the pixels (and optionally the labels) of a small
 * synthetic set that trains students like the real data does. This module owns what
 * every method shares: the per-action allocation, the synthetic groups initialised from
 * real samples, their parameterisation and optimizer, the outer loop with progress,
 * cancellation and snapshots. Each method's iteration is a module of its own
 * (`distill-methods/`): paper, dc, dsa, dm, mtt.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AUGMENTATIONS, type Augmentation } from '@shared/config/augmentations.ts';
import { DISTILL_VARIANTS, PIXEL_PARAMETERISATIONS, type DistillVariant, type PixelParameterisation } from '@shared/config/methods.ts';
import { sgdMomentum, adam, disposeOptimizer } from './optimizers.ts';
import { BC_LOSSES, oneHotLabels, type BcLoss } from '../losses.ts';
import type { NetworkOptions } from '../nets/create.ts';
import { INIT_SCHEMES, type InitScheme } from '../nets/init.ts';
import type { TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { checkpoint, Throughput, type RunControl } from './control.ts';
import { BatchBuilder, checkLabelledSet, OBS_VALUES, type LabelledSet } from './data.ts';
import type { SyntheticGroup } from './steps.ts';
import { indexesByAction, sampleWithoutReplacement } from './coreset.ts';
import { DISTILL_METHODS } from './distill-methods/index.ts';
import type { DistillSession } from './distill-methods/method.ts';
import { checkChoice, checkLearningRate, checkNumber, ConfigError } from './validate.ts';

export { DISTILL_VARIANTS, type DistillVariant };
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
  /**
   * `raw-sgd` (the paper): parameters are the 0..255 pixels, SGD with momentum, so a
   * learning rate's effect depends on the gradient's scale. `unit-adam`: parameters are
   * pixels / 255 and Adam moves each by about the learning rate per step, a share of
   * the pixel range on every scale.
   */
  readonly pixels: PixelParameterisation;
  readonly pixelLearningRate: number;
  /** `raw-sgd` only. */
  readonly pixelMomentum: number;
  /** Learn each synthetic sample's label distribution too (methods whose loss reads labels). */
  readonly learnLabels: boolean;
  /** "dsa" and "dm": the siamese augmentations drawn per matching step. */
  readonly augment: readonly Augmentation[];
  /** Fresh-network methods (dc, dsa, dm): the network re-initialised every iteration (the student by default). */
  readonly network: NetworkOptions;
  readonly init: InitScheme;
  /** "dc", "dsa": matching steps per fresh network. */
  readonly matchSteps: number;
  /** "dc", "dsa": Adam steps on the synthetic set after each matching step. */
  readonly innerSteps: number;
  readonly innerLearningRate: number;
  /** "mtt": the trajectories it matches and its unrolls. */
  readonly mtt: MttOptions;
  readonly seed: number;
  readonly progressEvery: number;
}

export interface MttOptions {
  /** Students trained on the real data whose checkpoints are matched. */
  readonly trajectories: number;
  /** Checkpoints kept per trajectory, the initialisation included. */
  readonly checkpoints: number;
  /** Plain SGD steps on real batches (`realBatch`) between checkpoints. */
  readonly stepsPerCheckpoint: number;
  /** The trajectories' SGD learning rate; the unrolls' learned rate starts here. */
  readonly trajectoryLearningRate: number;
  /** Checkpoints between an unroll's start and its target. */
  readonly targetSpan: number;
  /** SGD steps on the synthetic set per unroll. */
  readonly syntheticSteps: number;
  /** Synthetic samples per unrolled step. */
  readonly syntheticBatch: number;
  /** Learn the unrolls' learning rate too (MTT does). */
  readonly learnRate: boolean;
}

export const MTT_DEFAULTS: MttOptions = {
  trajectories: 2,
  checkpoints: 6,
  stepsPerCheckpoint: 50,
  trajectoryLearningRate: 0.01,
  targetSpan: 2,
  syntheticSteps: 10,
  syntheticBatch: 50,
  learnRate: true,
};

export const DISTILL_DEFAULTS: DistillConfig = {
  variant: 'paper',
  iterations: 1000,
  syntheticSize: 150,
  allocation: 'balanced',
  realBatch: 75,
  loss: 'mse',
  pixels: 'raw-sgd',
  pixelLearningRate: 0.1,
  pixelMomentum: 0.5,
  learnLabels: false,
  augment: ['translate', 'brightness', 'contrast'],
  network: { kind: 'student' },
  init: 'pytorch',
  matchSteps: 10,
  innerSteps: 10,
  innerLearningRate: 0.005,
  mtt: MTT_DEFAULTS,
  seed: 0,
  progressEvery: 1,
};

export function resolveDistillConfig(overrides: Partial<DistillConfig>, actionCount: number): DistillConfig {
  const config = { ...DISTILL_DEFAULTS, ...overrides };
  checkChoice('variant', config.variant, DISTILL_VARIANTS);
  checkChoice('pixels', config.pixels, PIXEL_PARAMETERISATIONS);
  for (const a of config.augment) checkChoice('augment', a, AUGMENTATIONS);
  if (config.learnLabels && !DISTILL_METHODS[config.variant].canLearnLabels) {
    const able = DISTILL_VARIANTS.filter((v) => DISTILL_METHODS[v].canLearnLabels);
    throw new ConfigError(
      `learnLabels = true with variant '${config.variant}': its loss does not read labels, so they cannot be learned. Use variant ${able.join(', ')} or learnLabels = false.`,
    );
  }
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
  const mtt = config.mtt;
  checkNumber('mtt.trajectories', mtt.trajectories, 1, 1000, { integer: true });
  checkNumber('mtt.checkpoints', mtt.checkpoints, 2, 10_000, { integer: true });
  checkNumber('mtt.stepsPerCheckpoint', mtt.stepsPerCheckpoint, 1, 1e6, { integer: true });
  checkLearningRate('mtt.trajectoryLearningRate', mtt.trajectoryLearningRate);
  checkNumber('mtt.targetSpan', mtt.targetSpan, 1, mtt.checkpoints - 1, { integer: true });
  checkNumber('mtt.syntheticSteps', mtt.syntheticSteps, 1, 10_000, { integer: true });
  checkNumber('mtt.syntheticBatch', mtt.syntheticBatch, 1, 100_000, { integer: true });
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
  readonly onSnapshot?: (iteration: number, synthetic: SyntheticSet, distances: Float32Array) => void | Promise<void>;
}

/** A synthetic set: float pixels, and the real samples (data indexes) it started from when known. */
export type SyntheticSet = LabelledSet & { readonly obs: Float32Array; readonly origins?: Int32Array };

export interface DistillResult {
  readonly synthetic: SyntheticSet;
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
  const method = DISTILL_METHODS[config.variant];
  if (method.needsExpert && !expert) throw new ConfigError(`The '${config.variant}' variant matches gradients of a trained expert: pass its weights.`);
  checkLabelledSet(data, actionCount);
  const random = new Random(config.seed);
  const byAction = indexesByAction(data.actions, actionCount);
  const realCounts = byAction.map((ix) => ix.length);
  const allocation = initial ? countsByAction(initial, actionCount) : allocateSynthetic(realCounts, config.syntheticSize, config.allocation);
  const skippedActions = realCounts.flatMap((c, a) => (c === 0 ? [a] : []));
  const groups = initial
    ? initialGroups(initial, indexesByAction(initial.actions, actionCount), allocation, actionCount, config, null)
    : initialGroups(data, byAction, allocation, actionCount, config, random);
  const optimizer = config.pixels === 'unit-adam' ? adam(config.pixelLearningRate) : sgdMomentum(config.pixelLearningRate, config.pixelMomentum);
  const state = { data, byAction, groups, config, optimizer, random, actionCount, expert, control };
  const distances = new Float32Array(config.iterations);
  const throughput = new Throughput();
  const every = control.snapshotEvery ?? 0;
  let session: DistillSession | undefined;
  try {
    if (control.onSnapshot && every > 0 && !initial) await control.onSnapshot(0, await readSynthetic(groups), distances.subarray(0, 0));
    session = await method.start(state);
    for (let it = 0; it < config.iterations; it++) {
      await checkpoint(control, 'Distillation', it);
      distances[it] = await session.iterate(it);
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
      // Snapshots come from inside the one loop, so the optimizer's state never restarts.
      if (control.onSnapshot && every > 0 && (it + 1) % every === 0 && it + 1 < config.iterations) {
        await control.onSnapshot(it + 1, await readSynthetic(groups), distances.subarray(0, it + 1));
      }
    }
    return { synthetic: await readSynthetic(groups), allocation, skippedActions, distances };
  } finally {
    session?.dispose();
    disposeOptimizer(optimizer);
    for (const g of groups) tf.dispose([g.pixels, g.oneHot, ...(g.labelLogits ? [g.labelLogits] : [])]);
  }
}

function countsByAction(data: LabelledSet, actionCount: number): number[] {
  const counts = new Array<number>(actionCount).fill(0);
  for (let i = 0; i < data.count; i++) counts[data.actions[i]!]!++;
  return counts;
}

/** A learned label starts with this logit on its action (0 elsewhere): 90% of its mass with 15 actions. */
const LABEL_LOGIT = Math.log(9 * 14);

/**
 * Synthetic groups initialised from samples of each action: drawn at random from real
 * data, or, with no `random`, taken in order (continuing a stored synthetic set, whose
 * targets, when it has them, seed the learned labels). Parameters per `config.pixels`.
 */
function initialGroups(
  data: LabelledSet,
  byAction: Int32Array[],
  allocation: readonly number[],
  actionCount: number,
  config: DistillConfig,
  random: Random | null,
): SyntheticGroup[] {
  const scale = config.pixels === 'unit-adam' ? 255 : 1;
  const groups: SyntheticGroup[] = [];
  allocation.forEach((count, action) => {
    if (count === 0) return;
    const builder = new BatchBuilder(data, count, actionCount);
    const pool = byAction[action]!;
    const picked = random ? sampleWithoutReplacement(pool, count, random) : null;
    const batch = builder.build(picked ?? pool.subarray(0, count));
    const oneHot = oneHotLabels(new Array<number>(count).fill(action), actionCount);
    const initialPixels = tf.div(batch.obs, scale) as tf.Tensor4D;
    const pixels = tf.variable(initialPixels, true);
    const initialLogits = config.learnLabels
      ? (tf.tidy(() => (data.targets && !random ? tf.log(tf.add(batch.targets, 1e-6)) : tf.mul(oneHot, LABEL_LOGIT))) as tf.Tensor2D)
      : undefined;
    const labelLogits = initialLogits && tf.variable(initialLogits, true);
    groups.push({ action, pixels, oneHot, scale, labelLogits, ...(picked ? { origins: Int32Array.from(picked) } : {}) });
    // A variable keeps its own copy: the tensors it started from go.
    tf.dispose([batch.obs, batch.targets, initialPixels, ...(initialLogits ? [initialLogits] : [])]);
  });
  return groups;
}

/** The synthetic set as 0..255 float pixels; with learned labels, their distributions as targets; with known origins, those. */
async function readSynthetic(groups: readonly SyntheticGroup[]): Promise<SyntheticSet> {
  const count = groups.reduce((n, g) => n + g.pixels.shape[0], 0);
  const obs = new Float32Array(count * OBS_VALUES);
  const actions = new Int32Array(count);
  const learned = groups.some((g) => g.labelLogits);
  const targets = learned ? new Float32Array(count * groups[0]!.oneHot.shape[1]) : undefined;
  let offset = 0;
  for (const g of groups) {
    const n = g.pixels.shape[0];
    const pixels = (await g.pixels.data()) as Float32Array;
    for (let i = 0; i < pixels.length; i++) obs[offset * OBS_VALUES + i] = pixels[i]! * (g.scale ?? 1);
    actions.fill(g.action, offset, offset + n);
    if (targets && g.labelLogits) {
      const probabilities = tf.softmax(g.labelLogits);
      targets.set(await probabilities.data(), offset * g.oneHot.shape[1]);
      probabilities.dispose();
    }
    offset += n;
  }
  const origins = groups.every((g) => g.origins) ? Int32Array.from(groups.flatMap((g) => Array.from(g.origins!))) : undefined;
  return { count, obs, actions, ...(targets ? { targets } : {}), ...(origins ? { origins } : {}) };
}
