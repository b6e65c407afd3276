import type { Database } from 'better-sqlite3';
import { blobOf, float32Of, uint8Of } from './blobs.ts';
import { decodeFrames, encodeFrames } from '@shared/frame-codec.ts';
import { OBSERVATION_BYTES } from './datasets.ts';

/**
 * Snapshots of a synthetic set during distillation. Every snapshot keeps the
 * pixels clamped to uint8 for viewing (compact); the final one also keeps the
 * float32 pixels the students train on (the paper never clamps them).
 */
export interface SyntheticSnapshot {
  readonly iteration: number;
  readonly loss: number | null;
  readonly labels: Uint8Array;
  readonly frames: Uint8Array;
  readonly pixels: Float32Array | null;
  /** The expert's action distribution per sample (samples x actions), when the run distils with soft labels. */
  readonly softLabels: Float32Array | null;
  /** The label distribution learned per sample (samples x actions), when the run learns labels. */
  readonly learnedLabels: Float32Array | null;
  /** Per sample, the dataset transition its pixels started from (null: unknown, a continued set). */
  readonly origins: Int32Array | null;
}

/** Per-sample label distributions stored beside a snapshot's pixels. */
export interface SnapshotLabels {
  readonly soft?: Float32Array | null;
  readonly learned?: Float32Array | null;
  readonly origins?: Int32Array | null;
}

function toViewFrames(pixels: Float32Array): Uint8Array {
  const frames = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) frames[i] = Math.round(Math.min(255, Math.max(0, pixels[i]!)));
  return frames;
}

export function saveSyntheticSnapshot(
  db: Database,
  runId: number,
  iteration: number,
  loss: number | null,
  labels: Uint8Array,
  pixels: Float32Array,
  keepPixels: boolean,
  { soft = null, learned = null, origins = null }: SnapshotLabels = {},
): void {
  if (pixels.length !== labels.length * OBSERVATION_BYTES)
    throw new RangeError(`${labels.length} labels need ${labels.length * OBSERVATION_BYTES} pixels, got ${pixels.length}.`);
  for (const [name, values] of [
    ['soft-label', soft],
    ['learned-label', learned],
  ] as const) {
    if (values && values.length % labels.length !== 0) throw new RangeError(`${values.length} ${name} values do not divide into ${labels.length} samples.`);
  }
  db.prepare(
    'INSERT OR REPLACE INTO synthetic_snapshots (run_id, iteration, loss, labels, frames, pixels, soft_labels, learned_labels, origins) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    runId,
    iteration,
    loss,
    blobOf(labels),
    Buffer.from(encodeFrames(toViewFrames(pixels), OBSERVATION_BYTES)),
    keepPixels ? blobOf(pixels) : null,
    soft ? blobOf(soft) : null,
    learned ? blobOf(learned) : null,
    origins ? blobOf(origins) : null,
  );
}

/** Drops the float pixels of a run's snapshots (only the newest keeps them: they are 4x the frames' size). */
export function dropSnapshotPixels(db: Database, runId: number): void {
  db.prepare('UPDATE synthetic_snapshots SET pixels = NULL WHERE run_id = ? AND pixels IS NOT NULL').run(runId);
}

export function listSyntheticIterations(db: Database, runId: number): { iteration: number; loss: number | null }[] {
  return db.prepare('SELECT iteration, loss FROM synthetic_snapshots WHERE run_id = ? ORDER BY iteration').all(runId) as {
    iteration: number;
    loss: number | null;
  }[];
}

/** A snapshot's frames alone, in the frame codec's bytes (not its labels, nor its float pixels, 4x the frames' size). */
export function loadEncodedSyntheticFrames(db: Database, runId: number, iteration: number): Uint8Array | undefined {
  const r = db.prepare('SELECT frames FROM synthetic_snapshots WHERE run_id = ? AND iteration = ?').get(runId, iteration) as { frames: Buffer } | undefined;
  return r?.frames;
}

/** A snapshot with its frames still in the frame codec's bytes: what the wire sends, so nothing inflates them on the way. */
export type EncodedSyntheticSnapshot = Omit<SyntheticSnapshot, 'frames'> & { readonly encodedFrames: Uint8Array };

export function loadEncodedSyntheticSnapshot(db: Database, runId: number, iteration?: number): EncodedSyntheticSnapshot | undefined {
  const r = (
    iteration === undefined
      ? db.prepare('SELECT * FROM synthetic_snapshots WHERE run_id = ? ORDER BY iteration DESC LIMIT 1').get(runId)
      : db.prepare('SELECT * FROM synthetic_snapshots WHERE run_id = ? AND iteration = ?').get(runId, iteration)
  ) as
    | {
        iteration: number;
        loss: number | null;
        labels: Buffer;
        frames: Buffer;
        pixels: Buffer | null;
        soft_labels: Buffer | null;
        learned_labels: Buffer | null;
        origins: Buffer | null;
      }
    | undefined;
  return (
    r && {
      iteration: r.iteration,
      loss: r.loss,
      labels: uint8Of(r.labels),
      encodedFrames: r.frames,
      pixels: r.pixels ? float32Of(r.pixels) : null,
      softLabels: r.soft_labels ? float32Of(r.soft_labels) : null,
      learnedLabels: r.learned_labels ? float32Of(r.learned_labels) : null,
      origins: r.origins ? new Int32Array(new Uint8Array(r.origins).buffer) : null,
    }
  );
}

export function loadSyntheticSnapshot(db: Database, runId: number, iteration?: number): SyntheticSnapshot | undefined {
  const encoded = loadEncodedSyntheticSnapshot(db, runId, iteration);
  if (!encoded) return undefined;
  const { encodedFrames, ...rest } = encoded;
  return { ...rest, frames: decodeFrames(encodedFrames, OBSERVATION_BYTES) };
}
