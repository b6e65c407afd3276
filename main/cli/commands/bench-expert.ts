import { ConfigError, parseExperimentConfig } from '@shared/config/experiment.ts';
import { applyAssignments, parseAssignment } from '@shared/config/overrides.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { PAPER_TEACHER_RETURNS } from '@shared/config/reference-returns.ts';
import { summarise, type Summary } from '@shared/stats.ts';
import { GAME_NAMES, type GameName } from '@shared/procgen/games/index.ts';
import { BACKEND_NAMES, initBackend } from '../../learning/backend.ts';
import { disposeTrainable } from '../../learning/nets/trainable.ts';
import { Random } from '../../learning/random.ts';
import { evaluatePolicy, playEvaluation } from '../../learning/train/evaluate.ts';
import { drawLevelSeeds, episodeReturn, type ActionSource } from '../../learning/train/episodes.ts';
import { trainDagger } from '../../pipeline/expert-iteration.ts';
import { daggerOptionsOf } from '../../pipeline/experts/dagger.ts';
import { PLANNER_SLOTS, plannerActionSource } from '../../pipeline/planner.ts';
import { randomPolicySource } from '../../pipeline/random-policy.ts';
import { seedFor } from '../../pipeline/stage-context.ts';
import { UsageError, type CliCommand, type CliIo } from '../command.ts';
import { parseGameOption, parseIntegerOption, parseOptions } from '../parse-options.ts';
import { formatInterval } from './bench-ppo.ts';

const usage = [
  'Usage: ddrl bench expert --game G [--json] [--set KEY=VALUE ...] [--episodes N] [--seed N] [--backend B]',
  '',
  'Trains the strong expert of the paper-<game> preset (DAgger from the search planner, its settings',
  "there) on the paper's training levels (easy, 200 levels from 100), then plays N episodes on the",
  'training levels (ID) and N on unrestricted levels (OOD) with the network (sampling its policy, as the',
  'pipeline evaluates; and greedily), the planner and a uniformly random policy, all on the same level seeds. Prints the',
  "minutes, each return with its 95% t interval, and the paper's 25M-step PPO teachers beside them.",
  'Progress goes to stderr.',
  '',
  `  --game G          ${GAME_NAMES.join(' | ')} (required)`,
  '  --set K=V         override a field of the preset, e.g. --set expert.dagger.rounds=4 (repeatable)',
  '  --episodes N      evaluation episodes per policy and split, 2..100000 (default 100)',
  '  --seed N          seed of the expert and the evaluation levels (default 0)',
  `  --backend B       ${BACKEND_NAMES.join(' | ')} (default: the best that starts; env DDRL_BACKEND)`,
  '  --json            one object: {"game", "minutes", "id_return", "ood_return", "planner_return", "random_return", ...}',
].join('\n');

const EVAL_SLOTS = 16;

type Split = 'id' | 'ood';

async function returnsOf(source: ActionSource, game: GameName, levelSeeds: number[], slots: number): Promise<Summary> {
  const episodes = await playEvaluation(source, { game, mode: 'easy', levelSeeds, slots });
  return summarise(episodes.map(episodeReturn));
}

