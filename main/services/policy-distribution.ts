/**
 * What a policy wanted at every frame of a stored episode: the frames (an
 * evaluation episode re-simulated from its level seed and actions, a dataset
 * episode's stored observations) through the stored network, softmax(logits),
 * and each distribution's entropy. Works for any stored episode of any network
 * model, old ones too: nothing new is stored, the result is computed on demand
 * and kept in a small per-process cache (the call pool's workers each keep one).
 */
import type { ParsedCallInput } from '@shared/api/contract.ts';
import { ApiError } from '@shared/api/errors.ts';
import type { EpisodeRef, PolicyDistribution } from '@shared/api/inspect.ts';
import type { Mode } from '@shared/procgen/engine/game.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import { actionName } from '@shared/procgen/action-names.ts';
import { resimulateEpisode, type RewardCheck } from '@shared/procgen/resimulate.ts';
import { disposeTrainable, trainableFromWeights } from '../learning/nets/trainable.ts';
import { policyProbabilities } from '../learning/train/policy.ts';
import { isPlannerModel } from '../pipeline/experts/keys.ts';
import { isRandomModel } from '../pipeline/random-policy.ts';
import { constantActionOf } from '../pipeline/constant-policy.ts';
import { getDatasetInfo, listDatasetEpisodes, loadEpisodeFrames } from '../storage/datasets.ts';
import { loadEvalEpisode } from '../storage/evaluations.ts';
import { findModel, getModelInfo } from '../storage/models.ts';
import { getRun } from '../storage/runs.ts';
import type { ServiceContext } from './context.ts';

/** Distributions kept per process: a 1,000-step episode is 60 kB of floats. */
const CACHE_ENTRIES = 64;
const cache = new Map<string, PolicyDistribution>();

/** The frames an episode's policy saw, and (re-simulated ones) whether the rewards agree. */
function episodeFrames(ctx: ServiceContext, episode: EpisodeRef): { observations: Uint8Array; check: RewardCheck | null } {
  const db = ctx.db.connection;
  if (episode.source === 'dataset') {
    const info = getDatasetInfo(db, episode.datasetId);
    if (!listDatasetEpisodes(db, info.id).some((e) => e.idx === episode.idx)) {
      throw new RangeError(`Dataset ${episode.datasetId} has no episode ${episode.idx}: see episodes.list for its episodes.`);
    }
    return { observations: loadEpisodeFrames(db, episode.datasetId, episode.idx), check: null };
  }
  const stored = loadEvalEpisode(db, episode.modelId, episode.split, episode.idx);
  const { config } = getRun(db, getModelInfo(db, episode.modelId).runId);
  const { observations, check } = resimulateEpisode(config.game as GameName, config.mode as Mode, stored.levelSeed, stored.actions, stored.rewards);
  return { observations, check };
}

/** Shannon entropy in nats of each row of `probabilities` (count x actions). */
export function entropies(probabilities: Float32Array, actions: number): number[] {
  return Array.from({ length: probabilities.length / actions }, (_, t) => {
    let h = 0;
    for (let k = 0; k < actions; k++) {
      const p = probabilities[t * actions + k]!;
      if (p > 0) h -= p * Math.log(p);
    }
    return h;
  });
}

export async function computePolicyDistribution(input: ParsedCallInput<'episodes.policy'>, ctx: ServiceContext): Promise<PolicyDistribution> {
  const db = ctx.db.connection;
  const model = getModelInfo(db, input.modelId);
  // The model's stamp is in the key: a rerun stage stores a new model, which may reuse a deleted id.
  const key = `${model.id}/${model.createdAt}/${JSON.stringify(input.episode)}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { ...hit, computeMs: 0, cached: true };
  }
  const started = performance.now();
  const { observations, check } = episodeFrames(ctx, input.episode);
  const about = { modelId: model.id, method: model.method, role: model.role, check };
  let result: PolicyDistribution;
  if (model.weightBytes === 0) {
    const action = constantActionOf(model);
    const what = isPlannerModel(model)
      ? 'the search planner'
      : isRandomModel(model)
        ? 'the uniformly random policy'
        : action !== null
          ? `the best constant action (always ${actionName(getRun(db, model.runId).config.game, action)})`
          : 'this model';
    result = { ...about, weightless: `${what} has no network, so no action distribution to show`, probabilities: [], entropy: [], computeMs: 0, cached: false };
  } else {
    await ctx.backend();
    const net = trainableFromWeights(findModel(db, model.runId, model)!.weights);
    try {
      const count = observations.length / (64 * 64 * 3);
      const actions = net.def.actions;
      const flat = await policyProbabilities(net, { count, obs: observations, actions: new Int32Array(count) });
      result = {
        ...about,
        weightless: null,
        probabilities: Array.from({ length: count }, (_, t) => Array.from(flat.subarray(t * actions, (t + 1) * actions))),
        entropy: entropies(flat, actions),
        computeMs: performance.now() - started,
        cached: false,
      };
    } finally {
      disposeTrainable(net);
    }
  }
  cache.set(key, result);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return result;
}

/** The call: storage errors (a deleted model, an unknown episode) become its error message. */
export async function policyDistributionCall(input: ParsedCallInput<'episodes.policy'>, ctx: ServiceContext): Promise<PolicyDistribution> {
  try {
    return await computePolicyDistribution(input, ctx);
  } catch (error) {
    if (error instanceof RangeError) throw new ApiError('invalid_input', error.message);
    throw error;
  }
}
