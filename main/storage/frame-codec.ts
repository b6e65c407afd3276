import { deflateSync, inflateSync } from 'fflate';

/**
 * Episode frames (uint8, frame after frame) compressed for SQLite. Each frame
 * is stored as its byte difference to the previous one before deflate:
 * consecutive Procgen frames differ in a few sprites, so the differences are
 * mostly zeros and compress far better than the frames themselves.
 */
export function encodeFrames(frames: Uint8Array, frameBytes: number): Uint8Array {
  if (frames.length % frameBytes !== 0) throw new RangeError(`${frames.length} bytes is not a whole number of ${frameBytes}-byte frames.`);
  const delta = new Uint8Array(frames.length);
  delta.set(frames.subarray(0, frameBytes));
  for (let i = frameBytes; i < frames.length; i++) delta[i] = (frames[i]! - frames[i - frameBytes]!) & 0xff;
  return deflateSync(delta, { level: 6 });
}

export function decodeFrames(encoded: Uint8Array, frameBytes: number): Uint8Array {
  const frames = inflateSync(encoded);
  if (frames.length % frameBytes !== 0)
    throw new RangeError(`Stored frames are ${frames.length} bytes, not a whole number of ${frameBytes}-byte frames: the data is damaged.`);
  for (let i = frameBytes; i < frames.length; i++) frames[i] = (frames[i]! + frames[i - frameBytes]!) & 0xff;
  return frames;
}
