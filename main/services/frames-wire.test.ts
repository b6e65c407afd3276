import { describe, expect, it } from 'vitest';
import { FRAME_BYTES, framesFromWire } from '@shared/api/frames.ts';
import { encodeFrames } from '@shared/frame-codec.ts';
import { encodedFramesToWire, framesToWire } from './frames-wire.ts';

describe('frames on the wire', () => {
  it('round-trips frames byte for byte, made on the fly or as stored', () => {
    const frames = new Uint8Array(3 * FRAME_BYTES);
    for (let i = 0; i < frames.length; i++) frames[i] = (i * 2654435761) >>> 24;
    const wire = framesToWire(frames);
    expect(wire).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(framesFromWire(wire)).toEqual(frames);
    expect(framesFromWire(encodedFramesToWire(encodeFrames(frames, FRAME_BYTES)))).toEqual(frames);
  });

  it('names the byte count when the data is not whole frames', () => {
    expect(() => framesFromWire(encodedFramesToWire(encodeFrames(new Uint8Array(100), 100)))).toThrow('Frames decode to 100 bytes');
  });
});
