/**
 * N copies of one game stepped by one call (Procgen's `VecGame`): actions in,
 * observations, rewards, dones and info out, all in preallocated arrays
 * (`VecBuffers`). Each copy is a `ProcgenEnv`, seeded as Procgen does (env k's
 * level-seed generator gets the k-th draw of an mt19937 seeded with
 * `randSeed`) and auto-resetting on `done`. Nothing is allocated per step.
 *
 * A `VecEnv` can own a slice `[first, end)` of a larger set of environments:
 * worker threads each step their slice of the same shared buffers.
 */
import type { Mode } from '../engine/game.ts';
import { ProcgenEnv } from '../env.ts';
import { isGameName, GAME_NAMES, type GameName } from '../games/index.ts';
import type { LevelSet } from '../levels.ts';
import { FrameRenderer } from '../render/frame-renderer.ts';
import { allocateVecBuffers, checkNumEnvs, OBSERVATION_BYTES, type VecBuffers } from './vec-buffers.ts';

export interface VecEnvConfig extends Partial<LevelSet> {
  game: GameName;
  mode: Mode;
  numEnvs: number;
  /** Procgen `rand_seed`: seeds the level-seed streams of all environments. Default 0. */
  randSeed?: number;
  useSequentialLevels?: boolean;
}

/** The environments `[first, end)` of a vectorised env. */
export interface EnvSlice {
  first: number;
  end: number;
}

export class VecEnv {
  readonly config: VecEnvConfig;
  readonly buffers: VecBuffers;
  readonly slice: EnvSlice;
  /** `envs[i]` is environment `slice.first + i`. */
  readonly envs: readonly ProcgenEnv[];
  private readonly renderers: readonly FrameRenderer[];

  constructor(config: VecEnvConfig, buffers: VecBuffers = allocateVecBuffers(config.numEnvs), slice: EnvSlice = { first: 0, end: config.numEnvs }) {
    checkVecEnvConfig(config);
    if (buffers.numEnvs !== config.numEnvs) {
      throw new RangeError(`buffers hold ${buffers.numEnvs} environments but the config asks for ${config.numEnvs}`);
    }
    if (!Number.isInteger(slice.first) || !Number.isInteger(slice.end) || slice.first < 0 || slice.end > config.numEnvs || slice.first >= slice.end) {
      throw new RangeError(`invalid environment slice [${slice.first}, ${slice.end}): use 0 <= first < end <= ${config.numEnvs}`);
    }
    this.config = config;
    this.buffers = buffers;
    this.slice = slice;
    const envs: ProcgenEnv[] = [];
    const renderers: FrameRenderer[] = [];
    for (let k = slice.first; k < slice.end; k++) {
      envs.push(
        new ProcgenEnv({
          game: config.game,
          mode: config.mode,
          numLevels: config.numLevels ?? 0,
          startLevel: config.startLevel ?? 0,
          randSeed: config.randSeed ?? 0,
          envIndex: k,
          useSequentialLevels: config.useSequentialLevels ?? false,
        }),
      );
      renderers.push(new FrameRenderer(config.game, config.mode));
    }
    this.envs = envs;
    this.renderers = renderers;
    // Pictures are cached per thread: painting them all now keeps that cost out of the stepping loop.
    renderers[0]!.preload();
    for (let i = 0; i < envs.length; i++) this.publish(i);
  }

  /** Steps every environment of the slice with `buffers.actions` and writes the results. */
  step(): void {
    const { actions } = this.buffers;
    const first = this.slice.first;
    for (let i = 0; i < this.envs.length; i++) {
      try {
        this.envs[i]!.step(actions[first + i]!);
      } catch (error) {
        throw new RangeError(`environment ${first + i}: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.publish(i);
    }
  }

  /** Sets the actions from `actions` (length numEnvs) and steps: the single-thread convenience. */
  stepWith(actions: ArrayLike<number>): void {
    if (actions.length !== this.config.numEnvs) {
      throw new RangeError(`got ${actions.length} actions for ${this.config.numEnvs} environments: pass exactly one per environment`);
    }
    this.buffers.actions.set(actions);
    this.step();
  }

  /** A full copy (game, both RNGs, episode bookkeeping) of environment `k`, for planners and replays. */
  cloneEnv(k: number): ProcgenEnv {
    return this.env(k).clone();
  }

  /** Puts environment `k` back into the state of `snapshot` (from `cloneEnv`) and republishes its observation and info. */
  restoreEnv(k: number, snapshot: ProcgenEnv): void {
    this.env(k).copyFrom(snapshot);
    this.publish(k - this.slice.first);
  }

  private env(k: number): ProcgenEnv {
    const env = this.envs[k - this.slice.first];
    if (!Number.isInteger(k) || !env) {
      throw new RangeError(`environment ${k} is not stepped here: this VecEnv holds environments ${this.slice.first}..${this.slice.end - 1}`);
    }
    return env;
  }

  /** Writes environment `i` of the slice (observation, reward, done, info) into the buffers. */
  publish(i: number): void {
    const env = this.envs[i]!;
    const k = this.slice.first + i;
    const b = this.buffers;
    this.renderers[i]!.render(env.game, b.observations, k * OBSERVATION_BYTES);
    b.rewards[k] = env.reward;
    b.dones[k] = env.done ? 1 : 0;
    b.levelSeeds[k] = env.levelSeed;
    b.prevLevelSeeds[k] = env.prevLevelSeed;
    b.prevLevelComplete[k] = env.prevLevelComplete ? 1 : 0;
    b.finishedReturns[k] = env.finishedReturn;
    b.finishedLengths[k] = env.finishedLength;
  }
}

export function checkVecEnvConfig(config: VecEnvConfig): void {
  if (!isGameName(config.game)) throw new RangeError(`unknown game '${config.game}': valid games are ${GAME_NAMES.join(', ')}`);
  if (config.mode !== 'easy' && config.mode !== 'hard') throw new RangeError(`unknown mode '${String(config.mode)}': valid modes are easy, hard`);
  checkNumEnvs(config.numEnvs);
}
