import { initBackend, type BackendInfo } from '../learning/backend.ts';
import type { RunPlace } from '../pipeline/run-process.ts';
import { openDatabase, type AppDatabase } from '../storage/database.ts';
import { CallPool } from './call-pool.ts';
import type { ServiceContext } from './context.ts';
import { createDispatcher, type Dispatch } from './dispatcher.ts';
import { EventBus } from './event-bus.ts';
import { handlers } from './handlers.ts';
import { watchOutsideRuns } from './outside-runs.ts';
import { noticeOrphanedRuns, stopRuns } from './runs.ts';

export interface AppServicesOptions {
  readonly dbPath: string;
  readonly runtime: 'electron' | 'node';
  /** better-sqlite3 addon built for Electron's ABI (see README). */
  readonly nativeBinding?: string;
  /** Where runs execute (default: worker threads of this process; the Electron app: a Node.js child process). */
  readonly runPlace?: RunPlace;
}

/** The running services behind a transport (the host, the Electron main process, the CLI). */
export interface AppServices {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  readonly db: AppDatabase;
  /** Initialises the TensorFlow.js backend now, so a bad `DDRL_BACKEND` fails at start. */
  backend(): Promise<BackendInfo>;
  /** Cancels the runs this process queued or executes (resumable), waiting at most `graceMs` for the executing one to stop. */
  stopRuns(graceMs: number): Promise<void>;
  close(): void;
}

export function startServices(options: AppServicesOptions): AppServices {
  const db = openDatabase({ path: options.dbPath, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  const events = new EventBus();
  let backend: Promise<BackendInfo> | undefined;
  const ctx: ServiceContext = {
    db,
    events,
    runtime: options.runtime,
    backend: () => (backend ??= initBackend()),
    ...(options.runPlace ? { runPlace: options.runPlace } : {}),
    // The host serves many clients; the Electron bundle does not ship the worker entries as files.
    ...(options.runtime === 'node' ? { calls: new CallPool(db.path) } : {}),
  };
  // Runs left queued or running by a process that died are 'interrupted', not running forever.
  noticeOrphanedRuns(ctx);
  const stopWatching = watchOutsideRuns(ctx);
  return {
    dispatch: createDispatcher(handlers, ctx),
    events,
    db,
    backend: ctx.backend,
    stopRuns: (graceMs) => stopRuns(ctx, graceMs),
    close: () => {
      stopWatching();
      void ctx.calls?.close();
      db.close();
    },
  };
}
