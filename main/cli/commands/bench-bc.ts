import type { Mode } from '@shared/procgen/engine/game.ts';
import { GAME_NAMES, isGameName, type GameName } from '@shared/procgen/games/index.ts';
import { BACKEND_NAMES, initBackend } from '../../learning/backend.ts';
import { createNetwork, DEFAULT_CHANNELS } from '../../learning/nets/create.ts';
import { NETWORK_KINDS, type NetworkKind } from '../../learning/nets/network.ts';
import { createTrainable, disposeTrainable } from '../../learning/nets/trainable.ts';
import { Random } from '../../learning/random.ts';
import { actionAgreement, BC_DEFAULTS, trainBc } from '../../learning/train/bc.ts';
import { OBS_VALUES, type LabelledSet } from '../../learning/train/data.ts';
import { PLANNER_SLOTS, plannerActionSource, type PlannerOptions } from '../../pipeline/planner.ts';
import { drawLevelSeeds, episodeReturn, playEpisodes, type PlayedEpisode } from '../../learning/train/episodes.ts';
import { UsageError, type CliCommand, type CliIo } from '../command.ts';
import { parseIntegerListOption, parseIntegerOption, parseNumberOption, parseOptions } from '../parse-options.ts';

/** What reached the target fastest here (measured: main/learning/README.md, "Learning figures"). */
const BENCH = {
  game: 'bigfish' as GameName,
  episodes: 8,
  heldOut: 2,
  network: 'impala' as NetworkKind,
  channels: [8, 16, 16] as readonly number[],
  learningRate: 2e-3,
  batchSize: 64,
  steps: 1000,
  every: 50,
  target: 0.9,
  planner: { horizon: 16, rollouts: 3, foresight: 'oracle', futures: 1 } satisfies PlannerOptions,
};
/** The paper's training levels: 200 levels from level 100, easy. */
const TRAIN_LEVELS = { numLevels: 200, startLevel: 100 } as const;
const MODE: Mode = 'easy';

const usage = [
  'Usage: ddrl bench bc [--game G] [--json] [--episodes N] [--held-out N] [--network K] [--channels LIST]',
  '                     [--lr X] [--batch N] [--steps N] [--every N] [--horizon N] [--rollouts N] [--seed N] [--backend B]',
  '',
  "The oracle planner plays demonstration episodes on the paper's training levels (easy, 200 levels",
  'from 100); a fresh network clones them by cross-entropy, and every few steps its action agreement',
  '(argmax = demonstrated action) is measured on the whole training set and on held-out episodes',
  '(other demonstrations, not trained on). Prints the curve and the step where the training set first',
  `reaches ${BENCH.target * 100}% agreement. Progress goes to stderr.`,
  '',
  `  --game G          ${GAME_NAMES.join(' | ')} (default ${BENCH.game})`,
  `  --episodes N      demonstration episodes trained on, 1..1000 (default ${BENCH.episodes})`,
  `  --held-out N      further demonstration episodes only measured, 0..1000 (default ${BENCH.heldOut})`,
  `  --network K       ${NETWORK_KINDS.join(' | ')} (default ${BENCH.network})`,
  `  --channels LIST   conv channels per stage, 1..256 each (default ${BENCH.channels.join(',')} for impala, ${DEFAULT_CHANNELS.student.join(',')} for student)`,
  `  --lr X            Adam learning rate, 1e-6..1 (default ${BENCH.learningRate})`,
  `  --batch N         samples per step, 1..4096 (default ${BENCH.batchSize})`,
  `  --steps N         Adam steps, 1..1000000 (default ${BENCH.steps})`,
  `  --every N         measure agreement every N steps, 1..1000000 (default ${BENCH.every})`,
  `  --horizon N       planner look-ahead steps, 1..1000 (default ${BENCH.planner.horizon})`,
  `  --rollouts N      planner rollouts per action, 1..10000 (default ${BENCH.planner.rollouts})`,
  '  --seed N          seed of the levels, the planner and the network (default 0)',
  `  --backend B       ${BACKEND_NAMES.join(' | ')} (default: the best that starts; env DDRL_BACKEND)`,
  '  --json            one JSON object per line: {kind: "demos", ...}, {kind: "curve", ...} per',
  '                    measurement, then {kind: "summary", ...}',
].join('\n');

