import { describe, expect, it } from 'vitest';
import { byteDifference, decodeFrames, encodeFrames } from './frame-codec.ts';

describe('byte arithmetic of the frame codec', () => {
  // Every pair of byte values, so each wrap-around (borrow, carry) of the four-bytes-at-once path occurs.
  const a = Uint8Array.from({ length: 65536 + 4 }, (_, i) => i & 0xff);
  const b = Uint8Array.from({ length: 65536 + 4 }, (_, i) => (i >> 8) & 0xff);

  it('takes differences mod 256, four bytes at once or, unaligned, one at a time', () => {
    for (const offset of [0, 1]) {
      const x = a.subarray(offset, offset + 65536);
      const y = b.subarray(offset, offset + 65536);
      expect(byteDifference(x, y)).toEqual(Uint8Array.from(x, (v, i) => (v - y[i]! + 256) & 0xff));
    }
  });

  it('adds the frame-to-frame differences back when decoding, every pair of byte values included', () => {
    const frames = new Uint8Array(2 * 65536);
    frames.set(b.subarray(0, 65536), 0);
    frames.set(a.subarray(0, 65536), 65536);
    expect(decodeFrames(encodeFrames(frames, 65536), 65536)).toEqual(frames);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => byteDifference(a, b.subarray(1))).toThrow('Cannot take the difference of 65540 bytes to 65539.');
  });
});
