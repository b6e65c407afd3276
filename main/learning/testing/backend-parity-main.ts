/**
 * `tsx backend-parity-main.ts BACKEND`: runs the parity computations and a tiny BC run on
 * BACKEND and prints one JSON object { adapter, results, bcLosses, leakedTensors }. A
 * process of its own, because the webgpu backend may need its Vulkan driver's environment
 * (LD_LIBRARY_PATH) from the process's start.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend.ts';
import { disposeTrainable } from '../nets/trainable.ts';
import { trainBc } from '../train/bc.ts';
import { releaseWebGpu } from '../webgpu.ts';
import { parityResults, TINY_STUDENT } from './backend-parity.ts';
import { toyDataset } from './toy-data.ts';

const backend = await initBackend(process.argv[2]);
const before = tf.memory().numTensors;
const results = await parityResults();
// One sample per action, full batch: on a software rasteriser every 64x64 image costs.
const { net, losses } = await trainBc(toyDataset(1, TINY_STUDENT.actions), { network: TINY_STUDENT, steps: 8, batchSize: 3, learningRate: 0.005, seed: 3 });
disposeTrainable(net);
process.stdout.write(JSON.stringify({ adapter: backend.gpuAdapter, results, bcLosses: Array.from(losses), leakedTensors: tf.memory().numTensors - before }));
releaseWebGpu();
