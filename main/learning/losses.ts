/**
 * Losses and gradient distances of the method. The behavioural-cloning losses follow the
 * paper's code: the error between softmax(logits) and the one-hot action (MSE or MAE,
 * averaged over every element like PyTorch's F.mse_loss), with cross-entropy as the
 * usual alternative.
 */
import * as tf from '@tensorflow/tfjs-core';
import { logSoftmax } from './kernels/recomputing-grads.ts';

export const BC_LOSSES = ['mse', 'mae', 'ce'] as const;
export type BcLoss = (typeof BC_LOSSES)[number];

/**
 * Advantage regression, for imitating a search planner: its soft targets are
 * softmax(score / targetTemperature), so each action's advantage (its score minus the
 * best) is targetTemperature * log(t / max t). The logits times `temperature` regress
 * it (mean squared error), and the policy softmax(logits) is softmax(advantage /
 * temperature). Every action gets a target of its own, and a deadly move costs in
 * proportion to how bad it is, where cross-entropy sees only its mass: on bigfish's
 * held-out critical states the clone's mass on deadly moves fell to 18% after 4,000
 * steps (cross-entropy: 25%; uniform: 28.5%).
 */
export interface AdvantageRegression {
  readonly kind: 'advantage';
  /** The temperature the soft targets were made with (score units). */
  readonly targetTemperature: number;
  /** The policy's temperature on the regressed advantages (score units). */
  readonly temperature: number;
}

/** Advantages are clamped here: at small target temperatures float32 targets of worse actions underflow to 0. */
const ADVANTAGE_FLOOR = -3;

/** What an imitating network is trained with: a BC loss on distributions, or advantage regression on a planner's targets. */
export type ImitationLoss = BcLoss | AdvantageRegression;

export function parseBcLoss(value: string): BcLoss {
  if ((BC_LOSSES as readonly string[]).includes(value)) return value as BcLoss;
  throw new Error(`Unknown BC loss '${value}'. Valid: ${BC_LOSSES.join(', ')} (mse/mae compare softmax with the one-hot action).`);
}

/** targets: [N, actions] float32 action distributions: one-hot actions, or soft labels (e.g. an expert's policy). */
export function bcLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, kind: ImitationLoss): tf.Scalar {
  if (typeof kind === 'object') return advantageLoss(logits, targets, kind);
  switch (kind) {
    case 'mse':
      return tf.mean(tf.square(tf.sub(tf.softmax(logits), targets)));
    case 'mae':
      return tf.mean(tf.abs(tf.sub(tf.softmax(logits), targets)));
    case 'ce':
      return tf.neg(tf.mean(tf.sum(tf.mul(logSoftmax(logits), targets), 1))) as tf.Scalar;
  }
}

function advantageLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, { targetTemperature, temperature }: AdvantageRegression): tf.Scalar {
  // log(0) = -inf for underflowed targets: the floor catches it.
  const advantages = tf.maximum(ADVANTAGE_FLOOR, tf.mul(targetTemperature, tf.log(tf.div(targets, tf.max(targets, 1, true)))));
  return tf.mean(tf.square(tf.sub(tf.mul(logits, temperature), advantages)));
}

/** Sum over all parameters of (a - b)^2: the paper's distance (one flat vector, squared L2). */
export function squaredL2Distance(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): tf.Scalar {
  return tf.addN(a.map((g, i) => tf.sum(tf.squaredDifference(g, b[i]!)))) as tf.Scalar;
}

/**
 * Dataset condensation's layer-wise distance: per output unit (the last axis of our HWIO
 * filters and [in, out] dense kernels), 1 - cos(a, b), summed over units and layers.
 * Biases are skipped, as in Zhao et al.'s code (a per-unit cosine of scalars is only a sign).
 */
export function layerCosineDistance(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): tf.Scalar {
  const terms = a.flatMap((ga, i) => {
    if (ga.rank === 1) return [];
    const units = ga.shape[ga.rank - 1]!;
    const ra = tf.reshape(ga, [-1, units]);
    const rb = tf.reshape(b[i]!, [-1, units]);
    const dot = tf.sum(tf.mul(ra, rb), 0);
    // The tiny term keeps sqrt differentiable when a unit's gradient is exactly zero.
    const norms = tf.mul(tf.sqrt(tf.add(tf.sum(tf.square(ra), 0), 1e-12)), tf.sqrt(tf.add(tf.sum(tf.square(rb), 0), 1e-12)));
    return [tf.sum(tf.sub(1, tf.div(dot, tf.add(norms, 1e-6))))];
  });
  return tf.addN(terms) as tf.Scalar;
}

/** [N, count] float32 one-hot rows for integer actions (int32 then cast: wasm's oneHot asked for float32 writes int32 bits). */
export function oneHotLabels(actions: ArrayLike<number>, count: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from(actions), 'int32'), count), 'float32') as tf.Tensor2D);
}
