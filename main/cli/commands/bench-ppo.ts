import type { Mode } from '@shared/procgen/engine/game.ts';
import { summarise, type Summary } from '@shared/stats.ts';
import { GAME_NAMES, type GameName } from '@shared/procgen/games/index.ts';
import { BACKEND_NAMES, initBackend } from '../../learning/backend.ts';
import { createNetwork } from '../../learning/nets/create.ts';
import { createTrainable, disposeTrainable, type TrainableNet } from '../../learning/nets/trainable.ts';
import { Random } from '../../learning/random.ts';
import { evaluatePolicy } from '../../learning/train/evaluate.ts';
import { PPO_DEFAULTS, trainPpo } from '../../learning/train/ppo.ts';
import { drawLevelSeeds, episodeReturn, playEpisodes } from '../../learning/train/episodes.ts';
import { randomPolicySource } from '../../pipeline/random-policy.ts';
import { UsageError, type CliCommand, type CliIo } from '../command.ts';
import { parseGameOption, parseIntegerListOption, parseIntegerOption, parseNumberOption, parseOptions } from '../parse-options.ts';

/**
 * Settings that learn visibly within ~11 minutes of this 2-core machine (measured: see
 * main/learning/README.md, "Learning figures"). The network forward/backward passes
 * dominate the time (stepping the games is ~1%), so: a half-width IMPALA, short rollouts
 * over many envs (more updates per env step), gamma 0.99 (starpilot's rewards come
 * within tens of steps; 0.999 only pays off over millions of steps), lr 1e-3.
 */
const BENCH = {
  game: 'starpilot' as GameName,
  steps: 409_600,
  envs: 32,
  rollout: 64,
  learningRate: 1e-3,
  gamma: 0.99,
  epochs: 2,
  minibatches: 8,
  channels: [8, 16, 16] as readonly number[],
  evalEpisodes: 100,
};
/** The paper's training levels: 200 levels from level 100, easy. */
const TRAIN_LEVELS = { numLevels: 200, startLevel: 100 } as const;
const MODE: Mode = 'easy';
const EVAL_ENVS = 16;

const usage = [
  'Usage: ddrl bench ppo [--game G] [--steps N] [--json] [--envs N] [--rollout N] [--lr X] [--gamma X]',
  '                      [--epochs N] [--minibatches N] [--channels A,B,C] [--episodes N] [--seed N] [--backend B]',
  '',
  "Trains PPO from scratch on the paper's training levels (easy, 200 levels from 100) within a budget",
  'that fits ~15 minutes of a 2-core CPU, printing the learning curve (mean return of the last 100',
  'training episodes per update). Then plays the same evaluation levels with the trained network, the',
  'untrained network (same initial weights) and a uniformly random policy, and prints each mean return',
  'with a 95% t interval. "clearly better" = the trained interval lies above the random one.',
  'Progress goes to stderr.',
  '',
  `  --game G          ${GAME_NAMES.join(' | ')} (default ${BENCH.game})`,
  `  --steps N         environment steps of training, 1..100000000 (default ${BENCH.steps}; rounded down to whole updates)`,
  `  --envs N          parallel environments, 1..256 (default ${BENCH.envs}; pfrl: ${PPO_DEFAULTS.numEnvs})`,
  `  --rollout N       steps per environment per update, 1..4096 (default ${BENCH.rollout}; pfrl: ${PPO_DEFAULTS.rolloutSteps})`,
  `  --lr X            Adam learning rate, 1e-6..1 (default ${BENCH.learningRate}; pfrl: ${PPO_DEFAULTS.learningRate})`,
  `  --gamma X         discount, 0..1 (default ${BENCH.gamma}; pfrl: ${PPO_DEFAULTS.gamma})`,
  `  --epochs N        passes over each rollout, 1..100 (default ${BENCH.epochs}; pfrl: ${PPO_DEFAULTS.epochs})`,
  `  --minibatches N   minibatches per epoch, 1..4096 (default ${BENCH.minibatches})`,
  `  --channels LIST   IMPALA channels per stage, 1..256 each (default ${BENCH.channels.join(',')}; paper: 16,32,32)`,
  `  --episodes N      evaluation episodes per policy, 2..100000 (default ${BENCH.evalEpisodes})`,
  '  --seed N          seed of the network, the training and the evaluation levels (default 0)',
  `  --backend B       ${BACKEND_NAMES.join(' | ')} (default: the best that starts; env DDRL_BACKEND)`,
  '  --json            one JSON object per line: {kind: "curve", ...} per update, {kind: "eval", ...}',
  '                    per policy, then {kind: "summary", ...}',
].join('\n');

