/**
 * Media from the UI: the same files `ddrl media` writes (main/pipeline/media.ts), returned as
 * bytes for the renderer to save. Pooled: encoding a GIF of a long episode takes seconds.
 */
import { zipSync } from 'fflate';
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { ApiError } from '@shared/api/errors.ts';
import type { MediaFile } from '@shared/api/media.ts';
import { actionName } from '@shared/procgen/action-names.ts';
import {
  encodeGif,
  encodePngFrames,
  episodeFrames,
  FRAMES_PER_SECOND,
  lockStepFrames,
  mismatchWarning,
  syntheticGrid,
  syntheticSnapshotOf,
} from '../pipeline/media.ts';
import { encodeWebm } from '../pipeline/webm.ts';
import { getRun } from '../storage/runs.ts';
import type { ServiceContext } from './context.ts';
import { found } from './runs.ts';

/** The most raw pixel bytes one export composes in memory (4 episodes of 1,000 steps at scale 2 is 196 MB). */
const MAX_RAW_BYTES = 256 * 1024 * 1024;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export async function mediaEpisodesCall(input: ParsedCallInput<'media.episodes'>, ctx: ServiceContext): Promise<MediaFile> {
  const db = ctx.db.connection;
  found(() => getRun(db, input.runId));
  const episodes = input.episodes.map((ref) => found(() => episodeFrames(db, input.runId, ref)));
  const side = 64 * input.scale;
  const raw = Math.max(...episodes.map((e) => e.length)) * episodes.length * side * side * 3;
  if (raw > MAX_RAW_BYTES) {
    throw new ApiError(
      'invalid_input',
      `${episodes.length} episode(s) at scale ${input.scale} make ${Math.round(raw / 2 ** 20)} MB of frames (at most ${MAX_RAW_BYTES / 2 ** 20}): choose a smaller scale or fewer episodes, or use \`ddrl media\`.`,
    );
  }
  const { width, height, frames } = lockStepFrames(episodes, input.scale);
  const warnings = episodes.flatMap((e) => mismatchWarning(e) ?? []);
  const name = `run-${input.runId}-${episodes.length === 1 ? 'episode' : `${episodes.length}-episodes`}`;
  if (input.format === 'gif') {
    return { fileName: `${name}.gif`, mime: 'image/gif', data: base64(encodeGif(frames, width, height)), width, height, frames: frames.length, warnings };
  }
  if (input.format === 'webm') {
    const webm = await encodeWebm(frames, width, height, FRAMES_PER_SECOND);
    return { fileName: `${name}.webm`, mime: 'video/webm', data: base64(webm), width, height, frames: frames.length, warnings };
  }
  const files = Object.fromEntries(encodePngFrames(frames, width, height).map((png, t) => [`frame_${String(t).padStart(5, '0')}.png`, png]));
  // PNG is compressed already: stored, not deflated again.
  return {
    fileName: `${name}-frames.zip`,
    mime: 'application/zip',
    data: base64(zipSync(files, { level: 0 })),
    width,
    height,
    frames: frames.length,
    warnings,
  };
}

export async function mediaSyntheticCall(input: ParsedCallInput<'media.synthetic'>, ctx: ServiceContext): Promise<MediaFile> {
  const db = ctx.db.connection;
  const { game } = found(() => getRun(db, input.runId)).config;
  const snapshot = found(() => syntheticSnapshotOf(db, input.runId, input.iteration));
  const grid = syntheticGrid(snapshot, input.scale, (a) => actionName(game, a));
  return {
    fileName: `run-${input.runId}-synthetic-iteration-${snapshot.iteration}.png`,
    mime: 'image/png',
    data: base64(grid.png),
    width: grid.width,
    height: grid.height,
    frames: 1,
    warnings: [],
  };
}
