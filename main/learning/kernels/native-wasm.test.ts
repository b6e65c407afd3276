import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { loadNativeAddon } from '../native/addon.ts';
import { conv2d, convFilterGrad, convInputGrad, type ConvStride } from './conv.ts';
import { nativeConv3x3, nativeKernelsActive, nativeMaxPoolArgmax, setNativeKernelsEnabled } from './native-wasm.ts';
import { avgPool2x2, maxPool3x3s2 } from './pool.ts';

beforeAll(async () => {
  const backend = await initBackend('wasm');
  expect(backend.nativeKernels, 'the native kernels are not built: run `npm run build:native`').toHaveProperty('isa');
});
afterAll(() => setNativeKernelsEnabled(true));

/** max |native - tfjs| / max |tfjs| of one op computed both ways. */
function relativeDifference(op: () => tf.Tensor): number {
  return tf.tidy(() => {
    setNativeKernelsEnabled(false);
    const reference = op();
    setNativeKernelsEnabled(true);
    expect(nativeKernelsActive()).toBe(true);
    const native = op();
    expect(native.shape).toEqual(reference.shape);
    return tf.max(tf.abs(tf.sub(native, reference))).dataSync()[0]! / tf.max(tf.abs(reference)).dataSync()[0]!;
  });
}

// Shapes of both networks plus awkward ones: channels that are not whole vectors, widths
// that are not whole register tiles, stride 2 on odd sizes.
const shapes: { n: number; h: number; w: number; cin: number; cout: number; stride: ConvStride }[] = [
  { n: 2, h: 64, w: 64, cin: 3, cout: 16, stride: 1 },
  { n: 3, h: 32, w: 32, cin: 16, cout: 32, stride: 1 },
  { n: 2, h: 8, w: 8, cin: 32, cout: 32, stride: 1 },
  { n: 2, h: 32, w: 32, cin: 12, cout: 48, stride: 1 },
  { n: 2, h: 16, w: 16, cin: 48, cout: 12, stride: 1 },
  { n: 1, h: 8, w: 8, cin: 12, cout: 3, stride: 1 },
  { n: 2, h: 7, w: 13, cin: 5, cout: 9, stride: 1 },
  { n: 2, h: 9, w: 11, cin: 5, cout: 3, stride: 2 },
  { n: 1, h: 10, w: 8, cin: 17, cout: 20, stride: 2 },
];

