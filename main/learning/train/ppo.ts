/**
 * PPO (Schulman et al. 2017) with the pfrl / Procgen-baselines defaults the paper's
 * experts were trained with: 64 envs x 256 steps per update, Adam lr 5e-4 (eps 1e-5),
 * gamma 0.999, GAE lambda 0.95, clip 0.2 on the policy ratio and the value change,
 * entropy 0.01, value coefficient 0.5, gradient-norm clip 0.5, 3 epochs x 8 minibatches,
 * normalised advantages, rewards scaled by a running std of the discounted return.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Mode } from '@shared/procgen/engine/game.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import { VecEnv } from '@shared/procgen/vec/vec-env.ts';
import { logSoftmax } from '../kernels/recomputing-grads.ts';
import { oneHotLabels } from '../losses.ts';
import { createNetwork, type NetworkOptions } from '../nets/create.ts';
import { INIT_SCHEMES, type InitScheme } from '../nets/init.ts';
import { createTrainable, disposeTrainable, type TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { checkpoint, Throughput, type RunControl } from './control.ts';
import { IMAGE_SIZE, OBS_VALUES } from './data.ts';
import { adam, disposeOptimizer } from './optimizers.ts';
import { PolicyActor, SAMPLE_POLICY } from './policy.ts';
import { checkChoice, checkLearningRate, checkNumber } from './validate.ts';

export interface PpoConfig {
  readonly game: GameName;
  readonly mode: Mode;
  readonly numLevels: number;
  readonly startLevel: number;
  readonly network: NetworkOptions;
  readonly init: InitScheme;
  readonly numEnvs: number;
  /** Steps per environment per update. */
  readonly rolloutSteps: number;
  /** Total environment steps (all environments). */
  readonly totalSteps: number;
  readonly learningRate: number;
  readonly adamEps: number;
  readonly gamma: number;
  readonly lambda: number;
  readonly clip: number;
  /** Clip of the value change (pfrl's value_func_clip); 0 turns value clipping off. */
  readonly valueClip: number;
  readonly entropyCoef: number;
  readonly valueCoef: number;
  readonly maxGradNorm: number;
  readonly epochs: number;
  readonly minibatches: number;
  readonly normalizeAdvantages: boolean;
  readonly scaleRewards: boolean;
  readonly seed: number;
}

export const PPO_DEFAULTS: Omit<PpoConfig, 'game'> = {
  mode: 'easy',
  numLevels: 200,
  startLevel: 100,
  network: { kind: 'impala' },
  init: 'pytorch',
  numEnvs: 64,
  rolloutSteps: 256,
  totalSteps: 25_000_000,
  learningRate: 5e-4,
  adamEps: 1e-5,
  gamma: 0.999,
  lambda: 0.95,
  clip: 0.2,
  valueClip: 0.2,
  entropyCoef: 0.01,
  valueCoef: 0.5,
  maxGradNorm: 0.5,
  epochs: 3,
  minibatches: 8,
  normalizeAdvantages: true,
  scaleRewards: true,
  seed: 0,
};

export function resolvePpoConfig(overrides: Partial<PpoConfig> & { game: GameName }): PpoConfig {
  const c = { ...PPO_DEFAULTS, ...overrides };
  checkChoice('init', c.init, INIT_SCHEMES);
  checkNumber('numEnvs', c.numEnvs, 1, 1024, { integer: true });
  checkNumber('rolloutSteps', c.rolloutSteps, 1, 4096, { integer: true });
  checkNumber('totalSteps', c.totalSteps, c.numEnvs * c.rolloutSteps, 1e10, { integer: true });
  checkLearningRate('learningRate', c.learningRate);
  checkNumber('adamEps', c.adamEps, 0, 1, { minExclusive: true });
  checkNumber('gamma', c.gamma, 0, 1);
  checkNumber('lambda', c.lambda, 0, 1);
  checkNumber('clip', c.clip, 0, 10, { minExclusive: true });
  checkNumber('valueClip', c.valueClip, 0, 1e6);
  checkNumber('entropyCoef', c.entropyCoef, 0, 10);
  checkNumber('valueCoef', c.valueCoef, 0, 100);
  checkNumber('maxGradNorm', c.maxGradNorm, 0, 1e6, { minExclusive: true });
  checkNumber('epochs', c.epochs, 1, 100, { integer: true });
  checkNumber('minibatches', c.minibatches, 1, c.numEnvs * c.rolloutSteps, { integer: true });
  checkNumber('seed', c.seed, 0, 2 ** 32 - 1, { integer: true });
  return c;
}

