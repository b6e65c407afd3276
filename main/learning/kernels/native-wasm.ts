/**
 * The native kernels as TensorFlow.js kernels of the wasm backend. They read and write
 * the wasm heap in place (the backend's memory offsets), so a tensor never leaves the
 * backend: the ops they do not cover stay on XNNPACK, and gradients stay tfjs's (conv.ts,
 * pool.ts, relu-grad.ts and matmul-grad.ts build them from these primitives). Our own
 * kernels are not differentiable by themselves: callers wrap them in custom ops.
 * BatchMatMul replaces wasm's own kernel (transposed operands are slow there).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../native/addon.ts';

const CONV = 'DdrlConv3x3';
const CONV_FILTER_GRAD = 'DdrlConv3x3FilterGrad';
const MAX_POOL_ARGMAX = 'DdrlMaxPoolArgmax';
const MAX_POOL = 'DdrlMaxPool';
const AVG_POOL_2 = 'DdrlAvgPool2';
const AVG_POOL_2_SPREAD = 'DdrlAvgPool2Spread';
const GATHER_FLAT = 'DdrlGatherFlat';
const SCATTER_ADD_FLAT = 'DdrlScatterAddFlat';
const RELU_GRAD = 'DdrlReluGrad';
const SUM_TO_CHANNELS = 'DdrlSumToChannels';
const BROADCAST_CHANNELS = 'DdrlBroadcastChannels';
const ADAM_UPDATE = 'DdrlAdamUpdate';

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackend {
  readonly wasm: { readonly HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  getMemoryOffset(dataId: object): number;
}

/** Output rows/columns and where the 3x3 window starts: output (oy, ox) reads input (oy * stride + ky - padTop, ...). */
export interface ConvGeometry {
  readonly stride: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

/** How a conv kernel reads its input and writes its output. */
export interface ConvOptions {
  /** The filter is [3, 3, out, in], rotated 180 degrees: the input gradient of a stride-1 conv. */
  readonly transposedFilter?: boolean;
  /** x is read as relu(x): the conv of a relu, without the relu's own pass over memory. */
  readonly reluInput?: boolean;
  /** Zero the output wherever this tensor (the output's shape) is not positive: a relu's gradient, fused. */
  readonly mask?: tf.Tensor4D;
}

interface ConvAttrs extends ConvGeometry {
  readonly transposedFilter: boolean;
  readonly reluInput: boolean;
}

interface FilterGradAttrs extends ConvGeometry {
  readonly reluInput: boolean;
}

let enabled = false;

/**
 * The filter-gradient kernel sums dy over its pixels on the way (the conv's bias gradient);
 * the sums wait here, keyed by dy's data, for the bias gradient to ask (a second pass over
 * dy would cost more than the sum itself).
 */
const sumsOfDy = new WeakMap<object, Float32Array>();

/** Whether the learning kernels use the native ones (registered, on the wasm backend, not switched off). */
export function nativeKernelsActive(): boolean {
  return enabled && tf.getBackend() === 'wasm';
}

/** Switches the native kernels off and on (tests compare both paths; DDRL_NATIVE=0 never registers them). */
export function setNativeKernelsEnabled(on: boolean): void {
  enabled = on;
}

function shapeError(kernel: string, message: string): Error {
  return new Error(`${kernel}: ${message}`);
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A kernel body: the addon, helpers that name tensors by heap offset, the kernel's inputs and attributes. */
type NativeKernelFunc = (
  addon: NativeAddon,
  io: { heap: () => ArrayBuffer; at: (t: tf.TensorInfo) => number; output: (shape: number[], dtype?: tf.DataType) => tf.TensorInfo },
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
) => tf.TensorInfo | tf.TensorInfo[];

/** A replacement for one of wasm's own kernels: null hands the call back to the original. */
type ReplacingKernelFunc = (...args: Parameters<NativeKernelFunc>) => tf.TensorInfo | null;

/** Adam's scalars for one step (see AdamStep in native/src/kernels.h). */
export interface AdamStep {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly firstCorrection: number;
  readonly secondCorrection: number;
}

const KERNELS: Record<string, NativeKernelFunc> = {
  [CONV]: (addon, io, { x, filter, bias, mask }, attrs) => {
    const a = attrs as unknown as ConvAttrs;
    const [n, h, w, inC] = x!.shape as [number, number, number, number];
    const [, , filterIn, filterOut] = filter!.shape as [number, number, number, number];
    const [wantIn, outC] = a.transposedFilter ? [filterOut, filterIn] : [filterIn, filterOut];
    if (wantIn !== inC) throw shapeError(CONV, `the filter ${JSON.stringify(filter!.shape)} does not take ${inC} input channels`);
    if (bias && bias.shape[0] !== outC) throw shapeError(CONV, `bias of ${bias.shape[0]} values for ${outC} output channels`);
    if (mask && JSON.stringify(mask.shape) !== JSON.stringify([n, a.outH, a.outW, outC]))
      throw shapeError(CONV, `mask ${JSON.stringify(mask.shape)} is not the output's shape ${JSON.stringify([n, a.outH, a.outW, outC])}`);
    const out = io.output([n, a.outH, a.outW, outC]);
    addon.conv3x3(
      io.heap(),
      io.at(x!),
      io.at(filter!),
      bias ? io.at(bias) : -1,
      io.at(out),
      a.transposedFilter,
      a.reluInput,
      mask ? io.at(mask) : -1,
      n,
      h,
      w,
      inC,
      outC,
      a.outH,
      a.outW,
      a.stride,
      a.padTop,
      a.padLeft,
    );
    return out;
  },
  [CONV_FILTER_GRAD]: (addon, io, { x, dy }, attrs) => {
    const a = attrs as unknown as FilterGradAttrs;
    const [n, h, w, inC] = x!.shape as [number, number, number, number];
    const [dyN, outH, outW, outC] = dy!.shape as [number, number, number, number];
    if (dyN !== n || outH !== a.outH || outW !== a.outW)
      throw shapeError(CONV_FILTER_GRAD, `dy ${JSON.stringify(dy!.shape)} does not match the geometry of x ${JSON.stringify(x!.shape)}`);
    const out = io.output([3, 3, inC, outC]);
    const biasGradient = new Float32Array(outC);
    addon.conv3x3FilterGrad(
      io.heap(),
      io.at(x!),
      io.at(dy!),
      io.at(out),
      biasGradient,
      a.reluInput,
      n,
      h,
      w,
      inC,
      outC,
      outH,
      outW,
      a.stride,
      a.padTop,
      a.padLeft,
    );
    sumsOfDy.set(dy!.dataId, biasGradient);
    return out;
  },
  [MAX_POOL_ARGMAX]: (addon, io, { x }, attrs) => {
    const { size, stride, pad, outH, outW } = attrs as { size: number; stride: number; pad: number; outH: number; outW: number };
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    const argmax = io.output([n, outH, outW, c], 'int32');
    const maxima = io.output([n, outH, outW, c]);
    addon.maxPoolArgmax(io.heap(), io.at(x!), io.at(argmax), io.at(maxima), n, h, w, c, outH, outW, size, stride, pad);
    return [argmax, maxima];
  },
  [MAX_POOL]: (addon, io, { x }, attrs) => {
    const { size, stride, pad, outH, outW } = attrs as { size: number; stride: number; pad: number; outH: number; outW: number };
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    const out = io.output([n, outH, outW, c]);
    addon.maxPool(io.heap(), io.at(x!), io.at(out), n, h, w, c, outH, outW, size, stride, pad);
    return out;
  },
  [AVG_POOL_2]: (addon, io, { x }) => {
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    const out = io.output([n, Math.floor(h / 2), Math.floor(w / 2), c]);
    addon.avgPool2(io.heap(), io.at(x!), io.at(out), n, h, w, c);
    return out;
  },
  [AVG_POOL_2_SPREAD]: (addon, io, { dy }, attrs) => {
    const { shape } = attrs as { shape: [number, number, number, number] };
    const [n, h, w, c] = shape;
    if (JSON.stringify(dy!.shape) !== JSON.stringify([n, Math.floor(h / 2), Math.floor(w / 2), c]))
      throw shapeError(AVG_POOL_2_SPREAD, `dy ${JSON.stringify(dy!.shape)} is not the 2x2 pool of ${JSON.stringify(shape)}`);
    const out = io.output(shape);
    addon.avgPool2Spread(io.heap(), io.at(dy!), io.at(out), n, h, w, c);
    return out;
  },
  [GATHER_FLAT]: (addon, io, { values, indices }) => {
    const out = io.output([...indices!.shape]);
    addon.gatherFlat(io.heap(), io.at(values!), sizeOf(values!.shape), io.at(indices!), io.at(out), sizeOf(indices!.shape));
    return out;
  },
  [SCATTER_ADD_FLAT]: (addon, io, { values, indices }, attrs) => {
    const { shape } = attrs as { shape: number[] };
    const groups = shape[0]!;
    if (values!.shape[0] !== groups || indices!.shape[0] !== groups)
      throw shapeError(SCATTER_ADD_FLAT, `values and indices must have ${groups} groups (the output's first axis)`);
    const out = io.output(shape);
    addon.scatterAddFlat(io.heap(), io.at(values!), io.at(indices!), io.at(out), groups, sizeOf(values!.shape) / groups, sizeOf(shape) / groups);
    return out;
  },
  [RELU_GRAD]: (addon, io, { dy, x }) => {
    const out = io.output([...x!.shape]);
    addon.reluGrad(io.heap(), io.at(dy!), io.at(x!), io.at(out), sizeOf(x!.shape));
    return out;
  },
  [SUM_TO_CHANNELS]: (addon, io, { x }) => {
    const channels = x!.shape[x!.shape.length - 1]!;
    const out = io.output([channels]);
    addon.sumToChannels(io.heap(), io.at(x!), io.at(out), sizeOf(x!.shape) / channels, channels);
    return out;
  },
  [ADAM_UPDATE]: (addon, io, { p, g, m, v }, attrs) => {
    const a = attrs as unknown as AdamStep;
    for (const t of [g, m, v])
      if (sizeOf(t!.shape) !== sizeOf(p!.shape))
        throw shapeError(ADAM_UPDATE, `${JSON.stringify(t!.shape)} does not match the parameter ${JSON.stringify(p!.shape)}`);
    const outs = [io.output([...p!.shape]), io.output([...p!.shape]), io.output([...p!.shape])] as const;
    const [pOut, mOut, vOut] = outs.map((t) => io.at(t));
    addon.adamUpdate(
      io.heap(),
      io.at(p!),
      io.at(g!),
      io.at(m!),
      io.at(v!),
      pOut!,
      mOut!,
      vOut!,
      sizeOf(p!.shape),
      a.learningRate,
      a.beta1,
      a.beta2,
      a.epsilon,
      a.firstCorrection,
      a.secondCorrection,
    );
    return [...outs];
  },
  [BROADCAST_CHANNELS]: (addon, io, { v }, attrs) => {
    const { shape } = attrs as { shape: number[] };
    const channels = v!.shape[0]!;
    if (shape[shape.length - 1] !== channels) throw shapeError(BROADCAST_CHANNELS, `${channels} channels cannot fill ${JSON.stringify(shape)}`);
    const out = io.output(shape);
    addon.broadcastChannels(io.heap(), io.at(v!), io.at(out), sizeOf(shape) / channels, channels);
    return out;
  },
};

/**
 * wasm's BatchMatMul, natively, for operands whose batch axes match or broadcast as a whole
 * (what tfjs's matMul produces for our layers); anything else goes to wasm's own kernel.
 */
const batchMatMul: ReplacingKernelFunc = (addon, io, { a, b }, attrs) => {
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const [aOuter, bOuter] = [a!.shape.slice(0, -2), b!.shape.slice(0, -2)];
  const [batchA, batchB] = [sizeOf(aOuter), sizeOf(bOuter)];
  const sameOuter = aOuter.length === bOuter.length && aOuter.every((d, i) => d === bOuter[i]);
  const outer = batchA === 1 ? bOuter : aOuter;
  if (!sameOuter && batchA !== 1 && batchB !== 1) return null;
  const [ar, ac] = a!.shape.slice(-2) as [number, number];
  const [br, bc] = b!.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [kb, n] = transposeB ? [bc, br] : [br, bc];
  if (k !== kb) throw shapeError(tf.BatchMatMul, `inner dimensions ${k} and ${kb} differ (shapes ${JSON.stringify(a!.shape)}, ${JSON.stringify(b!.shape)})`);
  const out = io.output([...outer, m, n]);
  addon.matmul(io.heap(), io.at(a!), io.at(b!), io.at(out), Math.max(batchA, batchB), batchA, batchB, m, k, n, transposeA, transposeB);
  return out;
};

/** wasm's Relu and Add, multithreaded, for float32 (Add: operands of one shape, no broadcasting). */
const relu: ReplacingKernelFunc = (addon, io, { x }) => {
  if (x!.dtype !== 'float32') return null;
  const out = io.output([...x!.shape]);
  addon.relu(io.heap(), io.at(x!), io.at(out), sizeOf(x!.shape));
  return out;
};

const add: ReplacingKernelFunc = (addon, io, { a, b }) => {
  if (a!.dtype !== 'float32' || b!.dtype !== 'float32' || a!.shape.length !== b!.shape.length || a!.shape.some((d, i) => d !== b!.shape[i])) return null;
  const out = io.output([...a!.shape]);
  addon.add(io.heap(), io.at(a!), io.at(b!), io.at(out), sizeOf(a!.shape));
  return out;
};

/** wasm's own kernels that ours replace, kept for what ours hand back (and for when ours are off). */
const replaced = new Map<string, tf.KernelFunc>();

export function registerNativeWasmKernels(addon: NativeAddon): void {
  const replacing: Record<string, ReplacingKernelFunc> = { [tf.BatchMatMul]: batchMatMul, [tf.Relu]: relu, [tf.Add]: add };
  for (const name of Object.keys(replacing)) {
    const own = replaced.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
    if (own) replaced.set(name, own);
    else delete replacing[name];
  }
  for (const [kernelName, body] of [...Object.entries(KERNELS), ...Object.entries(replacing)]) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    const original = replaced.get(kernelName);
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as unknown as WasmBackend;
        const io = {
          // Read after every output is made: an allocation may grow the heap (a new ArrayBuffer).
          heap: () => b.wasm.HEAPU8.buffer as ArrayBuffer,
          at: (t: tf.TensorInfo) => b.getMemoryOffset(t.dataId),
          output: (shape: number[], dtype: tf.DataType = 'float32') => b.makeOutput(shape, dtype),
        };
        const result = original && !enabled ? null : body(addon, io, inputs as Record<string, tf.TensorInfo>, (attrs ?? {}) as Record<string, unknown>);
        return result ?? (original!({ inputs, backend, attrs }) as tf.TensorInfo);
      },
    });
  }
  enabled = true;
}

