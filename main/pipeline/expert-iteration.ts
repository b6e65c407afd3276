/**
 * Expert iteration from the planner (DAgger, Ross, Gordon & Bagnell 2011): a pixel
 * network learns to play as well as the search planner without 25M PPO steps.
 *
 * Round 0 clones the planner's own demonstrations. Every further round lets the
 * current network play on the training levels (the planner's action replaces the
 * network's with probability `plannerMix`, decaying by `mixDecay` a round), has the
 * planner label every state the network visited with its search targets, adds those
 * states to the aggregate dataset and trains the network further on all of it. The
 * network so learns what to do in the states its own mistakes lead to, which
 * cloning the planner's demonstrations alone never shows it.
 *
 * Labels are the planner's search targets (`searchTargets`), so equally good actions
 * share the mass instead of one of them being an arbitrary label.
 */
import { constants as bufferConstants } from 'node:buffer';
import type { Mode, ProcgenGame } from '@shared/procgen/engine/game.ts';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { GameName } from '@shared/procgen/games/index.ts';
import type { LevelSet } from '@shared/procgen/levels.ts';
import type { LearningRateSchedule } from '@shared/config/schedules.ts';
import type { ImitationLoss } from '../learning/losses.ts';
import { createNetwork } from '../learning/nets/create.ts';
import { createTrainable, foldPolicyTemperature, type TrainableNet } from '../learning/nets/trainable.ts';
import { Random } from '../learning/random.ts';
import { trainBc } from '../learning/train/bc.ts';
import { checkpoint, type RunControl } from '../learning/train/control.ts';
import { OBS_VALUES, type LabelledSet } from '../learning/train/data.ts';
import { drawLevelSeeds, episodeReturn, EpisodePlayer, type ActionSource, type PlayedEpisode } from '../learning/train/episodes.ts';
import { PolicyActor, SAMPLE_POLICY } from '../learning/train/policy.ts';
import { Planner, plannerActionSource, PLANNER_SLOTS, searchTargets, type PlannerOptions } from './planner.ts';
import { seedFor } from './stage-context.ts';

export interface DaggerOptions {
  readonly game: GameName;
  readonly mode: Mode;
  readonly levels: LevelSet;
  readonly planner: PlannerOptions;
  /** Softmax temperature of the planner's search targets (0: equal mass on its best actions). */
  readonly targetTemperature: number;
  /** What the network learns the targets with: cross-entropy, or advantage regression (main/learning/losses.ts). */
  readonly loss: ImitationLoss;
  readonly channels: readonly number[];
  /** Planner demonstration episodes of round 0. */
  readonly demoEpisodes: number;
  /** Rounds after round 0 in which the network plays and the planner labels. */
  readonly rounds: number;
  readonly episodesPerRound: number;
  /** Adam steps after round 0, and after every later round. */
  readonly firstSteps: number;
  readonly stepsPerRound: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** How the rate moves within each training (round 0's steps, then each round's). */
  readonly schedule: LearningRateSchedule;
  /** Folded into the returned network (its policy: softmax(logits / this)); the rounds play and are checkpointed unfolded. */
  readonly policyTemperature: number;
  /** Random translation of training frames, in pixels (0: none). */
  readonly shift: number;
  /** Probability that the planner's action is played instead of the network's in round 1. */
  readonly plannerMix: number;
  /** Factor on `plannerMix` per later round. */
  readonly mixDecay: number;
  /** Least share of every batch after round 0 drawn from the states the network visited (0: all labelled states alike). */
  readonly ownShare: number;
  readonly seed: number;
}

/** What one finished round adds and measures. */
export interface DaggerRound {
  readonly round: number;
  /** The round's episodes, every state labelled with the planner's search targets. */
  readonly episodes: readonly PlayedEpisode[];
  /** Mean return of the round's episodes: the planner's in round 0, the network's (mixed per `plannerMix`) later. */
  readonly meanReturn: number;
  /** Probability that the planner's action was played this round (1 in round 0). */
  readonly plannerMix: number;
  /** Share of the network's own decisions that were one of the planner's best actions (NaN in round 0). */
  readonly agreement: number;
  /** Labelled states trained on after this round. */
  readonly samples: number;
  /** Loss of every Adam step of this round's training. */
  readonly losses: Float32Array;
}

