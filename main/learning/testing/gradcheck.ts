/**
 * Finite-difference checks for tests. tfjs has no float64 on wasm, so derivatives are
 * compared with central differences in float32 at a few coordinates: with eps = 1e-2
 * the truncation error is O(eps^2) ~ 1e-4 relative for the smooth probes used, and the
 * rounding error ~ 1e-7 * |f| / eps ~ 1e-5 |f|, hence the default tolerance of 1e-2
 * relative plus a small absolute floor.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface Mismatch {
  readonly index: number;
  readonly analytic: number;
  readonly numeric: number;
}

/**
 * Compares the gradient of scalar f at `at` with central differences at `samples`
 * coordinates; returns the coordinates that disagree beyond tolerance.
 */
export function checkGradient(
  f: (x: tf.Tensor) => tf.Scalar,
  at: tf.Tensor,
  options: { samples?: number; eps?: number; rtol?: number; atol?: number } = {},
): Mismatch[] {
  const { samples = 6, eps = 1e-2, rtol = 1e-2, atol = 1e-3 } = options;
  const analytic = tf.tidy(() => tf.grad(f)(at).dataSync());
  const base = Float32Array.from(at.dataSync());
  const value = (values: Float32Array): number => tf.tidy(() => f(tf.tensor(values, at.shape)).dataSync()[0]!);
  const bad: Mismatch[] = [];
  const stride = Math.max(1, Math.floor(base.length / samples));
  for (let k = 0; k < samples && k * stride < base.length; k++) {
    const i = (k * stride + 7 * k) % base.length;
    const plus = base.slice();
    plus[i] = base[i]! + eps;
    const minus = base.slice();
    minus[i] = base[i]! - eps;
    const numeric = (value(plus) - value(minus)) / (2 * eps);
    const a = analytic[i]!;
    if (Math.abs(a - numeric) > atol + rtol * Math.max(Math.abs(a), Math.abs(numeric))) bad.push({ index: i, analytic: a, numeric });
  }
  return bad;
}

/** Distinct values spaced `gap` apart in random order: finite differences never flip a max or a relu. */
export function separatedValues(shape: number[], gap: number, seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  let s = seed >>> 0;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < n; i++) values[i] = (order[i]! - n / 2 + 0.5) * gap;
  return tf.tensor(values, shape);
}

/**
 * Directional form, for functions of many inputs whose per-coordinate derivatives are
 * below float32's resolution of f: compares <grad f, d> with (f(x + eps d) - f(x - eps d)) / 2eps.
 * Directions along the gradient give the largest signal over float32 noise.
 */
export function directionalDerivative(f: (x: tf.Tensor) => tf.Scalar, at: tf.Tensor, eps: number, direction: tf.Tensor): { analytic: number; numeric: number } {
  return tf.tidy(() => {
    const analytic = tf.sum(tf.mul(tf.grad(f)(at), direction)).dataSync()[0]!;
    const plus = f(tf.add(at, tf.mul(direction, eps))).dataSync()[0]!;
    const minus = f(tf.sub(at, tf.mul(direction, eps))).dataSync()[0]!;
    return { analytic, numeric: (plus - minus) / (2 * eps) };
  });
}

/** Unit-RMS directions mixing the (normalised) gradient and random noise in the given proportions. */
export function mixedDirection(f: (x: tf.Tensor) => tf.Scalar, at: tf.Tensor, gradientShare: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const unitRms = (t: tf.Tensor) => tf.div(t, tf.sqrt(tf.mean(tf.square(t))));
    const g = unitRms(tf.grad(f)(at));
    const r = tf.randomNormal(at.shape, 0, 1, 'float32', seed);
    return unitRms(tf.add(tf.mul(g, gradientShare), tf.mul(r, 1 - gradientShare)));
  });
}
