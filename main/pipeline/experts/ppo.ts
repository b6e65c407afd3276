/**
 * Expert source `ppo`: the learning core's PPO, the paper's way (25M steps by default:
 * what a GPU machine can afford), checkpointed 20 times along the way.
 */
import { saveModel } from '../../storage/models.ts';
import { appendMetrics } from '../../storage/metrics.ts';
import { saveMethodData } from '../../storage/methods.ts';
import { trainPpo } from '../../learning/train/ppo.ts';
import { weightsOf, disposeTrainable, trainableFromWeights } from '../../learning/nets/trainable.ts';
import { architectureOf } from '../training-data.ts';
import { seedFor, type StageCommit, type StageContext } from '../stage-context.ts';
import { EXPERT_KEY } from './keys.ts';

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

export async function ppoExpert(ctx: StageContext): Promise<StageCommit> {
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
        ctx.log(
          `PPO checkpoint at ${updates * perUpdate} environment steps: mean return ${stored.at(-1)?.value.toFixed(2) ?? 'n/a'} (last 100 training episodes)`,
        );
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
