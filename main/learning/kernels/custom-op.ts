/**
 * An op with a hand-written gradient per input, each computed only if the backward pass
 * needs it. tf.customGrad computes every input's gradient eagerly (for a first conv that
 * is a wasted input gradient of the pixels), so this calls the engine's runKernelFunc
 * (the function customGrad itself uses) with lazy per-input gradients. The gradient ops
 * are recorded on any enclosing tape, which is what makes second derivatives work.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface OpBody<T extends tf.Tensor> {
  readonly value: T;
  /** One thunk per input, in input order; the engine calls only the ones it needs. */
  readonly grads: (dy: T, saved: tf.Tensor[]) => (() => tf.Tensor)[];
}

interface EngineInternals {
  isTapeOn(): boolean;
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

export function customOp<T extends tf.Tensor>(inputs: readonly tf.Tensor[], body: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => OpBody<T>): T {
  let grads: OpBody<T>['grads'] | undefined;
  const engine = tf.engine() as unknown as EngineInternals;
  return engine.runKernelFunc({
    inputs: Object.fromEntries(inputs.map((t, i) => [String(i), t])),
    forwardFunc: (_backend, save) => {
      const out = body([...inputs], save);
      grads = out.grads;
      return out.value;
    },
    backwardsFunc: (dy, saved) => {
      const thunks = grads!(dy as T, saved);
      return Object.fromEntries(thunks.map((thunk, i) => [String(i), thunk]));
    },
  }) as T;
}

/**
 * Whether ops run now are recorded for a gradient (inside tf.grad / variableGrads). Read it
 * before customOp: inside an op's forward function the engine reports false.
 */
export function recordingGradients(): boolean {
  return (tf.engine() as unknown as EngineInternals).isTapeOn();
}

/** Explicit [[top, bottom], [left, right]]-style padding for all four NHWC axes. */
export type Padding4D = [[number, number], [number, number], [number, number], [number, number]];
