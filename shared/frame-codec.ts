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
  byteDifference(frames.subarray(frameBytes), frames.subarray(0, frames.length - frameBytes), delta.subarray(frameBytes));
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
 * frames[i] += frames[i - frameBytes] (mod 256), in place, in one pass (no view per
 * frame: a dataset's episodes hold tens of thousands). Four bytes per operation when aligned.
 */
function undoDeltas(frames: Uint8Array, frameBytes: number): void {
  if (frames.byteOffset % 4 === 0 && frameBytes % 4 === 0 && frames.length % 4 === 0) {
    const words = new Uint32Array(frames.buffer, frames.byteOffset, frames.length / 4);
    const stride = frameBytes / 4;
    for (let i = stride; i < words.length; i++) words[i] = addLanes(words[i]!, words[i - stride]!);
    return;
  }
  for (let i = frameBytes; i < frames.length; i++) frames[i] = (frames[i]! + frames[i - frameBytes]!) & 0xff;
}

/** Four bytes added lane by lane (mod 256) with no carry between lanes: add the low 7 bits, then xor in the top bits. */
function addLanes(x: number, y: number): number {
  return (((x & 0x7f7f7f7f) + (y & 0x7f7f7f7f)) ^ ((x ^ y) & 0x80808080)) >>> 0;
}

/**
 * frames - held (mod 256), byte by byte, into `out` (a new array unless given): all zeros
 * where nothing changed, so it deflates to almost nothing. Four bytes per operation when
 * all three are aligned.
 */
export function byteDifference(frames: Uint8Array, held: Uint8Array, out = new Uint8Array(frames.length)): Uint8Array {
  if (frames.length !== held.length) throw new RangeError(`Cannot take the difference of ${frames.length} bytes to ${held.length}.`);
  if (out.length !== frames.length) throw new RangeError(`Cannot write the difference of ${frames.length} bytes into ${out.length}.`);
  if (frames.byteOffset % 4 === 0 && held.byteOffset % 4 === 0 && out.byteOffset % 4 === 0 && frames.length % 4 === 0) {
    const a = new Uint32Array(frames.buffer, frames.byteOffset, frames.length / 4);
    const b = new Uint32Array(held.buffer, held.byteOffset, held.length / 4);
    const d = new Uint32Array(out.buffer, out.byteOffset, out.length / 4);
    for (let i = 0; i < a.length; i++) d[i] = subtractLanes(a[i]!, b[i]!);
    return out;
  }
  for (let i = 0; i < frames.length; i++) out[i] = (frames[i]! - held[i]!) & 0xff;
  return out;
}

/** Four bytes subtracted lane by lane (mod 256) with no borrow between lanes: set each minuend's top bit, clear the subtrahend's, then fix the top bits. */
function subtractLanes(x: number, y: number): number {
  return (((x | 0x80808080) - (y & 0x7f7f7f7f)) ^ ((x ^ ~y) & 0x80808080)) >>> 0;
}
