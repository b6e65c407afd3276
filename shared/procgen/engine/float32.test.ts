import { describe, expect, it } from 'vitest';
import { f32, fmaf } from './float32.ts';

/** (a, b, c, fmaf(a, b, c)) from glibc's fmaf, chosen where a*b+c rounded twice differs. */
const GLIBC_FMAF = [
  [10.0224094, 0.0867434368, 0.216153383, 1.08553159],
  [9.99765015, 0.527764797, 2.03768992, 7.31409788],
  [13.4866085, 0.288145602, 2.0169518, 5.90305853],
  [4.096982, 0.482636899, 1.47229767, 3.44965243],
  [3.59153771, 0.572625339, 0.428147256, 2.48475266],
  [13.1479893, 0.282719731, 1.11105323, 4.82824945],
] as const;

describe('fmaf', () => {
  it('rounds a*b+c once, like a fused multiply-add', () => {
    for (const [a, b, c, expected] of GLIBC_FMAF) {
      const [fa, fb, fc] = [f32(a), f32(b), f32(c)];
      expect(fmaf(fa, fb, fc)).toBe(f32(expected));
      expect(f32(f32(fa * fb) + fc)).not.toBe(f32(expected));
    }
  });

  it('breaks an exact double tie by the bits the double sum dropped', () => {
    // a*b = 1 + 2^-24 exactly (a float midpoint); c = 2^-80 pushes the true value above it.
    const a = f32(1 + 2 ** -12);
    const b = f32(1 + 2 ** -12);
    const c = 2 ** -80;
    // a*b = 1 + 2^-11 + 2^-24: halfway between two floats; c decides the direction.
    expect(fmaf(a, b, c)).toBe(f32(1 + 2 ** -11) + 2 ** -23);
    expect(fmaf(a, b, -c)).toBe(f32(1 + 2 ** -11));
  });
});