/** `mean ± half-width` of a summary. */
export function formatInterval(s: Summary): string {
  return `${s.mean.toFixed(2)} ± ${s.halfWidth.toFixed(2)}`;
}

interface PolicyFigures {
  readonly policy: 'trained' | 'untrained' | 'random';
  readonly summary: Summary;
  readonly meanLength: number;
}

function figures(policy: PolicyFigures['policy'], returns: ArrayLike<number>, lengths: ArrayLike<number>): PolicyFigures {
  const meanLength = Array.from(lengths).reduce((s, l) => s + l, 0) / lengths.length;
  return { policy, summary: summarise(Array.from(returns)), meanLength };
}

/** Plays `episodes` evaluation episodes with a network; returns the figures and the level seeds it played. */
async function evaluateNet(net: TrainableNet, policy: 'trained' | 'untrained', game: GameName, episodes: number, seed: number, io: CliIo) {
  const levelSeeds = drawLevelSeeds(TRAIN_LEVELS, seed, episodes);
  const played = await evaluatePolicy(
    net,
    { game, mode: MODE, levelSeeds, slots: EVAL_ENVS, seed },
    { onProgress: (p) => io.err(`evaluating the ${policy} network: ${p.step}/${p.totalSteps} episodes`) },
  );
  return {
    figures: figures(
      policy,
      played.map(episodeReturn),
      played.map((e) => e.actions.length),
    ),
    levelSeeds,
  };
}