describe('the native kernels agree with the tfjs formulation', () => {
  for (const { n, h, w, cin, cout, stride } of shapes) {
    it(`conv, input and filter gradients, [${n},${h},${w},${cin}] -> ${cout}, stride ${stride}`, () => {
      const x = tf.randomNormal([n, h, w, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal([3, 3, cin, cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const bias = tf.randomNormal([cout], 0, 1, 'float32', 3) as tf.Tensor1D;
      const y = conv2d(x, filter, bias, stride);
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 4) as tf.Tensor4D;
      expect(relativeDifference(() => conv2d(x, filter, bias, stride))).toBeLessThan(1e-5);
      expect(relativeDifference(() => convInputGrad(dy, filter, stride, [h, w]))).toBeLessThan(1e-5);
      expect(relativeDifference(() => convFilterGrad(x, dy, stride))).toBeLessThan(1e-5);
      // Reading relu(x), with the relu's gradient as a mask on dx: fused natively, composed on tfjs.
      expect(relativeDifference(() => conv2d(x, filter, bias, stride, true))).toBeLessThan(1e-5);
      expect(relativeDifference(() => convInputGrad(dy, filter, stride, [h, w], x))).toBeLessThan(1e-5);
      expect(relativeDifference(() => convFilterGrad(x, dy, stride, true))).toBeLessThan(1e-5);
      tf.dispose([x, filter, bias, y, dy]);
    });
  }

  it('a conv of a relu equals the conv of the relu, and its gradients those of the composition', () => {
    const x = tf.randomNormal([2, 9, 7, 6], 0, 1, 'float32', 18) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 6, 5], 0, 1, 'float32', 19) as tf.Tensor4D;
    const bias = tf.randomNormal([5], 0, 1, 'float32', 20) as tf.Tensor1D;
    const probe = tf.randomNormal([2, 9, 7, 5], 0, 1, 'float32', 21);
    const loss = (fused: boolean) => (v: tf.Tensor, f: tf.Tensor) =>
      tf.sum(tf.mul(fused ? conv2d(v as tf.Tensor4D, f as tf.Tensor4D, bias, 1, true) : conv2d(tf.relu(v) as tf.Tensor4D, f as tf.Tensor4D, bias, 1), probe));
    const [fusedDx, fusedDw] = tf.grads(loss(true))([x, filter]);
    const [plainDx, plainDw] = tf.grads(loss(false))([x, filter]);
    expect(tf.max(tf.abs(tf.sub(fusedDx!, plainDx!))).dataSync()[0]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(fusedDw!, plainDw!))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(tf.sub(conv2d(x, filter, bias, 1, true), conv2d(tf.relu(x) as tf.Tensor4D, filter, bias, 1)))).dataSync()[0]).toBe(0);
    tf.dispose([x, filter, bias, probe, fusedDx!, fusedDw!, plainDx!, plainDw!]);
  });

  it('max-pool gradients (the argmax) on distinct values', () => {
    const x = tf.randomNormal([3, 17, 16, 11], 0, 1, 'float32', 5) as tf.Tensor4D;
    const probe = tf.randomNormal(maxPool3x3s2(x).shape, 0, 1, 'float32', 6);
    expect(relativeDifference(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxPool3x3s2(v as tf.Tensor4D), probe)))(x))).toBe(0);
    tf.dispose([x, probe]);
  });

  it('max-pool and 2x2 average pool values, and the average pool gradient, on odd sizes', () => {
    const x = tf.randomNormal([2, 9, 7, 12], 0, 1, 'float32', 16) as tf.Tensor4D;
    const probe = tf.randomNormal(avgPool2x2(x).shape, 0, 1, 'float32', 17);
    expect(relativeDifference(() => maxPool3x3s2(x))).toBe(0);
    expect(relativeDifference(() => avgPool2x2(x))).toBeLessThan(1e-6);
    expect(relativeDifference(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(avgPool2x2(v as tf.Tensor4D), probe)))(x))).toBe(0);
    tf.dispose([x, probe]);
  });

  it('max-pool argmax names a maximum of its window and returns it, also with ties and all-negative windows', () => {
    // Rounded to a coarse grid, so windows have ties; shifted, so many are all negative.
    const x = tf.tidy(() => tf.sub(tf.round(tf.randomUniform([3, 17, 16, 11], 0, 4, 'float32', 7)), 3)) as tf.Tensor4D;
    const pooled = tf.maxPool(x, 3, 2, 1);
    const { argmax, maxima } = nativeMaxPoolArgmax(x, 3, 2, 1, pooled.shape[1], pooled.shape[2]);
    const atArgmax = tf.gather(tf.reshape(x, [-1]), tf.reshape(argmax, [-1]));
    expect(Array.from(atArgmax.dataSync())).toEqual(Array.from(pooled.dataSync()));
    expect(Array.from(maxima.dataSync())).toEqual(Array.from(pooled.dataSync()));
    tf.dispose([x, pooled, argmax, maxima, atArgmax]);
  });
});

