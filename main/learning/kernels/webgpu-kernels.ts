/**
 * Fixes for tfjs-backend-webgpu 4.22's kernels, registered when that backend starts.
 * AddN binds every input as its own storage buffer, and WebGPU allows 8 per shader stage
 * on most adapters, so a sum of more tensors (gradient matching adds one term per
 * parameter tensor) fails validation and silently drops the whole command buffer.
 * Here larger sums are added in chunks that fit.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WebGpuBackendLimits {
  readonly device: { readonly limits: { readonly maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): void;
}

let registered = false;

export function registerWebGpuKernels(): void {
  if (registered) return;
  registered = true;
  const stock = tf.getKernel('AddN', 'webgpu');
  if (!stock) throw new Error('The webgpu backend has no AddN kernel: tfjs-backend-webgpu is not the 4.22 this code was written for.');
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({
    kernelName: 'AddN',
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const gpu = backend as unknown as WebGpuBackendLimits;
      // One storage buffer is the output.
      const most = gpu.device.limits.maxStorageBuffersPerShaderStage - 1;
      let terms = inputs as unknown as tf.TensorInfo[];
      const partials: tf.TensorInfo[] = [];
      while (terms.length > most) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < terms.length; i += most) {
          const chunk = terms.slice(i, i + most);
          const sum =
            chunk.length === 1 ? chunk[0]! : (stock.kernelFunc({ inputs: chunk as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo);
          if (chunk.length > 1) partials.push(sum);
          next.push(sum);
        }
        terms = next;
      }
      const total = stock.kernelFunc({ inputs: terms as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo;
      for (const p of partials) gpu.disposeData(p.dataId);
      return total;
    },
  });
}
