/**
 * Layers as plain functions over explicit parameter tensors (NHWC activations, HWIO
 * filters), so a caller can differentiate with respect to the parameters and then with
 * respect to the inputs, as gradient matching does. Every layer is twice differentiable.
 */
import * as tf from '@tensorflow/tfjs-core';
import { conv2d as convOp, type ConvStride } from '../kernels/conv.ts';
import { avgPool2x2, maxPool3x3s2 } from '../kernels/pool.ts';

export type { ConvStride };

/** 3x3 convolution, padding 1 (PyTorch's), stride 1 or 2, plus bias. */
export function conv3x3(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride: ConvStride = 1): tf.Tensor4D {
  return convOp(x, w, b, stride);
}

/** conv3x3(relu(x), w, b) as one op: the relu and its gradient are fused into the conv's kernels. */
export function reluConv3x3(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride: ConvStride = 1): tf.Tensor4D {
  return convOp(x, w, b, stride, true);
}

export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, w), b);
}

export function relu<T extends tf.Tensor>(x: T): T {
  return tf.relu(x);
}

/** Max-pool 3x3, stride 2, padding 1; padding never wins the max (PyTorch's -inf padding). */
export const maxPool = maxPool3x3s2;

/** Average pool 2x2, stride 2. */
export const avgPool = avgPool2x2;

/** IMPALA residual block: x + conv1(relu(conv0(relu(x)))). */
export function residualBlock(x: tf.Tensor4D, w0: tf.Tensor4D, b0: tf.Tensor1D, w1: tf.Tensor4D, b1: tf.Tensor1D): tf.Tensor4D {
  return tf.add(x, reluConv3x3(reluConv3x3(x, w0, b0), w1, b1));
}

/** [N, H, W, C] -> [N, H*W*C]. */
export function flatten(x: tf.Tensor4D): tf.Tensor2D {
  const [n, h, w, c] = x.shape;
  return tf.reshape(x, [n, h * w * c]);
}
