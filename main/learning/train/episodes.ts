/**
 * Plays whole episodes on given level seeds, several at once (one slot per
 * episode in progress, so a network decides for all slots in one batch), and
 * records each: level seed, actions, rewards and, when asked, the 64x64
 * observation seen before each action. The one episode player of the app:
 * the planner's demonstrations, dataset collection and evaluation all use it,
 * whatever chooses the actions (a network, the planner). Every episode runs
 * to its end, so the set of episodes does not favour short ones.
 */
import type { Mode, ProcgenGame } from '@shared/procgen/engine/game.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { createGame, type GameName } from '@shared/procgen/games/index.ts';
import { checkLevelSeed, LevelSeedSampler, type LevelSet } from '@shared/procgen/levels.ts';
import { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import type { Random } from '../random.ts';
import { OBS_VALUES } from './data.ts';
import { checkNumber } from './validate.ts';

export interface PlayedEpisode {
  readonly levelSeed: number;
  readonly actions: Uint8Array;
  readonly rewards: Float32Array;
  /** length x 64 x 64 x 3 when observations were recorded, else null. */
  readonly observations: Uint8Array | null;
  /** length x 15 action distributions when the source labels states (a planner's search targets), else null. */
  readonly targets: Float32Array | null;
}

/** Chooses the actions of the slots playing now. */
export interface ActionSource {
  /** Slot `slot` starts a new episode. */
  begin(slot: number): void;
  /**
   * Writes `out[i]` for slot `active[i]`; `frames` holds their current
   * observations back to back (rendered only when the source needs them).
   * A labelling source also writes each state's target distribution to
   * `targets[i * NUM_ACTIONS ..]`.
   */
  choose(active: readonly number[], games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array, targets: Float32Array): void;
  /** The same choice read asynchronously, where the source has it (a network: the webgpu backend cannot read synchronously); `stepAsync` prefers it. */
  chooseAsync?(active: readonly number[], games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array, targets: Float32Array): Promise<void>;
  /** Whether `choose` reads `frames`. */
  readonly needsFrames: boolean;
  /** Whether `choose` writes targets (recorded with the episode). */
  readonly labels?: boolean;
}

export interface PlayOptions {
  readonly game: GameName;
  readonly mode: Mode;
  readonly levelSeeds: readonly number[];
  /** Episodes in progress at once (at most one per level seed). */
  readonly slots: number;
  readonly recordObservations: boolean;
  readonly source: ActionSource;
  /** Called as each episode ends, with its index in `levelSeeds`. */
  readonly onEpisode?: (index: number, episode: PlayedEpisode) => void;
}

/** Replaces each chosen action by a uniformly random one with probability epsilon (mixed-quality data). */
export function withEpsilon(source: ActionSource, epsilon: number, random: Random): ActionSource {
  if (epsilon === 0) return source;
  return {
    needsFrames: source.needsFrames,
    begin: (slot) => source.begin(slot),
    labels: source.labels,
    choose(active, games, frames, out, targets) {
      source.choose(active, games, frames, out, targets);
      for (let i = 0; i < active.length; i++) if (random.next() < epsilon) out[i] = random.int(NUM_ACTIONS);
    },
    ...(source.chooseAsync && {
      async chooseAsync(active, games, frames, out, targets) {
        await source.chooseAsync!(active, games, frames, out, targets);
        for (let i = 0; i < active.length; i++) if (random.next() < epsilon) out[i] = random.int(NUM_ACTIONS);
      },
    }),
  };
}

/** The first `count` level seeds a Procgen environment with this level set and seed would play. */
export function drawLevelSeeds(levels: LevelSet, randSeed: number, count: number): number[] {
  const sampler = new LevelSeedSampler(levels, LevelSeedSampler.seedWords(randSeed, 1)[0]!);
  return Array.from({ length: count }, () => sampler.next());
}

/** The sum of an episode's rewards. */
export function episodeReturn(episode: { readonly rewards: Float32Array }): number {
  let sum = 0;
  for (let t = 0; t < episode.rewards.length; t++) sum += episode.rewards[t]!;
  return sum;
}

/** A growable per-slot record (grows by doubling: no allocation per step). */
class EpisodeRecorder {
  actions = new Uint8Array(256);
  rewards = new Float32Array(256);
  frames: Uint8Array;
  targets: Float32Array;
  length = 0;

  constructor(
    private readonly withFrames: boolean,
    private readonly withTargets: boolean,
  ) {
    this.frames = new Uint8Array(withFrames ? 256 * OBS_VALUES : 0);
    this.targets = new Float32Array(withTargets ? 256 * NUM_ACTIONS : 0);
  }

  /** Room for one more step; returns the byte offset of its frame. */
  reserve(): number {
    if (this.length === this.actions.length) {
      this.actions = grown(this.actions, new Uint8Array(this.actions.length * 2));
      this.rewards = grown(this.rewards, new Float32Array(this.rewards.length * 2));
      if (this.withFrames) this.frames = grown(this.frames, new Uint8Array(this.frames.length * 2));
      if (this.withTargets) this.targets = grown(this.targets, new Float32Array(this.targets.length * 2));
    }
    return this.length * OBS_VALUES;
  }

  take(levelSeed: number): PlayedEpisode {
    const n = this.length;
    this.length = 0;
    return {
      levelSeed,
      actions: this.actions.slice(0, n),
      rewards: this.rewards.slice(0, n),
      observations: this.withFrames ? this.frames.slice(0, n * OBS_VALUES) : null,
      targets: this.withTargets ? this.targets.slice(0, n * NUM_ACTIONS) : null,
    };
  }
}

function grown<T extends Uint8Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Steps every playing slot at once, one `step()` at a time, so a caller can
 * yield between steps (a worker must, for a cancel message to arrive).
 */
export class EpisodePlayer {
  /** The episodes in `levelSeeds` order; complete once `step()` returned false. */
  readonly episodes: PlayedEpisode[];
  private readonly games: ProcgenGame[];
  private readonly renderers: FrameRenderer[];
  private readonly recorders: EpisodeRecorder[];
  private readonly episodeOf: Int32Array;
  private readonly frames: Uint8Array;
  private readonly chosen: Uint8Array;
  private readonly targets: Float32Array;
  private readonly active: number[] = [];
  private readonly needFrames: boolean;
  private next = 0;

  constructor(private readonly options: PlayOptions) {
    const { game, mode, levelSeeds, recordObservations, source } = options;
    checkNumber('slots', options.slots, 1, 4096, { integer: true });
    for (const seed of levelSeeds) checkLevelSeed(seed);
    const slots = Math.max(1, Math.min(options.slots, levelSeeds.length));
    this.games = Array.from({ length: slots }, () => createGame(game, mode));
    this.renderers = Array.from({ length: slots }, () => new FrameRenderer(game, mode));
    this.recorders = Array.from({ length: slots }, () => new EpisodeRecorder(recordObservations, source.labels === true));
    this.episodeOf = new Int32Array(slots).fill(-1);
    this.episodes = new Array(levelSeeds.length);
    this.frames = new Uint8Array(slots * OBS_VALUES);
    this.chosen = new Uint8Array(slots);
    this.targets = new Float32Array(source.labels ? slots * NUM_ACTIONS : 0);
    this.needFrames = source.needsFrames || recordObservations;
    for (let s = 0; s < slots; s++) this.start(s);
  }

  private start(slot: number): void {
    const { levelSeeds, source } = this.options;
    if (this.next >= levelSeeds.length) {
      this.episodeOf[slot] = -1;
      return;
    }
    this.episodeOf[slot] = this.next;
    this.games[slot]!.resetLevel(levelSeeds[this.next]!);
    source.begin(slot);
    this.next++;
  }

  /** Plays one step in every slot; returns how many slots stepped (0 once every episode has ended). */
  step(): number {
    if (this.prepare() === 0) return 0;
    this.options.source.choose(this.active, this.games, this.frames, this.chosen, this.targets);
    return this.advance();
  }

  /** step, with the source's asynchronous choice where it has one (a network on any backend, webgpu included). */
  async stepAsync(): Promise<number> {
    if (this.prepare() === 0) return 0;
    const { source } = this.options;
    if (source.chooseAsync) await source.chooseAsync(this.active, this.games, this.frames, this.chosen, this.targets);
    else source.choose(this.active, this.games, this.frames, this.chosen, this.targets);
    return this.advance();
  }

  /** Lists the playing slots and renders (and records) their frames; returns how many play. */
  private prepare(): number {
    const { active, games, recorders, frames } = this;
    const { recordObservations } = this.options;
    active.length = 0;
    for (let s = 0; s < this.episodeOf.length; s++) if (this.episodeOf[s]! >= 0) active.push(s);
    for (let i = 0; i < active.length; i++) {
      const slot = active[i]!;
      const offset = recorders[slot]!.reserve();
      if (!this.needFrames) continue;
      this.renderers[slot]!.render(games[slot]!, frames, i * OBS_VALUES);
      if (recordObservations) recorders[slot]!.frames.set(frames.subarray(i * OBS_VALUES, (i + 1) * OBS_VALUES), offset);
    }
    return active.length;
  }

  /** Applies the chosen actions, records them, and starts the next episode in slots whose episode ended. */
  private advance(): number {
    const { active, games, recorders } = this;
    const { source, levelSeeds } = this.options;
    for (let i = 0; i < active.length; i++) {
      const slot = active[i]!;
      const game = games[slot]!;
      const record = recorders[slot]!;
      const action = this.chosen[i]!;
      game.step(action);
      record.actions[record.length] = action;
      record.rewards[record.length] = game.reward;
      if (source.labels) record.targets.set(this.targets.subarray(i * NUM_ACTIONS, (i + 1) * NUM_ACTIONS), record.length * NUM_ACTIONS);
      record.length++;
      if (game.done) {
        const index = this.episodeOf[slot]!;
        const episode = record.take(levelSeeds[index]!);
        this.episodes[index] = episode;
        this.options.onEpisode?.(index, episode);
        this.start(slot);
      }
    }
    return active.length;
  }
}

/** Plays every episode of `levelSeeds`; returns them in that order. `onStep` runs after each step of all slots (cancellation checks). */
export function playEpisodes(options: PlayOptions & { readonly onStep?: () => void }): PlayedEpisode[] {
  const player = new EpisodePlayer(options);
  while (player.step() > 0) options.onStep?.();
  return player.episodes;
}

/** playEpisodes with the source's asynchronous choice: what a network on the webgpu backend needs. */
export async function playEpisodesAsync(options: PlayOptions & { readonly onStep?: () => void }): Promise<PlayedEpisode[]> {
  const player = new EpisodePlayer(options);
  while ((await player.stepAsync()) > 0) options.onStep?.();
  return player.episodes;
}
