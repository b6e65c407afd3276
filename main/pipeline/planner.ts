/**
 * The search planner: a strong expert in minutes instead of 25M PPO steps.
 * Procgen is deterministic given the full state, so a copy of the game
 * predicts the future. Per decision the planner scores candidate action
 * sequences of `horizon` steps on a scratch copy (no rendering) and plays the
 * first action of the best one; the best sequence is kept and re-scored next
 * step, so a plan that once found a reward is not forgotten. Candidates: for
 * each distinct action of the game, that action held for the whole horizon,
 * and `rollouts - 1` sequences that start with it and continue with random
 * actions held for a few steps (held actions explore further than jitter).
 *
 * What it can see (`foresight`):
 * - `oracle`: the copy keeps the game's own random generator, so rollouts see
 *   fish and enemies that have not spawned yet. Strongest, but no observation
 *   reveals those spawns, so a pixel network cannot learn why it acts.
 * - `sampled`: every candidate is scored in `futures` futures, each drawing
 *   fresh randomness (the copy's generator reseeded, and what the state holds
 *   but no frame shows drawn afresh: starpilot's enemy schedule and firing
 *   times; the same futures for every candidate, so candidates are compared on
 *   equal terms), and its score is the mean: the planner knows only what is on
 *   screen plus the game's rules.
 *
 * Score = reward collected - a death penalty (the episode ended without
 * completing the level before the timeout) + a small shaped term at the
 * rollout's end: jumper, the breadth-first distance to the goal (random
 * rollouts rarely reach it); bigfish, the distance to the nearest fish it
 * may eat; starpilot, the vertical offset to the nearest enemy ahead (in
 * its line of fire). Without shaping, most decisions are ties.
 *
 * Each decision also leaves a score per distinct first action (the best of
 * its candidates); `searchTargets` turns them into the soft target a network
 * imitates, so arbitrary tie-breaks are not labels it must guess.
 */
import type { ProcgenGame } from '@shared/procgen/engine/game.ts';
import { createGame, type GameName } from '@shared/procgen/games/index.ts';
import { FISH } from '@shared/procgen/games/bigfish.ts';
import { CAVEWALL, CAVEWALL_TOP, GOAL } from '@shared/procgen/games/jumper.ts';
import { FAST_FLYER, FLYER, TURRET } from '@shared/procgen/games/starpilot.ts';
import { WALL_OBJ } from '@shared/procgen/engine/objects.ts';
import type { Mode } from '@shared/procgen/engine/game.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { Random } from '../learning/random.ts';
import type { ActionSource } from '../learning/train/episodes.ts';

export const PLANNER_FORESIGHTS = ['oracle', 'sampled'] as const;
export type PlannerForesight = (typeof PLANNER_FORESIGHTS)[number];

export interface PlannerOptions {
  readonly horizon: number;
  readonly rollouts: number;
  readonly foresight: PlannerForesight;
  /** `sampled`: futures each candidate is scored in (ignored by the oracle, which sees the one true future). */
  readonly futures: number;
}

/** Actions that differ in effect, per game (the others duplicate one of these). */
const DISTINCT_ACTIONS: Readonly<Record<GameName, readonly number[]>> = {
  // Special keys do nothing in bigfish: the 9 moves.
  bigfish: [0, 1, 2, 3, 4, 5, 6, 7, 8],
  // 9 fires right without moving, 10 fires left.
  starpilot: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  // Down does nothing in jumper: left, stay, right, each with or without a jump.
  jumper: [1, 2, 4, 5, 7, 8],
};

/** Losing the rest of the episode costs about what a good agent would still collect. */
const DEATH_PENALTY: Readonly<Record<GameName, number>> = { bigfish: 10, starpilot: 10, jumper: 10 };
/** Jumper: score per grid cell closer to the goal. */
const JUMPER_DISTANCE_WEIGHT = 0.25;
/** Bigfish: score per unit closer to the nearest edible fish (well below one fish's reward). */
const BIGFISH_FOOD_WEIGHT = 0.05;
/** Starpilot: score per unit of vertical offset from the nearest enemy ahead. */
const STARPILOT_AIM_WEIGHT = 0.05;
const NOOP = 4;
/** Random continuations hold an action this many steps at most. */
const MAX_HOLD = 4;

