/** Optimizer construction and disposal in one place. */
import * as tf from '@tensorflow/tfjs-core';

/** PyTorch's SGD with momentum (v = m v + g; p -= lr v), which tfjs's MomentumOptimizer matches. */
export function sgdMomentum(learningRate: number, momentum: number): tf.Optimizer {
  return momentum === 0 ? tf.train.sgd(learningRate) : tf.train.momentum(learningRate, momentum);
}

/** PyTorch's Adam defaults (eps 1e-8) unless eps is given (pfrl's PPO uses 1e-5). */
export function adam(learningRate: number, eps = 1e-8): tf.Optimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, eps);
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
