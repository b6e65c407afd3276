/**
 * 3x3 convolution (padding 1, stride 1 or 2, NHWC) as three mutually adjoint ops, each
 * computed with forward convolutions only: wasm has no Conv2DBackpropFilter kernel, its
 * Conv2DBackpropInput is slow, and tfjs registers no gradient for either, so the stock
 * conv cannot be differentiated twice (gradient matching needs that).
 *
 *   forward      y  = conv(x, W) + b
 *   inputGrad    dx = conv^T(dy, W)        (adjoint of forward in x)
 *   filterGrad   dW = x (*) dy             (adjoint of forward in W)
 *
 * Every op is linear in each argument, so each one's gradient is again one of the three:
 * the recursion closes and any order of derivative stays on fast kernels. Each op runs
 * on the native kernels when they are active (native-wasm.ts), else on tfjs's.
 *
 * A conv may read relu(x) instead of x (`reluInput`: IMPALA's residual blocks convolve
 * relus only). The native kernels then apply the relu as they read x, and its gradient
 * as they write dx (a mask of x > 0), so neither the relu nor its gradient makes a pass
 * over memory of its own; the same three ops, with relu(x) for x and the mask on dx,
 * still close under differentiation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { customOp, type Padding4D } from './custom-op.ts';
import { reluGradient } from './relu-grad.ts';
import { nativeBroadcastChannels, nativeConv3x3, nativeConv3x3FilterGrad, nativeKernelsActive, nativeSumToChannels, type ConvGeometry } from './native-wasm.ts';

export type ConvStride = 1 | 2;
const KERNEL = 3;
const PAD = 1;

function checkStride(stride: number): asserts stride is ConvStride {
  if (stride !== 1 && stride !== 2) throw new Error(`Convolution stride ${stride} is not supported: use 1 or 2.`);
}

/** PyTorch's output size for kernel 3, padding 1. */
export function convOutSize(size: number, stride: ConvStride): number {
  return Math.floor((size + 2 * PAD - KERNEL) / stride) + 1;
}

/**
 * Sums over every axis but the last (the bias gradient). On wasm it is one global average
 * pool (XNNPACK; measured 3 ms on 2M values where a reduction or a ones-matMul took 17-44 ms:
 * wasm reduces leading axes through a transpose, and a GEMM repacks its big operand); on
 * other backends a plain reduction (a GPU's pool kernel would run one thread per channel).
 * Its adjoint broadcasts back, so it stays differentiable.
 */
function sumToChannels(t: tf.Tensor4D): tf.Tensor1D {
  const [n, h, w, c] = t.shape;
  return customOp([t], ([tIn]) => {
    const value = nativeKernelsActive()
      ? nativeSumToChannels(tIn!)
      : tf.getBackend() === 'wasm'
        ? (tf.reshape(tf.mul(tf.avgPool(tf.reshape(tIn!, [1, n * h, w, c]) as tf.Tensor4D, [n * h, w], [n * h, w], 'valid'), n * h * w), [c]) as tf.Tensor1D)
        : (tf.sum(tIn!, [0, 1, 2]) as tf.Tensor1D);
    return { value, grads: (v) => [() => broadcastChannels(v, t.shape)] };
  });
}

/** v [C] repeated over [N, H, W, C]: the adjoint of sumToChannels (wasm's Tile, behind broadcastTo, is very slow). */
function broadcastChannels(v: tf.Tensor1D, shape: [number, number, number, number]): tf.Tensor4D {
  return customOp([v], ([vIn]) => {
    const value = nativeKernelsActive()
      ? nativeBroadcastChannels<tf.Tensor4D>(vIn as tf.Tensor1D, shape)
      : tf.broadcastTo(tf.reshape(vIn!, [1, 1, 1, shape[3]]), shape);
    return { value: value as tf.Tensor4D, grads: (dy) => [() => sumToChannels(dy)] };
  });
}

