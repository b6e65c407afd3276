import { deflateSync, inflateSync } from 'fflate';

/** Bytes of one 64x64 RGB observation. */
export const FRAME_BYTES = 64 * 64 * 3;

/**
 * Frames on the wire: deflated raw uint8 RGB, base64 so the JSON transports
 * carry it. Level 1: frames are sent once per view, speed beats size.
 */
export function framesToWire(frames: Uint8Array): string {
  const packed = deflateSync(frames, { level: 1 });
  let text = '';
  // Chunks keep String.fromCharCode under the engines' argument limit.
  for (let i = 0; i < packed.length; i += 0x8000) text += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  return btoa(text);
}

export function framesFromWire(wire: string, frameBytes = FRAME_BYTES): Uint8Array {
  const text = atob(wire);
  const packed = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
  const frames = inflateSync(packed);
  if (frames.length % frameBytes !== 0) throw new RangeError(`Received ${frames.length} bytes of frames: not a whole number of ${frameBytes}-byte frames.`);
  return frames;
}
