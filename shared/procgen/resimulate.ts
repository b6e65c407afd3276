/**
 * Plays a stored episode again from (game, mode, level seed, actions): the
 * 64x64 observation before each action (what the agent saw), the rewards, and
 * whether they equal the stored ones. The browser's replay and the services'
 * policy distributions both see the episode through this one function.
 */
import type { Mode, ProcgenGame } from './engine/game.ts';
import { createGame, type GameName } from './games/index.ts';
import { FrameRenderer, OBSERVATION_SIZE } from './render/frame-renderer.ts';

export const OBSERVATION_BYTES = OBSERVATION_SIZE * OBSERVATION_SIZE * 3;

export interface RewardCheck {
  /** Steps whose re-simulated reward differs from the stored one. */
  readonly mismatches: number;
  /** The first such step, or -1. */
  readonly firstMismatch: number;
  /** The step at which the re-simulated episode ended (done), or -1 if it did not within the stored actions. */
  readonly endedAt: number;
  /** Every reward equal and the episode ended exactly at its last stored step. */
  readonly exact: boolean;
}

export interface Resimulated {
  /** length x 64 x 64 x 3: the observation before action t. */
  readonly observations: Uint8Array;
  readonly rewards: Float32Array;
  readonly check: RewardCheck;
}

/**
 * `beforeStep(t, game)` sees the game before action t (the replay keeps checkpoints there).
 * Steps after the level ended stay black with reward 0 and count as mismatches.
 */
export function resimulateEpisode(
  game: GameName,
  mode: Mode,
  levelSeed: number,
  actions: ArrayLike<number>,
  storedRewards: ArrayLike<number>,
  beforeStep?: (t: number, game: ProcgenGame) => void,
): Resimulated {
  if (actions.length === 0) throw new RangeError('Cannot re-simulate an episode with no steps.');
  const length = actions.length;
  const observations = new Uint8Array(length * OBSERVATION_BYTES);
  const rewards = new Float32Array(length);
  const sim = createGame(game, mode);
  sim.resetLevel(levelSeed);
  const renderer = new FrameRenderer(game, mode);
  let mismatches = 0;
  let firstMismatch = -1;
  let endedAt = -1;
  for (let t = 0; t < length; t++) {
    beforeStep?.(t, sim);
    renderer.render(sim, observations, t * OBSERVATION_BYTES);
    sim.step(actions[t]!);
    rewards[t] = sim.reward;
    if (Math.fround(sim.reward) !== Math.fround(storedRewards[t] ?? NaN)) {
      mismatches++;
      if (firstMismatch < 0) firstMismatch = t;
    }
    if (sim.done) {
      endedAt = t;
      // Steps after the end would play the next level: the stored episode ends here.
      if (t < length - 1) {
        mismatches += length - 1 - t;
        if (firstMismatch < 0) firstMismatch = t + 1;
      }
      break;
    }
  }
  return { observations, rewards, check: { mismatches, firstMismatch, endedAt, exact: mismatches === 0 && endedAt === length - 1 } };
}