/** Every step of the episodes as one labelled set. */
function labelledSetOf(episodes: readonly PlayedEpisode[]): LabelledSet {
  const count = episodes.reduce((n, e) => n + e.actions.length, 0);
  const obs = new Uint8Array(count * OBS_VALUES);
  const actions = new Int32Array(count);
  let at = 0;
  for (const e of episodes) {
    obs.set(e.observations!, at * OBS_VALUES);
    actions.set(e.actions, at);
    at += e.actions.length;
  }
  return { count, obs, actions };
}

function playDemonstrations(game: GameName, options: PlannerOptions, levelSeeds: number[], seed: number, io: CliIo): PlayedEpisode[] {
  let finished = 0;
  return playEpisodes({
    game,
    mode: MODE,
    levelSeeds,
    slots: PLANNER_SLOTS,
    recordObservations: true,
    source: plannerActionSource(game, MODE, options, 0, (slot) => seed * PLANNER_SLOTS + slot),
    onEpisode: (_index, episode) =>
      io.err(`planner demonstration ${++finished}/${levelSeeds.length}: ${episode.actions.length} steps, return ${episodeReturn(episode)}`),
  });
}

function parseChoice<T extends string>(name: string, value: string | undefined, fallback: T, valid: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!(valid as readonly string[]).includes(value)) throw new UsageError(`--${name} '${value}' is not valid: use one of ${valid.join(', ')}.`);
  return value as T;
}

