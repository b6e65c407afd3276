/**
 * A typed wrapper over tf.customGrad: the op's inputs as an array, a forward that may
 * save tensors for the backward pass, and a gradient per input. The gradient ops are
 * recorded on any enclosing tape, which is what makes second derivatives work.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface OpBody<T extends tf.Tensor> {
  readonly value: T;
  readonly gradFunc: (dy: T, saved: tf.Tensor[]) => tf.Tensor[];
}

export function customOp<T extends tf.Tensor>(inputs: readonly tf.Tensor[], body: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => OpBody<T>): T {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return body(args.slice(0, -1) as tf.Tensor[], save);
  });
  return op(...inputs) as T;
}

/** Explicit [[top, bottom], [left, right]]-style padding for all four NHWC axes. */
export type Padding4D = [[number, number], [number, number], [number, number], [number, number]];
