/**
 * The native kernels as TensorFlow.js kernels of the wasm backend. They read and write
 * the wasm heap in place (the backend's memory offsets), so a tensor never leaves the
 * backend: the rest of a step (elementwise ops, matMul, softmax) stays on XNNPACK, and
 * gradients stay tfjs's (conv.ts and pool.ts build them from these primitives).
 * The kernels are not differentiable by themselves: callers wrap them in custom ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NativeAddon } from '../native/addon.ts';

const CONV = 'DdrlConv3x3';
const CONV_FILTER_GRAD = 'DdrlConv3x3FilterGrad';
const MAX_POOL_ARGMAX = 'DdrlMaxPoolArgmax';

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

interface ConvAttrs extends ConvGeometry {
  /** The filter is [3, 3, out, in], rotated 180 degrees: the input gradient of a stride-1 conv. */
  readonly transposedFilter: boolean;
}

let enabled = false;

/** Whether conv.ts and pool.ts use the native kernels (registered, on the wasm backend, not switched off). */
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

export function registerNativeWasmKernels(addon: NativeAddon): void {
  const heapOf = (backend: WasmBackend) => backend.wasm.HEAPU8.buffer as ArrayBuffer;
  const offsetOf = (backend: WasmBackend, t: tf.TensorInfo) => backend.getMemoryOffset(t.dataId);
  const kernels: tf.KernelConfig[] = [
    {
      kernelName: CONV,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as unknown as WasmBackend;
        const { x, filter, bias } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
        const a = attrs as unknown as ConvAttrs;
        const [n, h, w, inC] = x.shape as [number, number, number, number];
        const [, , filterIn, filterOut] = filter.shape as [number, number, number, number];
        const [wantIn, outC] = a.transposedFilter ? [filterOut, filterIn] : [filterIn, filterOut];
        if (wantIn !== inC) throw shapeError(CONV, `the filter ${JSON.stringify(filter.shape)} does not take ${inC} input channels`);
        if (bias && bias.shape[0] !== outC) throw shapeError(CONV, `bias of ${bias.shape[0]} values for ${outC} output channels`);
        const out = b.makeOutput([n, a.outH, a.outW, outC], 'float32');
        // After makeOutput: an allocation may have grown the heap (a new ArrayBuffer).
        addon.conv3x3(
          heapOf(b),
          offsetOf(b, x),
          offsetOf(b, filter),
          bias ? offsetOf(b, bias) : -1,
          offsetOf(b, out),
          a.transposedFilter,
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
    },
    {
      kernelName: CONV_FILTER_GRAD,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as unknown as WasmBackend;
        const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const a = attrs as unknown as ConvGeometry;
        const [n, h, w, inC] = x.shape as [number, number, number, number];
        const [dyN, outH, outW, outC] = dy.shape as [number, number, number, number];
        if (dyN !== n || outH !== a.outH || outW !== a.outW)
          throw shapeError(CONV_FILTER_GRAD, `dy ${JSON.stringify(dy.shape)} does not match the geometry of x ${JSON.stringify(x.shape)}`);
        const out = b.makeOutput([3, 3, inC, outC], 'float32');
        addon.conv3x3FilterGrad(heapOf(b), offsetOf(b, x), offsetOf(b, dy), offsetOf(b, out), n, h, w, inC, outC, outH, outW, a.stride, a.padTop, a.padLeft);
        return out;
      },
    },
    {
      kernelName: MAX_POOL_ARGMAX,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => {
        const b = backend as unknown as WasmBackend;
        const { x } = inputs as { x: tf.TensorInfo };
        const { size, stride, pad, outH, outW } = attrs as { size: number; stride: number; pad: number; outH: number; outW: number };
        const [n, h, w, c] = x.shape as [number, number, number, number];
        const out = b.makeOutput([n, outH, outW, c], 'int32');
        addon.maxPoolArgmax(heapOf(b), offsetOf(b, x), offsetOf(b, out), n, h, w, c, outH, outW, size, stride, pad);
        return out;
      },
    },
  ];
  for (const kernel of kernels) {
    if (tf.getKernel(kernel.kernelName, kernel.backendName)) tf.unregisterKernel(kernel.kernelName, kernel.backendName);
    tf.registerKernel(kernel);
  }
  enabled = true;
}

/** y = conv(x, W) (+ bias); `transposedFilter` reads W as [3, 3, out, in] rotated (see ConvAttrs). */
export function nativeConv3x3(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null, geometry: ConvGeometry, transposedFilter = false): tf.Tensor4D {
  const attrs: ConvAttrs = { ...geometry, transposedFilter };
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  return tf.engine().runKernel(CONV, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** dW [3, 3, in, out] of y = conv(x, W) for upstream gradient dy. */
export function nativeConv3x3FilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, geometry: ConvGeometry): tf.Tensor4D {
  return tf.engine().runKernel(CONV_FILTER_GRAD, { x, dy }, geometry as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** Flat index (batch included) of each max-pool window's first maximum. */
export function nativeMaxPoolArgmax(x: tf.Tensor4D, size: number, stride: number, pad: number, outH: number, outW: number): tf.Tensor4D {
  return tf.engine().runKernel(MAX_POOL_ARGMAX, { x }, { size, stride, pad, outH, outW }) as tf.Tensor4D;
}
