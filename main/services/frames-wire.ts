/**
 * The host's side of `framesFromWire` (shared/api/frames.ts): frames as the
 * storage codec's bytes in base64. Stored blobs go out as they are; frames made
 * on the fly (re-simulated episodes, gathered samples) are encoded at level 1.
 */
import { FRAME_BYTES } from '@shared/api/frames.ts';
import { encodeFrames } from '@shared/frame-codec.ts';

export function encodedFramesToWire(encoded: Uint8Array): string {
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength).toString('base64');
}

export function framesToWire(frames: Uint8Array): string {
  return encodedFramesToWire(encodeFrames(frames, FRAME_BYTES, 1));
}
