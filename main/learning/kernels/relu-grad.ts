/**
 * Relu's gradient as one kernel: tfjs's is dy * cast(step(x)), three generic passes on
 * wasm. The gradient is linear in dy (its own gradient is itself) and its derivative in x
 * is zero almost everywhere, so x is not an input of the op.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp } from './custom-op.ts';
import { nativeKernelsActive, nativeReluGrad } from './native-wasm.ts';

/** dy where x > 0, else 0: relu's gradient, differentiable again in dy. */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return customOp([dy], ([dyIn]) => ({
    value: nativeKernelsActive() ? nativeReluGrad(dyIn!, x) : tf.mul(dyIn!, tf.step(x)),
    grads: (ddx) => [() => reluGradient(ddx, x)],
  }));
}

export const reluGrad: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => reluGradient(dy as tf.Tensor, saved[0]!) }),
};
