/**
 * The workloads of `../shared/bench/torch_reference.py`, with the same shapes, warm-up
 * and repetition counts, timed on the current tfjs backend, plus one outer iteration of
 * each fresh-network distillation method at the paper's sizes (no PyTorch reference).
 * Each runs the very step functions the trainers use.
 */
import * as tf from '@tensorflow/tfjs-core';
import { sgdMomentum, adam, disposeOptimizer } from '../train/optimizers.ts';
import { oneHotLabels } from '../losses.ts';
import { createNetwork } from '../nets/create.ts';
import type { NetworkKind } from '../nets/network.ts';
import { createTrainable, disposeTrainable } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { bcStep, dcMatchStep, paperMatchStep, type Batch, type SyntheticGroup } from '../train/steps.ts';
import { initParams } from '../nets/network.ts';
import { indexesByAction } from '../train/coreset.ts';
import { MTT_DEFAULTS, resolveDistillConfig } from '../train/distill.ts';
import { DISTILL_METHODS } from '../train/distill-methods/index.ts';

export const WORKLOAD_NAMES = [
  'bc_step/student',
  'bc_step/impala',
  'infer/student',
  'infer/impala',
  'gm_paper/impala',
  'gm_dc/student',
  'iteration_dc/student',
  'iteration_dsa/student',
  'iteration_dm/student',
  'iteration_mtt/student',
] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export interface WorkloadTiming {
  readonly workload: WorkloadName;
  readonly ms: number;
  readonly samples_per_s: number;
}

const ACTIONS = 15;

/**
 * Mean milliseconds per call after warm-up; a scalar read ends each call so queued work
 * (a GPU's) is counted. The read is asynchronous: the webgpu backend has no synchronous one.
 */
async function timed(fn: () => tf.Tensor, warmup: number, reps: number): Promise<number> {
  const once = async () => {
    const out = fn();
    await out.data();
    out.dispose();
  };
  for (let i = 0; i < warmup; i++) await once();
  const start = performance.now();
  for (let i = 0; i < reps; i++) await once();
  return (performance.now() - start) / reps;
}

function randomBatch(n: number, random: Random, labels?: number[]): Batch {
  return tf.tidy(() => ({
    obs: tf.mul(tf.randomUniform([n, 64, 64, 3], 0, 1, 'float32', random.int(1 << 30)), 255) as tf.Tensor4D,
    targets: oneHotLabels(labels ?? Array.from({ length: n }, () => random.int(ACTIONS)), ACTIONS),
  }));
}

function disposeBatch(b: Batch): void {
  b.obs.dispose();
  b.targets.dispose();
}

function result(workload: WorkloadName, ms: number, samples: number): WorkloadTiming {
  return { workload, ms, samples_per_s: (samples * 1000) / ms };
}

async function bcWorkload(kind: NetworkKind, random: Random): Promise<WorkloadTiming> {
  const net = createTrainable(createNetwork({ kind }), 'pytorch', random.int(1 << 30));
  const optimizer = adam(5e-3);
  const batch = randomBatch(64, random);
  const ms = await timed(() => bcStep(net, optimizer, batch, 'mse'), 3, 10);
  disposeOptimizer(optimizer);
  disposeBatch(batch);
  disposeTrainable(net);
  return result(`bc_step/${kind}`, ms, 64);
}

async function inferWorkload(kind: NetworkKind, random: Random): Promise<WorkloadTiming> {
  const def = createNetwork({ kind });
  const params = initParams(def, 'pytorch', random.int(1 << 30));
  const batch = randomBatch(256, random);
  const ms = await timed(() => tf.tidy(() => tf.sum(def.forward(params, batch.obs).logits)), 2, 5);
  tf.dispose(params);
  disposeBatch(batch);
  return result(`infer/${kind}`, ms, 256);
}

function syntheticGroups(perAction: number, random: Random): SyntheticGroup[] {
  return Array.from({ length: ACTIONS }, (_, action) => {
    const b = randomBatch(perAction, random, new Array<number>(perAction).fill(action));
    const pixels = tf.variable(b.obs, true);
    b.obs.dispose();
    return { action, pixels, oneHot: b.targets };
  });
}

function disposeGroups(groups: SyntheticGroup[]): void {
  for (const g of groups) tf.dispose([g.pixels, g.oneHot]);
}

