/**
 * Worker entry of the call pool (`main/services/call-pool.ts`): runs the
 * frame-heavy read calls with its own database connection, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ApiError } from '@shared/api/errors.ts';
import { initBackend, type BackendInfo } from '../learning/backend.ts';
import type { CallWorkerData, FromCallWorker, ToCallWorker } from '../services/call-pool.ts';
import type { ServiceContext } from '../services/context.ts';
import { EventBus } from '../services/event-bus.ts';
import { pooledHandlers } from '../services/inspect.ts';
import { openDatabase } from '../storage/database.ts';

const data = workerData as CallWorkerData;
let backend: Promise<BackendInfo> | undefined;
const port = parentPort!;
const ctx: ServiceContext = {
  db: openDatabase({ path: data.dbPath }),
  // These calls only read: nothing here emits events. Policy distributions start the backend on first use.
  events: new EventBus(),
  runtime: 'node',
  backend: () => (backend ??= initBackend()),
};
// A warmed pool: the backend loads now, while no call waits (a failure surfaces at the first call that needs it).
if (data.warm) void ctx.backend().catch(() => (backend = undefined));

port.on('message', (message: ToCallWorker) => {
  void (async (): Promise<FromCallWorker> => {
    try {
      return { id: message.id, ok: true, output: await pooledHandlers[message.call](message.input as never, ctx) };
    } catch (error) {
      const body = error instanceof ApiError ? error.toBody() : { code: 'failed' as const, message: error instanceof Error ? error.message : String(error) };
      return { id: message.id, ok: false, error: body };
    }
  })().then((reply) => port.postMessage(reply));
});
