/**
 * Stage 1, the expert. `planner`: the oracle planner plays demonstration
 * episodes on the training levels (stored as a dataset, checkpointed), then
 * an IMPALA network imitates them by cross-entropy, so everything downstream
 * has a policy network exactly as with PPO. `reuse`: another run's expert
 * network. `ppo`: the learning core's PPO (the paper's way; 25M steps by default),
 * checkpointed 20 times along the way.
 */
import type { Database } from 'better-sqlite3';
import { getRun } from '../../storage/runs.ts';
import { findModel, saveModel } from '../../storage/models.ts';
import { appendMetrics } from '../../storage/metrics.ts';
import { loadDataset, saveDataset, type Episode } from '../../storage/datasets.ts';
import { saveMethodData } from '../../storage/methods.ts';
import { actionAgreement, trainBc } from '../../learning/train/bc.ts';
import { trainPpo } from '../../learning/train/ppo.ts';
import { weightsOf, disposeTrainable, trainableFromWeights } from '../../learning/nets/trainable.ts';
import { subset } from '../../learning/train/data.ts';
import { PLANNER_SLOTS, plannerActionSource } from '../planner.ts';
import { drawLevelSeeds, episodeReturn, playEpisodes, type ActionSource, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { architectureOf, episodeDatasetOf } from '../training-data.ts';
import { seedFor, type StageCommit, type StageContext, type StageDefinition } from '../stage-context.ts';

export const EXPERT_KEY = { role: 'expert', method: 'expert', member: 0 } as const;
/**
 * The oracle planner is a policy of the run too (the data's source when collect.actor is
 * 'planner'): stored as a weightless model so that evaluation, results and replays treat it
 * like any other policy.
 */
export const PLANNER_KEY = { role: 'expert', method: 'planner', member: 0 } as const;
const PLANNER_ARCHITECTURE = 'planner';

/** Whether a stored model is the oracle planner (no weights: it searches with clone()/restore()). */
export function isPlannerModel(model: { readonly architecture: string }): boolean {
  return model.architecture.startsWith(PLANNER_ARCHITECTURE);
}

/** Samples of the demonstrations used to measure the expert network's action agreement. */
const AGREEMENT_SAMPLES = 2048;

interface ExpertCheckpoint {
  readonly demoDatasetId: number;
}

/** The oracle planner as an action source (one planner per slot); `purpose` seeds its rollouts. */
export function plannerSource(ctx: StageContext, purpose: string): ActionSource {
  const { game, mode, expert } = ctx.config;
  return plannerActionSource(game, mode, expert.planner, (slot) => seedFor(ctx.config.seed, `${purpose}/${slot}`));
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
  return datasetId;
}

async function plannerExpert(ctx: StageContext): Promise<StageCommit> {
  const demoDatasetId = demonstrations(ctx);
  const data = episodeDatasetOf(loadDataset(ctx.db, demoDatasetId));
  const { imitation, channels } = ctx.config.expert;
  const losses: { step: number; value: number }[] = [];
  const { net } = await trainBc(
    data,
    {
      network: { kind: 'impala', channels },
      init: 'pytorch',
      loss: 'ce',
      learningRate: imitation.learningRate,
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
  const agreement = actionAgreement(net, subset(data, indices));
  const weights = await weightsOf(net);
  const architecture = architectureOf(net.def);
  disposeTrainable(net);
  const { horizon, rollouts } = ctx.config.expert.planner;
  const demos = { episodes: countEpisodes(data.episodeIds), samples: data.count, stepIndices: null };
  return (db: Database) => {
    saveModel(db, ctx.runId, PLANNER_KEY, `${PLANNER_ARCHITECTURE}[horizon ${horizon}, rollouts ${rollouts}]`, new Uint8Array(0));
    saveMethodData(db, ctx.runId, { method: 'planner', kind: 'expert', ...demos });
    saveModel(db, ctx.runId, EXPERT_KEY, architecture, weights);
    appendMetrics(db, ctx.runId, [
      ...losses.map((l) => ({ series: 'expert/imitation-loss', ...l })),
      { series: 'expert/agreement', step: 0, value: agreement },
    ]);
    saveMethodData(db, ctx.runId, { method: 'expert', kind: 'expert', ...demos });
  };
}

/**
 * A PPO expert's progress, stored every 1/PPO_CHECKPOINTS of its updates with the learning
 * curve so far: a killed run resumes from the network it had. Adam's moments and the
 * reward scale are not kept; they restart from the checkpoint's weights.
 */
interface PpoCheckpoint {
  readonly envSteps: number;
  readonly episodes: number;
  /** encodeWeights bytes, base64. */
  readonly weights: string;
}

const PPO_CHECKPOINTS = 20;

async function ppoExpert(ctx: StageContext): Promise<StageCommit> {
  const { game, mode, trainLevels, expert } = ctx.config;
  const { ppo } = expert;
  const resumed = ctx.checkpoint as PpoCheckpoint | null;
  const perUpdate = ppo.numEnvs * ppo.rolloutSteps;
  const totalUpdates = Math.floor(ppo.totalSteps / perUpdate);
  const doneBefore = resumed ? resumed.envSteps / perUpdate : 0;
  const checkpointEvery = Math.max(1, Math.round(totalUpdates / PPO_CHECKPOINTS));
  // Curve points not yet stored, and episodes finished before this attempt.
  let curve: { step: number; value: number }[] = [];
  let episodesBefore = resumed?.episodes ?? 0;
  let episodesNow = 0;
  const { net, episodeReturns } = await trainPpo(
    {
      game,
      mode,
      numLevels: trainLevels.numLevels,
      startLevel: trainLevels.startLevel,
      network: { kind: 'impala', channels: expert.channels },
      numEnvs: ppo.numEnvs,
      rolloutSteps: ppo.rolloutSteps,
      totalSteps: (totalUpdates - doneBefore) * perUpdate,
      learningRate: ppo.learningRate,
      gamma: ppo.gamma,
      lambda: ppo.gaeLambda,
      clip: ppo.clip,
      entropyCoef: ppo.entropyCoef,
      valueCoef: ppo.valueCoef,
      maxGradNorm: ppo.maxGradNorm,
      epochs: ppo.epochs,
      minibatches: ppo.minibatches,
      seed: seedFor(ctx.config.seed, resumed ? `expert/ppo/${resumed.envSteps}` : 'expert/ppo'),
    },
    {
      signal: ctx.signal,
      onProgress: (p) => {
        ctx.throwIfCancelled();
        const meanReturn = p.metrics?.meanReturn ?? 0;
        episodesNow = p.metrics?.episodes ?? episodesNow;
        curve.push({ step: (doneBefore + p.step) * perUpdate, value: meanReturn });
        ctx.progress(doneBefore + p.step, totalUpdates, `PPO update, mean return ${meanReturn.toFixed(2)}`);
      },
      afterUpdate: async (update, trained) => {
        const updates = doneBefore + update;
        if (updates % checkpointEvery !== 0 || updates === totalUpdates) return;
        const weights = Buffer.from(await weightsOf(trained)).toString('base64');
        const stored = curve;
        ctx.saveProgress((db): PpoCheckpoint => {
          appendMetrics(
            db,
            ctx.runId,
            stored.map((c) => ({ series: 'expert/ppo-return', ...c })),
          );
          return { envSteps: updates * perUpdate, episodes: episodesBefore + episodesNow, weights };
        });
        curve = [];
      },
    },
    resumed ? trainableFromWeights(new Uint8Array(Buffer.from(resumed.weights, 'base64'))) : undefined,
  );
  const weights = await weightsOf(net);
  const architecture = architectureOf(net.def);
  disposeTrainable(net);
  episodesBefore += episodeReturns.length;
  return (db) => {
    saveModel(db, ctx.runId, EXPERT_KEY, architecture, weights);
    appendMetrics(
      db,
      ctx.runId,
      curve.map((c) => ({ series: 'expert/ppo-return', ...c })),
    );
    saveMethodData(db, ctx.runId, { method: 'expert', kind: 'expert', episodes: episodesBefore, samples: totalUpdates * perUpdate, stepIndices: null });
  };
}

function reusedExpert(ctx: StageContext): StageCommit {
  const from = ctx.config.expert.reuseRunId!;
  if (from === ctx.runId) throw new Error(`expert.reuseRunId=${from} is this run itself: name an earlier run whose expert stage finished (ddrl runs).`);
  getRun(ctx.db, from); // a clear error when the run does not exist
  const model = findModel(ctx.db, from, EXPERT_KEY);
  if (!model) throw new Error(`expert.reuseRunId=${from}: run ${from} has no expert network (its expert stage has not finished).`);
  return (db) => {
    saveModel(db, ctx.runId, EXPERT_KEY, model.architecture, model.weights);
    saveMethodData(db, ctx.runId, { method: 'expert', kind: 'expert', episodes: 0, samples: 0, stepIndices: null });
  };
}

function countEpisodes(episodeIds: Int32Array): number {
  return episodeIds.length === 0 ? 0 : episodeIds[episodeIds.length - 1]! + 1;
}

export const expertStage: StageDefinition = {
  name: 'expert',
  async run(ctx) {
    switch (ctx.config.expert.source) {
      case 'planner':
        return plannerExpert(ctx);
      case 'reuse':
        return reusedExpert(ctx);
      case 'ppo':
        return ppoExpert(ctx);
    }
  },
};