export interface PpoResult {
  readonly net: TrainableNet;
  /** Raw returns of the training episodes that finished, in order. */
  readonly episodeReturns: number[];
}

/** Running variance of the discounted return, to scale rewards (baselines' VecNormalize(ret=True)). */
class ReturnScaler {
  private readonly returns: Float64Array;
  private count = 1e-4;
  private mean = 0;
  private m2 = 0;

  constructor(
    numEnvs: number,
    private readonly gamma: number,
  ) {
    this.returns = new Float64Array(numEnvs);
  }

  /** Scales rewards in place (and resets the discounted return of finished episodes). */
  scale(rewards: Float32Array, dones: Uint8Array, out: Float32Array): void {
    const n = rewards.length;
    for (let e = 0; e < n; e++) this.returns[e] = this.returns[e]! * this.gamma + rewards[e]!;
    // Chan et al.'s parallel update with this batch of returns.
    let batchMean = 0;
    for (let e = 0; e < n; e++) batchMean += this.returns[e]!;
    batchMean /= n;
    let batchM2 = 0;
    for (let e = 0; e < n; e++) batchM2 += (this.returns[e]! - batchMean) ** 2;
    const total = this.count + n;
    const delta = batchMean - this.mean;
    this.mean += (delta * n) / total;
    this.m2 += batchM2 + (delta * delta * this.count * n) / total;
    this.count = total;
    const std = Math.sqrt(this.m2 / this.count + 1e-8);
    for (let e = 0; e < n; e++) {
      out[e] = Math.max(-10, Math.min(10, rewards[e]! / std));
      if (dones[e]) this.returns[e] = 0;
    }
  }
}

/** The clipped PPO objective on one minibatch (to minimise), plus its parts for reporting. */
function ppoLoss(
  net: TrainableNet,
  batch: { obs: tf.Tensor4D; oneHot: tf.Tensor2D; oldLogProbs: tf.Tensor1D; advantages: tf.Tensor1D; returns: tf.Tensor1D; oldValues: tf.Tensor1D },
  c: PpoConfig,
) {
  const out = net.def.forward(net.vars, batch.obs);
  const logProbsAll = logSoftmax(out.logits);
  const logProbs = tf.sum(tf.mul(logProbsAll, batch.oneHot), 1);
  const ratio = tf.exp(tf.sub(logProbs, batch.oldLogProbs));
  const policyLoss = tf.neg(tf.mean(tf.minimum(tf.mul(ratio, batch.advantages), tf.mul(tf.clipByValue(ratio, 1 - c.clip, 1 + c.clip), batch.advantages))));
  const values = out.value!;
  const unclipped = tf.square(tf.sub(values, batch.returns));
  const valueLoss =
    c.valueClip > 0
      ? tf.mul(
          0.5,
          tf.mean(
            tf.maximum(
              unclipped,
              tf.square(tf.sub(tf.add(batch.oldValues, tf.clipByValue(tf.sub(values, batch.oldValues), -c.valueClip, c.valueClip)), batch.returns)),
            ),
          ),
        )
      : tf.mul(0.5, tf.mean(unclipped));
  const entropy = tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logProbsAll), logProbsAll), 1)));
  const total = tf.sub(tf.add(policyLoss, tf.mul(c.valueCoef, valueLoss)), tf.mul(c.entropyCoef, entropy)) as tf.Scalar;
  return { total, policyLoss, valueLoss, entropy };
}

