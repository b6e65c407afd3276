import { z } from 'zod';
import { decodeFrames } from '../frame-codec.ts';

/** Bytes of one 64x64 RGB observation. */
export const FRAME_BYTES = 64 * 64 * 3;

/**
 * Frames on the wire, as bytes: the WebSocket carries them as a binary attachment
 * (`wire-message.ts`), Electron's IPC as they are, the HTTP endpoint as base64.
 * `codec`: the storage codec's bytes (frame deltas, deflated), sent as stored, for
 * frames that compress well (episodes: mostly unchanged pixels). `raw`: plain
 * uint8 frames, for frames that do not (a distilled set is noise to deflate: it
 * saves a quarter, and inflating costs the page ~30 ms a snapshot).
 */
export const wireFrames = z.object({
  encoding: z.enum(['codec', 'raw']),
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes (a Uint8Array)'),
});
export type WireFrames = z.infer<typeof wireFrames>;

export function framesFromWire(wire: WireFrames, frameBytes = FRAME_BYTES): Uint8Array {
  if (wire.encoding === 'codec') return decodeFrames(wire.bytes, frameBytes);
  if (wire.bytes.length % frameBytes !== 0) throw new RangeError(`${wire.bytes.length} bytes of frames is not a whole number of ${frameBytes}-byte frames.`);
  return wire.bytes;
}