describe("the native matMul agrees with wasm's own", () => {
  const cases: { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [];
  for (const transposeA of [false, true])
    for (const transposeB of [false, true]) {
      // m x k times k x n, stored transposed where the flag says so; 17 and 37 are not whole tiles.
      const [m, k, n] = [7, 37, 17];
      cases.push({ a: transposeA ? [k, m] : [m, k], b: transposeB ? [n, k] : [k, n], transposeA, transposeB });
      cases.push({ a: transposeA ? [3, 40, 10] : [3, 10, 40], b: transposeB ? [3, 256, 40] : [3, 40, 256], transposeA, transposeB });
    }
  cases.push({ a: [1, 5, 6], b: [4, 6, 9], transposeA: false, transposeB: false });
  cases.push({ a: [64, 2048], b: [2048, 256], transposeA: false, transposeB: false });
  for (const { a, b, transposeA, transposeB } of cases) {
    it(`[${a}] x [${b}], transposeA ${transposeA}, transposeB ${transposeB}`, () => {
      const x = tf.randomNormal(a, 0, 1, 'float32', 8);
      const y = tf.randomNormal(b, 0, 1, 'float32', 9);
      expect(relativeDifference(() => tf.matMul(x, y, transposeA, transposeB))).toBeLessThan(1e-5);
      tf.dispose([x, y]);
    });
  }
});

describe('the native elementwise kernels agree with tfjs', () => {
  it("relu and same-shape add (replacing wasm's own kernels)", () => {
    const x = tf.randomNormal([3, 17, 9, 5], 0, 1, 'float32', 18);
    const y = tf.randomNormal([3, 17, 9, 5], 0, 1, 'float32', 19);
    expect(relativeDifference(() => tf.relu(x))).toBe(0);
    expect(relativeDifference(() => tf.add(x, y))).toBe(0);
    // Broadcasting and integer adds are handed back to wasm's kernel.
    expect(relativeDifference(() => tf.add(x, tf.ones([5])))).toBe(0);
    expect(Array.from(tf.add(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3, 4], 'int32')).dataSync())).toEqual([4, 6]);
    tf.dispose([x, y]);
  });

  it('relu gradient, first and second order', () => {
    const x = tf.randomNormal([3, 9, 7, 5], 0, 1, 'float32', 10);
    const probe = tf.randomNormal(x.shape, 0, 1, 'float32', 11);
    const firstOrder = () => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), probe)))(x);
    const secondOrder = () => tf.grad((p: tf.Tensor) => tf.sum(tf.square(tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), p)))(x))))(probe);
    expect(relativeDifference(firstOrder)).toBe(0);
    expect(relativeDifference(secondOrder)).toBe(0);
    tf.dispose([x, probe]);
  });

  it('the bias gradient the filter-gradient kernel sums on its way equals the one computed alone', () => {
    const x = tf.randomNormal([3, 9, 8, 5], 0, 1, 'float32', 20) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 5, 12], 0, 1, 'float32', 21) as tf.Tensor4D;
    const bias = tf.randomNormal([12], 0, 1, 'float32', 22) as tf.Tensor1D;
    const probe = tf.randomNormal([3, 9, 8, 12], 0, 1, 'float32', 23);
    const loss = (w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2d(x, w as tf.Tensor4D, b as tf.Tensor1D, 1), probe));
    const [, together] = tf.grads(loss)([filter, bias]);
    const alone = tf.grad((b: tf.Tensor) => loss(filter, b))(bias);
    // Summed in another order: equal to float32 rounding.
    const a = alone.dataSync();
    together!.dataSync().forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 4));
    tf.dispose([x, filter, bias, probe, together!, alone]);
  });

  it("a conv bias's gradient (a sum over all but the channels) and that gradient's own gradient", () => {
    const x = tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 12) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 3, 11], 0, 1, 'float32', 13) as tf.Tensor4D;
    const bias = tf.randomNormal([11], 0, 1, 'float32', 14);
    const probe = tf.randomNormal([2, 6, 5, 11], 0, 1, 'float32', 15);
    const biasGrad = (p: tf.Tensor) => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(conv2d(x, filter, b as tf.Tensor1D, 1), p)))(bias);
    expect(relativeDifference(() => biasGrad(probe))).toBeLessThan(1e-5);
    expect(relativeDifference(() => tf.grad((p: tf.Tensor) => tf.sum(tf.square(biasGrad(p))))(probe))).toBeLessThan(1e-5);
    tf.dispose([x, filter, bias, probe]);
  });
});

describe('bad input', () => {
  it('a filter that does not fit the input channels is refused by name', () => {
    const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    const filter = tf.zeros([3, 3, 5, 2]) as tf.Tensor4D;
    expect(() => nativeConv3x3(x, filter, null, { stride: 1, padTop: 1, padLeft: 1, outH: 4, outW: 4 })).toThrow(
      'DdrlConv3x3: the filter [3,3,5,2] does not take 3 input channels',
    );
    tf.dispose([x, filter]);
  });

  it('the addon refuses tensors outside the heap instead of reading past it', () => {
    const load = loadNativeAddon();
    if (!load.addon) throw new Error(load.reason);
    const heap = new ArrayBuffer(1024);
    expect(() => load.addon.conv3x3(heap, 0, 0, -1, 4096, false, false, -1, 1, 4, 4, 1, 1, 4, 4, 1, 1, 1)).toThrow(
      /conv3x3: argument 4: 64 bytes at offset 4096 do not lie in the 1024-byte heap/,
    );
    expect(() => load.addon.conv3x3(heap, 0, 0, -1, 0, true, false, 1000, 1, 4, 4, 1, 1, 4, 4, 1, 1, 1)).toThrow(
      /conv3x3: argument 7: 64 bytes at offset 1000 do not lie in the 1024-byte heap/,
    );
    expect(() => load.addon.maxPoolArgmax(heap, 0, 0, 0, 1, 4, 4, 1, 9, 2, 3, 2, 1)).toThrow(/the last window lies outside the input/);
  });
});