export const benchPpoCommand: CliCommand = {
  path: ['bench', 'ppo'],
  summary: 'PPO from scratch on the training levels: learning curve, then trained vs untrained vs random return (95% CI)',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      json: { type: 'boolean' },
      game: { type: 'string' },
      steps: { type: 'string' },
      envs: { type: 'string' },
      rollout: { type: 'string' },
      lr: { type: 'string' },
      gamma: { type: 'string' },
      epochs: { type: 'string' },
      minibatches: { type: 'string' },
      channels: { type: 'string' },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
    });
    if (values.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(values.backend)) {
      throw new UsageError(`--backend '${values.backend}' is not valid: use one of ${BACKEND_NAMES.join(', ')}.`);
    }
    const game = parseGameOption(values.game, BENCH.game);
    const numEnvs = parseIntegerOption('envs', values.envs, BENCH.envs, 1, 256);
    const rolloutSteps = parseIntegerOption('rollout', values.rollout, BENCH.rollout, 1, 4096);
    const perUpdate = numEnvs * rolloutSteps;
    const steps = parseIntegerOption('steps', values.steps, BENCH.steps, 1, 100_000_000);
    if (steps < perUpdate) {
      throw new UsageError(`--steps ${steps} is less than one update (${numEnvs} envs x ${rolloutSteps} steps = ${perUpdate}): give at least ${perUpdate}.`);
    }
    const minibatches = parseIntegerOption('minibatches', values.minibatches, BENCH.minibatches, 1, 4096);
    if (minibatches > perUpdate) throw new UsageError(`--minibatches ${minibatches} exceeds the ${perUpdate} samples of one update: use at most ${perUpdate}.`);
    const config = {
      game,
      mode: MODE,
      ...TRAIN_LEVELS,
      network: { kind: 'impala' as const, channels: parseIntegerListOption('channels', values.channels, BENCH.channels, 1, 256) },
      numEnvs,
      rolloutSteps,
      totalSteps: Math.floor(steps / perUpdate) * perUpdate,
      learningRate: parseNumberOption('lr', values.lr, BENCH.learningRate, 1e-6, 1),
      gamma: parseNumberOption('gamma', values.gamma, BENCH.gamma, 0, 1),
      epochs: parseIntegerOption('epochs', values.epochs, BENCH.epochs, 1, 100),
      minibatches,
      seed: parseIntegerOption('seed', values.seed, 0, 0, 2 ** 32 - 1),
    };
    const episodes = parseIntegerOption('episodes', values.episodes, BENCH.evalEpisodes, 2, 100_000);
    const backend = await initBackend(values.backend);
    const out = (row: Record<string, unknown>, text: string) => io.out(values.json ? JSON.stringify(row) : text);
    const started = performance.now();
    const wall = () => (performance.now() - started) / 1000;

    if (!values.json) {
      io.out(
        `PPO on ${game} ${MODE}, levels ${TRAIN_LEVELS.startLevel}..${TRAIN_LEVELS.startLevel + TRAIN_LEVELS.numLevels - 1}, ` +
          `IMPALA [${config.network.channels.join(',')}], ${numEnvs} envs x ${rolloutSteps} steps, ${config.epochs} epochs x ${minibatches} minibatches, ` +
          `lr ${config.learningRate}, gamma ${config.gamma}, ${config.totalSteps} env steps, seed ${config.seed}, backend ${backend.name}`,
      );
      io.out(`${'env steps'.padStart(10)}${'episodes'.padStart(10)}${'mean return'.padStart(13)}${'entropy'.padStart(9)}${'wall s'.padStart(9)}`);
    }
    const net = createTrainable(createNetwork(config.network), PPO_DEFAULTS.init, new Random(config.seed).int(2 ** 31));
    try {
      const evalSeed = config.seed + 1; // evaluation levels drawn apart from the training ones
      const untrained = await evaluateNet(net, 'untrained', game, episodes, evalSeed, io);
      const trainStart = wall();
      await trainPpo(
        config,
        {
          onProgress: (p) => {
            const m = p.metrics!;
            const seconds = wall() - trainStart;
            io.err(`PPO update ${p.step}/${p.totalSteps}: ${Math.round(p.samplesPerSecond)} env steps/s`);
            out(
              {
                kind: 'curve',
                env_steps: m.envSteps,
                episodes: m.episodes,
                mean_return: round(m.meanReturn!),
                entropy: round(m.entropy!),
                wall_s: round(seconds),
              },
              `${String(m.envSteps).padStart(10)}${String(m.episodes).padStart(10)}${m.meanReturn!.toFixed(2).padStart(13)}${m.entropy!.toFixed(3).padStart(9)}${seconds.toFixed(0).padStart(9)}`,
            );
          },
        },
        net,
      );
      const trainSeconds = wall() - trainStart;
      const trained = await evaluateNet(net, 'trained', game, episodes, evalSeed, io);
      const randomEpisodes = playEpisodes({
        game,
        mode: MODE,
        levelSeeds: trained.levelSeeds,
        slots: EVAL_ENVS,
        recordObservations: false,
        source: randomPolicySource(new Random(evalSeed)),
      });
      const random = figures(
        'random',
        randomEpisodes.map(episodeReturn),
        randomEpisodes.map((e) => e.actions.length),
      );
      const all = [trained.figures, untrained.figures, random];
      if (!values.json) io.out(`Evaluation: ${episodes} episodes per policy on the same training levels (mean ± 95% t half-width):`);
      for (const f of all) {
        const s = f.summary;
        out(
          {
            kind: 'eval',
            policy: f.policy,
            episodes: s.n,
            mean_return: round(s.mean),
            std: round(s.std),
            ci95: [round(s.mean - s.halfWidth), round(s.mean + s.halfWidth)],
            mean_length: round(f.meanLength),
          },
          `  ${f.policy.padEnd(10)} return ${formatInterval(s).padEnd(14)} (std ${s.std.toFixed(2)}, mean length ${f.meanLength.toFixed(0)} steps)`,
        );
      }
      const t = trained.figures.summary;
      const clearlyBetter = t.mean - t.halfWidth > random.summary.mean + random.summary.halfWidth;
      out(
        {
          kind: 'summary',
          game,
          env_steps: config.totalSteps,
          train_s: round(trainSeconds),
          total_s: round(wall()),
          trained_mean: round(t.mean),
          random_mean: round(random.summary.mean),
          improvement: round(t.mean - random.summary.mean),
          clearly_better: clearlyBetter,
        },
        `Trained ${formatInterval(t)} vs random ${formatInterval(random.summary)} (untrained ${formatInterval(untrained.figures.summary)}): ` +
          `${clearlyBetter ? 'clearly better (the 95% intervals do not overlap)' : 'NOT clearly better (the 95% intervals overlap)'}; ` +
          `${config.totalSteps} env steps trained in ${trainSeconds.toFixed(0)} s, ${wall().toFixed(0)} s in all.`,
      );
    } finally {
      disposeTrainable(net);
    }
    return 0;
  },
};

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
