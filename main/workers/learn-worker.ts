/**
 * Worker entry for one learning job (training, distillation, evaluation): keeps the
 * host's event loop free while tensors crunch. A 'cancel' message aborts between steps.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../learning/backend.ts';
import { runJob } from '../learning/jobs.ts';
import type { FromLearnWorker, LearnWorkerData, ToLearnWorker } from '../learning/worker-client.ts';
import { CancelledError } from '../learning/train/control.ts';

const data = workerData as LearnWorkerData;
const port = parentPort!;
const abort = new AbortController();
const post = (message: FromLearnWorker): void => port.postMessage(message);

port.on('message', (message: ToLearnWorker) => {
  if (message.type === 'cancel') abort.abort();
});

try {
  const backend = await initBackend(data.backend);
  post({ type: 'backend', backend });
  const result = await runJob(data.job, { signal: abort.signal, onProgress: (progress) => post({ type: 'progress', progress }) });
  post({ type: 'done', result });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error), cancelled: error instanceof CancelledError });
} finally {
  port.close();
}
