import { z } from 'zod';
import { decodeFrames } from '../frame-codec.ts';
import { applyPatch } from '../frame-patch.ts';

/** Bytes of one 64x64 RGB observation. */
export const FRAME_BYTES = 64 * 64 * 3;

/**
 * Frames on the wire, as bytes: the WebSocket carries them as a binary attachment
 * (`wire-message.ts`), Electron's IPC as they are, the HTTP endpoint as base64.
 * `codec`: the storage codec's bytes (frame deltas, deflated), sent as stored, for
 * frames that compress well (episodes: mostly unchanged pixels). `raw`: plain
 * uint8 frames, for frames that do not (a distilled set is noise to deflate: it
 * saves a quarter, and inflating costs the page ~30 ms a snapshot). `relative`: a
 * patch (`shared/frame-patch.ts`: the runs of bytes that differ) against frames the caller already holds and named in its
 * call (synthetic.get's `relativeTo`), raw-deflated, or no bytes where not one differs: a snapshot that moved few pixels
 * since the one on screen is a few kilobytes instead of 1.8 MB, which Chromium's
 * WebSocket takes 50-90 ms to receive on a loaded 2-core machine.
 */
export const wireFrames = z.object({
  encoding: z.enum(['codec', 'raw', 'relative']),
  bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes (a Uint8Array)'),
});
export type WireFrames = z.infer<typeof wireFrames>;

export function framesFromWire(wire: WireFrames, frameBytes = FRAME_BYTES): Uint8Array {
  if (wire.encoding === 'relative') throw new Error('These frames are relative to frames the caller holds: decode them with framesFromRelativeWire.');
  if (wire.encoding === 'codec') return decodeFrames(wire.bytes, frameBytes);
  if (wire.bytes.length % frameBytes !== 0) throw new RangeError(`${wire.bytes.length} bytes of frames is not a whole number of ${frameBytes}-byte frames.`);
  return wire.bytes;
}

/**
 * Frames of any encoding; `relative` ones are inflated natively (DecompressionStream,
 * in the page and in Node alike) and applied as a patch to `held`, the frames they were
 * taken against. Where not one byte differs, the result is `held` itself (no copy: a run's
 * unmoved snapshots share one array), so treat frames as read-only.
 */
export async function framesFromRelativeWire(wire: WireFrames, held: Uint8Array): Promise<Uint8Array> {
  if (wire.encoding !== 'relative') return framesFromWire(wire);
  if (wire.bytes.length === 0) return held;
  const inflated = new Response(new Blob([wire.bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw')));
  return applyPatch(held, new Uint8Array(await inflated.arrayBuffer()));
}
