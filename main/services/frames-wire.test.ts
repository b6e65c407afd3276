import { describe, expect, it } from 'vitest';
import { FRAME_BYTES, framesFromWire } from '@shared/api/frames.ts';
import { encodeFrames } from '@shared/frame-codec.ts';
import { decodeStoredFrames, encodedFramesToWire, framesToWire, rawFramesToWire } from './frames-wire.ts';

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

  it('names the byte count when the data is not whole frames', () => {
    expect(() => framesFromWire(encodedFramesToWire(encodeFrames(new Uint8Array(100), 100)))).toThrow('Frames decode to 100 bytes');
    expect(() => framesFromWire(rawFramesToWire(new Uint8Array(100)))).toThrow('100 bytes of frames is not a whole number of 12288-byte frames');
  });
});
