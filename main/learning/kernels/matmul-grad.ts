/**
 * BatchMatMul's gradient. On wasm's own kernel a matMul with transposeA/transposeB is ~30x
 * slower than transposing first (tfjs-notes), so there the gradient transposes explicitly;
 * the native kernel reads transposed operands at no cost, so with it the gradient uses the
 * flags and no transpose runs. Written only in differentiable ops, so it can be
 * differentiated again.
 */
import * as tf from '@tensorflow/tfjs-core';
import { nativeKernelsActive } from './native-wasm.ts';

/** Swaps the last two axes (BatchMatMul sees rank 2 or higher). */
function swapLast(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  perm.push(...perm.splice(-2).reverse());
  return tf.transpose(t, perm);
}

/** Transposes only when the flag asks for it. */
function maybeT(t: tf.Tensor, flag: boolean): tf.Tensor {
  return flag ? swapLast(t) : t;
}

export const batchMatMulGrad: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const g = dy as tf.Tensor;
    if (nativeKernelsActive()) return withFlags(g, a, b, transposeA, transposeB);
    // C = op(A) op(B); d op(A) = dC op(B)^T, d op(B) = op(A)^T dC, then undo op().
    const opA = maybeT(a, transposeA);
    const opB = maybeT(b, transposeB);
    const dOpA = () => tf.matMul(g, swapLast(opB));
    const dOpB = () => tf.matMul(swapLast(opA), g);
    return {
      a: () => maybeT(dOpA(), transposeA),
      b: () => maybeT(dOpB(), transposeB),
    };
  },
};

/** The same gradients with transpose flags instead of transposes (tfjs's own formulas). */
function withFlags(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): Record<string, () => tf.Tensor> {
  if (!transposeA && !transposeB) return { a: () => tf.matMul(dy, b, false, true), b: () => tf.matMul(a, dy, true, false) };
  if (!transposeA) return { a: () => tf.matMul(dy, b), b: () => tf.matMul(dy, a, true, false) };
  if (!transposeB) return { a: () => tf.matMul(b, dy, false, true), b: () => tf.matMul(a, dy) };
  return { a: () => tf.matMul(b, dy, true, true), b: () => tf.matMul(dy, a, true, true) };
}
