/**
 * The read-only calls of the researcher's screens: a page of runs, metric
 * series, episodes (for replays) and real samples of one action (synthetic
 * snapshots have their own module, `synthetic-snapshots.ts`). Frames go out as
 * bytes, encoded per `WireFrames` (shared/api/frames.ts).
 */
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { ApiError } from '@shared/api/errors.ts';
import type { EpisodeData, EpisodesList, KeyResults, MetricSeries, RunsPage } from '@shared/api/inspect.ts';
import { BC_ALL_DATA_METHOD, RANDOM_METHOD, SYNTHETIC_METHOD, SYNTHETIC_SOFT_METHOD } from '@shared/config/methods.ts';
import { floorVerdictAmong } from '@shared/random-floor.ts';
import { checkRunNotes, type RunNotes } from '@shared/run-notes.ts';
import { listEvalEpisodes, pageRunIds } from '../storage/browse.ts';
import { getRunNotes, setRunNotes } from '../storage/run-notes.ts';
import { getDatasetInfo, listDatasetEpisodes, listDatasets, loadEncodedEpisodeFrames, loadFramesAt, type DatasetInfo } from '../storage/datasets.ts';
import { loadEvalEpisode } from '../storage/evaluations.ts';
import { listSeries, readSeries } from '../storage/metrics.ts';
import { getRun, RunNotFoundError } from '../storage/runs.ts';
import type { Split } from '../storage/evaluations.ts';
import { runResults, type ResultRow } from '../pipeline/results.ts';
import type { PooledCall } from './call-pool.ts';
import type { ServiceContext } from './context.ts';
import type { Handler } from './handlers.ts';
import { distributionsCall } from './distributions.ts';
import { encodedFramesToWire, framesToWire } from './frames-wire.ts';
import { mediaEpisodesCall, mediaSyntheticCall } from './media.ts';
import { nearestFramesCall } from './nearest-frames.ts';
import { policyDistributionCall } from './policy-distribution.ts';
import { syntheticGetCall } from './synthetic-snapshots.ts';
import { found, noticeOrphanedRuns, runInfoOf } from './runs.ts';

export async function runsPageCall(input: ParsedCallInput<'runs.page'>, ctx: ServiceContext): Promise<RunsPage> {
  noticeOrphanedRuns(ctx);
  const db = ctx.db.connection;
  const page = pageRunIds(db, input);
  return {
    total: page.total,
    offset: input.offset,
    runs: page.ids.map((id) => {
      const run = getRun(db, id);
      const experiment = page.experiments.get(run.experimentId);
      const notes = getRunNotes(db, id);
      return { ...runInfoOf(ctx, run), experimentName: experiment?.name ?? '', preset: experiment?.preset ?? null, tags: [...notes.tags], notes: notes.notes };
    }),
  };
}

/** A run's result rows; none for a run deleted since the list asked. */
function storedResults(ctx: ServiceContext, runId: number): readonly ResultRow[] {
  try {
    return runResults(ctx.db.connection, runId).rows;
  } catch (error) {
    if (error instanceof RunNotFoundError) return [];
    throw error;
  }
}

export async function keyResultsCall(input: ParsedCallInput<'runs.keyResults'>, ctx: ServiceContext): Promise<KeyResults[]> {
  return input.ids.map((runId) => {
    // The stored results, so the list's verdict against the random policy is the run page's.
    const rows = storedResults(ctx, runId);
    const row = (method: string, split: Split) => rows.find((r) => r.method === method && r.split === split);
    const of = (method: string) => {
      const [id, ood] = [row(method, 'id'), row(method, 'ood')];
      return id || ood ? { id: id?.mean ?? null, ood: ood?.mean ?? null } : null;
    };
    const withFloor = (method: string) => {
      const means = of(method);
      const verdict = (split: Split) => {
        const r = row(method, split);
        return r ? floorVerdictAmong(r, rows) : null;
      };
      return means ? { ...means, floor: { id: verdict('id'), ood: verdict('ood') } } : null;
    };
    const distilled = [SYNTHETIC_METHOD, SYNTHETIC_SOFT_METHOD].flatMap((method) => {
      const m = withFloor(method);
      return m ? [{ method, ...m }] : [];
    });
    const best = distilled.sort((a, b) => (b.id ?? -Infinity) - (a.id ?? -Infinity))[0] ?? null;
    return { runId, best, bc: withFloor(BC_ALL_DATA_METHOD), expert: of('expert'), random: of(RANDOM_METHOD) };
  });
}

