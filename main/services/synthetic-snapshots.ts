/**
 * The inspector's calls on a run's stored synthetic snapshots: their list, and one
 * snapshot with its frames plain or as the difference to one the caller holds,
 * optionally with the run's other snapshots bundled along, each as its difference
 * to a neighbour or to the snapshot asked for.
 */
import type { Database } from 'better-sqlite3';
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { ApiError } from '@shared/api/errors.ts';
import { FRAME_BYTES } from '@shared/api/frames.ts';
import type { BundledSnapshot, SyntheticSet } from '@shared/api/inspect.ts';
import { listDatasetEpisodes, locateTransitions } from '../storage/datasets.ts';
import { getRun, type RunRow } from '../storage/runs.ts';
import { listSyntheticIterations, loadEncodedSyntheticFrames, loadEncodedSyntheticSnapshot, type EncodedSyntheticSnapshot } from '../storage/synthetic.ts';
import type { ServiceContext } from './context.ts';
import { decodeStoredFrames, rawFramesToWire, relativeFramesToWire, sameBytes } from './frames-wire.ts';
import { found } from './runs.ts';

/**
 * Host time the bundled snapshots may take (the view's opening waits for them): a run whose
 * pixels barely move (the paper's step size) costs ~2 ms a snapshot, so dozens fit; where
 * every snapshot differs, those left out are fetched by the page as it needs them.
 */
const OTHERS_BUDGET_MS = 150;
/** Bytes of bundled frame differences at most, so a run of many moving snapshots cannot swell the reply. */
const OTHERS_BUDGET_BYTES = 16 * 1024 * 1024;

export async function syntheticListCall(input: ParsedCallInput<'synthetic.list'>, ctx: ServiceContext) {
  found(() => getRun(ctx.db.connection, input.runId));
  return { runId: input.runId, iterations: listSyntheticIterations(ctx.db.connection, input.runId) };
}

export async function syntheticGetCall(input: ParsedCallInput<'synthetic.get'>, ctx: ServiceContext): Promise<SyntheticSet> {
  const db = ctx.db.connection;
  const run = found(() => getRun(db, input.runId));
  const snapshot = loadEncodedSyntheticSnapshot(db, input.runId, input.iteration) ?? noSnapshot(db, input.runId, input.iteration);
  const held = input.relativeTo === undefined ? null : (storedFrames(db, input.runId, input.relativeTo) ?? noSnapshot(db, input.runId, input.relativeTo));
  const frames = decodeStoredFrames(snapshot.encodedFrames);
  const { labels, softLabels, learnedLabels, origins } = snapshot;
  return {
    iteration: snapshot.iteration,
    loss: snapshot.loss,
    labels: [...labels],
    frames: held ? relativeFramesToWire(frames, held) : rawFramesToWire(frames),
    softLabels: perSample(softLabels, labels.length),
    learnedLabels: perSample(learnedLabels, labels.length),
    origins: originsOf(db, run, origins),
    floats: floatsOf(db, run.id, snapshot, frames),
    ...(input.withOthers && { others: otherSnapshots(db, run, snapshot, frames) }),
  };
}

/**
 * The run's snapshots other than `own`, nearest to it in the list first, until the budget is
 * spent. Each one's frames are taken against its neighbour on the way from `own` where not one
 * byte changed (no bytes: the paper's step size leaves most snapshots so), else against `own`'s,
 * so the page decodes any of them with at most one inflate.
 */
