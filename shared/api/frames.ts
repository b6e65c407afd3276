import { decodeFrames } from '../frame-codec.ts';

/** Bytes of one 64x64 RGB observation. */
export const FRAME_BYTES = 64 * 64 * 3;

/**
 * Frames on the wire: the storage codec's bytes (frame deltas, deflated), base64
 * so the JSON transports carry them. The host sends stored frames as they are
 * stored (`main/services/frames-wire.ts`), so it neither inflates nor deflates them.
 */
export function framesFromWire(wire: string, frameBytes = FRAME_BYTES): Uint8Array {
  const text = atob(wire);
  const packed = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
  return decodeFrames(packed, frameBytes);
}
