import { describe, expect, it } from 'vitest';
import { addBytes, byteDifference } from './frame-codec.ts';

describe('byte arithmetic of the frame codec', () => {
  // Every pair of byte values, so each wrap-around (borrow, carry) of the four-bytes-at-once path occurs.
  const a = Uint8Array.from({ length: 65536 + 4 }, (_, i) => i & 0xff);
  const b = Uint8Array.from({ length: 65536 + 4 }, (_, i) => (i >> 8) & 0xff);

  it('takes and adds back differences mod 256, four bytes at once or, unaligned, one at a time', () => {
    for (const offset of [0, 1]) {
      const x = a.subarray(offset, offset + 65536);
      const y = b.subarray(offset, offset + 65536);
      const difference = byteDifference(x, y);
      expect(difference).toEqual(Uint8Array.from(x, (v, i) => (v - y[i]! + 256) & 0xff));
      addBytes(difference, y);
      expect(difference).toEqual(x);
    }
  });

  it('refuses arrays of different lengths', () => {
    expect(() => byteDifference(a, b.subarray(1))).toThrow('Cannot take the difference of 65540 bytes to 65539.');
    expect(() => addBytes(a, b.subarray(1))).toThrow('Cannot add 65539 bytes to 65540.');
  });
});
