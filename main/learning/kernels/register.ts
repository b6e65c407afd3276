/**
 * Registers the gradients tfjs lacks or computes slowly for our workloads. Idempotent:
 * tfjs keeps one gradient per kernel name, so registering again just replaces it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeAddon } from '../native/addon.ts';
import { batchMatMulGrad } from './matmul-grad.ts';
import { registerNativeWasmKernels } from './native-wasm.ts';
import { recomputingGradients } from './recomputing-grads.ts';
import { reluGrad } from './relu-grad.ts';
import { stockGradients } from './stock-gradients.ts';
import { registerSharedIdentity } from './wasm-identity.ts';
import { registerWebGpuKernels } from './webgpu-kernels.ts';

let sharedIdentityRegistered = false;

/** The native kernels in use, or why not (they serve the wasm backend only). */
export type NativeKernelsStatus = { readonly isa: string; readonly threads: number } | { readonly reason: string };

/** The status in words: `avx2+fma, 2 threads`, or the reason they are not used. */
export function describeNativeKernels(status: NativeKernelsStatus): { active: boolean; detail: string } {
  return 'isa' in status
    ? { active: true, detail: `${status.isa}, ${status.threads} thread${status.threads === 1 ? '' : 's'}` }
    : { active: false, detail: status.reason };
}

export function registerLearningKernels(backendName: string): NativeKernelsStatus {
  let native: NativeKernelsStatus = { reason: `they serve the wasm backend, not ${backendName}` };
  if (backendName === 'wasm' && !sharedIdentityRegistered) {
    registerSharedIdentity();
    sharedIdentityRegistered = true;
  }
  if (backendName === 'wasm') {
    const load = loadNativeAddon();
    if (load.addon) {
      registerNativeWasmKernels(load.addon);
      native = load.addon.info();
    } else native = { reason: load.reason };
  }
  if (backendName === 'webgpu') registerWebGpuKernels();
  // Ours last: they replace the stock configs of the same kernels.
  for (const config of [...stockGradients, ...recomputingGradients, batchMatMulGrad, reluGrad]) tf.registerGradient(config);
  return native;
}
