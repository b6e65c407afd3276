/**
 * Finds and loads the native kernels (`native/`, a Node-API addon that `npm install`
 * compiles with the machine's C++ compiler). Optional: where it did not build, or with
 * DDRL_NATIVE=0, the learning core runs on TensorFlow.js's kernels alone, and the
 * reason is reported next to the backend.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A 3x3 convolution's geometry, as the addon reads it (ConvGeometry in native/src/kernels.h). */
export type ConvGeometryArgs = [
  n: number,
  h: number,
  w: number,
  inChannels: number,
  outChannels: number,
  outH: number,
  outW: number,
  stride: number,
  padTop: number,
  padLeft: number,
];

/** A pooling's input [n, h, w, c], output size and windows. */
export type PoolArgs = [n: number, h: number, w: number, c: number, outH: number, outW: number, size: number, stride: number, pad: number];

/** What the addon exports (native/src/addon.cc); offsets are byte offsets into `heap`. */
export interface NativeAddon {
  conv3x3(
    heap: ArrayBuffer,
    x: number,
    filter: number,
    bias: number,
    y: number,
    transposedFilter: boolean,
    reluInput: boolean,
    mask: number,
    ...geometry: ConvGeometryArgs
  ): void;
  conv3x3FilterGrad(heap: ArrayBuffer, x: number, dy: number, dw: number, db: Float32Array, reluInput: boolean, ...geometry: ConvGeometryArgs): void;
  maxPoolArgmax(heap: ArrayBuffer, x: number, argmax: number, y: number, ...windows: PoolArgs): void;
  maxPool(heap: ArrayBuffer, x: number, y: number, ...windows: PoolArgs): void;
  avgPool2(heap: ArrayBuffer, x: number, y: number, n: number, h: number, w: number, c: number): void;
  avgPool2Spread(heap: ArrayBuffer, dy: number, dx: number, n: number, h: number, w: number, c: number): void;
  gatherFlat(heap: ArrayBuffer, values: number, valueCount: number, indices: number, out: number, count: number): void;
  scatterAddFlat(heap: ArrayBuffer, values: number, indices: number, out: number, groups: number, valuesPerGroup: number, outPerGroup: number): void;
  relu(heap: ArrayBuffer, x: number, y: number, count: number): void;
  add(heap: ArrayBuffer, a: number, b: number, y: number, count: number): void;
  adamUpdate(
    heap: ArrayBuffer,
    p: number,
    g: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    count: number,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    firstCorrection: number,
    secondCorrection: number,
  ): void;
  reluGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, count: number): void;
  sumToChannels(heap: ArrayBuffer, x: number, y: number, rows: number, channels: number): void;
  broadcastChannels(heap: ArrayBuffer, v: number, y: number, rows: number, channels: number): void;
  matmul(
    heap: ArrayBuffer,
    a: number,
    b: number,
    c: number,
    batch: number,
    batchA: number,
    batchB: number,
    m: number,
    k: number,
    n: number,
    transposeA: boolean,
    transposeB: boolean,
  ): void;
  info(): { isa: string; threads: number };
}

export type NativeLoad = { readonly addon: NativeAddon; readonly path: string } | { readonly addon: null; readonly reason: string };

const ADDON = join('native', 'build', 'Release', 'ddrl_kernels.node');

/** The built addon in the nearest folder above this module that has one (source and bundled layouts differ in depth). */
function findAddon(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, ADDON);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

let loaded: NativeLoad | undefined;

export function loadNativeAddon(): NativeLoad {
  if (loaded) return loaded;
  if (process.env.DDRL_NATIVE === '0') return (loaded = { addon: null, reason: 'disabled by DDRL_NATIVE=0' });
  const path = findAddon();
  if (!path)
    return (loaded = { addon: null, reason: `not built (${ADDON} is missing: run \`npm run build:native\`, which needs python3, make and a C++ compiler)` });
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return (loaded = { addon, path });
  } catch (error) {
    return (loaded = { addon: null, reason: `failed to load ${path} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` });
  }
}
