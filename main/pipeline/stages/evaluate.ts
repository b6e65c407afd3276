/**
 * Stage 6, evaluation: the expert network, every student and two floors, a
 * uniformly random policy and the best constant action (chosen first, on
 * levels the evaluation does not play), play M episodes on the training
 * levels (ID) and M on unrestricted levels (OOD), with sampled actions
 * (greedy when asked). Every
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
import { actionName } from '@shared/procgen/action-names.ts';
import { findModel, listModels, saveModel, type ModelKey, type StoredModel } from '../../storage/models.ts';
import { getRun, getStages } from '../../storage/runs.ts';
import { drawLevelSeeds, playEpisodes, playEpisodesAsync, type ActionSource, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { NetworkActionSource } from '../../learning/train/policy.ts';
import { Random } from '../../learning/random.ts';
import { seedFor, type StageDefinition } from '../stage-context.ts';
import { isPlannerModel, plannerSource } from './expert.ts';
import { PLANNER_SLOTS } from '../planner.ts';
import { RANDOM_KEY, isRandomModel, randomPolicySource, saveRandomPolicy } from '../random-policy.ts';
import {
  CONSTANT_KEY,
  type ConstantChoice,
  chooseConstantAction,
  constantActionOf,
  constantPolicySource,
  isConstantModel,
  saveConstantPolicy,
  selectionLevelSeeds,
} from '../constant-policy.ts';

/** Students are small: all episodes of a split can share one forward pass. */
const MAX_SLOTS = 64;

interface EvaluateCheckpoint {
  /** Models whose episodes are stored. */
  readonly evaluated: number[];
}

/** The level seeds every model of a run plays, per split. */
export function evaluationSplits(config: ExperimentConfig): { split: Split; seeds: number[] }[] {
  const { trainLevels, evaluate, seed } = config;
  return [
    { split: 'id', seeds: drawLevelSeeds(trainLevels, seedFor(seed, 'evaluate/id'), evaluate.episodesId) },
    { split: 'ood', seeds: drawLevelSeeds({ startLevel: 0, numLevels: 0 }, seedFor(seed, 'evaluate/ood'), evaluate.episodesOod) },
  ];
}

/** The constant action chosen for a run: on selection levels its evaluation does not play (seconds). */
export function chooseRunConstantAction(config: ExperimentConfig, onStep?: () => void): ConstantChoice {
  const evaluated = evaluationSplits(config).flatMap((s) => s.seeds);
  return chooseConstantAction(config, selectionLevelSeeds(config, evaluated), onStep);
}

/** What seeds a model's action sampling on one split. */
const samplingPurpose = (model: ModelKey, split: Split) => `evaluate/${model.role}/${model.method}/${model.member}/${split}`;

export const evaluateStage: StageDefinition = {
  name: 'evaluate',
  async run(ctx) {
    const { game, mode, evaluate } = ctx.config;
    const splits = evaluationSplits(ctx.config);
    let constant: ConstantChoice | null = null;
    if (!listModels(ctx.db, ctx.runId).some(isConstantModel)) {
      ctx.progress(0, 1, 'choosing the best constant action');
      constant = chooseRunConstantAction(ctx.config, () => ctx.throwIfCancelled());
      const { action, means, seeds } = constant;
      ctx.log(
        `constant: action ${action} (${actionName(game, action)}) chosen, mean return ${means[action]!.toFixed(2)} on ${seeds.length} selection episodes (actions 0-14: ${Array.from(means, (m) => m.toFixed(2)).join(' ')})`,
      );
    }
    // Added once: a resumed attempt finds them stored (and in the checkpoint once played).
    ctx.db.transaction(() => {
      if (constant && !listModels(ctx.db, ctx.runId).some(isConstantModel)) saveConstantPolicy(ctx.db, ctx.runId, constant);
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
      const action = constantActionOf(model);
      const ensemble = isEnsembleModel(model) ? ensembleMembers(ctx.db, ctx.runId, model) : null;
      const net = planner || random || action !== null || ensemble ? undefined : trainableFromWeights(findModel(ctx.db, ctx.runId, model)!.weights);
      const name = model.role === 'expert' || ensemble ? model.method : `${model.method} student ${model.member + 1}`;
      const sampling = { temperature: 1, greedy: evaluate.greedy || model.method === greedyRow(rowMethod(model.method)) };
      const sourceFor = (split: Split) => {
        const draws = ctx.random(samplingPurpose(model, split));
        if (net) return new NetworkActionSource(net, MAX_SLOTS, sampling, draws);
        if (ensemble) return new EnsembleActionSource(ensemble, MAX_SLOTS, sampling, draws);
        if (action !== null) return constantPolicySource(action);
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

/** A floor policy a run may lack: how to tell it is stored, store it, and play it on a split. */
interface FloorPolicy {
  readonly stored: (model: { readonly architecture: string }) => boolean;
  readonly save: (db: Database, runId: number) => number;
  readonly source: (split: Split) => ActionSource;
}

/**
 * Evaluates the floor policies (the random policy, the best constant action) of a run whose
 * evaluation finished before runs had them, exactly as the stage would have (same level seeds,
 * same sampling seeds, the same selection): about a second each for the paper's 100 + 100
 * episodes (the random policy 1.3 s on bigfish here; the constant action's selection 1-3 s more).
 * Returns the methods it stored.
 */
export function evaluateMissingFloorPolicies(db: Database, runId: number): string[] {
  const evaluateDone = getStages(db, runId).some((s) => s.stage === 'evaluate' && s.status === 'done');
  if (!evaluateDone) return [];
  const models = listModels(db, runId);
  const { config } = getRun(db, runId);
  const missing: { method: string; policy: FloorPolicy }[] = [];
  if (!models.some(isConstantModel)) {
    const choice = chooseRunConstantAction(config);
    missing.push({
      method: CONSTANT_KEY.method,
      policy: { stored: isConstantModel, save: (d, id) => saveConstantPolicy(d, id, choice), source: () => constantPolicySource(choice.action) },
    });
  }
  if (!models.some(isRandomModel)) {
    missing.push({
      method: RANDOM_KEY.method,
      policy: {
        stored: isRandomModel,
        save: saveRandomPolicy,
        source: (split) => randomPolicySource(new Random(seedFor(config.seed, samplingPurpose(RANDOM_KEY, split)))),
      },
    });
  }
  return missing.flatMap(({ method, policy }) => (evaluateMissingFloor(db, runId, config, policy) ? [method] : []));
}

/** Plays one floor policy on the run's evaluation seeds and stores it with its episodes, unless another process just did. */
function evaluateMissingFloor(db: Database, runId: number, config: ExperimentConfig, policy: FloorPolicy): boolean {
  const results = evaluationSplits(config).map(({ split, seeds }) => ({
    split,
    episodes: seeds.length
      ? playEpisodes({ game: config.game, mode: config.mode, levelSeeds: seeds, slots: MAX_SLOTS, recordObservations: false, source: policy.source(split) })
      : [],
  }));
  // Immediate: a second process doing the same finds it stored and leaves it.
  return db
    .transaction(() => {
      if (listModels(db, runId).some(policy.stored)) return false;
      const modelId = policy.save(db, runId);
      for (const { split, episodes } of results) saveEvalEpisodes(db, modelId, split, episodes);
      return true;
    })
    .immediate();
}
