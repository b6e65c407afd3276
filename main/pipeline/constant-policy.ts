/**
 * The best constant action: a second floor beside the uniformly random policy. A
 * student that collapses onto one move (bigfish's diagonals score about 6.7 played
 * always, five times a random policy) has learned no policy, yet clears the random
 * floor; this row shows what one action alone scores.
 *
 * Chosen without bias: each of the 15 actions plays SELECTION_EPISODES episodes on
 * training levels the evaluation does not play, and the highest mean return wins (ties:
 * the lowest action). That one action, played always, is then evaluated like every model
 * (the same level seeds, ID and OOD), so its row is not the winner's own selection score.
 * Stored like the random policy, as a weightless model of the run whose architecture
 * names the action and the selection.
 */
import type { Database } from 'better-sqlite3';
import { CONSTANT_METHOD } from '@shared/config/methods.ts';
import type { ExperimentConfig } from '@shared/config/experiment.ts';
import { actionName } from '@shared/procgen/action-names.ts';
import { checkAction, NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { LevelSeedSampler, type LevelSet } from '@shared/procgen/levels.ts';
import { drawLevelSeeds, episodeReturn, playEpisodes, type ActionSource } from '../learning/train/episodes.ts';
import { saveModel } from '../storage/models.ts';
import { seedFor } from './stage-context.ts';

export const CONSTANT_KEY = { role: 'expert', method: CONSTANT_METHOD, member: 0 } as const;

/**
 * Selection episodes per action. Near-equal actions need not be told apart (bigfish's UP and
 * its two upward diagonals score 7.6-8.9 over 200 levels: whichever wins, the floor is about the
 * same), but a clearly best one must win: jumper's RIGHT+UP scores 1.35 against 0.40-0.45 for
 * the next, with a per-episode spread of 2-3.4, so at 20 episodes the standard error of their
 * difference (0.8) is near the difference itself, at 50 about half of it. 15 x 50 episodes cost
 * 1-3 s on one core (bigfish 1.6 s, jumper 2 s, starpilot 3.4 s), little beside evaluation.
 */
export const SELECTION_EPISODES = 50;

/** Draws per wanted selection level before settling for fewer (a level set the evaluation nearly covers). */
const DRAWS_PER_LEVEL = 100;

const ARCHITECTURE = /^constant action (\d+) /;

/** The action a stored constant policy plays, or null when the model is not one. */
export function constantActionOf(model: { readonly architecture: string }): number | null {
  const match = ARCHITECTURE.exec(model.architecture);
  return match ? Number(match[1]) : null;
}

/** Whether a stored model is the best constant action (no weights, no observations needed). */
export function isConstantModel(model: { readonly architecture: string }): boolean {
  return constantActionOf(model) !== null;
}

/** The data a constant policy's results row says it used, e.g. "one action always (LEFT+UP, the best of 15)". */
export function constantDataUsed(game: string, action: number): string {
  return `one action always (${actionName(game, action)}, the best of ${NUM_ACTIONS})`;
}

/** One action in every slot, every step. */
export function constantPolicySource(action: number): ActionSource {
  checkAction(action);
  return {
    needsFrames: false,
    begin: () => {},
    choose(active, _games, _frames, out) {
      out.fill(action, 0, active.length);
    },
  };
}

/**
 * Up to `count` distinct level seeds of `levels`, none in `avoid` (the levels the evaluation
 * plays), in the order a sampler seeded with `randSeed` draws them. Fewer where the level set
 * has fewer such levels; none where the evaluation plays every one of them.
 */
export function unplayedLevelSeeds(levels: LevelSet, randSeed: number, avoid: readonly number[], count: number): number[] {
  const sampler = new LevelSeedSampler(levels, LevelSeedSampler.seedWords(randSeed, 1)[0]!);
  const taken = new Set(avoid);
  const seeds: number[] = [];
  for (let draw = 0; seeds.length < count && draw < count * DRAWS_PER_LEVEL; draw++) {
    const seed = sampler.next();
    if (taken.has(seed)) continue;
    taken.add(seed);
    seeds.push(seed);
  }
  return seeds;
}

/** The selection's level seeds for a run, and whether they avoid every level its evaluation plays. */
export function selectionLevelSeeds(config: ExperimentConfig, evaluated: readonly number[]): { seeds: number[]; unplayed: boolean } {
  const randSeed = seedFor(config.seed, 'constant/selection');
  const seeds = unplayedLevelSeeds(config.trainLevels, randSeed, evaluated, SELECTION_EPISODES);
  // A training set the evaluation covers entirely leaves only its own levels to choose on.
  return seeds.length > 0 ? { seeds, unplayed: true } : { seeds: drawLevelSeeds(config.trainLevels, randSeed, SELECTION_EPISODES), unplayed: false };
}

export interface ConstantChoice {
  /** The action with the highest mean selection return (ties: the lowest). */
  readonly action: number;
  /** Each action's mean return on the selection episodes, by action. */
  readonly means: Float64Array;
  /** The selection's level seeds, one episode each per action. */
  readonly seeds: readonly number[];
  /** What the model is stored as: the action, its name and the selection. */
  readonly architecture: string;
}

/**
 * Plays every action constantly on the selection levels (one episode per level seed) and
 * picks the best. `onStep` runs after each step of all slots (cancellation checks).
 */
export function chooseConstantAction(
  config: Pick<ExperimentConfig, 'game' | 'mode'>,
  selection: { readonly seeds: readonly number[]; readonly unplayed: boolean },
  onStep?: () => void,
): ConstantChoice {
  const { seeds, unplayed } = selection;
  if (seeds.length === 0) throw new RangeError('Choosing a constant action needs at least one selection level seed.');
  const means = new Float64Array(NUM_ACTIONS);
  for (let action = 0; action < NUM_ACTIONS; action++) {
    const episodes = playEpisodes({
      game: config.game,
      mode: config.mode,
      levelSeeds: seeds,
      slots: seeds.length,
      recordObservations: false,
      source: constantPolicySource(action),
      ...(onStep && { onStep }),
    });
    means[action] = episodes.reduce((sum, e) => sum + episodeReturn(e), 0) / episodes.length;
  }
  let action = 0;
  for (let a = 1; a < NUM_ACTIONS; a++) if (means[a]! > means[action]!) action = a;
  const levels = unplayed ? 'training levels the evaluation does not play' : 'training levels the evaluation plays too (it plays them all)';
  return {
    action,
    means,
    seeds,
    architecture: `constant action ${action} (${actionName(config.game, action)}): best of ${NUM_ACTIONS} on ${seeds.length} selection episodes each, on ${levels}`,
  };
}

/** Stores the chosen constant policy as a weightless model of the run; returns its id. */
export function saveConstantPolicy(db: Database, runId: number, choice: ConstantChoice): number {
  return saveModel(db, runId, CONSTANT_KEY, choice.architecture, new Uint8Array(0));
}
