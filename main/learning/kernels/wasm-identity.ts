/**
 * wasm's Identity kernel copies the whole buffer, and tfjs runs Identity for every tensor
 * a gradient saves (engine.clone). Tensors are immutable, so sharing the buffer with one
 * more reference (what the cpu backend's Identity does) is equivalent and free; it took
 * ~5% of a training step.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendInternals {
  dataIdMap: { get(dataId: object): { refCount: number } | undefined };
}

export function registerSharedIdentity(): void {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend }) => {
    const x = inputs['x'] as tf.TensorInfo;
    const data = (backend as unknown as WasmBackendInternals).dataIdMap.get(x.dataId);
    if (!data) throw new Error('Identity: input tensor data not found on the wasm backend.');
    data.refCount++;
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ kernelName: tf.Identity, backendName: 'wasm', kernelFunc });
}
