/**
 * Siamese augmentation for distillation (DSA, Zhao & Bilen 2021): one random
 * transformation drawn per matching step and applied alike to the real and the
 * synthetic batch, built from differentiable tensor ops so the synthetic pixels get
 * gradients through it. No flips: left and right are different actions.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Augmentation } from '@shared/config/augmentations.ts';
import type { Random } from '../random.ts';
import type { Augment } from './steps.ts';

/** Largest translation, in pixels (of 64). */
export const MAX_SHIFT = 4;
/** Brightness change: up to this share of the pixel range, either way. */
const MAX_BRIGHTNESS = 0.2;
/** Contrast factor range around each image's mean. */
const CONTRAST_RANGE = [0.8, 1.25] as const;
const PIXEL_RANGE = 255;

/** One draw of every parameter (the identity where an augmentation is off). */
export interface SiameseParams {
  readonly dx: number;
  readonly dy: number;
  /** Added to every pixel (0..255 scale). */
  readonly brightness: number;
  /** Factor on each pixel's distance from its image's mean. */
  readonly contrast: number;
}

export function drawSiameseParams(kinds: readonly Augmentation[], random: Random): SiameseParams {
  const on = (kind: Augmentation) => kinds.includes(kind);
  const shift = () => random.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
  const [low, high] = CONTRAST_RANGE;
  return {
    dx: on('translate') ? shift() : 0,
    dy: on('translate') ? shift() : 0,
    brightness: on('brightness') ? (2 * random.next() - 1) * MAX_BRIGHTNESS * PIXEL_RANGE : 0,
    contrast: on('contrast') ? low + random.next() * (high - low) : 1,
  };
}

/** The transformation `p` as a function of a batch [N, H, W, C]; translation fills with zeros. */
export function siameseAugment(p: SiameseParams): Augment {
  return (obs) => {
    let x = obs;
    if (p.dx !== 0 || p.dy !== 0) {
      const [n, h, w, c] = x.shape;
      // out[y][x] = in[y - dy][x - dx]: pad on the side the content moves away from, then crop.
      const padded = tf.pad(x, [
        [0, 0],
        [Math.max(p.dy, 0), Math.max(-p.dy, 0)],
        [Math.max(p.dx, 0), Math.max(-p.dx, 0)],
        [0, 0],
      ]);
      x = tf.slice(padded, [0, Math.max(-p.dy, 0), Math.max(-p.dx, 0), 0], [n, h, w, c]);
    }
    if (p.brightness !== 0) x = tf.add(x, p.brightness);
    if (p.contrast !== 1) {
      const mean = tf.mean(x, [1, 2, 3], true);
      x = tf.add(tf.mul(tf.sub(x, mean), p.contrast), mean);
    }
    return x;
  };
}
