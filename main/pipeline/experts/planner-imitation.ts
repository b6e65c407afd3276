/**
 * Expert source `planner`: the search planner plays demonstration episodes on the
 * training levels (stored as a dataset with its search targets, checkpointed), then an
 * IMPALA network imitates them once by cross-entropy on those targets, so everything
 * downstream has a policy network exactly as with PPO. DAgger (`dagger.ts`) goes on
 * from here.
 */
import type { Database } from 'better-sqlite3';
import { saveModel } from '../../storage/models.ts';
import { appendMetrics } from '../../storage/metrics.ts';
import { loadDataset, saveDataset, type Episode } from '../../storage/datasets.ts';
import { saveMethodData } from '../../storage/methods.ts';
import { actionAgreement, trainBc } from '../../learning/train/bc.ts';
import { weightsOf, disposeTrainable, foldPolicyTemperature } from '../../learning/nets/trainable.ts';
import { subset } from '../../learning/train/data.ts';
import { PLANNER_SLOTS } from '../planner.ts';
import { drawLevelSeeds, episodeReturn, playEpisodes, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { architectureOf, episodeDatasetOf, imitationLossOf } from '../training-data.ts';
import { seedFor, type StageCommit, type StageContext } from '../stage-context.ts';
import { EXPERT_KEY, PLANNER_KEY, plannerArchitecture, plannerSource } from './keys.ts';

/** Samples of the demonstrations used to measure the expert network's action agreement. */
const AGREEMENT_SAMPLES = 2048;

interface ExpertCheckpoint {
  readonly demoDatasetId: number;
}

/** Plays and stores the planner's demonstrations (or finds them stored by an interrupted attempt). */
function demonstrations(ctx: StageContext): number {
  const stored = ctx.checkpoint as ExpertCheckpoint | null;
  if (stored?.demoDatasetId) return stored.demoDatasetId;
  const { game, mode, trainLevels, expert } = ctx.config;
  const levelSeeds = drawLevelSeeds(trainLevels, seedFor(ctx.config.seed, 'expert/demos'), expert.planner.episodes);
  let finished = 0;
  const episodes: PlayedEpisode[] = playEpisodes({
    game,
    mode,
    levelSeeds,
    slots: PLANNER_SLOTS,
    recordObservations: true,
    source: plannerSource(ctx, 'planner'),
    onStep: () => ctx.throwIfCancelled(),
    onEpisode: (_index, episode) => {
      finished++;
      ctx.progress(finished, levelSeeds.length, `planner demonstrations, last return ${episodeReturn(episode)}`);
    },
  });
  let datasetId = 0;
  ctx.saveProgress((db): ExpertCheckpoint => {
    datasetId = saveDataset(db, { runId: ctx.runId, name: 'expert demonstrations (planner)', game, mode, source: 'collected' }, episodes as Episode[]);
    appendMetrics(
      db,
      ctx.runId,
      episodes.map((e, step) => ({ series: 'planner/return', step, value: episodeReturn(e) })),
    );
    return { demoDatasetId: datasetId };
  });
  const meanReturn = episodes.reduce((sum, e) => sum + episodeReturn(e), 0) / Math.max(1, episodes.length);
  ctx.log(`${episodes.length} planner demonstrations, mean return ${meanReturn.toFixed(2)}`);
  return datasetId;
}

export async function plannerImitationExpert(ctx: StageContext): Promise<StageCommit> {
  const demoDatasetId = demonstrations(ctx);
  const data = episodeDatasetOf(loadDataset(ctx.db, demoDatasetId), true);
  const { imitation, channels } = ctx.config.expert;
  const losses: { step: number; value: number }[] = [];
  const { net } = await trainBc(
    data,
    {
      network: { kind: 'impala', channels },
      init: 'pytorch',
      loss: imitationLossOf(ctx.config.expert),
      learningRate: imitation.learningRate,
      schedule: imitation.schedule,
      shift: imitation.shift,
      batchSize: imitation.batchSize,
      steps: imitation.steps,
      seed: seedFor(ctx.config.seed, 'expert/init'),
      progressEvery: 10,
    },
    {
      signal: ctx.signal,
      onProgress: (p) => {
        ctx.throwIfCancelled();
        losses.push({ step: p.step, value: p.loss });
        ctx.progress(p.step, p.totalSteps, `imitating the planner, loss ${p.loss.toFixed(3)}`);
      },
    },
  );
  const probe = ctx.random('expert/agreement');
  const indices = Array.from({ length: Math.min(AGREEMENT_SAMPLES, data.count) }, () => probe.int(data.count));
  const agreement = await actionAgreement(net, subset(data, indices));
  ctx.log(
    `imitation: ${imitation.steps} steps, final loss ${losses.at(-1)?.value.toFixed(3) ?? 'n/a'}; the network picks the planner's action on ${(100 * agreement).toFixed(0)}% of ${indices.length} demonstration states`,
  );
  foldPolicyTemperature(net, imitation.policyTemperature);
  const weights = await weightsOf(net);
  const architecture = architectureOf(net.def);
  disposeTrainable(net);
  const demos = { episodes: countEpisodes(data.episodeIds), samples: data.count, stepIndices: null };
  return (db: Database) => {
    saveModel(db, ctx.runId, PLANNER_KEY, plannerArchitecture(ctx), new Uint8Array(0));
    saveMethodData(db, ctx.runId, { method: 'planner', kind: 'expert', ...demos });
    saveModel(db, ctx.runId, EXPERT_KEY, architecture, weights);
    appendMetrics(db, ctx.runId, [
      ...losses.map((l) => ({ series: 'expert/imitation-loss', ...l })),
      { series: 'expert/agreement', step: 0, value: agreement },
    ]);
    saveMethodData(db, ctx.runId, { method: 'expert', kind: 'expert', ...demos });
  };
}

function countEpisodes(episodeIds: Int32Array): number {
  return episodeIds.length === 0 ? 0 : episodeIds[episodeIds.length - 1]! + 1;
}
