/**
 * WebM (VP8) from RGB frames, in Node: each frame becomes a lossy WebP (libwebp compiled to
 * WebAssembly, @jsquash/webp), whose bitstream is a VP8 key frame, and webm-muxer puts those
 * frames in a WebM file. Every frame is a key frame: larger than an inter-coded video, but
 * frame-exact to seek, and no video encoder is needed (Node has none).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import encodeWebp, { init } from '@jsquash/webp/encode.js';
import { ArrayBufferTarget, Muxer } from 'webm-muxer';

/** libwebp's quality (0..100): Procgen's flat colours stay clean at 90. */
const QUALITY = 90;

let ready: Promise<unknown> | undefined;

/** Instantiates the encoder once, from the package's own file (the browser build would fetch it). */
function encoderReady(): Promise<unknown> {
  return (ready ??= init({ wasmBinary: readFileSync(createRequire(import.meta.url).resolve('@jsquash/webp/codec/enc/webp_enc_simd.wasm')) }));
}

/** The VP8 bitstream inside a WebP file (its 'VP8 ' chunk). */
function vp8Of(webp: Uint8Array): Uint8Array {
  const view = new DataView(webp.buffer, webp.byteOffset, webp.byteLength);
  for (let at = 12; at + 8 <= webp.length;) {
    const size = view.getUint32(at + 4, true);
    if (String.fromCharCode(...webp.subarray(at, at + 4)) === 'VP8 ') return webp.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size & 1);
  }
  throw new Error('libwebp wrote no lossy VP8 bitstream');
}

export async function encodeWebm(frames: readonly Uint8Array[], width: number, height: number, fps: number): Promise<Uint8Array> {
  await encoderReady();
  const muxer = new Muxer({ target: new ArrayBufferTarget(), video: { codec: 'V_VP8', width, height, frameRate: fps } });
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const [t, rgb] of frames.entries()) {
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgba[j] = rgb[i]!;
      rgba[j + 1] = rgb[i + 1]!;
      rgba[j + 2] = rgb[i + 2]!;
    }
    // The encoder reads data, width and height only: Node has no ImageData class.
    const webp = new Uint8Array(await encodeWebp({ data: rgba, width, height } as Parameters<typeof encodeWebp>[0], { quality: QUALITY }));
    muxer.addVideoChunkRaw(vp8Of(webp), 'key', Math.round((t * 1e6) / fps));
  }
  muxer.finalize();
  return new Uint8Array(muxer.target.buffer);
}