export const benchBcCommand: CliCommand = {
  path: ['bench', 'bc'],
  summary: "Behavioural cloning of the oracle planner's demonstrations: action agreement on the training set and held out",
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      json: { type: 'boolean' },
      game: { type: 'string' },
      episodes: { type: 'string' },
      'held-out': { type: 'string' },
      network: { type: 'string' },
      channels: { type: 'string' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      steps: { type: 'string' },
      every: { type: 'string' },
      horizon: { type: 'string' },
      rollouts: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
    });
    const game = parseChoice('game', values.game, BENCH.game, GAME_NAMES);
    if (!isGameName(game)) throw new UsageError(`--game '${game}' is not valid: use one of ${GAME_NAMES.join(', ')}.`);
    const kind = parseChoice('network', values.network, BENCH.network, NETWORK_KINDS);
    const backendName = values.backend === undefined ? undefined : parseChoice('backend', values.backend, BACKEND_NAMES[0], BACKEND_NAMES);
    const channels = parseIntegerListOption('channels', values.channels, kind === 'impala' ? BENCH.channels : DEFAULT_CHANNELS.student, 1, 256);
    const trainEpisodes = parseIntegerOption('episodes', values.episodes, BENCH.episodes, 1, 1000);
    const heldOutEpisodes = parseIntegerOption('held-out', values['held-out'], BENCH.heldOut, 0, 1000);
    const steps = parseIntegerOption('steps', values.steps, BENCH.steps, 1, 1_000_000);
    const every = parseIntegerOption('every', values.every, BENCH.every, 1, 1_000_000);
    const planner: PlannerOptions = {
      horizon: parseIntegerOption('horizon', values.horizon, BENCH.planner.horizon, 1, 1000),
      rollouts: parseIntegerOption('rollouts', values.rollouts, BENCH.planner.rollouts, 1, 10_000),
      foresight: BENCH.planner.foresight,
      futures: BENCH.planner.futures,
    };
    const seed = parseIntegerOption('seed', values.seed, 0, 0, 2 ** 31 - 1);
    const bc = {
      network: { kind, channels },
      loss: 'ce' as const,
      learningRate: parseNumberOption('lr', values.lr, BENCH.learningRate, 1e-6, 1),
      batchSize: parseIntegerOption('batch', values.batch, BENCH.batchSize, 1, 4096),
      steps,
      seed,
      progressEvery: every,
    };
    const backend = await initBackend(backendName);
    const out = (row: Record<string, unknown>, text: string) => io.out(values.json ? JSON.stringify(row) : text);

    const levelSeeds = drawLevelSeeds(TRAIN_LEVELS, seed, trainEpisodes + heldOutEpisodes);
    const playStart = performance.now();
    const demos = playDemonstrations(game, planner, levelSeeds, seed, io);
    const playSeconds = (performance.now() - playStart) / 1000;
    const train = labelledSetOf(demos.slice(0, trainEpisodes));
    const heldOut = heldOutEpisodes > 0 ? labelledSetOf(demos.slice(trainEpisodes)) : null;
    const returns = demos.map(episodeReturn);
    out(
      {
        kind: 'demos',
        game,
        episodes: trainEpisodes,
        samples: train.count,
        held_out_episodes: heldOutEpisodes,
        held_out_samples: heldOut?.count ?? 0,
        mean_return: round(returns.reduce((s, r) => s + r, 0) / returns.length),
        play_s: round(playSeconds),
      },
      `Planner (horizon ${planner.horizon}, ${planner.rollouts} rollouts) on ${game} ${MODE}: ${trainEpisodes} episodes (${train.count} samples) to train on, ` +
        `${heldOutEpisodes} held out (${heldOut?.count ?? 0} samples), mean return ${(returns.reduce((s, r) => s + r, 0) / returns.length).toFixed(2)}, ` +
        `played in ${playSeconds.toFixed(0)} s.`,
    );
    if (!values.json) {
      io.out(
        `Cross-entropy BC: ${kind} [${channels.join(',')}], Adam lr ${bc.learningRate}, batch ${bc.batchSize}, ${steps} steps, seed ${seed}, backend ${backend.name}`,
      );
      io.out(`${'step'.padStart(7)}${'loss'.padStart(9)}${'train agree'.padStart(13)}${'held-out'.padStart(10)}${'train s'.padStart(9)}`);
    }
    // Training time excludes the agreement measurements (they are the bench's, not the trainer's).
    const trainStart = performance.now();
    let measuring = 0;
    const curve: { step: number; train: number; heldOut: number; seconds: number }[] = [];
    const net = createTrainable(createNetwork(bc.network), BC_DEFAULTS.init, new Random(seed).int(2 ** 31));
    try {
      await trainBc(
        train,
        bc,
        {
          onProgress: async (p) => {
            const measureStart = performance.now();
            const agreement = { train: await actionAgreement(net, train), heldOut: heldOut ? await actionAgreement(net, heldOut) : NaN };
            measuring += performance.now() - measureStart;
            const seconds = (performance.now() - trainStart - measuring) / 1000;
            curve.push({ step: p.step, ...agreement, seconds });
            io.err(`BC step ${p.step}/${p.totalSteps}: ${Math.round(p.samplesPerSecond)} samples/s`);
            out(
              {
                kind: 'curve',
                step: p.step,
                loss: round(p.loss),
                train_agreement: round(agreement.train),
                held_out_agreement: round(agreement.heldOut),
                train_s: round(seconds),
              },
              `${String(p.step).padStart(7)}${p.loss.toFixed(3).padStart(9)}${percent(agreement.train).padStart(13)}${percent(agreement.heldOut).padStart(10)}${seconds.toFixed(0).padStart(9)}`,
            );
          },
        },
        net,
      );
    } finally {
      disposeTrainable(net);
    }
    const trainSeconds = (performance.now() - trainStart - measuring) / 1000;
    const last = curve[curve.length - 1]!;
    const reached = curve.find((point) => point.train >= BENCH.target);
    out(
      {
        kind: 'summary',
        game,
        network: `${kind}[${channels.join(',')}]`,
        train_agreement: round(last.train),
        held_out_agreement: round(last.heldOut),
        target: BENCH.target,
        reached_step: reached?.step ?? null,
        reached_s: reached ? round(reached.seconds) : null,
        train_s: round(trainSeconds),
      },
      `Training-set agreement ${percent(last.train)} after ${steps} steps (${trainSeconds.toFixed(0)} s of training); held out ${percent(last.heldOut)}. ` +
        (reached
          ? `${BENCH.target * 100}% first reached at step ${reached.step} (${reached.seconds.toFixed(0)} s).`
          : `${BENCH.target * 100}% NOT reached: train longer (--steps) or try another network/lr.`),
    );
    return 0;
  },
};

function percent(fraction: number): string {
  return Number.isNaN(fraction) ? '-' : `${(fraction * 100).toFixed(1)}%`;
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