/** The forward conv's geometry for the native kernels: PyTorch's padding 1 on every side. */
function forwardGeometry(inputShape: readonly number[], stride: ConvStride): ConvGeometry {
  return { stride, padTop: PAD, padLeft: PAD, outH: convOutSize(inputShape[1]!, stride), outW: convOutSize(inputShape[2]!, stride) };
}

/** y = conv(x, W) + b with PyTorch padding 1 (of relu(x) with `reluInput`); the bias add is fused into the conv kernel. */
export function conv2d(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, stride: ConvStride, reluInput = false): tf.Tensor4D {
  checkStride(stride);
  return customOp([x, w, b], ([xIn, wIn, bIn], save) => {
    save([xIn!, wIn!]);
    const [xs, ws, bs] = [xIn as tf.Tensor4D, wIn as tf.Tensor4D, bIn as tf.Tensor1D];
    const value = nativeKernelsActive()
      ? nativeConv3x3(xs, ws, bs, forwardGeometry(xs.shape, stride), { reluInput })
      : tf.fused.conv2d({ x: reluInput ? tf.relu(xs) : xs, filter: ws, bias: bs, strides: stride, pad: PAD });
    return { value, grads: (dy, saved) => [...convGrads(dy, saved, stride, reluInput), () => sumToChannels(dy)] };
  });
}

/** y = conv(x, W) without bias: the adjoint ops below need the bare linear map. */
function convNoBias(x: tf.Tensor4D, w: tf.Tensor4D, stride: ConvStride, reluInput: boolean): tf.Tensor4D {
  return customOp([x, w], ([xIn, wIn], save) => {
    save([xIn!, wIn!]);
    const [xs, ws] = [xIn as tf.Tensor4D, wIn as tf.Tensor4D];
    const value = nativeKernelsActive()
      ? nativeConv3x3(xs, ws, null, forwardGeometry(xs.shape, stride), { reluInput })
      : tf.conv2d(reluInput ? tf.relu(xs) : xs, ws, stride, PAD);
    return { value, grads: (dy, saved) => convGrads(dy, saved, stride, reluInput) };
  });
}

/** The input and filter gradients of conv(x, W) (of relu(x) with `reluInput`) for upstream gradient dy. */
function convGrads(dy: tf.Tensor4D, saved: tf.Tensor[], stride: ConvStride, reluInput: boolean): (() => tf.Tensor4D)[] {
  const [x, w] = saved as [tf.Tensor4D, tf.Tensor4D];
  return [() => convInputGrad(dy, w, stride, [x.shape[1], x.shape[2]], reluInput ? x : null), () => convFilterGrad(x, dy, stride, reluInput)];
}

/**
 * dx = conv^T(dy, W): the input gradient of a stride-s conv, zero where `maskBy` is not
 * positive when given (the conv read relu(maskBy)). For stride 2, dy is first spread onto
 * the input grid (zeros between), then it is a stride-1 conv with W rotated by 180 degrees
 * and its channel axes swapped.
 */
