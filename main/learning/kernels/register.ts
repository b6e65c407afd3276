/**
 * Registers the gradients tfjs lacks or computes slowly for our workloads. Idempotent:
 * tfjs keeps one gradient per kernel name, so registering again just replaces it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchMatMulGrad } from './matmul-grad.ts';

export function registerLearningKernels(): void {
  for (const config of [batchMatMulGrad]) tf.registerGradient(config);
}
