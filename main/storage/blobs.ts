/** Typed arrays to and from SQLite BLOBs (Buffers), copying so no view outlives its row. */
export function blobOf(array: ArrayBufferView): Buffer {
  return Buffer.from(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}

export function float32Of(blob: Uint8Array): Float32Array {
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

export function uint8Of(blob: Uint8Array): Uint8Array {
  return new Uint8Array(blob);
}

export const now = (): string => new Date().toISOString();
