import { deflateSync, inflateSync } from 'fflate';

/**
 * Frames (uint8, frame after frame) compressed, in SQLite and on the wire alike
 * (so a stored blob is sent as it is). Each frame is kept as its byte difference
 * to the previous one before deflate: consecutive Procgen frames differ in a few
 * sprites, so the differences are mostly zeros and compress far better than the
 * frames themselves. Level 6 for storage (written once); 1 where speed beats size.
 */
export function encodeFrames(frames: Uint8Array, frameBytes: number, level: 1 | 6 = 6): Uint8Array {
  if (frames.length % frameBytes !== 0) throw new RangeError(`${frames.length} bytes is not a whole number of ${frameBytes}-byte frames.`);
  const delta = new Uint8Array(frames.length);
  delta.set(frames.subarray(0, frameBytes));
  for (let i = frameBytes; i < frames.length; i++) delta[i] = (frames[i]! - frames[i - frameBytes]!) & 0xff;
  return deflateSync(delta, { level });
}

/** `inflate`: raw DEFLATE decompression; the host passes Node's native zlib, about 3x faster than fflate. */
export function decodeFrames(encoded: Uint8Array, frameBytes: number, inflate: (data: Uint8Array) => Uint8Array = inflateSync): Uint8Array {
  const frames = inflate(encoded);
  if (frames.length % frameBytes !== 0)
    throw new RangeError(`Frames decode to ${frames.length} bytes, not a whole number of ${frameBytes}-byte frames: the data is damaged.`);
  undoDeltas(frames, frameBytes);
  return frames;
}

/**
 * Decodes straight into `out` (exactly the decoded size: the caller knows the
 * frame count), so loading a dataset makes no per-episode copies.
 */
export function decodeFramesInto(encoded: Uint8Array, frameBytes: number, out: Uint8Array): void {
  const written = inflateSync(encoded, { out });
  if (written.length !== out.length || written.buffer !== out.buffer) {
    throw new RangeError(`Frames decode to ${written.length} bytes, expected ${out.length} (${out.length / frameBytes} frames): the data is damaged.`);
  }
  undoDeltas(out, frameBytes);
}

/**
 * frames[i] += frames[i - frameBytes] (mod 256), in place. Four bytes per
 * operation when aligned: per-byte addition without carries between bytes
 * (add the low 7 bits, then xor in the top bits).
 */
function undoDeltas(frames: Uint8Array, frameBytes: number): void {
  if (frames.byteOffset % 4 === 0 && frameBytes % 4 === 0 && frames.length % 4 === 0) {
    const words = new Uint32Array(frames.buffer, frames.byteOffset, frames.length / 4);
    const stride = frameBytes / 4;
    for (let i = stride; i < words.length; i++) {
      const a = words[i]!;
      const b = words[i - stride]!;
      words[i] = (((a & 0x7f7f7f7f) + (b & 0x7f7f7f7f)) ^ ((a ^ b) & 0x80808080)) >>> 0;
    }
    return;
  }
  for (let i = frameBytes; i < frames.length; i++) frames[i] = (frames[i]! + frames[i - frameBytes]!) & 0xff;
}
