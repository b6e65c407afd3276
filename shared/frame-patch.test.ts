import { describe, expect, it } from 'vitest';
import { applyPatch, patchOf } from './frame-patch.ts';

/** A deterministic byte sequence (a linear congruential generator), so every run checks the same data. */
function bytes(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24);
}

describe('frame patches', () => {
  const base = bytes(50_000, 1);

  it('turn the base into the frames, wrapping mod 256 both ways, and leave the base as it was', () => {
    const frames = base.slice();
    frames[0] = (base[0]! + 200) & 0xff;
    frames[17] = (base[17]! - 9) & 0xff;
    frames[26] = (base[26]! + 1) & 0xff; // 8 equal bytes after 17: absorbed into its run
    frames[40] = (base[40]! + 3) & 0xff; // 13 equal bytes after 26: a run of its own
    frames[49_999] = (base[49_999]! + 128) & 0xff;
    const before = base.slice();
    const patch = patchOf(frames, base);
    expect(applyPatch(base, patch)).toEqual(frames);
    expect(base).toEqual(before);
    // The length (3 bytes), then four runs, each its skip, its length and its bytes:
    // [0] 1+1+1, [17..26] 1+1+10, [40] 1+1+1, [49999] 3+1+1.
    expect(patch.length).toBe(3 + 3 + 12 + 3 + 5);
    // Views at an odd offset take the byte-by-byte path to the same patch.
    const odd = (array: Uint8Array) => {
      const copy = new Uint8Array(array.length + 1);
      copy.set(array, 1);
      return copy.subarray(1);
    };
    expect(patchOf(odd(frames), odd(base))).toEqual(patch);
  });

  it('carry frames that changed everywhere, and frames that did not change at all', () => {
    const other = bytes(50_000, 2);
    expect(applyPatch(base, patchOf(other, base))).toEqual(other);
    const none = patchOf(base, base);
    expect(none.length).toBe(3);
    expect(applyPatch(base, none)).toEqual(base);
  });

  it('refuse frames of another length and damaged patches, saying so', () => {
    expect(() => patchOf(base, base.subarray(1))).toThrow('A patch needs frames of equal length, got 50000 and 49999 bytes.');
    const frames = base.slice();
    frames[100] = frames[100]! ^ 1;
    const patch = patchOf(frames, base);
    expect(() => applyPatch(base.subarray(1), patch)).toThrow('The patch is for 50000 bytes of frames, but the frames it applies to have 49999');
    expect(() => applyPatch(base, patch.subarray(0, patch.length - 1))).toThrow('runs past its frames or its own end');
    expect(() => applyPatch(base, Uint8Array.from([0x80]))).toThrow('ends inside a number');
  });
});