export const benchExpertCommand: CliCommand = {
  path: ['bench', 'expert'],
  summary: "The strong expert (DAgger from the planner): minutes to train, return ID and OOD vs planner, random and the paper's teachers",
  usage,
  async run(argv, io: CliIo) {
    const { values } = parseOptions(argv, {
      json: { type: 'boolean' },
      game: { type: 'string' },
      set: { type: 'string', multiple: true },
      episodes: { type: 'string' },
      seed: { type: 'string' },
      backend: { type: 'string' },
    });
    if (values.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(values.backend)) {
      throw new UsageError(`--backend '${values.backend}' is not valid: use one of ${BACKEND_NAMES.join(', ')}.`);
    }
    const game = parseGameOption(values.game);
    const episodes = parseIntegerOption('episodes', values.episodes, 100, 2, 100_000);
    const seed = parseIntegerOption('seed', values.seed, 0, 0, 2 ** 31 - 1);
    let config;
    try {
      config = parseExperimentConfig({ ...applyAssignments(presetConfig(`paper-${game}`), (values.set ?? []).map(parseAssignment)), seed });
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    const options = daggerOptionsOf(config);
    const backend = await initBackend(values.backend);
    const { horizon, rollouts, foresight, futures } = options.planner;
    if (!values.json) {
      io.out(
        `Expert for ${game} easy, levels ${options.levels.startLevel}..${options.levels.startLevel + options.levels.numLevels - 1}: DAgger from the planner ` +
          `(horizon ${horizon}, ${rollouts} rollouts, ${foresight === 'oracle' ? 'oracle' : `${futures} sampled futures`}), ${options.demoEpisodes} demonstrations + ` +
          `${options.rounds} rounds x ${options.episodesPerRound} episodes, IMPALA [${options.channels.join(',')}], backend ${backend.name}`,
      );
    }
    const started = performance.now();
    const minutes = () => (performance.now() - started) / 60_000;
    const net = await trainDagger(options, {
      onProgress: (done, total, text) => io.err(`${minutes().toFixed(1)} min, ${Math.floor((100 * done) / total)}%: ${text}`),
      onRound: (round) => {
        const agreement = Number.isNaN(round.agreement)
          ? ''
          : `, the network chose one of the planner's best actions ${(100 * round.agreement).toFixed(0)}% of the time`;
        // With a planner mix the round's episodes are the mixed policy's, not the network's alone.
        const who =
          round.round === 0 ? 'planner' : round.plannerMix > 0 ? `network (planner's action on ${(100 * round.plannerMix).toFixed(0)}% of steps)` : 'network';
        if (!values.json)
          io.out(
            `  round ${round.round} (${minutes().toFixed(1)} min): ${who} return ${round.meanReturn.toFixed(2)}${agreement}; ${round.samples} labelled states`,
          );
      },
    });
    const trainMinutes = minutes();
    try {
      const seeds: Record<Split, number[]> = {
        id: drawLevelSeeds(options.levels, seedFor(seed, 'bench-expert/id'), episodes),
        ood: drawLevelSeeds({ startLevel: 0, numLevels: 0 }, seedFor(seed, 'bench-expert/ood'), episodes),
      };
      const figures = {
        network: {} as Record<Split, Summary>,
        greedy: {} as Record<Split, Summary>,
        planner: {} as Record<Split, Summary>,
        random: {} as Record<Split, Summary>,
      };
      for (const split of ['id', 'ood'] as const) {
        io.err(`evaluating on ${split.toUpperCase()} levels: network, planner, random policy`);
        figures.network[split] = summarise(
          (await evaluatePolicy(net, { game, levelSeeds: seeds[split], slots: EVAL_SLOTS, seed: seedFor(seed, `bench-expert/act/${split}`) })).map(
            episodeReturn,
          ),
        );
        figures.greedy[split] = summarise((await evaluatePolicy(net, { game, levelSeeds: seeds[split], slots: EVAL_SLOTS, greedy: true })).map(episodeReturn));
        const planner = plannerActionSource(game, 'easy', options.planner, 0, (slot) => seedFor(seed, `bench-expert/planner/${split}/${slot}`));
        figures.planner[split] = await returnsOf(planner, game, seeds[split], PLANNER_SLOTS);
        figures.random[split] = await returnsOf(randomPolicySource(new Random(seedFor(seed, `bench-expert/random/${split}`))), game, seeds[split], EVAL_SLOTS);
      }
      const teacher = PAPER_TEACHER_RETURNS[game];
      const round2 = (v: number) => Math.round(v * 100) / 100;
      const interval = (s: Summary) => [round2(s.mean - s.halfWidth), round2(s.mean + s.halfWidth)];
      if (values.json) {
        io.out(
          JSON.stringify({
            game,
            minutes: round2(trainMinutes),
            id_return: round2(figures.network.id.mean),
            ood_return: round2(figures.network.ood.mean),
            planner_return: round2(figures.planner.id.mean),
            random_return: round2(figures.random.id.mean),
            id_ci95: interval(figures.network.id),
            ood_ci95: interval(figures.network.ood),
            greedy_id_return: round2(figures.greedy.id.mean),
            greedy_ood_return: round2(figures.greedy.ood.mean),
            planner_ood_return: round2(figures.planner.ood.mean),
            random_ood_return: round2(figures.random.ood.mean),
            paper_teacher: teacher,
            episodes,
            backend: backend.name,
          }),
        );
        return 0;
      }
      io.out(
        `Trained in ${trainMinutes.toFixed(1)} min. Mean return over ${episodes} episodes per split (± 95% t half-width), same level seeds for every policy:`,
      );
      io.out(`  ${''.padEnd(28)}${'ID (training levels)'.padEnd(24)}OOD (unrestricted levels)`);
      const row = (name: string, id: string, ood: string) => io.out(`  ${name.padEnd(28)}${id.padEnd(24)}${ood}`);
      row('expert network', formatInterval(figures.network.id), formatInterval(figures.network.ood));
      row('  the same, greedy', formatInterval(figures.greedy.id), formatInterval(figures.greedy.ood));
      row('planner (its teacher)', formatInterval(figures.planner.id), formatInterval(figures.planner.ood));
      row('random policy', formatInterval(figures.random.id), formatInterval(figures.random.ood));
      row("paper's PPO 25M teacher", `${teacher.id}`, `${teacher.ood}`);
      for (const split of ['id', 'ood'] as const) {
        const n = figures.network[split];
        const r = figures.random[split];
        if (n.mean - n.halfWidth <= r.mean + r.halfWidth)
          io.out(`  ${split.toUpperCase()}: the expert network is indistinguishable from a random policy (the 95% intervals overlap).`);
      }
      const reached = (split: Split) => figures.network[split].mean >= teacher[split];
      io.out(
        `  Paper teacher reached: ID ${reached('id') ? 'yes' : `no (${((100 * figures.network.id.mean) / teacher.id).toFixed(0)}% of it)`}, ` +
          `OOD ${reached('ood') ? 'yes' : `no (${((100 * figures.network.ood.mean) / teacher.ood).toFixed(0)}% of it)`}.`,
      );
      return 0;
    } finally {
      disposeTrainable(net);
    }
  },
};