/** Scales gradients so their global L2 norm is at most maxNorm (PyTorch's clip_grad_norm_). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const names = Object.keys(grads);
  const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!)))));
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  return Object.fromEntries(names.map((n) => [n, tf.mul(grads[n]!, scale)]));
}

export async function trainPpo(overrides: Partial<PpoConfig> & { game: GameName }, control: RunControl = {}, start?: TrainableNet): Promise<PpoResult> {
  const c = resolvePpoConfig(overrides);
  const random = new Random(c.seed);
  const net = start ?? createTrainable(createNetwork(c.network), c.init, random.int(2 ** 31));
  if (!net.def.specs.some((s) => s.role === 'value')) throw new Error(`PPO needs a network with a value head: '${net.def.kind}' has none (use impala).`);
  const env = new VecEnv({ game: c.game, mode: c.mode, numEnvs: c.numEnvs, numLevels: c.numLevels, startLevel: c.startLevel, randSeed: random.int(2 ** 31) });
  const actor = new PolicyActor(net, c.numEnvs);
  const optimizer = adam(c.learningRate, c.adamEps);
  const scaler = new ReturnScaler(c.numEnvs, c.gamma);
  const n = c.numEnvs * c.rolloutSteps;
  // Rollout storage, step-major: index t * numEnvs + e.
  const obs = new Uint8Array(n * OBS_VALUES);
  const actions = new Int32Array(n);
  const logProbs = new Float32Array(n);
  const values = new Float32Array(n + c.numEnvs);
  const rewards = new Float32Array(n);
  const dones = new Uint8Array(n);
  const advantages = new Float32Array(n);
  const returns = new Float32Array(n);
  const scaled = new Float32Array(c.numEnvs);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const minibatch = Math.floor(n / c.minibatches);
  const mbPixels = new Float32Array(minibatch * OBS_VALUES);
  const episodeReturns: number[] = [];
  const running = new Float64Array(c.numEnvs);
  const throughput = new Throughput();
  const updates = Math.floor(c.totalSteps / n);
  try {
    for (let update = 0; update < updates; update++) {
      for (let t = 0; t < c.rolloutSteps; t++) {
        const base = t * c.numEnvs;
        obs.set(env.buffers.observations.subarray(0, c.numEnvs * OBS_VALUES), base * OBS_VALUES);
        const step = await actor.actAsync(env.buffers.observations, random, SAMPLE_POLICY);
        actions.set(step.actions, base);
        logProbs.set(step.logProbs, base);
        values.set(step.values, base);
        env.stepWith(step.actions);
        const b = env.buffers;
        if (c.scaleRewards) scaler.scale(b.rewards, b.dones, scaled);
        for (let e = 0; e < c.numEnvs; e++) {
          rewards[base + e] = c.scaleRewards ? scaled[e]! : b.rewards[e]!;
          dones[base + e] = b.dones[e]!;
          running[e]! += b.rewards[e]!;
          if (b.dones[e]) {
            episodeReturns.push(running[e]!);
            running[e] = 0;
          }
        }
        throughput.add(c.numEnvs);
        if (t % 16 === 0) await checkpoint(control, 'PPO', update);
      }
      values.set((await actor.actAsync(env.buffers.observations, random, SAMPLE_POLICY)).values, n);
      computeGae(rewards, values, dones, c, advantages, returns);
      const stats = await optimise(
        net,
        optimizer,
        { obs, actions, logProbs, values, advantages, returns },
        order,
        mbPixels,
        minibatch,
        c,
        random,
        control,
        update,
      );
      const recent = episodeReturns.slice(-100);
      await control.onProgress?.({
        step: update + 1,
        totalSteps: updates,
        loss: stats.loss,
        samplesPerSecond: throughput.take(),
        metrics: {
          envSteps: (update + 1) * n,
          episodes: episodeReturns.length,
          meanReturn: recent.length ? recent.reduce((a, r) => a + r, 0) / recent.length : 0,
          entropy: stats.entropy,
          valueLoss: stats.valueLoss,
          policyLoss: stats.policyLoss,
        },
      });
      await control.afterUpdate?.(update + 1, net);
    }
  } catch (error) {
    if (!start) disposeTrainable(net);
    throw error;
  } finally {
    disposeOptimizer(optimizer);
  }
  return { net, episodeReturns };
}

/** GAE(lambda) advantages and lambda-returns; `values` holds one extra row: the bootstrap. */
export function computeGae(
  rewards: Float32Array,
  values: Float32Array,
  dones: Uint8Array,
  c: Pick<PpoConfig, 'numEnvs' | 'rolloutSteps' | 'gamma' | 'lambda'>,
  advantages: Float32Array,
  returns: Float32Array,
): void {
  const e = c.numEnvs;
  for (let env = 0; env < e; env++) {
    let next = 0;
    for (let t = c.rolloutSteps - 1; t >= 0; t--) {
      const i = t * e + env;
      // A done at step t means the next observation starts a new episode: no bootstrap through it.
      const notDone = dones[i] ? 0 : 1;
      const delta = rewards[i]! + c.gamma * values[i + e]! * notDone - values[i]!;
      next = delta + c.gamma * c.lambda * notDone * next;
      advantages[i] = next;
      returns[i] = next + values[i]!;
    }
  }
}