async function gmPaperWorkload(random: Random): Promise<WorkloadTiming> {
  const def = createNetwork({ kind: 'impala' });
  const params = initParams(def, 'pytorch', random.int(1 << 30));
  const real = Array.from({ length: ACTIONS }, (_, c) => randomBatch(64, random, new Array<number>(64).fill(c)));
  const groups = syntheticGroups(10, random);
  const optimizer = sgdMomentum(0.1, 0.5);
  const ms = await timed(() => paperMatchStep(def, params, groups, real, 'mse', optimizer), 1, 2);
  disposeOptimizer(optimizer);
  disposeGroups(groups);
  real.forEach(disposeBatch);
  tf.dispose(params);
  return result('gm_paper/impala', ms, 150);
}

async function gmDcWorkload(random: Random): Promise<WorkloadTiming> {
  const def = createNetwork({ kind: 'student' });
  const real = randomBatch(256, random);
  const groups = syntheticGroups(10, random);
  const optimizer = sgdMomentum(0.1, 0.5);
  // A fresh network every step, as the reference does (its initialisation is timed too).
  const ms = await timed(
    () => {
      const params = initParams(def, 'pytorch', random.int(1 << 30));
      const distance = dcMatchStep(def, params, groups, real, 'mse', optimizer);
      tf.dispose(params);
      return distance;
    },
    2,
    5,
  );
  disposeOptimizer(optimizer);
  disposeGroups(groups);
  disposeBatch(real);
  return result('gm_dc/student', ms, 150);
}

/**
 * One outer iteration of a distillation method as the distill stage runs it: 150 synthetic
 * samples (10 per action), 75 real samples per action or matching step, the stage's 50
 * inner steps (dc, dsa), all three augmentations (dsa, dm), on fresh students; mtt's
 * default unroll (10 steps on 50 samples), on trajectories trained only one step per
 * checkpoint here (an unroll costs the same on any checkpoint; their training is not timed).
 */
async function distillIterationWorkload(variant: 'dc' | 'dsa' | 'dm' | 'mtt', random: Random): Promise<WorkloadTiming> {
  const count = ACTIONS * 75;
  const actions = Int32Array.from({ length: count }, (_, i) => i % ACTIONS);
  const obs = new Uint8Array(count * 64 * 64 * 3);
  for (let i = 0; i < obs.length; i++) obs[i] = random.int(256);
  const data = { count, obs, actions };
  const config = resolveDistillConfig({ variant, innerSteps: 50, mtt: { ...MTT_DEFAULTS, stepsPerCheckpoint: 1 } }, ACTIONS);
  const groups = syntheticGroups(10, random);
  const optimizer = sgdMomentum(config.pixelLearningRate, config.pixelMomentum);
  const state = { data, byAction: indexesByAction(actions, ACTIONS), groups, config, optimizer, random, actionCount: ACTIONS, expert: undefined, control: {} };
  // dm's and mtt's iterations are short: warmed up and averaged; dc's and dsa's run hundreds of steps each, once.
  const [warmup, reps] = variant === 'dm' || variant === 'mtt' ? [1, 3] : [0, 1];
  const session = await DISTILL_METHODS[variant].start(state);
  for (let i = 0; i < warmup; i++) await session.iterate(i);
  const start = performance.now();
  for (let i = 0; i < reps; i++) await session.iterate(i);
  const ms = (performance.now() - start) / reps;
  session.dispose();
  disposeOptimizer(optimizer);
  disposeGroups(groups);
  return result(`iteration_${variant}/student`, ms, 150);
}

export async function runWorkload(name: WorkloadName, seed = 0): Promise<WorkloadTiming> {
  const random = new Random(seed);
  switch (name) {
    case 'bc_step/student':
      return bcWorkload('student', random);
    case 'bc_step/impala':
      return bcWorkload('impala', random);
    case 'infer/student':
      return inferWorkload('student', random);
    case 'infer/impala':
      return inferWorkload('impala', random);
    case 'gm_paper/impala':
      return gmPaperWorkload(random);
    case 'gm_dc/student':
      return gmDcWorkload(random);
    case 'iteration_dc/student':
      return distillIterationWorkload('dc', random);
    case 'iteration_dsa/student':
      return distillIterationWorkload('dsa', random);
    case 'iteration_dm/student':
      return distillIterationWorkload('dm', random);
    case 'iteration_mtt/student':
      return distillIterationWorkload('mtt', random);
  }
}
