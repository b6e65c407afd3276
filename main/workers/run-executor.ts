/**
 * Executor entry: executes one run with its own database connection (WAL lets
 * the parent and other processes read meanwhile) and reports progress. It runs
 * as a worker thread or as a child process (run-process.ts); the same messages
 * travel over the thread's port or the process's IPC channel. A 'cancel'
 * message aborts between steps; `ddrl cancel` from another process reaches it
 * through the runs table instead. A child process whose parent is gone (its
 * IPC channel closed) cancels its run too, rather than executing unowned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeGpuAdapter } from '@shared/api/about-text.ts';
import { initBackend } from '../learning/backend.ts';
import { executeRun } from '../pipeline/executor.ts';
import type { FromRunWorker, RunWorkerData, ToRunWorker } from '../pipeline/run-messages.ts';
import { RUN_DATA_VARIABLE } from '../pipeline/run-process.ts';
import { openDatabase } from '../storage/database.ts';

interface Channel {
  readonly data: RunWorkerData;
  post(message: FromRunWorker): void;
  onMessage(listener: (message: ToRunWorker) => void): void;
  /** After the last message: lets the thread or process end. */
  close(): void;
}

function threadChannel(): Channel {
  const port = parentPort!;
  return {
    data: workerData as RunWorkerData,
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.on('message', listener),
    close: () => port.close(),
  };
}

function processChannel(): Channel {
  let sending = Promise.resolve();
  return {
    data: JSON.parse(process.env[RUN_DATA_VARIABLE] ?? '') as RunWorkerData,
    // Each send waits for the last, so the final message is delivered before the process exits.
    post: (message) => {
      sending = sending.then(() => new Promise<void>((done) => (process.connected ? process.send!(message, undefined, {}, () => done()) : done())));
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as ToRunWorker)),
    // Exits even where a backend keeps handles open (a GPU device).
    close: () => void sending.then(() => process.exit(0)),
  };
}

const channel = parentPort ? threadChannel() : processChannel();
const abort = new AbortController();
channel.onMessage((message) => {
  if (message.type === 'cancel') abort.abort();
});
if (!parentPort) process.on('disconnect', () => abort.abort());

const db = openDatabase({ path: channel.data.dbPath });
try {
  const backend = await initBackend(channel.data.backend);
  const status = await executeRun(db.connection, channel.data.runId, channel.data.owner, {
    signal: abort.signal,
    device: `TensorFlow.js ${backend.name}${backend.gpuAdapter ? ` (${describeGpuAdapter(backend.gpuAdapter)})` : ''}`,
    onProgress: (progress) => channel.post({ type: 'progress', progress }),
    onStageEnd: (stage, status, seconds) => channel.post({ type: 'stage-end', stage, status, seconds }),
    onLog: (line) => channel.post({ type: 'log', line }),
  });
  channel.post({ type: 'finished', status });
} catch (error) {
  channel.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
} finally {
  db.close();
  channel.close();
}
