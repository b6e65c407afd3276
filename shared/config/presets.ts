import { GAME_NAMES, type GameName } from '../procgen/games/index.ts';
import { ConfigError, type ExperimentConfigInput } from './experiment.ts';

/**
 * Named starting points for `ddrl run --preset NAME`:
 * - `paper-<game>`: the paper's protocol (200 training levels from 100, 100
 *   episodes, 150 synthetic samples, BC 100/40/25/10 %, 10 students per method,
 *   100 ID + 100 OOD episodes each). The expert comes from the oracle planner:
 *   25M PPO steps do not fit in a 2-core afternoon; `--set expert.source=ppo`
 *   restores the paper's expert training.
 * - `quick-<game>`: the same stages scaled down to finish in minutes.
 */
function paper(game: GameName): ExperimentConfigInput {
  return { game, expert: { source: 'planner' } };
}

/** Sized to finish in under 10 minutes on a 2-core machine with the wasm backend. */
function quick(game: GameName): ExperimentConfigInput {
  return {
    game,
    expert: { source: 'planner', channels: [8, 16, 16], planner: { horizon: 16, rollouts: 2, episodes: 20 }, imitation: { steps: 300, batchSize: 64 } },
    collect: { episodes: 20 },
    distill: { iterations: 30, snapshotEvery: 10, realBatch: 16 },
    students: { count: 2, bc: { steps: 200, batchSize: 32 } },
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
