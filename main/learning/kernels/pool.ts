/**
 * Pooling layers as pairs of mutually adjoint linear ops, so that any order of derivative
 * exists (tfjs registers no gradient for MaxPoolGrad or AvgPoolGrad) and each op is one
 * native kernel on wasm.
 *
 * Max-pool 3x3, stride 2, padding 1 with PyTorch's semantics (padding never wins the max):
 * the gradient finds each window's argmax and scatters dy onto those positions, and the
 * gradient of that scatter gathers from them. Using the same argmax
 * for both keeps them exact adjoints even when a window has ties (flat backgrounds).
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp, recordingGradients } from './custom-op.ts';
import {
  nativeAvgPool2,
  nativeAvgPool2Spread,
  nativeGatherFlat,
  nativeKernelsActive,
  nativeMaxPool,
  nativeMaxPoolArgmax,
  nativeScatterAddFlat,
} from './native-wasm.ts';

const MAX_WINDOW = 3;
const MAX_STRIDE = 2;
const MAX_PAD = 1;

/** PyTorch's output size for window 3, stride 2, padding 1. */
function maxPoolOutSize(size: number): number {
  return Math.floor((size + 2 * MAX_PAD - MAX_WINDOW) / MAX_STRIDE) + 1;
}

export function maxPool3x3s2(x: tf.Tensor4D): tf.Tensor4D {
  // Under a gradient tape the argmax is needed anyway: one pass finds it with the maxima,
  // instead of a max pass now and an argmax pass in the gradient.
  const taped = recordingGradients();
  return customOp([x], ([xIn], save) => {
    const xs = xIn as tf.Tensor4D;
    const [outH, outW] = [maxPoolOutSize(xs.shape[1]), maxPoolOutSize(xs.shape[2])];
    let value: tf.Tensor4D;
    if (taped) {
      const { argmax, maxima } = windowArgmax(xs, outH, outW);
      save([argmax]);
      value = maxima;
    } else {
      value = nativeKernelsActive() ? nativeMaxPool(xs, MAX_WINDOW, MAX_STRIDE, MAX_PAD, outH, outW) : tf.maxPool(xs, MAX_WINDOW, MAX_STRIDE, MAX_PAD);
    }
    return { value, grads: (dy, saved) => [() => scatterToArgmax(dy, saved[0]!, x.shape)] };
  });
}

/**
 * Flat index of each window's maximum, and the maximum. On tfjs kernels: wasm's
 * MaxPoolWithArgmax starts every window at FLT_MIN (the smallest positive float), so it is
 * wrong for negative windows: it searches a copy shifted to >= 1, which has the same order.
 */
function windowArgmax(x: tf.Tensor4D, outH: number, outW: number): { argmax: tf.Tensor4D; maxima: tf.Tensor4D } {
  if (nativeKernelsActive()) return nativeMaxPoolArgmax(x, MAX_WINDOW, MAX_STRIDE, MAX_PAD, outH, outW);
  const argmax = tf.tidy(() => {
    const positive = tf.add(tf.sub(x, tf.min(x)), 1) as tf.Tensor4D;
    return tf.maxPoolWithArgmax(positive, MAX_WINDOW, MAX_STRIDE, MAX_PAD, true).indexes as tf.Tensor4D;
  });
  return { argmax, maxima: gatherFlat(x, argmax, [x.shape[0], outH, outW, x.shape[3]]) };
}

/** dx: each window's gradient added at its argmax (windows overlap, so positions can receive several). */
function scatterToArgmax(dy: tf.Tensor4D, argmax: tf.Tensor, xShape: Shape4D): tf.Tensor4D {
  return customOp([dy], ([dyIn], save) => {
    save([argmax]);
    const value = nativeKernelsActive()
      ? nativeScatterAddFlat<tf.Tensor4D>(dyIn!, argmax, xShape)
      : tf.reshape(tf.scatterND(tf.reshape(argmax, [argmax.size, 1]), tf.reshape(dyIn!, [dyIn!.size]), [sizeOf(xShape)]), xShape);
    return { value: value as tf.Tensor4D, grads: (cot, saved) => [() => gatherAtArgmax(cot, saved[0]!, dy.shape)] };
  });
}

/** The adjoint of scatterToArgmax: each window reads the value at its argmax. */
function gatherAtArgmax(v: tf.Tensor4D, argmax: tf.Tensor, yShape: Shape4D): tf.Tensor4D {
  return customOp([v], ([vIn], save) => {
    save([argmax]);
    return { value: gatherFlat(vIn!, argmax, yShape), grads: (cot, saved) => [() => scatterToArgmax(cot, saved[0]!, v.shape)] };
  });
}

/** v's values at the flat indexes in argmax, shaped yShape (no gradient: the ops above carry it). */
function gatherFlat(v: tf.Tensor, argmax: tf.Tensor, yShape: Shape4D): tf.Tensor4D {
  return (
    nativeKernelsActive() ? nativeGatherFlat(v, argmax) : tf.reshape(tf.gather(tf.reshape(v, [v.size]), tf.reshape(argmax, [argmax.size])), yShape)
  ) as tf.Tensor4D;
}

type Shape4D = [number, number, number, number];

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Average pool 2x2, stride 2 (PyTorch's avg_pool2d(x, 2): odd trailing rows/columns are dropped). */
export function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  return customOp([x], ([xIn]) => ({
    value: nativeKernelsActive() ? nativeAvgPool2(xIn as tf.Tensor4D) : tf.avgPool(xIn as tf.Tensor4D, 2, 2, 'valid'),
    grads: (dy) => [() => spreadAverage(dy, x.shape)],
  }));
}

/** The adjoint of avgPool2x2: each output's gradient spread as a quarter over its 2x2 block. */
function spreadAverage(dy: tf.Tensor4D, xShape: Shape4D): tf.Tensor4D {
  return customOp([dy], ([dyIn]) => {
    if (nativeKernelsActive()) return { value: nativeAvgPool2Spread(dyIn as tf.Tensor4D, xShape), grads: (cot) => [() => avgPool2x2(cot)] };
    const [n, h, w, c] = dy.shape;
    const blocks = tf.mul(tf.reshape(dyIn!, [n, h, 1, w, 1, c]), tf.fill([1, 1, 2, 1, 2, 1], 0.25));
    const spread = tf.reshape(blocks, [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
    const [, fullH, fullW] = xShape;
    const value =
      fullH === 2 * h && fullW === 2 * w
        ? spread
        : tf.pad(spread, [
            [0, 0],
            [0, fullH - 2 * h],
            [0, fullW - 2 * w],
            [0, 0],
          ]);
    return { value, grads: (cot) => [() => avgPool2x2(cot)] };
  });
}