export async function annotateCall(input: ParsedCallInput<'runs.annotate'>, ctx: ServiceContext): Promise<RunNotes & { tags: string[] }> {
  found(() => getRun(ctx.db.connection, input.runId));
  const problem = checkRunNotes(input);
  if (problem) throw new ApiError('invalid_input', `${problem} Nothing was changed.`);
  const saved = setRunNotes(ctx.db.connection, input.runId, input);
  return { tags: [...saved.tags], notes: saved.notes };
}

export async function seriesCall(input: ParsedCallInput<'runs.series'>, ctx: ServiceContext): Promise<MetricSeries[]> {
  const db = ctx.db.connection;
  found(() => getRun(db, input.runId));
  const names = input.series ?? listSeries(db, input.runId);
  return names.map((series) => {
    const points = readSeries(db, input.runId, series, input.maxPoints);
    return { series, steps: points.map((p) => p.step), values: points.map((p) => p.value) };
  });
}

export async function episodesListCall(input: ParsedCallInput<'episodes.list'>, ctx: ServiceContext): Promise<EpisodesList> {
  // A run page or Replay is opening: their frame-heavy calls (episodes, policy distributions) follow, so the
  // pool's workers start now rather than on the first of them (not at page load: that would slow the first rows).
  ctx.calls?.warm();
  const db = ctx.db.connection;
  const run = found(() => getRun(db, input.runId));
  const models = new Map<number, EpisodesList['models'][number]>();
  for (const group of listEvalEpisodes(db, run.id)) {
    let model = models.get(group.modelId);
    if (!model) {
      model = { modelId: group.modelId, role: group.role, method: group.method, member: group.member, id: [], ood: [] };
      models.set(group.modelId, model);
    }
    model[group.split] = group.episodes;
  }
  const describe = (info: DatasetInfo) => ({
    id: info.id,
    name: info.name,
    source: info.source,
    episodes: listDatasetEpisodes(db, info.id).map((e) => ({ idx: e.idx, levelSeed: e.levelSeed, length: e.length, return: e.return })),
  });
  return {
    runId: run.id,
    game: run.config.game,
    mode: run.config.mode,
    dataset: run.datasetId === null ? null : describe(getDatasetInfo(db, run.datasetId)),
    otherDatasets: listDatasets(db, run.id)
      .filter((d) => d.id !== run.datasetId)
      .map(describe),
    models: [...models.values()],
  };
}

export async function episodeGetCall(input: ParsedCallInput<'episodes.get'>, ctx: ServiceContext): Promise<EpisodeData> {
  const db = ctx.db.connection;
  if (input.source === 'eval') {
    const e = found(() => loadEvalEpisode(db, input.modelId, input.split, input.idx));
    return { levelSeed: e.levelSeed, actions: [...e.actions], rewards: [...e.rewards], return: e.return, frames: null };
  }
  const episode = found(() => listDatasetEpisodes(db, getDatasetInfo(db, input.datasetId).id)).find((e) => e.idx === input.idx);
  if (!episode) throw new ApiError('invalid_input', `Dataset ${input.datasetId} has no episode ${input.idx}: see episodes.list for its episodes.`);
  return {
    levelSeed: episode.levelSeed,
    actions: [...episode.actions],
    rewards: [...episode.rewards],
    return: episode.return,
    frames: input.withFrames ? encodedFramesToWire(loadEncodedEpisodeFrames(db, input.datasetId, input.idx)) : null,
  };
}

export async function realSamplesCall(input: ParsedCallInput<'dataset.samples'>, ctx: ServiceContext) {
  const db = ctx.db.connection;
  const episodes = found(() => listDatasetEpisodes(db, getDatasetInfo(db, input.datasetId).id));
  const matches: { episode: number; step: number }[] = [];
  for (const e of episodes) e.actions.forEach((a, step) => a === input.action && matches.push({ episode: e.idx, step }));
  // Evenly spaced over the dataset, so the samples show its variety rather than one episode.
  const picked = Array.from(
    { length: Math.min(input.count, matches.length) },
    (_, i) => matches[Math.floor((i * matches.length) / Math.min(input.count, matches.length))]!,
  );
  return { action: input.action, available: matches.length, samples: picked, frames: framesToWire(loadFramesAt(db, input.datasetId, picked)) };
}

/** The calls `CallPool` runs in its workers (see `handlers.ts`). */
export const pooledHandlers: { readonly [N in PooledCall]: Handler<N> } = {
  'dataset.samples': realSamplesCall,
  'synthetic.get': syntheticGetCall,
  'episodes.get': episodeGetCall,
  'episodes.policy': policyDistributionCall,
  'runs.distributions': distributionsCall,
  'synthetic.nearest': nearestFramesCall,
  'media.episodes': mediaEpisodesCall,
  'media.synthetic': mediaSyntheticCall,
};