/** Breadth-first distances (in cells) from the goal over a jumper grid; -1 where unreachable. */
export function jumperGoalDistances(game: ProcgenGame): Int32Array {
  const W = game.mainWidth;
  const H = game.mainHeight;
  const dist = new Int32Array(W * H).fill(-1);
  let goalCell = -1;
  for (let i = 0; i < game.entities.count; i++) {
    const e = game.entities.items[i]!;
    if (e.type === GOAL) goalCell = Math.floor(e.y) * W + Math.floor(e.x);
  }
  if (goalCell < 0) return dist;
  const queue = new Int32Array(W * H);
  let head = 0;
  let tail = 0;
  queue[tail++] = goalCell;
  dist[goalCell] = 0;
  while (head < tail) {
    const c = queue[head++]!;
    const x = c % W;
    const y = (c - x) / W;
    for (const [nx, ny] of [
      [x - 1, y],
      [x + 1, y],
      [x, y - 1],
      [x, y + 1],
    ] as const) {
      if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
      const n = ny * W + nx;
      const cell = game.grid[n]!;
      if (dist[n] !== -1 || cell === WALL_OBJ || cell === CAVEWALL || cell === CAVEWALL_TOP) continue;
      dist[n] = dist[c]! + 1;
      queue[tail++] = n;
    }
  }
  return dist;
}

/**
 * The soft target of one decision: a distribution over all actions from the
 * scores of the distinct ones, softmax(score / temperature); temperature 0 puts
 * equal mass on the best-scoring actions. Equal scores always get equal mass;
 * duplicate actions (same effect as a distinct one) get none.
 */
export function searchTargets(scores: Float64Array, actions: readonly number[], temperature: number, out: Float32Array): void {
  if (!(temperature >= 0)) throw new RangeError(`Planner target temperature ${temperature} is invalid: use 0 (the best actions only) or more.`);
  out.fill(0);
  let best = -Infinity;
  for (let i = 0; i < actions.length; i++) best = Math.max(best, scores[i]!);
  let sum = 0;
  for (let i = 0; i < actions.length; i++) {
    const gap = scores[i]! - best;
    const mass = temperature === 0 ? (gap >= -TIE ? 1 : 0) : Math.exp(gap / temperature);
    out[actions[i]!] = mass;
    sum += mass;
  }
  for (let i = 0; i < actions.length; i++) out[actions[i]!]! /= sum;
}

/** Scores closer than this are ties. */
const TIE = 1e-9;

export class Planner {
  private readonly scratch: ProcgenGame;
  /** The distinct actions of the game, in the order of `scores`. */
  readonly actions: readonly number[];
  /** After `act`: the score of each distinct first action (the best of its candidates). */
  readonly scores: Float64Array;
  private readonly random: Random;
  /** The best sequence found so far, from the current step on. */
  private plan: Int32Array;
  private planLength = 0;
  private readonly candidate: Int32Array;
  private readonly futureSeeds: Int32Array;
  private goalDistances: Int32Array | null = null;
  private distancesForSeed = NaN;
  private previous = NOOP;

  constructor(
    readonly game: GameName,
    mode: Mode,
    private readonly options: PlannerOptions,
    seed: number,
  ) {
    checkPlannerOptions(options);
    this.scratch = createGame(game, mode);
    this.actions = DISTINCT_ACTIONS[game];
    this.scores = new Float64Array(this.actions.length);
    this.random = new Random(seed);
    this.plan = new Int32Array(options.horizon);
    this.candidate = new Int32Array(options.horizon);
    this.futureSeeds = new Int32Array(options.foresight === 'oracle' ? 1 : options.futures);
  }

  /** Forget the kept plan (call when a new episode starts). */
  reset(): void {
    this.planLength = 0;
    this.previous = NOOP;
  }

  /** The action to play now in `state` (which is not modified); `scores` then holds every distinct action's score. */
  act(state: ProcgenGame): number {
    const { horizon, rollouts } = this.options;
    for (let f = 0; f < this.futureSeeds.length; f++) this.futureSeeds[f] = this.random.int(2 ** 31);
    this.scores.fill(-Infinity);
    let bestScore = -Infinity;
    let bestAction = this.previous;
    const consider = (seq: Int32Array): void => {
      const s = this.score(state, seq);
      const index = this.actions.indexOf(seq[0]!);
      if (s > this.scores[index]!) this.scores[index] = s;
      // Ties keep the previous action: consistent choices are what a network can imitate.
      if (s > bestScore + TIE || (Math.abs(s - bestScore) <= TIE && seq[0] === this.previous)) {
        bestScore = s;
        bestAction = seq[0]!;
        this.plan.set(seq);
      }
    };
    // The kept plan, shifted by the step just played, padded with a random tail.
    if (this.planLength > 0) {
      this.candidate.set(this.plan.subarray(0, this.planLength));
      this.fillRandom(this.candidate, this.planLength);
      consider(this.candidate);
    }
    for (const first of this.actions) {
      // Holding one action for the whole horizon, then random continuations after it.
      this.candidate.fill(first);
      consider(this.candidate);
      for (let r = 1; r < rollouts; r++) {
        this.candidate[0] = first;
        this.fillRandom(this.candidate, 1);
        consider(this.candidate);
      }
    }
    this.plan.copyWithin(0, 1);
    this.planLength = horizon - 1;
    this.previous = bestAction;
    return bestAction;
  }

  private fillRandom(seq: Int32Array, from: number): void {
    let i = from;
    while (i < seq.length) {
      const action = this.actions[this.random.int(this.actions.length)]!;
      const hold = 1 + this.random.int(MAX_HOLD);
      for (let k = 0; k < hold && i < seq.length; k++) seq[i++] = action;
    }
  }