export interface DaggerControl {
  readonly signal?: AbortSignal;
  /** `done` of `total` units (episodes played and Adam steps, over all rounds). */
  readonly onProgress?: (done: number, total: number, text: string) => void;
  /** Awaited after each round, with the network as trained so far (where a caller stores a checkpoint). */
  readonly onRound?: (round: DaggerRound, net: TrainableNet) => void | Promise<void>;
}

/** States with the planner's search targets: observations (n x 64 x 64 x 3) and targets (n x 15). */
export interface LabelledStates {
  readonly observations: Uint8Array;
  readonly targets: Float32Array;
}

/** Rounds already finished (from a checkpoint): the states they labelled, and the network they left. */
export interface DaggerResume {
  readonly roundsDone: number;
  readonly states: readonly LabelledStates[];
  readonly net: TrainableNet;
}

/** Episodes played at once: one batched forward pass of the network decides for all of them. */
const PLAY_SLOTS = 16;

/** Checks the options, naming the config field and its range. */
export function checkDaggerOptions(o: DaggerOptions): void {
  const whole = (field: string, value: number, min: number, max: number) => {
    if (!(Number.isInteger(value) && value >= min && value <= max))
      throw new RangeError(`expert.${field} ${value} is invalid: use a whole number ${min}..${max}.`);
  };
  whole('dagger.rounds', o.rounds, 1, 1000);
  whole('planner.episodes', o.demoEpisodes, 1, 100_000);
  whole('dagger.episodesPerRound', o.episodesPerRound, 1, 100_000);
  whole('imitation.steps', o.firstSteps, 1, 10_000_000);
  whole('dagger.stepsPerRound', o.stepsPerRound, 1, 10_000_000);
  if (!(o.plannerMix >= 0 && o.plannerMix <= 1)) throw new RangeError(`expert.dagger.plannerMix ${o.plannerMix} is invalid: use a probability 0..1.`);
  if (!(o.mixDecay >= 0 && o.mixDecay <= 1)) throw new RangeError(`expert.dagger.mixDecay ${o.mixDecay} is invalid: use a factor 0..1.`);
  if (!(o.ownShare >= 0 && o.ownShare <= 1)) throw new RangeError(`expert.dagger.ownShare ${o.ownShare} is invalid: use a share 0..1.`);
  if (!(o.targetTemperature >= 0)) throw new RangeError(`expert.planner.targetTemperature ${o.targetTemperature} is invalid: use 0 or more.`);
  // Checked before training, not when the finished network is folded minutes later.
  if (!(o.policyTemperature > 0)) throw new RangeError(`expert.imitation.policyTemperature ${o.policyTemperature} is invalid: use a temperature above 0.`);
}