export function convInputGrad(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  stride: ConvStride,
  inputHw: readonly [number, number],
  maskBy: tf.Tensor4D | null = null,
): tf.Tensor4D {
  return customOp([dy, w], ([dyIn, wIn], save) => {
    const g = dyIn as tf.Tensor4D;
    const ws = wIn as tf.Tensor4D;
    save([g, ws]);
    const spread = stride === 1 ? g : spreadOntoGrid(g);
    // Padding that makes the output exactly the input's size (derivation in the file comment).
    const [h, wd] = inputHw;
    let value: tf.Tensor4D;
    if (nativeKernelsActive()) {
      const geometry = { stride: 1, padTop: KERNEL - 1 - PAD, padLeft: KERNEL - 1 - PAD, outH: h, outW: wd };
      value = nativeConv3x3(spread, ws, null, geometry, { transposedFilter: true, ...(maskBy ? { mask: maskBy } : {}) });
    } else {
      const full = tf.conv2d(spread, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, [
        [0, 0],
        [KERNEL - 1 - PAD, h + PAD - stride * g.shape[1]],
        [KERNEL - 1 - PAD, wd + PAD - stride * g.shape[2]],
        [0, 0],
      ]);
      value = maskBy ? (reluGradient(full, maskBy) as tf.Tensor4D) : full;
    }
    const grads = (c: tf.Tensor4D, saved: tf.Tensor[]) => {
      const [sg, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
      // <mask . conv^T(dy, W), C> = <dy, conv(mask . C, W)>, and in W it is the filter gradient of (mask . C, dy).
      const maskedC = maskBy ? (reluGradient(c, maskBy) as tf.Tensor4D) : c;
      return [() => convNoBias(maskedC, sw, stride, false), () => convFilterGrad(maskedC, sg, stride, false)];
    };
    return { value, grads };
  });
}

/** dW = x (*) dy: the filter gradient (of relu(x) (*) dy with `reluInput`). */
export function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, stride: ConvStride, reluInput = false): tf.Tensor4D {
  return customOp([x, dy], ([xIn, dyIn], save) => {
    const xs = xIn as tf.Tensor4D;
    const g = dyIn as tf.Tensor4D;
    save([xs, g]);
    const value = nativeKernelsActive()
      ? nativeConv3x3FilterGrad(xs, g, { stride, padTop: PAD, padLeft: PAD, outH: g.shape[1], outW: g.shape[2] }, reluInput)
      : filterGradByForwardConv(reluInput ? tf.relu(xs) : xs, g, stride);
    const grads = (v: tf.Tensor4D, saved: tf.Tensor[]) => {
      const [sx, sg] = saved as [tf.Tensor4D, tf.Tensor4D];
      // <r(x) (*) dy, V> = <conv(r(x), V), dy>: adjoint in x is r'(x) . conv^T(dy, V), in dy it is conv(r(x), V).
      return [() => convInputGrad(sg, v, stride, [sx.shape[1], sx.shape[2]], reluInput ? sx : null), () => convNoBias(sx, v, stride, reluInput)];
    };
    return { value, grads };
  });
}

/**
 * dW on tfjs kernels: with the batch and channel axes of x swapped and dy read as a filter
 * [h, w, N, C_out], one 'valid' forward conv whose dilation is the original stride; the
 * result [C_in, 3, 3, C_out] is transposed to [3, 3, C_in, C_out].
 */
function filterGradByForwardConv(xs: tf.Tensor4D, g: tf.Tensor4D, stride: ConvStride): tf.Tensor4D {
  const xT = tf.transpose(xs, [3, 1, 2, 0]) as tf.Tensor4D;
  const dyAsFilter = tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D;
  // Pad x so that exactly 3 output positions fit: 2 + s*(h-1) + 1 rows after padding.
  const padBottom = KERNEL - 1 + stride * (g.shape[1] - 1) + 1 - xs.shape[1] - PAD;
  const padRight = KERNEL - 1 + stride * (g.shape[2] - 1) + 1 - xs.shape[2] - PAD;
  const pad: Padding4D = [
    [0, 0],
    [PAD, padBottom],
    [PAD, padRight],
    [0, 0],
  ];
  return tf.transpose(tf.conv2d(xT, dyAsFilter, 1, pad, 'NHWC', stride), [1, 2, 0, 3]) as tf.Tensor4D;
}

/** Places dy[i, j] at (2i, 2j) of a grid twice the size, zeros elsewhere. */
function spreadOntoGrid(dy: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = dy.shape;
  if (tf.getBackend() === 'webgpu') {
    // webgpu's pad shader does not compile above rank 4 (it indexes a 'vec6'): zeros are
    // interleaved by two concats of rank-4 tensors instead (columns, then rows).
    const columns = tf.reshape(tf.concat([tf.reshape(dy, [n * h, w, 1, c]), tf.zeros([n * h, w, 1, c])], 2), [n * h, 1, 2 * w, c]);
    return tf.reshape(tf.concat([columns, tf.zerosLike(columns)], 1), [n, 2 * h, 2 * w, c]);
  }
  const spaced = tf.pad(tf.reshape(dy, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, 1],
    [0, 0],
    [0, 1],
    [0, 0],
  ]);
  return tf.reshape(spaced, [n, 2 * h, 2 * w, c]);
}
