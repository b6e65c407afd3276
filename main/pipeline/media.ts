/**
 * Media of a run: episodes (one, or up to four in lock-step side by side) as an animated
 * GIF (gifenc) or PNG frames, and a synthetic snapshot as a PNG grid, one row per action.
 * Evaluation episodes are re-simulated from their level seed and actions (frames are not
 * stored for them); a re-simulation that disagrees with the stored rewards is reported.
 */
import type { Database } from 'better-sqlite3';
import { createRequire } from 'node:module';
import type { EpisodeRef } from '@shared/api/inspect.ts';
import { encodePng } from '@shared/procgen/render/png.ts';
import { ADVANCE, drawText, GLYPH_HEIGHT } from './pixel-font.ts';
import { resimulateEpisode } from '@shared/procgen/resimulate.ts';
import { loadEvalEpisode } from '../storage/evaluations.ts';
import { getDatasetInfo, listDatasetEpisodes, loadEpisodeFrames } from '../storage/datasets.ts';
import { getModelInfo } from '../storage/models.ts';
import { getRun } from '../storage/runs.ts';
import { listSyntheticIterations, loadSyntheticSnapshot, type SyntheticSnapshot } from '../storage/synthetic.ts';

// gifenc's CommonJS build defines its exports as getters, which Node's ES-module import cannot see: required.
const { GIFEncoder, applyPalette, quantize } = createRequire(import.meta.url)('gifenc') as typeof import('gifenc');

const SIZE = 64;
const FRAME_BYTES = SIZE * SIZE * 3;
/** Procgen runs at 15 steps per second. */
export const FRAMES_PER_SECOND = 15;
export const FRAME_DELAY_MS = 1000 / FRAMES_PER_SECOND;

/** One episode's frames (64x64 RGB each) and what its re-simulation found. */
export interface EpisodeFrames {
  readonly name: string;
  readonly frames: Uint8Array;
  readonly length: number;
  /** Null for stored frames; else the steps whose re-simulated reward differs from the stored one. */
  readonly mismatches: number | null;
}

/** The frames of an episode of run `runId`: stored (dataset) or re-simulated (evaluation). */
export function episodeFrames(db: Database, runId: number, ref: EpisodeRef): EpisodeFrames {
  const run = getRun(db, runId);
  if (ref.source === 'dataset') {
    const info = getDatasetInfo(db, ref.datasetId);
    const episode = listDatasetEpisodes(db, ref.datasetId).find((e) => e.idx === ref.idx);
    if (!episode) throw new RangeError(`Dataset ${ref.datasetId} has no episode ${ref.idx}: it has ${info.episodes}.`);
    return {
      name: `dataset ${ref.datasetId} episode ${ref.idx}`,
      frames: loadEpisodeFrames(db, ref.datasetId, ref.idx),
      length: episode.length,
      mismatches: null,
    };
  }
  const model = getModelInfo(db, ref.modelId);
  if (model.runId !== runId) throw new RangeError(`Model ${ref.modelId} belongs to run ${model.runId}, not run ${runId}.`);
  const stored = loadEvalEpisode(db, ref.modelId, ref.split, ref.idx);
  const replay = resimulateEpisode(run.config.game, run.config.mode, stored.levelSeed, stored.actions, stored.rewards);
  return {
    name: `${model.method}${model.role === 'student' ? ` student ${model.member + 1}` : ''} ${ref.split} episode ${ref.idx}`,
    frames: replay.observations,
    length: stored.actions.length,
    mismatches: replay.check.mismatches,
  };
}

/** Episodes side by side (a 2-pixel gap), each scaled by `scale`; one that ended holds its last frame. */
export function lockStepFrames(episodes: readonly EpisodeFrames[], scale: number): { width: number; height: number; frames: Uint8Array[] } {
  const side = SIZE * scale;
  const gap = 2;
  const width = episodes.length * side + (episodes.length - 1) * gap;
  const height = side;
  const length = Math.max(...episodes.map((e) => e.length));
  const frames: Uint8Array[] = [];
  for (let t = 0; t < length; t++) {
    const out = new Uint8Array(width * height * 3);
    episodes.forEach((e, k) => drawScaled(e.frames, Math.min(t, e.length - 1) * FRAME_BYTES, scale, out, width, k * (side + gap), 0));
    frames.push(out);
  }
  return { width, height, frames };
}

