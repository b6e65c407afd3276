import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { nativeKernelsActive, setNativeKernelsEnabled } from '../kernels/native-wasm.ts';
import { adam, disposeOptimizer } from './optimizers.ts';

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => setNativeKernelsEnabled(true));

/** Five Adam steps on a small quadratic with the optimizer the kernel path gives; the final parameters. */
function fiveSteps(native: boolean): Float32Array {
  setNativeKernelsEnabled(native);
  expect(nativeKernelsActive()).toBe(native);
  // Made inside tidy: tf.variable(t) keeps t alive (sharing its data) unless t is disposed.
  const w = tf.tidy(() => tf.variable(tf.tensor2d([0.5, -1, 2, 0.25, -0.75, 1.5], [2, 3])));
  const b = tf.tidy(() => tf.variable(tf.tensor1d([0.1, -0.2, 0.3])));
  const target = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const optimizer = adam(0.05, 1e-5);
  for (let i = 0; i < 5; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.sub(tf.add(tf.mul(w, w), b), target))), [w, b]);
      optimizer.applyGradients(grads);
    });
  }
  const result = tf.tidy(() => tf.concat([tf.reshape(w, [-1]), b]).dataSync() as Float32Array);
  disposeOptimizer(optimizer);
  tf.dispose([w, b, target]);
  return result;
}

describe('adam', () => {
  it('the fused native Adam takes the same steps as tfjs Adam, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const reference = fiveSteps(false);
    const fused = fiveSteps(true);
    for (let i = 0; i < reference.length; i++) expect(fused[i]).toBeCloseTo(reference[i]!, 5);
    // The parameters moved: the comparison is not of two untouched copies.
    expect(Math.abs(reference[0]! - 0.5)).toBeGreaterThan(0.1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