/** y = conv(x, W) (+ bias), read and written as the options say. */
export function nativeConv3x3(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null, geometry: ConvGeometry, options: ConvOptions = {}): tf.Tensor4D {
  const attrs: ConvAttrs = { ...geometry, transposedFilter: options.transposedFilter ?? false, reluInput: options.reluInput ?? false };
  const inputs: tf.NamedTensorMap = { x, filter, ...(bias ? { bias } : {}), ...(options.mask ? { mask: options.mask } : {}) };
  return tf.engine().runKernel(CONV, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** dW [3, 3, in, out] of y = conv(x, W) (of relu(x) with `reluInput`) for upstream gradient dy. */
export function nativeConv3x3FilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, geometry: ConvGeometry, reluInput = false): tf.Tensor4D {
  const attrs: FilterGradAttrs = { ...geometry, reluInput };
  return tf.engine().runKernel(CONV_FILTER_GRAD, { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Flat index (batch included) of each max-pool window's first maximum, and that maximum. */
export function nativeMaxPoolArgmax(
  x: tf.Tensor4D,
  size: number,
  stride: number,
  pad: number,
  outH: number,
  outW: number,
): { argmax: tf.Tensor4D; maxima: tf.Tensor4D } {
  const [argmax, maxima] = tf.engine().runKernel(MAX_POOL_ARGMAX, { x }, { size, stride, pad, outH, outW }) as unknown as [tf.Tensor4D, tf.Tensor4D];
  return { argmax, maxima };
}

/** Max over each window (padding never wins). */
export function nativeMaxPool(x: tf.Tensor4D, size: number, stride: number, pad: number, outH: number, outW: number): tf.Tensor4D {
  return tf.engine().runKernel(MAX_POOL, { x }, { size, stride, pad, outH, outW }) as tf.Tensor4D;
}

/** 2x2 average pool, stride 2 (odd last rows/columns dropped). */
export function nativeAvgPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.engine().runKernel(AVG_POOL_2, { x }, {}) as tf.Tensor4D;
}

/** The adjoint of nativeAvgPool2: a quarter of each dy over its 2x2 block of `shape`. */
export function nativeAvgPool2Spread(dy: tf.Tensor4D, shape: [number, number, number, number]): tf.Tensor4D {
  return tf.engine().runKernel(AVG_POOL_2_SPREAD, { dy }, { shape }) as tf.Tensor4D;
}

/** out[i] = flat(values)[indices[i]], shaped like indices. */
export function nativeGatherFlat(values: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(GATHER_FLAT, { values, indices }, {}) as tf.Tensor;
}

/**
 * A tensor of `shape`, zero but for flat(values)[i] added at flat index indices[i]. The first
 * axis is a batch: the indexes of values[b] lie within the output's [b] (as an argmax's do).
 */
export function nativeScatterAddFlat<T extends tf.Tensor>(values: tf.Tensor, indices: tf.Tensor, shape: T['shape']): T {
  return tf.engine().runKernel(SCATTER_ADD_FLAT, { values, indices }, { shape }) as T;
}

/** dy where x > 0, else 0. */
export function nativeReluGrad<T extends tf.Tensor>(dy: T, x: T): T {
  return tf.engine().runKernel(RELU_GRAD, { dy, x }, {}) as T;
}

/** Sum over every axis but the last (from the filter-gradient kernel's pass over x when it had one). */
export function nativeSumToChannels(x: tf.Tensor): tf.Tensor1D {
  const summed = sumsOfDy.get(x.dataId);
  if (summed) return tf.tensor1d(summed);
  return tf.engine().runKernel(SUM_TO_CHANNELS, { x }, {}) as tf.Tensor1D;
}

/** One Adam step of parameter p with gradient g and moments m, v: [p', m', v'] (new tensors). */
export function nativeAdamUpdate(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, step: AdamStep): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.engine().runKernel(ADAM_UPDATE, { p, g, m, v }, step as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/** v [C] repeated into `shape` (whose last axis is C). */
export function nativeBroadcastChannels<T extends tf.Tensor>(v: tf.Tensor1D, shape: T['shape']): T {
  return tf.engine().runKernel(BROADCAST_CHANNELS, { v }, { shape }) as T;
}
