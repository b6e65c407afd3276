import { describe, expect, it } from 'vitest';
import { FRAME_BYTES, framesFromWire, framesToWire } from './frames.ts';

describe('frames on the wire', () => {
  it('round-trips frames larger than one encoding chunk byte for byte', () => {
    const frames = new Uint8Array(3 * FRAME_BYTES);
    for (let i = 0; i < frames.length; i++) frames[i] = (i * 2654435761) >>> 24;
    const wire = framesToWire(frames);
    expect(wire).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(framesFromWire(wire)).toEqual(frames);
  });

  it('names the byte count when the data is not whole frames', () => {
    expect(() => framesFromWire(framesToWire(new Uint8Array(100)))).toThrow('Received 100 bytes of frames');
  });
});
