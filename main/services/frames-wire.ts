/**
 * The host's side of `framesFromWire` (shared/api/frames.ts). Stored blobs of
 * frames that compress well go out as they are stored; frames made on the fly
 * (re-simulated episodes, gathered samples) are encoded at level 1; a synthetic
 * set, which deflate barely shrinks, goes out as plain frames, inflated here with
 * native zlib (~7 ms for 150 samples) so the page does no decoding at all.
 */
import { inflateRawSync } from 'node:zlib';
import { FRAME_BYTES, type WireFrames } from '@shared/api/frames.ts';
import { decodeFrames, encodeFrames } from '@shared/frame-codec.ts';

export function encodedFramesToWire(encoded: Uint8Array): WireFrames {
  return { encoding: 'codec', bytes: encoded };
}

export function framesToWire(frames: Uint8Array): WireFrames {
  return encodedFramesToWire(encodeFrames(frames, FRAME_BYTES, 1));
}

export function rawFramesToWire(frames: Uint8Array): WireFrames {
  return { encoding: 'raw', bytes: frames };
}

/** A stored blob of frames decoded with native zlib. */
export function decodeStoredFrames(encoded: Uint8Array): Uint8Array {
  return decodeFrames(encoded, FRAME_BYTES, (data) => {
    const inflated = inflateRawSync(data);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
  });
}
