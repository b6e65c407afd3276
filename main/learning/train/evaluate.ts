/**
 * Evaluation: a policy plays N episodes on a level set with vectorised environments,
 * actions sampled from its softmax (the paper's protocol) or greedy. Each environment
 * plays a fixed quota of episodes, so short episodes are not over-represented.
 */
import type { Mode } from '@shared/procgen/engine/game.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import { VecEnv } from '@shared/procgen/vec/vec-env.ts';
import type { TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { checkpoint, Throughput, type RunControl } from './control.ts';
import { PolicyActor } from './policy.ts';
import { checkNumber } from './validate.ts';

export interface EvalConfig {
  readonly game: GameName;
  readonly mode: Mode;
  /** Levels played: the paper's ID split is numLevels 200 from startLevel 100; OOD is numLevels 0 (any level). */
  readonly numLevels: number;
  readonly startLevel: number;
  readonly episodes: number;
  readonly numEnvs: number;
  readonly greedy: boolean;
  readonly seed: number;
}

export const EVAL_DEFAULTS: Omit<EvalConfig, 'game'> = { mode: 'easy', numLevels: 200, startLevel: 100, episodes: 100, numEnvs: 16, greedy: false, seed: 0 };

export interface EvalResult {
  /** Raw return of every episode, in the order environments finished their quotas. */
  readonly returns: Float32Array;
  readonly lengths: Int32Array;
  /** The level each episode was played on. */
  readonly levelSeeds: Int32Array;
}

export async function evaluatePolicy(net: TrainableNet, overrides: Partial<EvalConfig> & { game: GameName }, control: RunControl = {}): Promise<EvalResult> {
  const config = { ...EVAL_DEFAULTS, ...overrides };
  checkNumber('episodes', config.episodes, 1, 1e6, { integer: true });
  checkNumber('numEnvs', config.numEnvs, 1, 1024, { integer: true });
  const numEnvs = Math.min(config.numEnvs, config.episodes);
  const random = new Random(config.seed);
  const env = new VecEnv({
    game: config.game,
    mode: config.mode,
    numEnvs,
    numLevels: config.numLevels,
    startLevel: config.startLevel,
    randSeed: random.int(2 ** 31),
  });
  const actor = new PolicyActor(net, numEnvs);
  const quota = Int32Array.from({ length: numEnvs }, (_, e) => Math.floor(config.episodes / numEnvs) + (e < config.episodes % numEnvs ? 1 : 0));
  const running = new Float64Array(numEnvs);
  const steps = new Int32Array(numEnvs);
  const returns = new Float32Array(config.episodes);
  const lengths = new Int32Array(config.episodes);
  const levelSeeds = new Int32Array(config.episodes);
  const throughput = new Throughput();
  let finished = 0;
  let step = 0;
  while (finished < config.episodes) {
    const { actions } = actor.act(env.buffers.observations, random, config.greedy);
    env.stepWith(actions);
    throughput.add(numEnvs);
    const { rewards, dones, prevLevelSeeds } = env.buffers;
    for (let e = 0; e < numEnvs; e++) {
      running[e]! += rewards[e]!;
      steps[e]!++;
      if (!dones[e]) continue;
      if (quota[e]! > 0) {
        quota[e]!--;
        returns[finished] = running[e]!;
        lengths[finished] = steps[e]!;
        levelSeeds[finished] = prevLevelSeeds[e]!; // after a done the env has reset; this is the level just played
        finished++;
      }
      running[e] = 0;
      steps[e] = 0;
    }
    if (++step % 50 === 0) {
      await checkpoint(control, 'Evaluation', step);
      control.onProgress?.({
        step: finished,
        totalSteps: config.episodes,
        loss: 0,
        samplesPerSecond: throughput.take(),
        metrics: { meanReturn: mean(returns, finished) },
      });
    }
  }
  return { returns, lengths, levelSeeds };
}

function mean(values: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i]!;
  return n ? s / n : 0;
}
