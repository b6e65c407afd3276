import { describe, expect, it } from 'vitest';
import { FRAME_BYTES, framesFromRelativeWire, framesFromWire } from '@shared/api/frames.ts';
import { encodeFrames } from '@shared/frame-codec.ts';
import { decodeStoredFrames, encodedFramesToWire, framesToWire, rawFramesToWire, relativeFramesToWire } from './frames-wire.ts';

describe('frames on the wire', () => {
  const frames = new Uint8Array(3 * FRAME_BYTES);
  for (let i = 0; i < frames.length; i++) frames[i] = (i * 2654435761) >>> 24;

  it('round-trips frames byte for byte: made on the fly, as stored, or plain', () => {
    const wire = framesToWire(frames);
    expect(wire.encoding).toBe('codec');
    expect(framesFromWire(wire)).toEqual(frames);
    const stored = encodeFrames(frames, FRAME_BYTES);
    expect(framesFromWire(encodedFramesToWire(stored))).toEqual(frames);
    // A stored blob decoded by the host's native zlib, sent plain: what the page gets needs no decoding.
    const plain = rawFramesToWire(decodeStoredFrames(stored));
    expect(plain.encoding).toBe('raw');
    expect(framesFromWire(plain)).toEqual(frames);
  });

  it('sends frames as a patch against frames the page holds: a few changed pixels are a few bytes, decoded exactly', async () => {
    const held = frames.slice();
    const moved = frames.slice();
    // Wrapping both ways: 250 + 10 and 3 - 7 (mod 256), at an odd offset.
    moved[1] = 250;
    held[1] = 240;
    moved[FRAME_BYTES + 3] = 3;
    held[FRAME_BYTES + 3] = 7;
    const wire = relativeFramesToWire(moved, held);
    expect(wire.encoding).toBe('relative');
    expect(wire.bytes.length).toBeLessThan(frames.length / 100);
    expect(await framesFromRelativeWire(wire, held)).toEqual(moved);
    // Against other frames than its own base it decodes to them plus the difference: the base is the caller's to name right.
    expect(await framesFromRelativeWire(wire, moved)).not.toEqual(moved);
    expect(() => framesFromWire(wire)).toThrow('decode them with framesFromRelativeWire');
    // Not one byte changed: no bytes at all, and the held frames themselves come back (shared, not copied).
    const same = relativeFramesToWire(held.slice(), held);
    expect(same.bytes.length).toBe(0);
    expect(await framesFromRelativeWire(same, held)).toBe(held);
    await expect(framesFromRelativeWire(wire, held.subarray(FRAME_BYTES))).rejects.toThrow(
      `The patch is for ${3 * FRAME_BYTES} bytes of frames, but the frames it applies to have ${2 * FRAME_BYTES}: the data is damaged.`,
    );
  });

  it('names the byte count when the data is not whole frames', () => {
    expect(() => framesFromWire(encodedFramesToWire(encodeFrames(new Uint8Array(100), 100)))).toThrow('Frames decode to 100 bytes');
    expect(() => framesFromWire(rawFramesToWire(new Uint8Array(100)))).toThrow('100 bytes of frames is not a whole number of 12288-byte frames');
  });
});
