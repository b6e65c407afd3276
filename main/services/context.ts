import type { BackendInfo } from '../learning/backend.ts';
import type { RunPlace } from '../pipeline/run-process.ts';
import type { AppDatabase } from '../storage/database.ts';
import type { CallPool } from './call-pool.ts';
import type { EventBus } from './event-bus.ts';

/** What every handler receives besides its validated input. */
export interface ServiceContext {
  readonly db: AppDatabase;
  readonly events: EventBus;
  /** `electron` inside the desktop app, `node` for the host and the CLI. */
  readonly runtime: 'electron' | 'node';
  /** The TensorFlow.js backend, initialised once on first use. */
  backend(): Promise<BackendInfo>;
  /** Where runs execute (default: worker threads of this process). */
  readonly runPlace?: RunPlace;
  /** Worker threads for the frame-heavy calls; without it they run inline (inside those workers). */
  readonly calls?: CallPool;
  /** Aborted when the caller has gone (its WebSocket or HTTP connection closed). */
  readonly signal?: AbortSignal;
}