interface Rollout {
  readonly obs: Uint8Array;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
}

async function optimise(
  net: TrainableNet,
  optimizer: tf.Optimizer,
  r: Rollout,
  order: Int32Array,
  pixels: Float32Array,
  size: number,
  c: PpoConfig,
  random: Random,
  control: RunControl,
  update: number,
) {
  const pick = (source: Float32Array, idx: Int32Array) => tf.tensor1d(Float32Array.from(idx, (i) => source[i]!));
  let loss = 0;
  let entropy = 0;
  let valueLoss = 0;
  let policyLoss = 0;
  let count = 0;
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    random.shuffle(order);
    for (let m = 0; m < c.minibatches; m++) {
      const idx = order.subarray(m * size, (m + 1) * size);
      for (let j = 0; j < size; j++) pixels.set(r.obs.subarray(idx[j]! * OBS_VALUES, (idx[j]! + 1) * OBS_VALUES), j * OBS_VALUES);
      const adv = Float32Array.from(idx, (i) => r.advantages[i]!);
      if (c.normalizeAdvantages) normaliseInPlace(adv);
      const batch = {
        obs: tf.tensor4d(pixels, [size, IMAGE_SIZE, IMAGE_SIZE, 3]),
        oneHot: oneHotLabels(
          Array.from(idx, (i) => r.actions[i]!),
          net.def.actions,
        ),
        oldLogProbs: pick(r.logProbs, idx),
        advantages: tf.tensor1d(adv),
        returns: pick(r.returns, idx),
        oldValues: pick(r.values, idx),
      };
      let parts: tf.Tensor | undefined;
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const terms = ppoLoss(net, batch, c);
          // Kept past the gradient's own cleanup, for reporting.
          parts = tf.keep(tf.stack([terms.total, terms.entropy, terms.valueLoss, terms.policyLoss]));
          return terms.total;
        }, net.vars);
        optimizer.applyGradients(clipByGlobalNorm(grads, c.maxGradNorm));
      });
      const [l, h, v, p] = await parts!.data();
      parts!.dispose();
      tf.dispose(Object.values(batch));
      loss += l!;
      entropy += h!;
      valueLoss += v!;
      policyLoss += p!;
      count++;
      await checkpoint(control, 'PPO', update);
    }
  }
  return { loss: loss / count, entropy: entropy / count, valueLoss: valueLoss / count, policyLoss: policyLoss / count };
}

function normaliseInPlace(values: Float32Array): void {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / values.length) + 1e-8;
  for (let i = 0; i < values.length; i++) values[i] = (values[i]! - mean) / std;
}
