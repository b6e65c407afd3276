/**
 * Stage 6, evaluation: the expert network, every student and a uniformly
 * random policy play M episodes on the training levels (ID) and M on
 * unrestricted levels (OOD), with sampled actions (greedy when asked). Every
 * model plays the same level seeds (a paired comparison); seeds, actions and
 * rewards are stored per episode. Optional extra rows: every student played
 * greedily, and each method's students as one ensemble (evaluate.greedyRows,
 * evaluate.ensembleRows). Each evaluated model is stored with the
 * checkpoint; a resume skips it.
 */
import type { Database } from 'better-sqlite3';
import type { ExperimentConfig } from '@shared/config/experiment.ts';
import { saveEvalEpisodes, type Split } from '../../storage/evaluations.ts';
import { trainableFromWeights, disposeTrainable, type TrainableNet } from '../../learning/nets/trainable.ts';
import { EnsembleActionSource } from '../../learning/train/ensemble.ts';
import { ensembleRow, greedyRow, rowMethod } from '@shared/config/methods.ts';
import { findModel, listModels, saveModel, type ModelKey, type StoredModel } from '../../storage/models.ts';
import { getRun, getStages } from '../../storage/runs.ts';
import { drawLevelSeeds, playEpisodes, playEpisodesAsync, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { NetworkActionSource } from '../../learning/train/policy.ts';
import { Random } from '../../learning/random.ts';
import { seedFor, type StageDefinition } from '../stage-context.ts';
import { isPlannerModel, plannerSource } from './expert.ts';
import { PLANNER_SLOTS } from '../planner.ts';
import { RANDOM_KEY, isRandomModel, randomPolicySource, saveRandomPolicy } from '../random-policy.ts';

/** Students are small: all episodes of a split can share one forward pass. */
const MAX_SLOTS = 64;

interface EvaluateCheckpoint {
  /** Models whose episodes are stored. */
  readonly evaluated: number[];
}

/** The level seeds every model of a run plays, per split. */
function evaluationSplits(config: ExperimentConfig): { split: Split; seeds: number[] }[] {
  const { trainLevels, evaluate, seed } = config;
  return [
    { split: 'id', seeds: drawLevelSeeds(trainLevels, seedFor(seed, 'evaluate/id'), evaluate.episodesId) },
    { split: 'ood', seeds: drawLevelSeeds({ startLevel: 0, numLevels: 0 }, seedFor(seed, 'evaluate/ood'), evaluate.episodesOod) },
  ];
}

/** What seeds a model's action sampling on one split. */
const samplingPurpose = (model: ModelKey, split: Split) => `evaluate/${model.role}/${model.method}/${model.member}/${split}`;

export const evaluateStage: StageDefinition = {
  name: 'evaluate',
  async run(ctx) {
    const { game, mode, evaluate } = ctx.config;
    const splits = evaluationSplits(ctx.config);
    // Added once: a resumed attempt finds them stored (and in the checkpoint once played).
    ctx.db.transaction(() => {
      if (!listModels(ctx.db, ctx.runId).some(isRandomModel)) saveRandomPolicy(ctx.db, ctx.runId);
      saveEvaluationRows(ctx.db, ctx.runId, evaluate);
    })();
    const models = listModels(ctx.db, ctx.runId);
    const evaluated = new Set((ctx.checkpoint as EvaluateCheckpoint | null)?.evaluated ?? []);
    const totalEpisodes = models.length * (evaluate.episodesId + evaluate.episodesOod);
    let played = evaluated.size * (evaluate.episodesId + evaluate.episodesOod);
    for (const model of models) {
      if (evaluated.has(model.id)) continue;
      const planner = isPlannerModel(model);
      const random = isRandomModel(model);
      const ensemble = isEnsembleModel(model) ? ensembleMembers(ctx.db, ctx.runId, model) : null;
      const net = planner || random || ensemble ? undefined : trainableFromWeights(findModel(ctx.db, ctx.runId, model)!.weights);
      const name = model.role === 'expert' || ensemble ? model.method : `${model.method} student ${model.member + 1}`;
      const sampling = { temperature: 1, greedy: evaluate.greedy || model.method === greedyRow(rowMethod(model.method)) };
      const sourceFor = (split: Split) => {
        const draws = ctx.random(samplingPurpose(model, split));
        if (net) return new NetworkActionSource(net, MAX_SLOTS, sampling, draws);
        if (ensemble) return new EnsembleActionSource(ensemble, MAX_SLOTS, sampling, draws);
        return random ? randomPolicySource(draws) : plannerSource(ctx, `evaluate/planner/${split}`);
      };
      try {
        const results: { split: Split; episodes: PlayedEpisode[] }[] = [];
        for (const { split, seeds } of splits) {
          // Asynchronous choices: a network on the webgpu backend cannot be read synchronously.
          const episodes: PlayedEpisode[] = seeds.length
            ? await playEpisodesAsync({
                game,
                mode,
                levelSeeds: seeds,
                slots: planner ? PLANNER_SLOTS : MAX_SLOTS,
                recordObservations: false,
                source: sourceFor(split),
                onStep: () => ctx.throwIfCancelled(),
                onEpisode: () => ctx.progress(++played, totalEpisodes, `${name}, ${split.toUpperCase()}`),
              })
            : [];
          results.push({ split, episodes });
        }
        evaluated.add(model.id);
        ctx.saveProgress((db): EvaluateCheckpoint => {
          for (const { split, episodes } of results) saveEvalEpisodes(db, model.id, split, episodes);
          return { evaluated: [...evaluated] };
        });
        const mean = (episodes: readonly PlayedEpisode[]) => episodes.reduce((sum, e) => sum + e.rewards.reduce((s, r) => s + r, 0), 0) / episodes.length;
        ctx.log(
          `${name}: mean return ${results
            .filter((r) => r.episodes.length > 0)
            .map((r) => `${r.split.toUpperCase()} ${mean(r.episodes).toFixed(2)} (${r.episodes.length} ep.)`)
            .join(', ')}`,
        );
      } finally {
        if (net) disposeTrainable(net);
        ensemble?.forEach(disposeTrainable);
      }
    }
    return () => {};
  },
};

/** An ensemble row is stored as a weightless model; its members are the method's students. */
const ENSEMBLE_ARCHITECTURE = /^ensemble of (\d+) /;

function isEnsembleModel(model: { readonly architecture: string }): boolean {
  return ENSEMBLE_ARCHITECTURE.test(model.architecture);
}

/** The students an ensemble row averages, loaded. */
function ensembleMembers(db: Database, runId: number, model: Omit<StoredModel, 'weights'>): TrainableNet[] {
  const method = rowMethod(model.method);
  return listModels(db, runId)
    .filter((m) => m.role === 'student' && m.method === method)
    .map((m) => trainableFromWeights(findModel(db, runId, m)!.weights));
}

/**
 * The extra rows `evaluate` asks for, stored once as models of their own: each student
 * again as '<method> [greedy]' (a copy of its weights, always played greedily), and each
 * method's students as one '<method> [ensemble of K]' (weightless; its members are loaded
 * when it plays). Separate rows, so an ensemble is never read as one student.
 */
function saveEvaluationRows(db: Database, runId: number, evaluate: ExperimentConfig['evaluate']): void {
  const models = listModels(db, runId);
  const has = (method: string, member: number) => models.some((m) => m.role === 'student' && m.method === method && m.member === member);
  const students = models.filter((m) => m.role === 'student' && !isEnsembleModel(m) && rowMethod(m.method) === m.method);
  for (const method of new Set(students.map((m) => m.method))) {
    const members = students.filter((m) => m.method === method);
    if (evaluate.greedyRows) {
      for (const m of members) {
        if (!has(greedyRow(method), m.member))
          saveModel(db, runId, { role: 'student', method: greedyRow(method), member: m.member }, m.architecture, findModel(db, runId, m)!.weights);
      }
    }
    const ensemble = ensembleRow(method, members.length);
    if (evaluate.ensembleRows && members.length > 1 && !has(ensemble, 0)) {
      saveModel(db, runId, { role: 'student', method: ensemble, member: 0 }, `ensemble of ${members.length} ${members[0]!.architecture}`, new Uint8Array(0));
    }
  }
}

/**
 * Evaluates the random policy of a run whose evaluation finished before runs had one,
 * exactly as the stage would have (same level seeds, same sampling seeds and slots):
 * about a second for the paper's 100 + 100 episodes (1.3 s for bigfish here). Returns whether it stored one.
 */
export function evaluateMissingRandomPolicy(db: Database, runId: number): boolean {
  const evaluateDone = getStages(db, runId).some((s) => s.stage === 'evaluate' && s.status === 'done');
  if (!evaluateDone || listModels(db, runId).some(isRandomModel)) return false;
  const { config } = getRun(db, runId);
  const results = evaluationSplits(config).map(({ split, seeds }) => ({
    split,
    episodes: seeds.length
      ? playEpisodes({
          game: config.game,
          mode: config.mode,
          levelSeeds: seeds,
          slots: MAX_SLOTS,
          recordObservations: false,
          source: randomPolicySource(new Random(seedFor(config.seed, samplingPurpose(RANDOM_KEY, split)))),
        })
      : [],
  }));
  // Immediate: a second process doing the same finds it stored and leaves it.
  return db
    .transaction(() => {
      if (listModels(db, runId).some(isRandomModel)) return false;
      const modelId = saveRandomPolicy(db, runId);
      for (const { split, episodes } of results) saveEvalEpisodes(db, modelId, split, episodes);
      return true;
    })
    .immediate();
}