  /** The sequence's mean score over this decision's futures. */
  private score(state: ProcgenGame, seq: Int32Array): number {
    let total = 0;
    for (let f = 0; f < this.futureSeeds.length; f++) {
      this.scratch.copyFrom(state);
      if (this.options.foresight === 'sampled') {
        this.scratch.rng.seed(this.futureSeeds[f]!);
        this.scratch.redrawHidden(seq.length);
      }
      total += this.rollout(seq);
    }
    return total / this.futureSeeds.length;
  }

  private rollout(seq: Int32Array): number {
    const g = this.scratch;
    let total = 0;
    for (let t = 0; t < seq.length; t++) {
      g.step(seq[t]!);
      // Earlier rewards count slightly more, so the planner does not dawdle.
      total += g.reward * (1 - 0.01 * t);
      if (g.done) {
        if (!g.levelComplete && g.curTime < g.timeout) total -= DEATH_PENALTY[this.game];
        return total;
      }
    }
    return total + this.shaping(g);
  }

  private shaping(g: ProcgenGame): number {
    if (this.game === 'jumper') return -JUMPER_DISTANCE_WEIGHT * this.distanceToGoal(g);
    const agent = g.agent;
    let nearest = Infinity;
    for (let i = 1; i < g.entities.count; i++) {
      const e = g.entities.items[i]!;
      if (this.game === 'bigfish' && e.type === FISH && e.rx <= agent.rx) {
        nearest = Math.min(nearest, Math.hypot(e.x - agent.x, e.y - agent.y));
      } else if (this.game === 'starpilot' && (e.type === FLYER || e.type === FAST_FLYER || e.type === TURRET) && e.x > agent.x) {
        nearest = Math.min(nearest, Math.abs(e.y - agent.y));
      }
    }
    if (nearest === Infinity) return 0;
    return -(this.game === 'bigfish' ? BIGFISH_FOOD_WEIGHT : STARPILOT_AIM_WEIGHT) * nearest;
  }

  private distanceToGoal(g: ProcgenGame): number {
    if (this.distancesForSeed !== g.levelSeed || !this.goalDistances) {
      this.goalDistances = jumperGoalDistances(g);
      this.distancesForSeed = g.levelSeed;
    }
    const x = Math.floor(g.agent.x);
    const y = Math.floor(g.agent.y);
    const d = this.goalDistances[y * g.mainWidth + x];
    return d === undefined || d < 0 ? g.mainWidth + g.mainHeight : d;
  }
}

/** Planner decisions are independent per slot; a few slots keep the loop simple and renders batched. */
export const PLANNER_SLOTS = 4;

/**
 * The planner as an episode player's action source: one planner per slot, slot `s` seeded by
 * `seedOfSlot(s)`. Every state it acts in is labelled with its search targets at `targetTemperature`.
 */
export function plannerActionSource(
  game: GameName,
  mode: Mode,
  options: PlannerOptions,
  targetTemperature: number,
  seedOfSlot: (slot: number) => number,
): ActionSource {
  const planners = Array.from({ length: PLANNER_SLOTS }, (_, slot) => new Planner(game, mode, options, seedOfSlot(slot)));
  return {
    needsFrames: false,
    labels: true,
    begin: (slot) => planners[slot]!.reset(),
    choose(active: readonly number[], games: readonly ProcgenGame[], _frames: Uint8Array, out: Uint8Array, targets: Float32Array) {
      for (let i = 0; i < active.length; i++) {
        const planner = planners[active[i]!]!;
        out[i] = planner.act(games[active[i]!]!);
        searchTargets(planner.scores, planner.actions, targetTemperature, targets.subarray(i * NUM_ACTIONS, (i + 1) * NUM_ACTIONS));
      }
    },
  };
}

/** Checks planner settings, naming the config field and its range. */
export function checkPlannerOptions(options: PlannerOptions): void {
  const { horizon, rollouts, foresight, futures } = options;
  if (!(Number.isInteger(horizon) && horizon >= 1 && horizon <= 1000))
    throw new RangeError(`expert.planner.horizon ${horizon} is invalid: use a whole number of steps 1..1000.`);
  if (!(Number.isInteger(rollouts) && rollouts >= 1 && rollouts <= 10_000))
    throw new RangeError(`expert.planner.rollouts ${rollouts} is invalid: use a whole number 1..10000.`);
  if (!PLANNER_FORESIGHTS.includes(foresight))
    throw new RangeError(`expert.planner.foresight '${String(foresight)}' is invalid: use one of ${PLANNER_FORESIGHTS.join(', ')}.`);
  if (!(Number.isInteger(futures) && futures >= 1 && futures <= 1000))
    throw new RangeError(`expert.planner.futures ${futures} is invalid: use a whole number 1..1000.`);
}
