/**
 * The host's side of `framesFromWire` (shared/api/frames.ts). Stored blobs of
 * frames that compress well go out as they are stored; frames made on the fly
 * (re-simulated episodes, gathered samples) are encoded at level 1; a synthetic
 * set, which deflate barely shrinks, goes out as plain frames, inflated here with
 * native zlib (~7 ms for 150 samples) so the page does no decoding at all, or as
 * its difference to a snapshot the page already holds.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { FRAME_BYTES, type WireFrames } from '@shared/api/frames.ts';
import { decodeFrames, encodeFrames } from '@shared/frame-codec.ts';
import { patchOf } from '@shared/frame-patch.ts';

export function encodedFramesToWire(encoded: Uint8Array): WireFrames {
  return { encoding: 'codec', bytes: encoded };
}

export function framesToWire(frames: Uint8Array): WireFrames {
  return encodedFramesToWire(encodeFrames(frames, FRAME_BYTES, 1));
}

export function rawFramesToWire(frames: Uint8Array): WireFrames {
  return { encoding: 'raw', bytes: frames };
}

/**
 * Frames as a patch against `held`, frames the caller holds (native zlib, level 1); no bytes at
 * all when they are the same (the paper's step size leaves a snapshot's 0..255 view as it was),
 * so the page has nothing to inflate.
 */
export function relativeFramesToWire(frames: Uint8Array, held: Uint8Array): WireFrames {
  if (sameBytes(frames, held)) return { encoding: 'relative', bytes: new Uint8Array(0) };
  return { encoding: 'relative', bytes: deflateRawSync(patchOf(frames, held), { level: 1 }) };
}

/** Byte-for-byte equal (the same array, as decoded blobs found again are, costs nothing). */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a === b || (a.length === b.length && Buffer.compare(a, b) === 0);

/** Blobs decoded lately, with their frames: a page asks next for the difference to a snapshot it was just sent. */
const recentlyDecoded: { readonly encoded: Uint8Array; readonly frames: Uint8Array }[] = [];
const RECENTLY_DECODED = 4;

/**
 * A stored blob of frames decoded with native zlib, or found among the last few
 * decoded (compared by content, which costs a memcmp: a blob is the same snapshot
 * whatever run or row it is read from). The frames are shared: read them, never write.
 */
export function decodeStoredFrames(encoded: Uint8Array): Uint8Array {
  const known = recentlyDecoded.find((entry) => sameBytes(entry.encoded, encoded));
  if (known) return known.frames;
  const frames = decodeFrames(encoded, FRAME_BYTES, (data) => {
    const inflated = inflateRawSync(data);
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
  });
  recentlyDecoded.unshift({ encoded, frames });
  recentlyDecoded.length = Math.min(recentlyDecoded.length, RECENTLY_DECODED);
  return frames;
}