/** Trains the expert network by expert iteration; the caller disposes the result. */
export async function trainDagger(options: DaggerOptions, control: DaggerControl = {}, resume?: DaggerResume): Promise<TrainableNet> {
  checkDaggerOptions(options);
  const aggregate = new LabelledAggregate();
  for (const states of resume?.states ?? []) aggregate.add(states);
  // The planner's demonstrations come first in the aggregate; everything after them the network visited.
  let demonstrated = resume?.states[0] ? resume.states[0].targets.length / NUM_ACTIONS : 0;
  const total = options.demoEpisodes + options.firstSteps + options.rounds * (options.episodesPerRound + options.stepsPerRound);
  let done = resume ? unitsBefore(options, resume.roundsDone) : 0;
  const report = (text: string) => control.onProgress?.(done, total, text);
  const bcControl = (round: number): RunControl => ({
    signal: control.signal,
    onProgress: (p) => {
      done = unitsBefore(options, round) + episodesOf(options, round) + p.step;
      report(`round ${round}: training on ${aggregate.count} labelled states, loss ${p.loss.toFixed(3)}`);
    },
  });
  let net = resume?.net ?? createTrainable(createNetwork({ kind: 'impala', channels: options.channels }), 'pytorch', seedFor(options.seed, 'dagger/init'));
  for (let round = resume?.roundsDone ?? 0; round <= options.rounds; round++) {
    const mix = round === 0 ? 1 : options.plannerMix * options.mixDecay ** (round - 1);
    const played = await playRound(options, round, mix, round === 0 ? null : net, control, (finished) => {
      done = unitsBefore(options, round) + finished;
      report(
        round === 0
          ? `round 0: planner demonstrations (${finished}/${options.demoEpisodes})`
          : `round ${round}: network plays, planner labels (${finished}/${options.episodesPerRound})`,
      );
    });
    for (const e of played.episodes) aggregate.add({ observations: e.observations!, targets: e.targets! });
    if (round === 0) demonstrated = aggregate.count;
    const steps = round === 0 ? options.firstSteps : options.stepsPerRound;
    const trained = await trainBc(
      aggregate.view(),
      {
        network: { kind: 'impala', channels: options.channels },
        init: 'pytorch',
        loss: options.loss,
        learningRate: options.learningRate,
        schedule: options.schedule,
        batchSize: options.batchSize,
        steps,
        seed: seedFor(options.seed, `dagger/train/${round}`),
        progressEvery: 10,
        shift: options.shift,
        emphasis: round > 0 && options.ownShare > 0 ? { from: demonstrated, share: options.ownShare } : undefined,
      },
      bcControl(round),
      net,
    );
    net = trained.net;
    const meanReturn = played.episodes.reduce((sum, e) => sum + episodeReturn(e), 0) / played.episodes.length;
    await control.onRound?.(
      { round, episodes: played.episodes, meanReturn, plannerMix: mix, agreement: played.agreement, samples: aggregate.count, losses: trained.losses },
      net,
    );
  }
  foldPolicyTemperature(net, options.policyTemperature);
  return net;
}

function episodesOf(o: DaggerOptions, round: number): number {
  return round === 0 ? o.demoEpisodes : o.episodesPerRound;
}

/** Progress units of the rounds before `round`. */
function unitsBefore(o: DaggerOptions, round: number): number {
  return round === 0 ? 0 : o.demoEpisodes + o.firstSteps + (round - 1) * (o.episodesPerRound + o.stepsPerRound);
}

/** Plays one round's episodes: the planner alone (round 0), else the network with the planner labelling. */
async function playRound(
  options: DaggerOptions,
  round: number,
  mix: number,
  net: TrainableNet | null,
  control: DaggerControl,
  onEpisode: (finished: number) => void,
): Promise<{ episodes: PlayedEpisode[]; agreement: number }> {
  const { game, mode, planner, targetTemperature } = options;
  const levelSeeds = drawLevelSeeds(options.levels, seedFor(options.seed, `dagger/levels/${round}`), episodesOf(options, round));
  const plannerSeed = (slot: number) => seedFor(options.seed, `dagger/planner/${round}/${slot}`);
  const source = net
    ? new LabelledNetworkSource(net, game, mode, planner, targetTemperature, mix, plannerSeed, new Random(seedFor(options.seed, `dagger/act/${round}`)))
    : plannerActionSource(game, mode, planner, targetTemperature, plannerSeed);
  let finished = 0;
  const player = new EpisodePlayer({
    game,
    mode,
    levelSeeds,
    slots: net ? PLAY_SLOTS : PLANNER_SLOTS,
    recordObservations: true,
    source,
    onEpisode: () => onEpisode(++finished),
  });
  let step = 0;
  // Asynchronous choices: a network on the webgpu backend cannot be read synchronously.
  while ((await player.stepAsync()) > 0) await checkpoint({ signal: control.signal }, `DAgger round ${round}`, step++);
  return { episodes: player.episodes, agreement: source instanceof LabelledNetworkSource ? source.agreement() : NaN };
}

/**
 * The network acts (sampling its policy, as it will when it collects data), the planner
 * labels every state it reaches, and with probability `mix` the planner's action is played.
 */
class LabelledNetworkSource implements ActionSource {
  readonly needsFrames = true;
  readonly labels = true;
  private readonly actor: PolicyActor;
  private readonly planners: Planner[];
  private decisions = 0;
  private agreed = 0;

  constructor(
    net: TrainableNet,
    game: GameName,
    mode: Mode,
    plannerOptions: PlannerOptions,
    private readonly temperature: number,
    private readonly mix: number,
    seedOfSlot: (slot: number) => number,
    private readonly random: Random,
  ) {
    this.actor = new PolicyActor(net, PLAY_SLOTS);
    this.planners = Array.from({ length: PLAY_SLOTS }, (_, slot) => new Planner(game, mode, plannerOptions, seedOfSlot(slot)));
  }

