/**
 * A synthetic sample's k nearest frames in its run's dataset: has distillation moved it
 * away from real frames, and towards which? By pixel distance (RMS on the 0..255 scale,
 * streamed episode by episode), or by distance in the expert's penultimate-layer features
 * (what the expert sees alike; the dataset's features are computed once per expert and
 * dataset and kept for the next question).
 */
import type { Database } from 'better-sqlite3';
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { ApiError } from '@shared/api/errors.ts';
import { FRAME_BYTES } from '@shared/api/frames.ts';
import type { NearestFrames } from '@shared/api/inspect.ts';
import { disposeTrainable, trainableFromWeights, type TrainableNet } from '../learning/nets/trainable.ts';
import { policyFeatures } from '../learning/train/policy.ts';
import { EXPERT_KEY } from '../pipeline/experts/keys.ts';
import { listDatasetEpisodes, loadEpisodeFrames, loadFramesAt } from '../storage/datasets.ts';
import { findModel } from '../storage/models.ts';
import { getRun } from '../storage/runs.ts';
import { loadSyntheticSnapshot } from '../storage/synthetic.ts';
import type { ServiceContext } from './context.ts';
import { framesToWire } from './frames-wire.ts';
import { found } from './runs.ts';

interface Candidate {
  readonly episode: number;
  readonly step: number;
  readonly action: number;
  readonly squared: number;
}

/** Keeps the k smallest by `squared`, nearest first. */
function keepNearest(best: Candidate[], candidate: Candidate, k: number): void {
  if (best.length === k && candidate.squared >= best[k - 1]!.squared) return;
  best.push(candidate);
  best.sort((a, b) => a.squared - b.squared);
  if (best.length > k) best.pop();
}

/** Every dataset frame's features under one expert, with where each frame is. */
interface DatasetFeatures {
  readonly values: Float32Array;
  readonly dim: number;
  readonly episodes: Int32Array;
  readonly steps: Int32Array;
  readonly actions: Int32Array;
}

/** Feature tables by expert model and dataset; a few runs' worth (each is frames x 256 floats). */
const featureCache = new Map<string, DatasetFeatures>();
const CACHED_TABLES = 4;

async function datasetFeatures(db: Database, net: TrainableNet, key: string, datasetId: number): Promise<DatasetFeatures> {
  const hit = featureCache.get(key);
  if (hit) return hit;
  const episodes = listDatasetEpisodes(db, datasetId);
  const total = episodes.reduce((n, e) => n + e.length, 0);
  const where = { episodes: new Int32Array(total), steps: new Int32Array(total), actions: new Int32Array(total) };
  let values = new Float32Array(0);
  let dim = 0;
  let at = 0;
  for (const episode of episodes) {
    const frames = loadEpisodeFrames(db, datasetId, episode.idx);
    const features = await policyFeatures(net, { count: episode.length, obs: frames, actions: new Int32Array(episode.length) });
    if (at === 0) values = new Float32Array(total * (dim = features.dim));
    values.set(features.values, at * dim);
    for (let step = 0; step < episode.length; step++, at++) {
      where.episodes[at] = episode.idx;
      where.steps[at] = step;
      where.actions[at] = episode.actions[step]!;
    }
  }
  const table = { values, dim, ...where };
  featureCache.set(key, table);
  if (featureCache.size > CACHED_TABLES) featureCache.delete(featureCache.keys().next().value!);
  return table;
}

export async function nearestFramesCall(input: ParsedCallInput<'synthetic.nearest'>, ctx: ServiceContext): Promise<NearestFrames> {
  const db = ctx.db.connection;
  const run = found(() => getRun(db, input.runId));
  const datasetId = run.datasetId;
  if (datasetId === null) throw new ApiError('invalid_input', `Run ${run.id} has no dataset yet: its collect stage has not finished.`);
  const snapshot = loadSyntheticSnapshot(db, run.id, input.iteration);
  if (!snapshot)
    throw new ApiError('invalid_input', `Run ${run.id} has no synthetic snapshot${input.iteration === undefined ? '' : ` at iteration ${input.iteration}`}.`);
  if (input.sample >= snapshot.labels.length)
    throw new ApiError('invalid_input', `Sample ${input.sample} does not exist: the set has ${snapshot.labels.length} (0..${snapshot.labels.length - 1}).`);
  // The float pixels where the snapshot keeps them (the newest), else its 0..255 view.
  const values = snapshot.pixels ?? snapshot.frames;
  const target = values.subarray(input.sample * FRAME_BYTES, (input.sample + 1) * FRAME_BYTES);
  const best: Candidate[] = [];
  let compared = 0;
  if (input.metric === 'pixels') {
    for (const episode of listDatasetEpisodes(db, datasetId)) {
      const frames = loadEpisodeFrames(db, datasetId, episode.idx);
      for (let step = 0; step < episode.length; step++, compared++) {
        const at = step * FRAME_BYTES;
        let squared = 0;
        for (let i = 0; i < FRAME_BYTES; i++) squared += (frames[at + i]! - target[i]!) ** 2;
        keepNearest(best, { episode: episode.idx, step, action: episode.actions[step]!, squared: squared / FRAME_BYTES }, input.k);
      }
    }
  } else {
    const expert = findModel(db, run.id, EXPERT_KEY);
    if (!expert) throw new ApiError('invalid_input', `Run ${run.id} has no expert network (its expert stage has not finished): compare by pixels instead.`);
    await ctx.backend();
    const net = trainableFromWeights(expert.weights);
    try {
      const table = await datasetFeatures(db, net, `${expert.id}/${run.id}/${datasetId}`, datasetId);
      const sample = await policyFeatures(net, { count: 1, obs: target, actions: new Int32Array(1) });
      compared = table.episodes.length;
      for (let j = 0; j < compared; j++) {
        let squared = 0;
        for (let d = 0; d < table.dim; d++) squared += (table.values[j * table.dim + d]! - sample.values[d]!) ** 2;
        keepNearest(best, { episode: table.episodes[j]!, step: table.steps[j]!, action: table.actions[j]!, squared }, input.k);
      }
    } finally {
      disposeTrainable(net);
    }
  }
  return {
    datasetId,
    metric: input.metric,
    compared,
    neighbours: best.map(({ episode, step, action, squared }) => ({ episode, step, action, distance: Math.sqrt(squared) })),
    frames: framesToWire(loadFramesAt(db, datasetId, best)),
  };
}
