import { GAME_NAMES, type GameName } from '../procgen/games/index.ts';
import { ConfigError, type ExperimentConfigInput } from './experiment.ts';

/**
 * Named starting points for `ddrl run --preset NAME`:
 * - `paper-<game>`: the paper's protocol (200 training levels from 100, 100
 *   episodes collected, 150 synthetic samples, BC 100/40/25/10 %, 10 students
 *   per method, 100 ID + 100 OOD episodes each). What it cannot afford on a
 *   2-core CPU is scaled and said here: the expert comes from the oracle
 *   planner (25M PPO steps do not fit: `--set expert.source=ppo` restores
 *   them), which also collects the dataset (`collect.actor=expert-network`
 *   collects with the network instead); a half-width IMPALA ([8, 16, 16];
 *   `--set expert.channels=[16,32,32]` for the full width) imitates the
 *   planner and is the frozen network the paper's distillation matches on.
 *   Distillation runs 100 iterations on real batches of 32 (paper: 1000 x 75)
 *   and students train 200 steps (see the closing note of issue 5 for
 *   measured wall times).
 * - `quick-<game>`: the same stages scaled down to finish in minutes.
 */
function paper(game: GameName): ExperimentConfigInput {
  return {
    game,
    expert: { source: 'planner', channels: [8, 16, 16], planner: { horizon: 16, rollouts: 3, episodes: 100 }, imitation: { steps: 1000, batchSize: 64 } },
    collect: { actor: 'planner' },
    distill: { iterations: 100, realBatch: 32, snapshotEvery: 10 },
    students: { bc: { steps: 200, batchSize: 64 } },
  };
}

/** Sized to finish in under 10 minutes on a 2-core machine with the wasm backend. */
function quick(game: GameName): ExperimentConfigInput {
  return {
    game,
    expert: { source: 'planner', channels: [8, 16, 16], planner: { horizon: 16, rollouts: 2, episodes: 20 }, imitation: { steps: 300, batchSize: 64 } },
    collect: { episodes: 20, actor: 'planner' },
    distill: { iterations: 20, snapshotEvery: 5, realBatch: 16 },
    students: { count: 2, bc: { steps: 120, batchSize: 32 } },
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