  begin(slot: number): void {
    this.planners[slot]!.reset();
  }

  choose(active: readonly number[], games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array, targets: Float32Array): void {
    this.label(this.actor.act(frames, this.random, SAMPLE_POLICY, active.length).actions, active, games, out, targets);
  }

  async chooseAsync(active: readonly number[], games: readonly ProcgenGame[], frames: Uint8Array, out: Uint8Array, targets: Float32Array): Promise<void> {
    this.label((await this.actor.actAsync(frames, this.random, SAMPLE_POLICY, active.length)).actions, active, games, out, targets);
  }

  /** The planner labels each state; the network's action is played (or the planner's, with probability `mix`). */
  private label(actions: Int32Array, active: readonly number[], games: readonly ProcgenGame[], out: Uint8Array, targets: Float32Array): void {
    for (let i = 0; i < active.length; i++) {
      const planner = this.planners[active[i]!]!;
      const planned = planner.act(games[active[i]!]!);
      const target = targets.subarray(i * NUM_ACTIONS, (i + 1) * NUM_ACTIONS);
      searchTargets(planner.scores, planner.actions, this.temperature, target);
      const own = actions[i]!;
      let best = 0;
      for (let k = 0; k < NUM_ACTIONS; k++) best = Math.max(best, target[k]!);
      this.decisions++;
      if (target[own]! >= best - 1e-6) this.agreed++;
      out[i] = this.random.next() < this.mix ? planned : own;
    }
  }

  agreement(): number {
    return this.decisions === 0 ? NaN : this.agreed / this.decisions;
  }
}

/** The most frames one Uint8Array holds (4 GiB in Node 20): 349,525 labelled states. */
const MOST_STATES = Math.floor(bufferConstants.MAX_LENGTH / OBS_VALUES);

/** Every labelled state so far, in growable buffers (by half again: no copy per episode), at most `mostStates` of them. */
export class LabelledAggregate {
  count = 0;
  private obs = new Uint8Array(0);
  private targets = new Float32Array(0);
  private actions = new Int32Array(0);

  constructor(private readonly mostStates = MOST_STATES) {}

  add({ observations, targets }: LabelledStates): void {
    const n = targets.length / NUM_ACTIONS;
    if (observations.length !== n * OBS_VALUES) throw new Error(`Labelled states: ${observations.length / OBS_VALUES} observations for ${n} target rows.`);
    this.reserve(this.count + n);
    this.obs.set(observations, this.count * OBS_VALUES);
    this.targets.set(targets, this.count * NUM_ACTIONS);
    for (let t = 0; t < n; t++) {
      // The sample's group: the planner's most likely action (soft targets are what is learned).
      let best = 0;
      for (let k = 1; k < NUM_ACTIONS; k++) if (targets[t * NUM_ACTIONS + k]! > targets[t * NUM_ACTIONS + best]!) best = k;
      this.actions[this.count + t] = best;
    }
    this.count += n;
  }

  view(): LabelledSet {
    return {
      count: this.count,
      obs: this.obs.subarray(0, this.count * OBS_VALUES),
      actions: this.actions.subarray(0, this.count),
      targets: this.targets.subarray(0, this.count * NUM_ACTIONS),
    };
  }

  private reserve(needed: number): void {
    if (needed * OBS_VALUES <= this.obs.length) return;
    if (needed > this.mostStates) {
      throw new RangeError(
        `DAgger's labelled states would number ${needed}, more than the ${this.mostStates} whose frames one buffer holds: ` +
          'use fewer expert.planner.episodes, expert.dagger.rounds or expert.dagger.episodesPerRound.',
      );
    }
    const capacity = Math.min(this.mostStates, Math.max(needed, Math.ceil(this.actions.length * 1.5), 4096));
    const grow = <T extends Uint8Array | Float32Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.obs = grow(this.obs, new Uint8Array(capacity * OBS_VALUES));
    this.targets = grow(this.targets, new Float32Array(capacity * NUM_ACTIONS));
    this.actions = grow(this.actions, new Int32Array(capacity));
  }
}
