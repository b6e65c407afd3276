/**
 * Frames as a patch against frames the receiver holds: the runs of bytes that differ,
 * each as its byte differences (mod 256). Where distillation moved a few pixels, a
 * patch is a few kilobytes and applying it touches only those bytes, where adding a
 * whole 1.8 MB difference back cost the page ~15 ms per snapshot.
 *
 * Layout (every number an unsigned LEB128 varint): the frames' length, then per run the
 * equal bytes skipped since the previous run, the run's length, and its differences.
 */

/** Equal bytes a run absorbs rather than ending: shorter gaps cost more in run headers than they save. */
const MERGE_GAP = 8;

/** The patch that turns `base` into `frames` (same length). */
export function patchOf(frames: Uint8Array, base: Uint8Array): Uint8Array {
  if (frames.length !== base.length) throw new RangeError(`A patch needs frames of equal length, got ${frames.length} and ${base.length} bytes.`);
  const n = frames.length;
  // Runs are at least MERGE_GAP + 1 bytes apart, and each has at most two 5-byte headers.
  const out = new Uint8Array(5 + n + 10 * (Math.floor(n / (MERGE_GAP + 1)) + 1));
  let at = writeVarint(out, 0, n);
  // Equal stretches are skipped four bytes at a time where both arrays allow it (most of a snapshot is unchanged).
  const aligned = frames.byteOffset % 4 === 0 && base.byteOffset % 4 === 0;
  const frameWords = aligned ? new Uint32Array(frames.buffer, frames.byteOffset, n >> 2) : null;
  const baseWords = aligned ? new Uint32Array(base.buffer, base.byteOffset, n >> 2) : null;
  let from = 0;
  for (;;) {
    let start = from;
    if (frameWords && baseWords) {
      while (start % 4 !== 0 && start < n && frames[start] === base[start]) start++;
      if (start % 4 === 0) {
        let word = start >> 2;
        while (word < frameWords.length && frameWords[word] === baseWords[word]) word++;
        start = word << 2;
      }
    }
    while (start < n && frames[start] === base[start]) start++;
    if (start === n) break;
    let last = start;
    // A run absorbs up to MERGE_GAP equal bytes between two that differ.
    for (let i = start + 1; i < n && i - last <= MERGE_GAP + 1; i++) if (frames[i] !== base[i]) last = i;
    const end = last + 1;
    at = writeVarint(out, at, start - from);
    at = writeVarint(out, at, end - start);
    for (let i = start; i < end; i++) out[at++] = (frames[i]! - base[i]!) & 0xff;
    from = end;
  }
  return out.subarray(0, at);
}

/** `base` with `patch` applied, as a new array (`base` is left as it was). */
export function applyPatch(base: Uint8Array, patch: Uint8Array): Uint8Array {
  const cursor = { at: 0 };
  const length = readVarint(patch, cursor);
  if (length !== base.length) {
    throw new RangeError(`The patch is for ${length} bytes of frames, but the frames it applies to have ${base.length}: the data is damaged.`);
  }
  const out = base.slice();
  let position = 0;
  while (cursor.at < patch.length) {
    position += readVarint(patch, cursor);
    const count = readVarint(patch, cursor);
    if (position + count > length || cursor.at + count > patch.length)
      throw new RangeError('The patch runs past its frames or its own end: the data is damaged.');
    for (let i = 0; i < count; i++) out[position + i] = (out[position + i]! + patch[cursor.at + i]!) & 0xff;
    position += count;
    cursor.at += count;
  }
  return out;
}

function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
}

function readVarint(bytes: Uint8Array, cursor: { at: number }): number {
  let value = 0;
  for (let scale = 1; ; scale *= 0x80) {
    if (cursor.at >= bytes.length || scale > 2 ** 35) throw new RangeError('The patch ends inside a number: the data is damaged.');
    const byte = bytes[cursor.at++]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
  }
}
