/**
 * Evaluation: a policy plays one whole episode on each given level seed, with
 * actions sampled from its softmax (the paper's protocol) or greedy, and every
 * episode is returned with its level seed, actions and rewards (enough to
 * replay it). Models given the same seeds are compared pairwise; draw the
 * seeds of a level set with `drawLevelSeeds` (paper ID split: 200 levels from
 * 100; OOD: numLevels 0).
 */
import type { Mode } from '@shared/procgen/engine/game.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import type { TrainableNet } from '../nets/trainable.ts';
import { Random } from '../random.ts';
import { checkpoint, Throughput, type RunControl } from './control.ts';
import { EpisodePlayer, episodeReturn, type ActionSource, type PlayedEpisode } from './episodes.ts';
import { NetworkActionSource } from './policy.ts';
import { checkNumber } from './validate.ts';

export interface EvalConfig {
  readonly game: GameName;
  readonly mode: Mode;
  /** One episode per seed, returned in this order. */
  readonly levelSeeds: readonly number[];
  /** Episodes played at once (one batched forward pass decides for all). */
  readonly slots: number;
  readonly temperature: number;
  readonly greedy: boolean;
  /** Seeds the sampling of actions. */
  readonly seed: number;
}

export type EvalSettings = Partial<EvalConfig> & Pick<EvalConfig, 'game' | 'levelSeeds'>;

export const EVAL_DEFAULTS: Omit<EvalConfig, 'game' | 'levelSeeds'> = { mode: 'easy', slots: 64, temperature: 1, greedy: false, seed: 0 };

/** A played episode without observations: what evaluation stores and replays re-simulate. */
export type EvaluatedEpisode = Omit<PlayedEpisode, 'observations' | 'targets'>;

/** Steps of all slots between cancellation checks and progress events. */
const STEPS_PER_CHECK = 25;

/**
 * Plays the episodes with any action source, yielding to the event loop
 * between steps so a cancel can arrive; progress counts finished episodes.
 */
export async function playEvaluation(
  source: ActionSource,
  config: Pick<EvalConfig, 'game' | 'mode' | 'levelSeeds' | 'slots'>,
  control: RunControl = {},
): Promise<EvaluatedEpisode[]> {
  checkNumber('episodes (level seeds)', config.levelSeeds.length, 1, 1e6, { integer: true });
  const throughput = new Throughput();
  let finished = 0;
  let returns = 0;
  const player = new EpisodePlayer({
    ...config,
    recordObservations: false,
    source,
    onEpisode: (_index, episode) => {
      finished++;
      returns += episodeReturn(episode);
    },
  });
  const report = () =>
    control.onProgress?.({
      step: finished,
      totalSteps: config.levelSeeds.length,
      loss: 0,
      samplesPerSecond: throughput.take(),
      metrics: { meanReturn: finished ? returns / finished : 0 },
    });
  let step = 0;
  for (let stepped = await player.stepAsync(); stepped > 0; stepped = await player.stepAsync()) {
    throughput.add(stepped);
    if (++step % STEPS_PER_CHECK === 0) {
      report();
      await checkpoint(control, 'Evaluation', step);
    }
  }
  report();
  return player.episodes.map(({ levelSeed, actions, rewards }) => ({ levelSeed, actions, rewards }));
}

/** A network's evaluation: sampled (or greedy) actions from its policy. */
export async function evaluatePolicy(net: TrainableNet, settings: EvalSettings, control: RunControl = {}): Promise<EvaluatedEpisode[]> {
  const config: EvalConfig = { ...EVAL_DEFAULTS, ...settings };
  checkNumber('slots', config.slots, 1, 4096, { integer: true });
  const slots = Math.min(config.slots, config.levelSeeds.length);
  const source = new NetworkActionSource(net, Math.max(1, slots), { temperature: config.temperature, greedy: config.greedy }, new Random(config.seed));
  return playEvaluation(source, { ...config, slots }, control);
}
