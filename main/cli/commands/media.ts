import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEpisodeRef } from '@shared/api/episode-ref.ts';
import { actionName } from '@shared/procgen/action-names.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import {
  encodeGif,
  encodePngFrames,
  episodeFrames,
  FRAMES_PER_SECOND,
  lockStepFrames,
  mismatchWarning,
  syntheticGrid,
  syntheticSnapshotOf,
} from '../../pipeline/media.ts';
import { encodeWebm } from '../../pipeline/webm.ts';
import { getRun } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

/** Writes a file, turning an unwritable place into a message that names it. */
function write(path: string, bytes: Uint8Array | string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}. Choose a folder you can write to.`);
  }
}

export const mediaCommand: CliCommand = {
  path: ['media'],
  summary: 'Write episodes (1-4 in lock-step) as an animated GIF, a WebM video or PNG frames, or a synthetic snapshot as a PNG grid',
  usage: [
    'Usage: ddrl media RUN --episode REF [--episode REF ...] --out FILE.gif|FILE.webm|DIR [--scale N] [--db PATH]',
    '       ddrl media RUN --synthetic [--iteration N] --out FILE.png [--scale N] [--db PATH]',
    '',
    '  --episode REF   e.MODEL.SPLIT.IDX (an evaluation episode, re-simulated) or d.DATASET.IDX (a dataset',
    "                  episode), as in the replay view's address; up to 4, played side by side in lock-step",
    '  --out PATH      a .gif file (15 frames per second, looping), a .webm file (VP8, 15 frames per second,',
    '                  every frame a key frame), or a folder for PNG frames frame_00000.png...',
    '  --synthetic     the synthetic set (the newest snapshot, or --iteration N) as one PNG, one row per action',
    '  --scale N       pixels per frame pixel, 1..8 (default 4: 256x256 per episode)',
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        ...dbOption,
        episode: { type: 'string', multiple: true },
        out: { type: 'string' },
        synthetic: { type: 'boolean' },
        iteration: { type: 'string' },
        scale: { type: 'string' },
      },
      true,
    );
    const runId = parseRunId(positionals, 'media');
    if (!values.out) throw new UsageError('--out is required: a .gif file or a folder for PNG frames (a .png file with --synthetic).');
    const out = resolve(values.out);
    const scale = parseIntegerOption('scale', values.scale, 4, 1, 8);
    const refs = (values.episode ?? []).map((text) => {
      const ref = parseEpisodeRef(text);
      if (!ref) throw new UsageError(`--episode '${text}' is not an episode: use e.MODEL.SPLIT.IDX (split id or ood) or d.DATASET.IDX.`);
      return ref;
    });
    if (values.synthetic === refs.length > 0) throw new UsageError('give either --synthetic or one to four --episode REF.');
    if (refs.length > 4) throw new UsageError(`${refs.length} episodes: lock-step plays at most 4.`);
    return withDatabase(databasePathFrom(values), async (db) => {
      const c = db.connection;
      if (values.synthetic) {
        const iteration = values.iteration === undefined ? undefined : parseIntegerOption('iteration', values.iteration, 0, 0, 1e9);
        let snapshot;
        try {
          snapshot = syntheticSnapshotOf(c, runId, iteration);
        } catch (error) {
          throw new UsageError(error instanceof Error ? error.message : String(error));
        }
        const { game } = getRun(c, runId).config;
        const grid = syntheticGrid(snapshot, scale, (a) => actionName(game, a));
        write(out, grid.png);
        const names = grid.rows.map((a) => `${a} ${actionName(game, a)}`);
        io.out(`Synthetic set of run ${runId} at iteration ${snapshot.iteration}: ${snapshot.labels.length} samples, ${grid.width}x${grid.height} -> ${out}`);
        io.out(`Rows, top to bottom, by action: ${names.join(', ')} (of ${NUM_ACTIONS} actions)`);
        return 0;
      }
      let episodes;
      try {
        episodes = refs.map((ref) => episodeFrames(c, runId, ref));
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      for (const warning of episodes.map(mismatchWarning)) if (warning) io.err(`warning: ${warning}`);
      const { width, height, frames } = lockStepFrames(episodes, scale);
      if (out.endsWith('.gif')) write(out, encodeGif(frames, width, height));
      else if (out.endsWith('.webm')) write(out, await encodeWebm(frames, width, height, FRAMES_PER_SECOND));
      else encodePngFrames(frames, width, height).forEach((png, t) => write(join(out, `frame_${String(t).padStart(5, '0')}.png`), png));
      io.out(`${episodes.map((e) => e.name).join(' | ')}: ${frames.length} frames of ${width}x${height} -> ${out}`);
      return 0;
    });
  },
};
