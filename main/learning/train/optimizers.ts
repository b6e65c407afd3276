/** Optimizer construction and disposal in one place. */
import * as tf from '@tensorflow/tfjs-core';
import type { LearningRateSchedule } from '@shared/config/schedules.ts';
import { nativeAdamUpdate, nativeKernelsActive } from '../kernels/native-wasm.ts';

/** PyTorch's SGD with momentum (v = m v + g; p -= lr v), which tfjs's MomentumOptimizer matches. */
export function sgdMomentum(learningRate: number, momentum: number): tf.Optimizer {
  return momentum === 0 ? tf.train.sgd(learningRate) : tf.train.momentum(learningRate, momentum);
}

/** The rate of step `step` (0-based) of `steps`. */
export function learningRateAt(schedule: LearningRateSchedule, base: number, step: number, steps: number): number {
  return schedule === 'constant' ? base : 0.5 * base * (1 + Math.cos((Math.PI * step) / steps));
}

/** Sets the rate of the next steps: tfjs's Adam and FusedAdam both read their `learningRate` field at every step. */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/** PyTorch's Adam defaults (eps 1e-8) unless eps is given (pfrl's PPO uses 1e-5). */
export function adam(learningRate: number, eps = 1e-8): tf.Optimizer {
  return nativeKernelsActive() ? new FusedAdam(learningRate, 0.9, 0.999, eps) : tf.train.adam(learningRate, 0.9, 0.999, eps);
}

/**
 * Adam with one native kernel per parameter and step: tfjs's Adam runs about a dozen ops
 * per parameter (a few ms per step for IMPALA's 36). The same update as tfjs's and
 * PyTorch's: bias-corrected moments, eps added to the corrected root.
 */
class FusedAdam extends tf.Optimizer {
  static readonly className = 'DdrlFusedAdam';

  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(
    private learningRate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const gradients = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const t = this.iterations + 1;
    const step = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      firstCorrection: 1 / (1 - this.beta1 ** t),
      secondCorrection: 1 / (1 - this.beta2 ** t),
    };
    tf.tidy(() => {
      for (const { name, tensor: gradient } of gradients) {
        const variable = tf.engine().registeredVariables[name]!;
        let moments = this.moments.get(name);
        if (!moments) {
          moments = { m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false) };
          this.moments.set(name, moments);
        }
        const [p, m, v] = nativeAdamUpdate(variable, gradient, moments.m, moments.v, step);
        variable.assign(p as tf.Tensor);
        moments.m.assign(m);
        moments.v.assign(v);
      }
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * Disposes an optimizer's state. tfjs 4.22's MomentumOptimizer.dispose() forgets the
 * learning-rate scalar its SGD base keeps, one leaked tensor per optimizer: dispose it too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const leftover = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (leftover && !leftover.isDisposed) leftover.dispose();
}
