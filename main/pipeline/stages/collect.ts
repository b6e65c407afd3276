/**
 * Stage 2, the offline dataset: N episodes on the training levels with
 * actions sampled from the expert network (temperature, epsilon) or, with
 * `collect.actor=planner`, chosen by the planner (epsilon), 64x64
 * observations rendered, every episode re-simulated from (level seed,
 * actions) to check it reproduces its rewards before it is stored. Or, with
 * `collect.datasetId`, a stored (e.g. imported) dataset of the same game.
 */
import type { Database } from 'better-sqlite3';
import { getDatasetInfo, listDatasetEpisodes, saveDataset, type Episode } from '../../storage/datasets.ts';
import { appendMetrics } from '../../storage/metrics.ts';
import { setRunDataset } from '../../storage/runs.ts';
import { disposeTrainable } from '../../learning/nets/trainable.ts';
import { drawLevelSeeds, playEpisodesAsync, withEpsilon } from '../../learning/train/episodes.ts';
import { NetworkActionSource } from '../../learning/train/policy.ts';
import { createGame, type GameName } from '@shared/procgen/games/index.ts';
import type { Mode } from '@shared/procgen/engine/game.ts';
import { plannerSource } from './expert.ts';
import { PLANNER_SLOTS } from '../planner.ts';
import { loadExpert } from '../training-data.ts';
import { seedFor, type StageCommit, type StageContext, type StageDefinition } from '../stage-context.ts';

/** Episodes played at once: one batched forward pass decides for all of them. */
export const POLICY_SLOTS = 16;

/**
 * Re-simulates an episode from (game, mode, level seed, actions) and checks it
 * reproduces the stored rewards and ends exactly at its last action. Returns
 * null when it matches, else what differs.
 */
export function resimulationMismatch(game: GameName, mode: Mode, levelSeed: number, actions: Uint8Array, rewards: Float32Array): string | null {
  const g = createGame(game, mode);
  g.resetLevel(levelSeed);
  for (let t = 0; t < actions.length; t++) {
    g.step(actions[t]!);
    if (Math.fround(g.reward) !== rewards[t]) return `step ${t}: re-simulated reward ${g.reward}, stored ${rewards[t]}`;
    const last = t === actions.length - 1;
    if (g.done !== last)
      return last ? `the episode did not end after its ${actions.length} stored actions` : `the episode ended at step ${t}, before its last stored action`;
  }
  return null;
}

/**
 * Re-simulates every episode of a stored dataset; returns one line per
 * episode that does not reproduce its stored rewards (empty when all match).
 * Imported episodes have no level seed and are skipped.
 */
export function verifyDataset(db: Database, datasetId: number): string[] {
  const info = getDatasetInfo(db, datasetId);
  return listDatasetEpisodes(db, datasetId).flatMap((e) => {
    if (e.levelSeed === null) return [];
    const mismatch = resimulationMismatch(info.game as GameName, info.mode as Mode, e.levelSeed, e.actions, e.rewards);
    return mismatch ? [`episode ${e.idx} (level ${e.levelSeed}): ${mismatch}`] : [];
  });
}

function useStoredDataset(ctx: StageContext, datasetId: number): StageCommit {
  const info = getDatasetInfo(ctx.db, datasetId);
  if (info.game !== ctx.config.game || info.mode !== ctx.config.mode) {
    throw new Error(`collect.datasetId=${datasetId} holds ${info.game}/${info.mode} episodes but this run plays ${ctx.config.game}/${ctx.config.mode}.`);
  }
  ctx.log(`uses stored dataset ${datasetId} (${info.episodes} episodes); nothing collected`);
  return (db) => setRunDataset(db, ctx.runId, datasetId);
}

async function collectWithExpert(ctx: StageContext): Promise<StageCommit> {
  const { game, mode, trainLevels, collect } = ctx.config;
  const byPlanner = collect.actor === 'planner';
  const expert = byPlanner ? null : loadExpert(ctx.db, ctx.runId);
  const levelSeeds = drawLevelSeeds(trainLevels, seedFor(ctx.config.seed, 'collect'), collect.episodes);
  let finished = 0;
  // Asynchronous choices: a network on the webgpu backend cannot be read synchronously.
  const episodes = await playEpisodesAsync({
    game,
    mode,
    levelSeeds,
    slots: byPlanner ? PLANNER_SLOTS : POLICY_SLOTS,
    recordObservations: true,
    source: withEpsilon(
      expert
        ? new NetworkActionSource(expert, POLICY_SLOTS, { temperature: collect.temperature, greedy: false }, ctx.random('collect/actions'))
        : plannerSource(ctx, 'collect/planner'),
      collect.epsilon,
      ctx.random('collect/epsilon'),
    ),
    onStep: () => ctx.throwIfCancelled(),
    onEpisode: () => ctx.progress(++finished, levelSeeds.length, `episodes collected by the ${byPlanner ? 'planner' : 'expert network'}`),
  });
  if (expert) disposeTrainable(expert);
  for (const e of episodes) {
    const mismatch = resimulationMismatch(game, mode, e.levelSeed, e.actions, e.rewards);
    if (mismatch) throw new Error(`Collected episode on level ${e.levelSeed} does not re-simulate: ${mismatch}.`);
  }
  const transitions = episodes.reduce((n, e) => n + e.actions.length, 0);
  const meanReturn = episodes.reduce((sum, e) => sum + e.rewards.reduce((s, r) => s + r, 0), 0) / Math.max(1, episodes.length);
  ctx.log(
    `${episodes.length} episodes (${transitions} transitions) collected by the ${byPlanner ? 'planner' : 'expert network'}, mean return ${meanReturn.toFixed(2)}; every one re-simulates`,
  );
  return (db) => {
    const datasetId = saveDataset(db, { runId: ctx.runId, name: `collected by run ${ctx.runId}`, game, mode, source: 'collected' }, episodes as Episode[]);
    setRunDataset(db, ctx.runId, datasetId);
    appendMetrics(
      db,
      ctx.runId,
      episodes.map((e, step) => ({ series: 'collect/return', step, value: e.rewards.reduce((s, r) => s + r, 0) })),
    );
  };
}

export const collectStage: StageDefinition = {
  name: 'collect',
  async run(ctx) {
    const { datasetId } = ctx.config.collect;
    return datasetId === null ? collectWithExpert(ctx) : useStoredDataset(ctx, datasetId);
  },
};
