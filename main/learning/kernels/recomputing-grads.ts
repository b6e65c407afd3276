/**
 * Gradients that recompute a kernel's output from its input instead of using the saved
 * output. tfjs saves outputs as clones recorded on the tape *before* the producing kernel,
 * so a second backward pass never reaches the producer: every second derivative through
 * Softmax, Exp, Tanh or Sigmoid silently loses the terms that go through their output
 * (measured: the gradient-matching gradient had the wrong sign). Saving inputs is safe.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp } from './custom-op.ts';

export const softmaxGrad: tf.GradConfig = {
  kernelName: tf.Softmax,
  inputsToSave: ['logits'],
  gradFunc: (dy, saved, attrs) => {
    const [logits] = saved as [tf.Tensor];
    const { dim } = attrs as unknown as tf.SoftmaxAttrs;
    const g = dy as tf.Tensor;
    return {
      logits: () => {
        const y = tf.softmax(logits, dim);
        const gy = tf.mul(g, y);
        return tf.sub(gy, tf.mul(tf.sum(gy, dim, true), y));
      },
    };
  },
};

export const expGrad: tf.GradConfig = {
  kernelName: tf.Exp,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.exp(x)) };
  },
};

export const tanhGrad: tf.GradConfig = {
  kernelName: tf.Tanh,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x)))) };
  },
};

export const sigmoidGrad: tf.GradConfig = {
  kernelName: tf.Sigmoid,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return {
      x: () => {
        const y = tf.sigmoid(x);
        return tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y)));
      },
    };
  },
};

export const recomputingGradients: readonly tf.GradConfig[] = [softmaxGrad, expGrad, tanhGrad, sigmoidGrad];

/**
 * log-softmax as ops whose gradients are all recomputing ones (tf.logSoftmax is a
 * customGrad over its saved output, with the same second-order gap). The max shift is
 * for stability only: the result's derivative through it is exactly zero, so the shift
 * is treated as a constant (Max's own gradient is not differentiable again in tfjs).
 */
export function logSoftmax(logits: tf.Tensor, axis = -1): tf.Tensor {
  const shift = customOp([logits], ([x]) => ({ value: tf.max(x!, axis, true), grads: () => [() => tf.zerosLike(logits)] }));
  const shifted = tf.sub(logits, shift);
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axis, true)));
}
