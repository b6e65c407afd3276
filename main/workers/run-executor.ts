/**
 * Worker entry: executes one run with its own database connection (WAL lets
 * the parent and other processes read meanwhile) and reports progress. A
 * 'cancel' message aborts between steps; `ddrl cancel` from another process
 * reaches it through the runs table instead.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../learning/backend.ts';
import { executeRun } from '../pipeline/executor.ts';
import type { FromRunWorker, RunWorkerData, ToRunWorker } from '../pipeline/run-messages.ts';
import { openDatabase } from '../storage/database.ts';

const data = workerData as RunWorkerData;
const port = parentPort!;
const abort = new AbortController();
const post = (message: FromRunWorker): void => port.postMessage(message);

port.on('message', (message: ToRunWorker) => {
  if (message.type === 'cancel') abort.abort();
});

const db = openDatabase({ path: data.dbPath });
try {
  await initBackend(data.backend);
  const status = await executeRun(db.connection, data.runId, data.owner, {
    signal: abort.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
    onStageEnd: (stage, status, seconds) => post({ type: 'stage-end', stage, status, seconds }),
    onLog: (line) => post({ type: 'log', line }),
  });
  post({ type: 'finished', status });
} catch (error) {
  post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
} finally {
  db.close();
  port.close();
}
