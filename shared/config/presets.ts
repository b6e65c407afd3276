import { GAME_NAMES, type GameName } from '../procgen/games/index.ts';
import { ConfigError, type ExperimentConfigInput } from './experiment.ts';

/**
 * Named starting points for `ddrl run --preset NAME`:
 * - `paper-<game>`: the paper's protocol (a PPO expert, 200 training levels from 100, 100
 *   episodes collected by the expert network with sampled actions, 150 synthetic samples
 *   by gradient matching on the frozen expert (1000 iterations, 75 real samples per
 *   action), BC 100/40/25/10 %, 10 students per method, 100 ID + 100 OOD episodes each).
 *   What a 2-core CPU cannot afford in under two hours is scaled and said here: PPO runs
 *   1M environment steps (the paper: 25M) on a half-width IMPALA ([8, 16, 16]) with
 *   settings that learn within that budget (32 envs x 64 steps, lr 1e-3, gamma 0.99, 2
 *   epochs; measured with `ddrl bench ppo`), and students train 1000 Adam steps of 32.
 *   Beyond the paper, `distill.softLabels` adds the synthetic-soft method: the same
 *   pixels labelled with the expert's policy.
 * - `quick-<game>`: every stage in a couple of minutes: the oracle planner is the expert
 *   (its demonstrations are strong at once) and collects the data.
 */
function paper(game: GameName): ExperimentConfigInput {
  return {
    game,
    expert: {
      source: 'ppo',
      channels: [8, 16, 16],
      ppo: { totalSteps: 1_000_000, numEnvs: 32, rolloutSteps: 64, learningRate: 1e-3, gamma: 0.99, epochs: 2, minibatches: 8 },
    },
    distill: { snapshotEvery: 50, softLabels: true },
    students: { bc: { steps: 1000, batchSize: 32 } },
  };
}

/** Sized to finish in a few minutes on a 2-core machine. */
function quick(game: GameName): ExperimentConfigInput {
  return {
    game,
    expert: { source: 'planner', channels: [8, 16, 16], planner: { horizon: 16, rollouts: 2, episodes: 20 }, imitation: { steps: 300, batchSize: 64 } },
    collect: { episodes: 20, actor: 'planner' },
    distill: { iterations: 20, snapshotEvery: 5, realBatch: 16, softLabels: true },
    students: { count: 2, bc: { steps: 300, batchSize: 32 } },
    evaluate: { episodesId: 10, episodesOod: 10 },
  };
}

export const PRESETS: Readonly<Record<string, ExperimentConfigInput>> = Object.fromEntries(
  GAME_NAMES.flatMap((game) => [
    [`paper-${game}`, paper(game)],
    [`quick-${game}`, quick(game)],
  ]),
);

export const PRESET_NAMES = Object.keys(PRESETS);

/** A deep copy of the preset's config input, or a ConfigError listing the presets. */
export function presetConfig(name: string): ExperimentConfigInput {
  const preset = PRESETS[name];
  if (!preset) throw new ConfigError(`Unknown preset '${name}': valid presets are ${PRESET_NAMES.join(', ')}.`);
  return structuredClone(preset);
}
