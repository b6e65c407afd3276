/** For tests: what a WebM file holds, read without a decoder. */

/** A WebM's video blocks (one per frame) and frame size, read by walking its EBML elements. */
export function webmFacts(bytes: Uint8Array): { blocks: number; width: number; height: number } {
  // Segment, Cluster, Tracks, TrackEntry, Video, BlockGroup: descended into; everything else skipped.
  const masters = new Set([0x18538067, 0x1f43b675, 0x1654ae6b, 0xae, 0xe0, 0xa0]);
  const facts = { blocks: 0, width: 0, height: 0 };
  const uint = (at: number, length: number) => bytes.subarray(at, at + length).reduce((value, byte) => value * 256 + byte, 0);
  /** A variable-length integer: its value (an id keeps its length marker, a size does not) and length. */
  const vint = (at: number, keepMarker: boolean) => {
    const first = bytes[at]!;
    let length = 1;
    while (length < 8 && !(first & (0x80 >> (length - 1)))) length++;
    const value = uint(at + 1, length - 1) + (keepMarker ? first : first & (0xff >> length)) * 256 ** (length - 1);
    return { value, length, unknown: !keepMarker && value === 2 ** (7 * length) - 1 };
  };
  const walk = (start: number, end: number) => {
    for (let at = start; at < end;) {
      const id = vint(at, true);
      const size = vint(at + id.length, false);
      const body = at + id.length + size.length;
      const next = size.unknown ? end : body + size.value;
      if (masters.has(id.value)) walk(body, next);
      else if (id.value === 0xa3 || id.value === 0xa1) facts.blocks++;
      else if (id.value === 0xb0) facts.width = uint(body, size.value);
      else if (id.value === 0xba) facts.height = uint(body, size.value);
      at = next;
    }
  };
  walk(0, bytes.length);
  return facts;
}
