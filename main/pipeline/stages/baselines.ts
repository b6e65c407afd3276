/**
 * Stage 3, the baselines' data: full BC and percentile BC keep the top p% of
 * the dataset's episodes by return (the learning core's selection); each
 * method's transitions are recorded so students and results know what it used.
 */
import { listDatasetEpisodes } from '../../storage/datasets.ts';
import { saveMethodData } from '../../storage/methods.ts';
import { getRun } from '../../storage/runs.ts';
import { selectTopEpisodes, type EpisodeDataset } from '../../learning/train/data.ts';
import { bcMethod } from '@shared/config/methods.ts';
import type { StageDefinition } from '../stage-context.ts';

export const baselinesStage: StageDefinition = {
  name: 'baselines',
  async run(ctx) {
    const datasetId = getRun(ctx.db, ctx.runId).datasetId;
    if (datasetId === null) throw new Error(`Run ${ctx.runId} has no dataset: its collect stage has not finished.`);
    const episodes = listDatasetEpisodes(ctx.db, datasetId);
    const count = episodes.reduce((n, e) => n + e.length, 0);
    const episodeIds = new Int32Array(count);
    const episodeReturns = new Float32Array(count);
    let at = 0;
    episodes.forEach((e, id) => {
      episodeIds.fill(id, at, at + e.length);
      episodeReturns.fill(e.return, at, at + e.length);
      at += e.length;
    });
    // Selection reads episode ids and returns only, so the frames are not loaded here.
    const steps: EpisodeDataset = { count, obs: new Uint8Array(0), actions: new Int32Array(count), episodeIds, episodeReturns };
    const selections = ctx.config.baselines.percentiles.map((p) => {
      const indices = selectTopEpisodes(steps, p, 1, ctx.random(`baselines/${p}`));
      const kept = new Set(Array.from(indices, (i) => episodeIds[i]!));
      return { method: bcMethod(p), indices, episodes: kept.size };
    });
    for (const s of selections) ctx.log(`${s.method}: ${s.episodes} of ${episodes.length} episodes kept (${s.indices.length} transitions)`);
    return (db) => {
      for (const s of selections)
        saveMethodData(db, ctx.runId, { method: s.method, kind: 'bc', episodes: s.episodes, samples: s.indices.length, stepIndices: s.indices });
    };
  },
};
