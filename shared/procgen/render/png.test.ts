import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from './png.ts';

interface Chunk {
  type: string;
  data: Uint8Array;
  crc: number;
  crcOfTypeAndData: number;
}

/** Splits a PNG into chunks with a reader independent of the encoder. */
function readChunks(png: Uint8Array): Chunk[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    chunks.push({ type, data, crc: view.getUint32(at + 8 + length), crcOfTypeAndData: crc32(png, at + 4, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** Decodes an 8-bit RGB PNG whose rows all use filter 0, with Node's zlib. */
function decodeRgb(png: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const chunks = readChunks(png);
  for (const c of chunks) expect(c.crc).toBe(c.crcOfTypeAndData);
  expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
  const width = header.getUint32(0);
  const height = header.getUint32(4);
  expect([header.getUint8(8), header.getUint8(9), header.getUint8(10), header.getUint8(11), header.getUint8(12)]).toEqual([8, 2, 0, 0, 0]);
  const raw = inflateSync(chunks[1]!.data);
  expect(raw.length).toBe((width * 3 + 1) * height);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    expect(raw[row]).toBe(0);
    rgb.set(raw.subarray(row + 1, row + 1 + width * 3), y * width * 3);
  }
  return { width, height, rgb };
}

describe('encodePng', () => {
  it('round-trips an RGB image through an independent zlib decoder, with the right size', () => {
    const width = 7;
    const height = 5;
    const rgb = new Uint8Array(width * height * 3).map((_, i) => (i * 37 + 11) & 255);
    const decoded = decodeRgb(encodePng(rgb, width, height));
    expect(decoded.width).toBe(width);
    expect(decoded.height).toBe(height);
    expect(decoded.rgb).toEqual(rgb);
  });

  it('encodes a frame that starts at an offset in a larger buffer', () => {
    const frames = new Uint8Array(2 * 4 * 4 * 3).map((_, i) => i);
    const decoded = decodeRgb(encodePng(frames, 4, 4, 48));
    expect(decoded.rgb).toEqual(frames.subarray(48));
  });

  it('matches the standard CRC-32 check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('refuses a size that does not fit the pixels, naming the sizes', () => {
    expect(() => encodePng(new Uint8Array(10), 4, 4)).toThrow(/4x4 RGB image needs 48 bytes from offset 0, the buffer has 10/);
    expect(() => encodePng(new Uint8Array(48), 0, 4)).toThrow(/PNG size 0x4 is invalid/);
  });
});
