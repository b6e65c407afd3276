/**
 * What a stage receives from the run executor, and what it gives back. A
 * stage computes its results, then returns a `commit` that stores them: the
 * executor runs `commit` and the stage's 'done' mark in ONE transaction, so a
 * killed process never leaves a done stage half stored. Long stages also
 * store finished parts (each trained student, ...) together with a
 * checkpoint describing them, and skip those parts when resumed.
 */
import type { Database } from 'better-sqlite3';
import type { LogLevel } from '@shared/api/events.ts';
import type { ExperimentConfig } from '@shared/config/experiment.ts';
import type { StageName } from '@shared/config/stages.ts';
import { Random } from '../learning/random.ts';
import { isCancelRequested, saveStageCheckpoint, storeStageProgress } from '../storage/runs.ts';

/** The run was cancelled (by `ddrl cancel`, the UI or Ctrl-C); its finished parts are kept. */
export class RunCancelledError extends Error {
  override readonly name = 'RunCancelledError';
  constructor(runId: number) {
    super(`Run ${runId} was cancelled; finished stages and checkpoints are kept: \`ddrl resume ${runId}\` continues it.`);
  }
}

export interface StageProgress {
  readonly stage: StageName;
  readonly done: number;
  readonly total: number;
  readonly message?: string;
}

/** Stores the stage's results; runs inside the transaction that marks the stage done. */
export type StageCommit = (db: Database) => void;

export interface StageDefinition {
  readonly name: StageName;
  run(ctx: StageContext): Promise<StageCommit>;
}

/** How often the database's cancel flag is read (it costs a query). */
const CANCEL_POLL_MS = 250;
/** How often a stage's progress is stored (see `storeStageProgress`): a small write, often enough for a watcher polling every 2 s. */
const PROGRESS_STORE_MS = 2000;

export class StageContext {
  private lastPoll = 0;
  private lastStored = -Infinity;

  constructor(
    readonly db: Database,
    readonly runId: number,
    readonly config: ExperimentConfig,
    readonly stage: StageName,
    /** The checkpoint a previous, interrupted attempt of this stage stored (parsed JSON), or null. */
    readonly checkpoint: unknown,
    readonly signal: AbortSignal,
    private readonly onProgress: (progress: StageProgress) => void,
    /** Stores a line in the run's log and passes it on (see `executeRun`). */
    private readonly record: (stage: StageName, level: LogLevel, message: string) => void,
  ) {}

  /** A line for the run's log: what a researcher would want to read later (a round's return, a finished part), not every step. */
  log(message: string, level: LogLevel = 'info'): void {
    this.record(this.stage, level, message);
  }

  progress(done: number, total: number, message?: string): void {
    this.onProgress({ stage: this.stage, done, total, ...(message === undefined ? {} : { message }) });
    // Stored too, now and then, for apps of other processes (they get no events from this one).
    const t = performance.now();
    if (t - this.lastStored < PROGRESS_STORE_MS) return;
    this.lastStored = t;
    storeStageProgress(this.db, this.runId, this.stage, done, total, message ?? null);
  }

  /** Throws RunCancelledError when the run was cancelled here or from another process. */
  throwIfCancelled(): void {
    if (this.signal.aborted) throw new RunCancelledError(this.runId);
    const t = performance.now();
    if (t - this.lastPoll < CANCEL_POLL_MS) return;
    this.lastPoll = t;
    if (isCancelRequested(this.db, this.runId)) throw new RunCancelledError(this.runId);
  }

  /** Stores partial results and, in the same transaction, the checkpoint `store` returns to describe them. */
  saveProgress(store: (db: Database) => unknown): void {
    this.db.transaction(() => saveStageCheckpoint(this.db, this.runId, this.stage, store(this.db)))();
  }

  /**
   * A seeded generator for one purpose of this run ('collect', 'student/bc-40/3', ...),
   * independent of the order in which purposes draw.
   */
  random(purpose: string): Random {
    return new Random(seedFor(this.config.seed, purpose));
  }
}

/** A 31-bit seed from the run seed and a purpose name (FNV-1a). */
export function seedFor(runSeed: number, purpose: string): number {
  let h = 0x811c9dc5 ^ runSeed;
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193);
  return (h >>> 0) & 0x7fffffff;
}