/** Copies the 64x64 frame at `source` of `frames` into `out` (RGB, `width` wide) at (left, top), each pixel a `scale` x `scale` block. */
function drawScaled(frames: Uint8Array, source: number, scale: number, out: Uint8Array, width: number, left: number, top: number): void {
  const side = SIZE * scale;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const from = source + (Math.floor(y / scale) * SIZE + Math.floor(x / scale)) * 3;
      const to = ((top + y) * width + left + x) * 3;
      out[to] = frames[from]!;
      out[to + 1] = frames[from + 1]!;
      out[to + 2] = frames[from + 2]!;
    }
  }
}

/** An animated GIF at Procgen's 15 frames per second, looping, with one palette from a sample of the frames. */
export function encodeGif(frames: readonly Uint8Array[], width: number, height: number): Uint8Array {
  const rgba = (rgb: Uint8Array) => {
    const out = new Uint8Array((rgb.length / 3) * 4);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      out[j] = rgb[i]!;
      out[j + 1] = rgb[i + 1]!;
      out[j + 2] = rgb[i + 2]!;
      out[j + 3] = 255;
    }
    return out;
  };
  // Procgen frames use few colours: a palette from every 8th frame (at most 32) covers them.
  const sample = frames.filter((_, i) => i % Math.max(1, Math.ceil(frames.length / 32)) === 0);
  const joined = new Uint8Array(sample.length * width * height * 4);
  sample.forEach((f, i) => joined.set(rgba(f), i * width * height * 4));
  const palette = quantize(joined, 256);
  const gif = GIFEncoder();
  frames.forEach((f, i) =>
    gif.writeFrame(applyPalette(rgba(f), palette), width, height, { palette: i === 0 ? palette : undefined, delay: FRAME_DELAY_MS, repeat: 0 }),
  );
  gif.finish();
  return gif.bytes();
}

/** Every frame as a PNG. */
export function encodePngFrames(frames: readonly Uint8Array[], width: number, height: number): Uint8Array[] {
  return frames.map((f) => encodePng(f, width, height));
}

/** Characters a grid row's label holds ("10 FIRE BACK" is the longest action name with its number). */
const LABEL_CHARS = 12;
const LABEL_TEXT_SCALE = 2;
/** The label strip left of the synthetic grid: the action's number and name, then a margin. */
export const GRID_LABEL_WIDTH = LABEL_CHARS * ADVANCE * LABEL_TEXT_SCALE + 8;

/**
 * A snapshot's samples as one PNG, one row per action (in action order, only actions with
 * samples), each labelled on its left with the action's number and `nameOf` it, each sample
 * scaled by `scale`; returns the image and which action each row holds.
 */
export function syntheticGrid(
  snapshot: SyntheticSnapshot,
  scale: number,
  nameOf: (action: number) => string,
): { png: Uint8Array; rows: number[]; width: number; height: number } {
  const rows = [...new Set(snapshot.labels)].sort((a, b) => a - b);
  const perRow = Math.max(...rows.map((a) => snapshot.labels.filter((l) => l === a).length));
  const side = SIZE * scale;
  const gap = 2;
  const width = GRID_LABEL_WIDTH + perRow * (side + gap) - gap;
  const height = rows.length * (side + gap) - gap;
  const out = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((action, r) => {
    const textTop = r * (side + gap) + Math.floor((side - GLYPH_HEIGHT * LABEL_TEXT_SCALE) / 2);
    drawText(out, width, 0, textTop, `${action} ${nameOf(action)}`.slice(0, LABEL_CHARS), LABEL_TEXT_SCALE, [40, 40, 40]);
    let column = 0;
    snapshot.labels.forEach((label, sample) => {
      if (label !== action) return;
      drawScaled(snapshot.frames, sample * FRAME_BYTES, scale, out, width, GRID_LABEL_WIDTH + column * (side + gap), r * (side + gap));
      column++;
    });
  });
  return { png: encodePng(out, width, height), rows, width, height };
}

/** The run's newest synthetic snapshot, or the one at `iteration`; a RangeError naming the stored iterations when there is none. */
export function syntheticSnapshotOf(db: Database, runId: number, iteration?: number): SyntheticSnapshot {
  const snapshot = loadSyntheticSnapshot(db, runId, iteration);
  if (snapshot) return snapshot;
  const stored = listSyntheticIterations(db, runId).map((s) => s.iteration);
  throw new RangeError(
    `Run ${runId} has no synthetic snapshot${iteration === undefined ? '' : ` at iteration ${iteration}`}${stored.length ? `: stored iterations are ${stored.join(', ')}` : ''}.`,
  );
}

/** The warning for an episode whose re-simulation disagrees with its stored rewards, or null. */
export function mismatchWarning(episode: EpisodeFrames): string | null {
  return episode.mismatches
    ? `${episode.name} re-simulates with ${episode.mismatches} reward(s) unlike the stored ones: the frames may not be what was played.`
    : null;
}
