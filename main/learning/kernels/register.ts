/**
 * Registers the gradients tfjs lacks or computes slowly for our workloads. Idempotent:
 * tfjs keeps one gradient per kernel name, so registering again just replaces it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulGrad } from './matmul-grad.ts';
import { recomputingGradients } from './recomputing-grads.ts';
import { stockGradients } from './stock-gradients.ts';
import { registerSharedIdentity } from './wasm-identity.ts';

let sharedIdentityRegistered = false;

export function registerLearningKernels(backendName: string): void {
  if (backendName === 'wasm' && !sharedIdentityRegistered) {
    registerSharedIdentity();
    sharedIdentityRegistered = true;
  }
  // Ours last: they replace the stock configs of the same kernels.
  for (const config of [...stockGradients, ...recomputingGradients, batchMatMulGrad]) tf.registerGradient(config);
}