function otherSnapshots(db: Database, run: RunRow, own: EncodedSyntheticSnapshot, ownFrames: Uint8Array): BundledSnapshot[] {
  const started = performance.now();
  const iterations = listSyntheticIterations(db, run.id).map((s) => s.iteration);
  const at = iterations.indexOf(own.iteration);
  // Walking outward on both sides: the previous snapshot on each side is the next one's neighbour.
  const previous = { below: { iteration: own.iteration, frames: ownFrames }, above: { iteration: own.iteration, frames: ownFrames } };
  const others: BundledSnapshot[] = [];
  let bytes = 0;
  for (let distance = 1; distance < iterations.length; distance++) {
    for (const side of ['above', 'below'] as const) {
      const iteration = iterations[side === 'above' ? at + distance : at - distance];
      if (iteration === undefined) continue;
      if (performance.now() - started > OTHERS_BUDGET_MS || bytes > OTHERS_BUDGET_BYTES) return others;
      const snapshot = loadEncodedSyntheticSnapshot(db, run.id, iteration)!;
      const frames = decodeStoredFrames(snapshot.encodedFrames);
      const neighbour = previous[side];
      const base = sameBytes(frames, neighbour.frames) ? neighbour : { iteration: own.iteration, frames: ownFrames };
      const wire = relativeFramesToWire(frames, base.frames);
      bytes += wire.bytes.length;
      previous[side] = { iteration, frames };
      const labels = snapshot.labels.length;
      others.push({
        iteration,
        loss: snapshot.loss,
        relativeTo: base.iteration,
        frames: wire,
        ...(!sameBytes(snapshot.labels, own.labels) && { labels: [...snapshot.labels] }),
        ...(!sameValues(snapshot.softLabels, own.softLabels) && { softLabels: perSample(snapshot.softLabels, labels) }),
        ...(!sameValues(snapshot.learnedLabels, own.learnedLabels) && { learnedLabels: perSample(snapshot.learnedLabels, labels) }),
        ...(!sameValues(snapshot.origins, own.origins) && { origins: originsOf(db, run, snapshot.origins) }),
        floats: floatsOf(db, run.id, snapshot, frames),
      });
    }
  }
  return others;
}

const bytesOf = (values: Uint8Array | Float32Array | Int32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
const sameValues = (a: Float32Array | Int32Array | null, b: Float32Array | Int32Array | null) =>
  a === null || b === null ? a === b : sameBytes(bytesOf(a), bytesOf(b));

/** A flat per-sample table as one row per sample, or null. */
const perSample = (values: Float32Array | null, samples: number) =>
  values ? Array.from({ length: samples }, (_, i) => Array.from(values.subarray((i * values.length) / samples, ((i + 1) * values.length) / samples))) : null;

/** Where each sample's pixels started in the run's dataset, or null when unknown. */
function originsOf(db: Database, run: RunRow, origins: Int32Array | null): SyntheticSet['origins'] {
  if (!origins || run.datasetId === null) return null;
  return locateTransitions(listDatasetEpisodes(db, run.datasetId), origins).map((at) => ({ datasetId: run.datasetId!, ...at }));
}

/** The float pixels' range and movement, for the snapshot that kept them (the newest). */
function floatsOf(db: Database, runId: number, snapshot: EncodedSyntheticSnapshot, frames: Uint8Array): SyntheticSet['floats'] {
  if (!snapshot.pixels) return null;
  // The baseline of "moved": the initial set's frames (a snapshot at iteration 0 is its own baseline).
  const initialFrames = snapshot.iteration === 0 ? frames : storedFrames(db, runId, 0);
  return initialFrames ? floatStats(snapshot.pixels, initialFrames, snapshot.labels.length) : null;
}

/** A stored snapshot's frames alone, or undefined. */
function storedFrames(db: Database, runId: number, iteration: number): Uint8Array | undefined {
  const encoded = loadEncodedSyntheticFrames(db, runId, iteration);
  return encoded && decodeStoredFrames(encoded);
}

/** The error for a snapshot that is not stored, naming the iterations that are. */
function noSnapshot(db: Database, runId: number, iteration: number | undefined): never {
  const stored = listSyntheticIterations(db, runId).map((s) => s.iteration);
  throw new ApiError(
    'invalid_input',
    stored.length === 0
      ? `Run ${runId} has no synthetic snapshots yet: its distill stage has not stored one.`
      : `Run ${runId} has no snapshot at iteration ${iteration}: stored iterations are ${stored.join(', ')}.`,
  );
}

/**
 * Range and movement of each sample's float pixels. The initial set is real frames, whole
 * numbers in 0..255, so its stored view is its floats exactly: the baseline costs no floats.
 */
function floatStats(pixels: Float32Array, initial: Uint8Array, samples: number): NonNullable<SyntheticSet['floats']> {
  const stats = { min: [] as number[], max: [] as number[], meanMoved: [] as number[], maxMoved: [] as number[] };
  for (let s = 0; s < samples; s++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let largest = 0;
    for (let i = s * FRAME_BYTES; i < (s + 1) * FRAME_BYTES; i++) {
      const v = pixels[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
      const d = Math.abs(v - initial[i]!);
      sum += d;
      if (d > largest) largest = d;
    }
    stats.min.push(min);
    stats.max.push(max);
    stats.meanMoved.push(sum / FRAME_BYTES);
    stats.maxMoved.push(largest);
  }
  return stats;
}
