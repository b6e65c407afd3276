/**
 * Expert source `dagger`: expert iteration from the search planner
 * (`../expert-iteration.ts`). Each finished round is stored at once: the states it
 * labelled (a dataset: round 0 the planner's demonstrations, later rounds what the
 * network played), its measurements, and the network's weights as the stage's
 * checkpoint, so a killed run resumes from its last finished round.
 */
import type { ExperimentConfig } from '@shared/config/experiment.ts';
import { saveModel } from '../../storage/models.ts';
import { appendMetrics, type MetricPoint } from '../../storage/metrics.ts';
import { loadDataset, OBSERVATION_BYTES, saveDataset, type Episode, type LoadedDataset } from '../../storage/datasets.ts';
import { saveMethodData } from '../../storage/methods.ts';
import { weightsOf, disposeTrainable, trainableFromWeights } from '../../learning/nets/trainable.ts';
import { episodeReturn } from '../../learning/train/episodes.ts';
import { trainDagger, type DaggerOptions, type DaggerResume, type LabelledStates } from '../expert-iteration.ts';
import { architectureOf, imitationLossOf } from '../training-data.ts';
import type { StageCommit, StageContext } from '../stage-context.ts';
import { EXPERT_KEY, PLANNER_KEY, plannerArchitecture } from './keys.ts';

interface DaggerCheckpoint {
  readonly roundsDone: number;
  /** One dataset per finished round. */
  readonly datasetIds: readonly number[];
  /** The network after the last finished round: encodeWeights bytes, base64. */
  readonly weights: string;
  /** Adam steps stored in the loss curve so far. */
  readonly lossSteps: number;
  /** Episodes and labelled states of all finished rounds, and of round 0 (the planner's demonstrations). */
  readonly episodes: number;
  readonly samples: number;
  readonly demoSamples: number;
  /** Mean return of the planner's demonstrations (round 0). */
  readonly plannerReturn: number;
}

/** Every stored loss point is the mean of this many steps (the curve stays small). */
const LOSS_POINT_STEPS = 10;

export function daggerOptionsOf(config: ExperimentConfig): DaggerOptions {
  const { expert } = config;
  return {
    game: config.game,
    mode: config.mode,
    levels: config.trainLevels,
    planner: expert.planner,
    targetTemperature: expert.planner.targetTemperature,
    loss: imitationLossOf(expert),
    channels: expert.channels,
    demoEpisodes: expert.planner.episodes,
    rounds: expert.dagger.rounds,
    episodesPerRound: expert.dagger.episodesPerRound,
    firstSteps: expert.imitation.steps,
    stepsPerRound: expert.dagger.stepsPerRound,
    batchSize: expert.imitation.batchSize,
    learningRate: expert.imitation.learningRate,
    schedule: expert.imitation.schedule,
    policyTemperature: expert.imitation.policyTemperature,
    shift: expert.imitation.shift,
    plannerMix: expert.dagger.plannerMix,
    mixDecay: expert.dagger.mixDecay,
    ownShare: expert.dagger.ownShare,
    seed: config.seed,
  };
}

/** A stored round's states with their search targets. */
function labelledStatesOf(dataset: LoadedDataset): LabelledStates {
  if (!dataset.targets) throw new Error(`Dataset ${dataset.info.id} has no search targets: it was not stored by a DAgger round.`);
  return { observations: dataset.observations.subarray(0, dataset.info.transitions * OBSERVATION_BYTES), targets: dataset.targets };
}

