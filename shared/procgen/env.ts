import { checkAction } from './engine/actions.ts';
import type { Mode, ProcgenGame } from './engine/game.ts';
import { createGame } from './games/index.ts';
import { LevelSeedSampler, type LevelSet } from './levels.ts';

export interface ProcgenEnvOptions extends Partial<LevelSet> {
  game: string;
  mode: Mode;
  /** Seeds the level-seed stream shared by environments 0..k (Procgen `rand_seed`). Default 0. */
  randSeed?: number;
  /** Which environment of that stream this is (env k of a vectorised env). Default 0. */
  envIndex?: number;
  /** On a completed level, continue with level seed + 997 instead of a new draw, and report done = false. */
  useSequentialLevels?: boolean;
}

/**
 * One Procgen environment: a game plus Procgen's episode bookkeeping
 * (game.cpp `Game::step` / `Game::reset`). After a step that ends the episode
 * the next level is started at once (auto-reset): the state is then the first
 * frame of the next level, while `reward` and `done` are those of the step
 * that ended. `info` as Procgen: `levelSeed` (the level now being played),
 * `prevLevelSeed` (the level the last step was played in) and
 * `prevLevelComplete` (that step completed its level).
 *
 * `step` allocates nothing; `copyFrom` restores a full state (both RNGs included).
 */
export class ProcgenEnv {
  readonly game: ProcgenGame;
  readonly levels: LevelSeedSampler;
  readonly useSequentialLevels: boolean;
  private readonly options: ProcgenEnvOptions;

  /** Result of the last step. */
  reward = 0;
  done = false;
  /** Level seed being played now (after any auto-reset). */
  levelSeed = 0;
  prevLevelSeed = 0;
  prevLevelComplete = false;
  /** Return and length of the episode in progress. */
  episodeReturn = 0;
  episodeLength = 0;
  /** Return and length of the episode the last `done` step ended. */
  finishedReturn = 0;
  finishedLength = 0;

  constructor(options: ProcgenEnvOptions) {
    this.options = { ...options };
    this.game = createGame(options.game, options.mode);
    const envIndex = options.envIndex ?? 0;
    if (!Number.isInteger(envIndex) || envIndex < 0) {
      throw new RangeError(`Invalid envIndex ${envIndex}: use an integer >= 0.`);
    }
    const randSeed = options.randSeed ?? 0;
    if (!Number.isInteger(randSeed)) throw new RangeError(`Invalid randSeed ${randSeed}: use an integer.`);
    const seedWord = LevelSeedSampler.seedWords(randSeed, envIndex + 1)[envIndex]!;
    this.levels = new LevelSeedSampler({ numLevels: options.numLevels ?? 0, startLevel: options.startLevel ?? 0 }, seedWord);
    this.useSequentialLevels = options.useSequentialLevels ?? false;
    this.startLevel(this.levels.next());
    // Procgen's first observation reports done (`first`) with no previous level.
    this.done = true;
  }

  private startLevel(seed: number): void {
    this.levelSeed = seed;
    this.game.resetLevel(seed);
    this.episodeReturn = 0;
    this.episodeLength = 0;
  }

  /** Plays one action (0..14), auto-resetting when the episode ends. */
  step(action: number): void {
    checkAction(action);
    const game = this.game;
    game.step(action);
    this.reward = game.reward;
    this.episodeReturn += game.reward;
    this.episodeLength += 1;
    this.prevLevelSeed = this.levelSeed;
    this.prevLevelComplete = game.levelComplete;
    let done = game.done;
    if (done) {
      this.finishedReturn = this.episodeReturn;
      this.finishedLength = this.episodeLength;
      const next = this.useSequentialLevels && game.levelComplete ? (this.levelSeed + 997) | 0 : this.levels.next();
      this.startLevel(next);
      if (this.useSequentialLevels && game.levelComplete) done = false;
    }
    this.done = done;
  }

  /** A new environment in exactly this state, continuing the same level-seed stream. */
  clone(): ProcgenEnv {
    const copy = new ProcgenEnv(this.options);
    copy.copyFrom(this);
    return copy;
  }

  /** Makes this environment an exact copy of `other` (same game and mode); allocation-free once warmed up. */
  copyFrom(other: ProcgenEnv): void {
    if (other.levels.low !== this.levels.low || other.levels.high !== this.levels.high) {
      throw new Error(
        `Cannot copy an environment playing levels [${other.levels.low}, ${other.levels.high}) into one playing [${this.levels.low}, ${this.levels.high}).`,
      );
    }
    this.game.copyFrom(other.game);
    this.levels.rng.copyFrom(other.levels.rng);
    this.reward = other.reward;
    this.done = other.done;
    this.levelSeed = other.levelSeed;
    this.prevLevelSeed = other.prevLevelSeed;
    this.prevLevelComplete = other.prevLevelComplete;
    this.episodeReturn = other.episodeReturn;
    this.episodeLength = other.episodeLength;
    this.finishedReturn = other.finishedReturn;
    this.finishedLength = other.finishedLength;
  }
}
