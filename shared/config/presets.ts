import { GAME_NAMES, type GameName } from '../procgen/games/index.ts';
import { ConfigError, type ExperimentConfigInput } from './experiment.ts';

/**
 * Named starting points for `ddrl run --preset NAME`:
 * - `paper-<game>`: the paper's protocol (200 training levels from 100, 100 episodes
 *   collected by the expert network with sampled actions, 150 synthetic samples by gradient
 *   matching on the frozen expert (1000 iterations, 75 real samples per action), BC
 *   100/40/25/10 %, 10 students per method, 100 ID + 100 OOD episodes each) with the strong
 *   expert a CPU can afford: DAgger from the search planner (sampled futures, search
 *   targets) into a half-width IMPALA ([8, 16, 16]) by advantage regression (each action's
 *   score gap to the planner's best): 45,000-180,000 demonstrated states, 6,000 Adam
 *   steps, then four rounds in which the network plays, the planner labels, and at least
 *   half of every batch comes from the network's own states.
 *   Students train 1000 Adam steps of 32.
 *   Beyond the paper, `distill.softLabels` adds the synthetic-soft method, and the four
 *   coreset controls (`distill.controls`, the default) are trained and evaluated beside it.
 * - `paper-ppo-<game>`: the same with the paper's own expert, PPO, here for 1M environment
 *   steps (the paper: 25M, what a GPU machine affords) with settings that learn within that
 *   budget (32 envs x 64 steps, lr 1e-3, gamma 0.99, 2 epochs; measured with `ddrl bench ppo`).
 * - `quick-<game>`: every stage in under 3 minutes: a small DAgger expert, the planner
 *   collects the data, one coreset control (random-frames-soft); for checking a setup, not
 *   for conclusions.
 */
/**
 * Planner demonstrations per game for the strong expert: about 180,000 labelled states for
 * bigfish (~460 steps an episode), 120,000 for starpilot (~500 steps; 240 episodes instead of 360
 * save two minutes: 6.9 / 7.5 with this recipe against 7.8 / 8.0 with 360 and twice the steps,
 * within the intervals), about 45,000 for jumper (~22 steps an episode; its planner is the
 * slowest per state), 2-4 minutes of planning here. The bigfish clone's danger-avoidance kept
 * improving with data where 28,000 states left it at a random policy's level (a probe:
 * deadly-move mass on held-out critical states 27% -> 23%).
 */
const DEMONSTRATIONS: Readonly<Record<GameName, number>> = { bigfish: 400, starpilot: 240, jumper: 2000 };

/**
 * The finished network's policy temperature (folded into its output layer). Starpilot's clone
 * scored 6.9 / 7.5 sampling its policy and 10.4 / 10.9 with the same weights at 0.25 (greedy:
 * 11.7 / 10.4); training it to play at a quarter of the advantage temperature instead did not
 * (7.8 / 9.1). Bigfish's and jumper's returns were the same or lower when sharpened (session 12,
 * 100 episodes per split).
 */
const POLICY_TEMPERATURE: Readonly<Record<GameName, number>> = { bigfish: 1, starpilot: 0.25, jumper: 1 };

/**
 * 6,000 Adam steps on the demonstrations, then four DAgger rounds of 2,000 with at least half of
 * every batch from the states the network visited itself, each training's rate annealed to 0
 * (cosine). The clones die where the planner's demonstrations never go; own-state rounds are what
 * lifted them: bigfish 9.3 / 7.7 (two rounds of 2,500 after 12,000 steps, every state alike) ->
 * 14.0 / 13.0 in 17 minutes instead of 14, starpilot 3.9 / 5.6 -> 6.9 / 7.5 in 16 minutes
 * (10.4 / 10.9 at its policy temperature), jumper 7.7 / 5.1 -> 7.3 / 5.8 in 14 (`ddrl bench
 * expert`, 100 episodes per split, session 12).
 */
function strongExpert(game: GameName) {
  return {
    source: 'dagger',
    channels: [8, 16, 16],
    planner: { horizon: 16, rollouts: 2, foresight: 'sampled', futures: 4, targetTemperature: 0.03, episodes: DEMONSTRATIONS[game] },
    imitation: {
      steps: 6000,
      batchSize: 64,
      learningRate: 2e-3,
      schedule: 'cosine',
      shift: 0,
      loss: 'advantage',
      advantageTemperature: 0.1,
      policyTemperature: POLICY_TEMPERATURE[game],
    },
    dagger: { rounds: 4, ownShare: 0.5, episodesPerRound: 64, stepsPerRound: 2000, plannerMix: 0, mixDecay: 0.5 },
  } as const satisfies ExperimentConfigInput['expert'];
}

function paper(game: GameName): ExperimentConfigInput {
  return {
    game,
    expert: strongExpert(game),
    distill: { snapshotEvery: 50, softLabels: true },
    students: { bc: { steps: 1000, batchSize: 32 } },
  };
}

function paperPpo(game: GameName): ExperimentConfigInput {
  return {
    ...paper(game),
    expert: {
      source: 'ppo',
      channels: [8, 16, 16],
      ppo: { totalSteps: 1_000_000, numEnvs: 32, rolloutSteps: 64, learningRate: 1e-3, gamma: 0.99, epochs: 2, minibatches: 8 },
    },
  };
}

/** Sized to finish in under 3 minutes on a 2-core machine. */
function quick(game: GameName): ExperimentConfigInput {
  const expert = strongExpert(game);
  return {
    game,
    expert: {
      ...expert,
      planner: { ...expert.planner, episodes: 10 },
      imitation: { ...expert.imitation, steps: 600 },
      dagger: { ...expert.dagger, rounds: 2, episodesPerRound: 8, stepsPerRound: 300 },
    },
    collect: { episodes: 20, actor: 'planner' },
    // One control, the one that separates distillation from soft labels: all four would cost a minute more.
    distill: { iterations: 20, snapshotEvery: 5, realBatch: 16, softLabels: true, controls: ['random-frames-soft'] },
    students: { count: 2, bc: { steps: 250, batchSize: 32 } },
    evaluate: { episodesId: 10, episodesOod: 10 },
  };
}

export const PRESETS: Readonly<Record<string, ExperimentConfigInput>> = Object.fromEntries(
  GAME_NAMES.flatMap((game) => [
    [`paper-${game}`, paper(game)],
    [`paper-ppo-${game}`, paperPpo(game)],
    [`quick-${game}`, quick(game)],
  ]),
);

export const PRESET_NAMES = Object.keys(PRESETS);

/** A deep copy of the preset's config input, or a ConfigError listing the presets. */
export function presetConfig(name: string): ExperimentConfigInput {
  // Own keys only: 'constructor' or 'toString' are not presets.
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) throw new ConfigError(`Unknown preset '${name}': valid presets are ${PRESET_NAMES.join(', ')}.`);
  return structuredClone(preset);
}