export async function daggerExpert(ctx: StageContext): Promise<StageCommit> {
  const stored = ctx.checkpoint as DaggerCheckpoint | null;
  const resume: DaggerResume | undefined = stored
    ? {
        roundsDone: stored.roundsDone,
        states: stored.datasetIds.map((id) => labelledStatesOf(loadDataset(ctx.db, id))),
        net: trainableFromWeights(new Uint8Array(Buffer.from(stored.weights, 'base64'))),
      }
    : undefined;
  let progress: DaggerCheckpoint = stored ?? {
    roundsDone: 0,
    datasetIds: [],
    weights: '',
    lossSteps: 0,
    episodes: 0,
    samples: 0,
    demoSamples: 0,
    plannerReturn: NaN,
  };
  let lastAgreement = NaN;
  const { game, mode } = ctx.config;
  const net = await trainDagger(
    daggerOptionsOf(ctx.config),
    {
      signal: ctx.signal,
      onProgress: (done, total, text) => {
        ctx.throwIfCancelled();
        ctx.progress(done, total, text);
      },
      onRound: async (round, trained) => {
        const weights = Buffer.from(await weightsOf(trained)).toString('base64');
        const points: MetricPoint[] = [{ series: 'expert/dagger-return', step: round.round, value: round.meanReturn }];
        if (round.round === 0) round.episodes.forEach((e, step) => points.push({ series: 'planner/return', step, value: episodeReturn(e) }));
        // The planner's demonstration return beside every round: the level the network is chasing.
        points.push({ series: 'expert/dagger-planner-return', step: round.round, value: round.round === 0 ? round.meanReturn : progress.plannerReturn });
        if (!Number.isNaN(round.agreement)) points.push({ series: 'expert/dagger-agreement', step: round.round, value: round.agreement });
        for (let start = 0; start + LOSS_POINT_STEPS <= round.losses.length; start += LOSS_POINT_STEPS) {
          const mean = round.losses.subarray(start, start + LOSS_POINT_STEPS).reduce((sum, l) => sum + l, 0) / LOSS_POINT_STEPS;
          points.push({ series: 'expert/imitation-loss', step: progress.lossSteps + start + LOSS_POINT_STEPS, value: mean });
        }
        if (!Number.isNaN(round.agreement)) lastAgreement = round.agreement;
        const states = round.episodes.reduce((sum, e) => sum + e.actions.length, 0);
        ctx.saveProgress((db): DaggerCheckpoint => {
          const name = round.round === 0 ? 'expert demonstrations (planner)' : `expert DAgger round ${round.round} (network played, planner labelled)`;
          const id = saveDataset(db, { runId: ctx.runId, name, game, mode, source: 'collected' }, round.episodes as Episode[]);
          appendMetrics(db, ctx.runId, points);
          progress = {
            roundsDone: round.round + 1,
            datasetIds: [...progress.datasetIds, id],
            weights,
            lossSteps: progress.lossSteps + round.losses.length,
            episodes: progress.episodes + round.episodes.length,
            samples: progress.samples + states,
            demoSamples: round.round === 0 ? states : progress.demoSamples,
            plannerReturn: round.round === 0 ? round.meanReturn : progress.plannerReturn,
          };
          const who =
            round.round === 0
              ? 'planner demonstrations'
              : round.plannerMix > 0
                ? `network with the planner on ${(100 * round.plannerMix).toFixed(0)}% of steps`
                : 'network';
          const agreement = Number.isNaN(round.agreement) ? '' : `, chose one of the planner's best actions ${(100 * round.agreement).toFixed(0)}% of the time`;
          // In the round's transaction: a resumed stage logs each round once.
          ctx.log(`DAgger round ${round.round}: ${who}, mean return ${round.meanReturn.toFixed(2)}${agreement}; ${progress.samples} labelled states in all`);
          return progress;
        });
      },
    },
    resume,
  );
  const weights = await weightsOf(net);
  const architecture = architectureOf(net.def);
  disposeTrainable(net);
  const { episodes, samples, demoSamples } = progress;
  return (db) => {
    saveModel(db, ctx.runId, PLANNER_KEY, plannerArchitecture(ctx), new Uint8Array(0));
    saveMethodData(db, ctx.runId, { method: 'planner', kind: 'expert', episodes: ctx.config.expert.planner.episodes, samples: demoSamples, stepIndices: null });
    saveModel(db, ctx.runId, EXPERT_KEY, architecture, weights);
    saveMethodData(db, ctx.runId, { method: 'expert', kind: 'expert', episodes, samples, stepIndices: null });
    if (!Number.isNaN(lastAgreement)) appendMetrics(db, ctx.runId, [{ series: 'expert/agreement', step: 0, value: lastAgreement }]);
  };
}
