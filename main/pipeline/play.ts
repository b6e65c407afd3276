/**
 * Plays whole episodes on given level seeds, several at once (one slot per
 * episode in progress, so a network decides for all slots in one batch), and
 * records each: level seed, actions, rewards and, when asked, the 64x64
 * observation seen before each action. Used by the planner's demonstrations,
 * collection and evaluation alike. Every episode runs to its end, so the set
 * of episodes does not favour short ones.
 */
import type { Mode, ProcgenGame } from '@shared/procgen/engine/game.ts';
import { createGame, type GameName } from '@shared/procgen/games/index.ts';
import { LevelSeedSampler, type LevelSet } from '@shared/procgen/levels.ts';
import { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { Random } from '../learning/random.ts';
import { OBSERVATION_BYTES } from '../storage/datasets.ts';

export interface PlayedEpisode {
  readonly levelSeed: number;
  readonly actions: Uint8Array;
  readonly rewards: Float32Array;
  /** length x 64 x 64 x 3 when observations were recorded, else null. */
  readonly observations: Uint8Array | null;
}

/** Chooses the actions of the slots playing now. */
export interface ActionSource {
  /** Slot `slot` starts a new episode. */
  begin(slot: number): void;
  /**
   * Writes `out[i]` for slot `active[i]`; `frames` holds their current
   * observations back to back (rendered only when the source needs them).
   */
  choose(active: readonly number[], games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array): void;
  /** Whether `choose` reads `frames`. */
  readonly needsFrames: boolean;
}

export interface PlayOptions {
  readonly game: GameName;
  readonly mode: Mode;
  readonly levelSeeds: readonly number[];
  readonly slots: number;
  readonly recordObservations: boolean;
  readonly source: ActionSource;
  /** Called after every step of all slots (cancellation checks). */
  readonly onStep?: () => void;
  /** Called as each episode ends, with its index in `levelSeeds`. */
  readonly onEpisode?: (index: number, episode: PlayedEpisode) => void;
}

/** Replaces each chosen action by a uniformly random one with probability epsilon (mixed-quality data). */
export function withEpsilon(source: ActionSource, epsilon: number, random: Random): ActionSource {
  if (epsilon === 0) return source;
  return {
    needsFrames: source.needsFrames,
    begin: (slot) => source.begin(slot),
    choose(active, games, frames, out) {
      source.choose(active, games, frames, out);
      for (let i = 0; i < active.length; i++) if (random.next() < epsilon) out[i] = random.int(NUM_ACTIONS);
    },
  };
}

/** The first `count` level seeds a Procgen environment with this level set and seed would play. */
export function drawLevelSeeds(levels: LevelSet, randSeed: number, count: number): number[] {
  const sampler = new LevelSeedSampler(levels, LevelSeedSampler.seedWords(randSeed, 1)[0]!);
  return Array.from({ length: count }, () => sampler.next());
}

/** A growable per-slot record (grows by doubling: no allocation per step). */
class EpisodeRecorder {
  actions = new Uint8Array(256);
  rewards = new Float32Array(256);
  frames: Uint8Array;
  length = 0;

  constructor(private readonly withFrames: boolean) {
    this.frames = new Uint8Array(withFrames ? 256 * OBSERVATION_BYTES : 0);
  }

  /** Room for one more step; returns the byte offset of its frame. */
  reserve(): number {
    if (this.length === this.actions.length) {
      const grow = <T extends Uint8Array | Float32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.actions = grow(this.actions, (n) => new Uint8Array(n));
      this.rewards = grow(this.rewards, (n) => new Float32Array(n));
      if (this.withFrames) this.frames = grow(this.frames, (n) => new Uint8Array(n));
    }
    return this.length * OBSERVATION_BYTES;
  }

  take(levelSeed: number): PlayedEpisode {
    const n = this.length;
    this.length = 0;
    return {
      levelSeed,
      actions: this.actions.slice(0, n),
      rewards: this.rewards.slice(0, n),
      observations: this.withFrames ? this.frames.slice(0, n * OBSERVATION_BYTES) : null,
    };
  }
}

/** Plays every episode of `levelSeeds`; returns them in that order. */
export function playEpisodes(options: PlayOptions): PlayedEpisode[] {
  const { game, mode, levelSeeds, source, recordObservations } = options;
  const slots = Math.max(1, Math.min(options.slots, levelSeeds.length));
  const games = Array.from({ length: slots }, () => createGame(game, mode));
  const renderers = Array.from({ length: slots }, () => new FrameRenderer(game, mode));
  const recorders = Array.from({ length: slots }, () => new EpisodeRecorder(recordObservations));
  const episodeOf = new Int32Array(slots).fill(-1);
  const results: PlayedEpisode[] = new Array(levelSeeds.length);
  const frames = new Uint8Array(slots * OBSERVATION_BYTES);
  const chosen = new Uint8Array(slots);
  const active: number[] = [];
  const needFrames = source.needsFrames || recordObservations;
  let next = 0;

  const start = (slot: number): void => {
    if (next >= levelSeeds.length) {
      episodeOf[slot] = -1;
      return;
    }
    episodeOf[slot] = next;
    games[slot]!.resetLevel(levelSeeds[next]!);
    source.begin(slot);
    next++;
  };
  for (let s = 0; s < slots; s++) start(s);

  for (;;) {
    active.length = 0;
    for (let s = 0; s < slots; s++) if (episodeOf[s]! >= 0) active.push(s);
    if (active.length === 0) break;
    active.forEach((slot, i) => {
      const offset = recorders[slot]!.reserve();
      if (!needFrames) return;
      renderers[slot]!.render(games[slot]!, frames, i * OBSERVATION_BYTES);
      if (recordObservations) recorders[slot]!.frames.set(frames.subarray(i * OBSERVATION_BYTES, (i + 1) * OBSERVATION_BYTES), offset);
    });
    source.choose(active, games, frames, chosen);
    active.forEach((slot, i) => {
      const g = games[slot]!;
      const record = recorders[slot]!;
      const action = chosen[i]!;
      g.step(action);
      record.actions[record.length] = action;
      record.rewards[record.length] = g.reward;
      record.length++;
      if (g.done) {
        const index = episodeOf[slot]!;
        const episode = record.take(levelSeeds[index]!);
        results[index] = episode;
        options.onEpisode?.(index, episode);
        start(slot);
      }
    });
    options.onStep?.();
  }
  return results;
}

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
