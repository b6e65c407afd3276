import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { nativeKernelsActive, setNativeKernelsEnabled } from '../kernels/native-wasm.ts';
import { checkGradient, separatedValues } from '../testing/gradcheck.ts';
import { avgPool, conv3x3, dense, maxPool, relu, residualBlock } from './layers.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

/** A layer under test: a function of its input and its parameters. */
interface Case {
  readonly name: string;
  readonly x: () => tf.Tensor;
  readonly params: () => tf.Tensor[];
  readonly apply: (x: tf.Tensor, params: tf.Tensor[]) => tf.Tensor;
}

const rnd = (shape: number[], seed: number, scale = 0.5) => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);

const cases: Case[] = [
  {
    name: 'conv3x3 stride 1',
    x: () => rnd([2, 5, 5, 3], 1),
    params: () => [rnd([3, 3, 3, 4], 2), rnd([4], 3)],
    apply: (x, [w, b]) => conv3x3(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, 1),
  },
  {
    name: 'conv3x3 stride 2 (even size)',
    x: () => rnd([2, 6, 6, 3], 4),
    params: () => [rnd([3, 3, 3, 2], 5), rnd([2], 6)],
    apply: (x, [w, b]) => conv3x3(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, 2),
  },
  {
    name: 'conv3x3 stride 2 (odd size)',
    x: () => rnd([1, 7, 5, 2], 7),
    params: () => [rnd([3, 3, 2, 3], 8), rnd([3], 9)],
    apply: (x, [w, b]) => conv3x3(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, 2),
  },
  {
    name: 'dense',
    x: () => rnd([3, 5], 10),
    params: () => [rnd([5, 4], 11), rnd([4], 12)],
    apply: (x, [w, b]) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
  },
  // Separated inputs: a finite-difference step never changes which element wins a max or passes a relu.
  { name: 'max-pool 3x3/2 pad 1', x: () => separatedValues([2, 6, 6, 2], 0.04, 13), params: () => [], apply: (x) => maxPool(x as tf.Tensor4D) },
  { name: 'max-pool 3x3/2 pad 1 (odd size)', x: () => separatedValues([1, 5, 5, 2], 0.04, 14), params: () => [], apply: (x) => maxPool(x as tf.Tensor4D) },
  { name: 'avg-pool 2x2', x: () => rnd([2, 4, 6, 3], 15), params: () => [], apply: (x) => avgPool(x as tf.Tensor4D) },
  { name: 'relu', x: () => separatedValues([3, 8], 0.05, 16), params: () => [], apply: (x) => relu(x) },
  {
    name: 'residual block',
    x: () => separatedValues([1, 4, 4, 2], 0.05, 17),
    params: () => [rnd([3, 3, 2, 2], 18), rnd([2], 19), rnd([3, 3, 2, 2], 20), rnd([2], 21)],
    apply: (x, [w0, b0, w1, b1]) => residualBlock(x as tf.Tensor4D, w0 as tf.Tensor4D, b0 as tf.Tensor1D, w1 as tf.Tensor4D, b1 as tf.Tensor1D),
  },
];

/** A smooth, non-linear scalar of the layer's output, so second derivatives are not trivially zero. */
function probeLoss(y: tf.Tensor): tf.Scalar {
  const probe = tf.randomNormal(y.shape, 0, 1, 'float32', 99);
  return tf.sum(tf.mul(tf.square(tf.add(y, 0.3)), probe));
}

/** Every test below runs on the native kernels and on tfjs's own (the fallback where the addon is not built). */
const KERNEL_PATHS = [
  { name: 'native kernels', native: true },
  { name: 'tfjs kernels', native: false },
];

for (const path of KERNEL_PATHS) {
  describe(`layers on ${path.name}`, () => {
    beforeAll(() => {
      setNativeKernelsEnabled(path.native);
      expect(nativeKernelsActive(), 'the native kernels are not built: run `npm run build:native`').toBe(path.native);
    });
    afterAll(() => setNativeKernelsEnabled(true));

    describe('first and second derivatives match finite differences', () => {
      for (const c of cases) {
        it(`${c.name}: d/dx and d/dparams`, () => {
          const x = c.x();
          const params = c.params();
          expect(checkGradient((xx) => probeLoss(c.apply(xx, params)), x)).toEqual([]);
          params.forEach((p, i) => {
            const f = (pp: tf.Tensor) =>
              probeLoss(
                c.apply(
                  x,
                  params.map((q, j) => (j === i ? pp : q)),
                ),
              );
            expect(checkGradient(f, p), `parameter ${i}`).toEqual([]);
          });
        });

        it(`${c.name}: d/dx of |dL/dparams|^2 and d/dparams of |dL/dx|^2`, () => {
          const x = c.x();
          const params = c.params();
          const inputGradNorm = (xx: tf.Tensor, ps: tf.Tensor[]): tf.Scalar => tf.sum(tf.square(tf.grad((z: tf.Tensor) => probeLoss(c.apply(z, ps)))(xx)));
          params.forEach((p, i) => {
            const paramGradNorm = (xx: tf.Tensor): tf.Scalar =>
              tf.sum(
                tf.square(
                  tf.grad((pp: tf.Tensor) =>
                    probeLoss(
                      c.apply(
                        xx,
                        params.map((q, j) => (j === i ? pp : q)),
                      ),
                    ),
                  )(p),
                ),
              );
            expect(checkGradient(paramGradNorm, x), `d/dx |dL/dparam ${i}|^2`).toEqual([]);
            expect(
              checkGradient(
                (pp) =>
                  inputGradNorm(
                    x,
                    params.map((q, j) => (j === i ? pp : q)),
                  ),
                p,
              ),
              `d/dparam ${i} |dL/dx|^2`,
            ).toEqual([]);
          });
          expect(
            checkGradient((xx) => inputGradNorm(xx, params), x),
            'd/dx |dL/dx|^2',
          ).toEqual([]);
        });
      }
    });

    describe('values', () => {
      it('max-pool pads with -inf like PyTorch (an all-negative border still yields its own max)', () => {
        const x = tf.tensor4d([-5, -4, -3, -2, -6, -7, -8, -9, -1, -10, -11, -12, -13, -14, -15, -16], [1, 4, 4, 1]);
        // Windows cover rows/columns {-1..1, 1..3}; padding must never win, so (0, 0) is -4, not 0.
        expect(Array.from(maxPool(x).dataSync())).toEqual([-4, -2, -1, -7]);
      });

      it('max-pool gives the same maxima under a gradient tape (found through the argmax) as in inference', () => {
        const x = separatedValues([2, 9, 7, 3], 0.04, 21) as tf.Tensor4D;
        const inference = maxPool(x).arraySync();
        let taped: number[][][][] = [];
        tf.grad((xx: tf.Tensor) => {
          const y = maxPool(xx as tf.Tensor4D);
          taped = y.arraySync();
          return tf.sum(y);
        })(x);
        expect(taped).toEqual(inference);
      });

      it('conv3x3 stride 2 uses PyTorch padding (1 on every side), not TF "same"', () => {
        const x = tf.reshape(tf.range(0, 16, 1, 'float32'), [1, 4, 4, 1]) as tf.Tensor4D;
        const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
        // Output (i, j) sums rows 2i-1..2i+1 and columns 2j-1..2j+1 that exist: (1, 0) = 4+5+8+9+12+13.
        expect(Array.from(conv3x3(x, w, tf.zeros([1]) as tf.Tensor1D, 2).dataSync())).toEqual([10, 24, 51, 90]);
      });
    });
  });
}
