import { z } from 'zod';
import { GAME_NAMES, type GameName } from '../procgen/games/index.ts';
import { CORESET_CONTROLS, DISTILL_VARIANTS, PIXEL_PARAMETERISATIONS } from './methods.ts';
import { AUGMENTATIONS, GAME_AUGMENTATIONS } from './augmentations.ts';
import { LEARNING_RATE_SCHEDULES } from './schedules.ts';

/**
 * One experiment, every hyperparameter in one typed schema. Defaults are the
 * paper's protocol (reference: ddrl-method.md and the official code), so
 * `parseExperimentConfig({ game: 'bigfish' })` is the paper's bigfish run.
 * Error messages name the field and the allowed range.
 */

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `expected a whole number (${what})` })
    .int({ error: `expected a whole number ${min}..${max} (${what})` })
    .min(min, { error: `must be at least ${min} (${what})` })
    .max(max, { error: `must be at most ${max} (${what})` });

const real = (min: number, max: number, what: string, exclusiveMin = false) => {
  const base = z.number({ error: `expected a number (${what})` });
  const lower = exclusiveMin ? base.gt(min, { error: `must be greater than ${min} (${what})` }) : base.min(min, { error: `must be at least ${min} (${what})` });
  return lower.max(max, { error: `must be at most ${max} (${what})` });
};

/** Conv channels per stage of a network: 1 to 4 stages of 1..256 channels. */
const stageChannels = (what: string, example: string) =>
  z
    .array(int(1, 256, what))
    .min(1, { error: `give 1 to 4 stages, e.g. ${example}` })
    .max(4, { error: `give 1 to 4 stages, e.g. ${example}` });

const INT32_MAX = 2147483647;

/** Which levels a stage plays: Procgen's `start_level` / `num_levels` (0 = any level). */
export const levelSetSchema = z
  .object({
    startLevel: int(0, INT32_MAX, 'first level seed').default(100),
    numLevels: int(0, INT32_MAX, '0 means unrestricted levels').default(200),
  })
  .strict();

export const bcLossSchema = z.enum(['mse', 'mae', 'cross-entropy'], {
  error: 'expected one of mse, mae, cross-entropy',
});

/**
 * A student's Adam learning rate where `students.bc.learningRate` is null: the paper's 0.005 for
 * its small student; 0.001 for an IMPALA student, which 0.005 left at a random policy's level on
 * bigfish (paper-bigfish's 40,000 expert transitions, IMPALA [8,16,16], cross-entropy, 3,000
 * steps of 64, 50 training-level episodes: 0.005 -> 1.30 sampled / 1.26 greedy, final loss 2.08;
 * 0.001 -> 3.32 / 6.86; the random policy ~1; session 14).
 */
export const STUDENT_LEARNING_RATES = { student: 0.005, impala: 0.001 } as const;

/** Behavioural cloning of a student (baselines and synthetic students alike). */
export const bcSchema = z
  .object({
    steps: int(1, 10_000_000, 'Adam steps per student').default(10_000),
    batchSize: int(1, 65_536, 'samples per step; capped at the data size').default(256),
    /** null: the network's own (`STUDENT_LEARNING_RATES`). */
    learningRate: real(0, 10, "Adam learning rate; null: 0.005 for the paper's student, 0.001 for IMPALA", true).nullable().default(null),
    loss: bcLossSchema.default('mse'),
  })
  .strict();

/** PPO for the expert, pfrl/Procgen defaults. */
export const ppoSchema = z
  .object({
    totalSteps: int(1, 1_000_000_000, 'environment steps').default(25_000_000),
    numEnvs: int(1, 1024, 'parallel environments').default(64),
    rolloutSteps: int(1, 100_000, 'steps per environment per update').default(256),
    learningRate: real(0, 1, 'Adam learning rate', true).default(5e-4),
    gamma: real(0, 1, 'discount').default(0.999),
    gaeLambda: real(0, 1, 'GAE lambda').default(0.95),
    clip: real(0, 10, 'policy and value clip range', true).default(0.2),
    entropyCoef: real(0, 10, 'entropy bonus').default(0.01),
    valueCoef: real(0, 100, 'value loss weight').default(0.5),
    maxGradNorm: real(0, 1000, 'gradient norm clip', true).default(0.5),
    epochs: int(1, 100, 'passes over each rollout').default(3),
    minibatches: int(1, 1024, 'minibatches per epoch').default(8),
  })
  .strict();

/** The search planner (main/pipeline/planner.ts): what it sees, how far it looks, how its scores become targets. */
export const plannerSchema = z
  .object({
    horizon: int(1, 1000, 'steps looked ahead per decision').default(16),
    rollouts: int(1, 10_000, 'candidate sequences per first action').default(2),
    /**
     * 'sampled': rollouts draw fresh randomness (the planner knows what is on screen, as a
     * network can); 'oracle': rollouts replay the game's own random generator and so see
     * fish and enemies that have not spawned yet.
     */
    foresight: z.enum(['sampled', 'oracle'], { error: 'expected sampled or oracle' }).default('sampled'),
    futures: int(1, 1000, "sampled futures each candidate is scored in ('sampled' foresight)").default(4),
    /** Softmax temperature turning per-action scores into the imitated distribution; 0 = equal mass on the best actions. */
    targetTemperature: real(0, 100, 'score units; 0 = the best actions only').default(0.1),
    /** Demonstration episodes on the training levels (round 0 of DAgger). */
    episodes: int(1, 100_000, 'planner demonstration episodes').default(100),
  })
  .strict();

/** Expert iteration (DAgger): the network plays, the planner labels what it saw, the network trains on everything so far. */
export const daggerSchema = z
  .object({
    rounds: int(1, 1000, 'rounds after the demonstrations in which the network plays').default(8),
    episodesPerRound: int(1, 100_000, 'episodes the network plays per round').default(16),
    stepsPerRound: int(1, 10_000_000, 'Adam steps after each round').default(800),
    plannerMix: real(0, 1, "probability the planner's action is played in round 1").default(0),
    mixDecay: real(0, 1, 'factor on plannerMix per later round').default(0.5),
    /**
     * Least share of every batch after the demonstrations drawn from the states the network itself
     * visited; 0 treats every labelled state alike (those states are then a few percent of them).
     */
    ownShare: real(0, 1, "least share of each batch from the network's own states; 0 = all states alike").default(0),
  })
  .strict();

export const EXPERT_SOURCES = ['ppo', 'dagger', 'planner', 'reuse', 'file'] as const;
export type ExpertSource = (typeof EXPERT_SOURCES)[number];

/** The expert: trained by PPO, imitating the search planner (once or by DAgger rounds), reused, or loaded from a file. */
export const expertSchema = z
  .object({
    source: z.enum(EXPERT_SOURCES, { error: `expected one of ${EXPERT_SOURCES.join(', ')}` }).default('ppo'),
    /** With source 'reuse': the run whose expert is taken. */
    reuseRunId: int(1, INT32_MAX, 'id of a run with an expert').nullable().default(null),
    /** With source 'file': the expert file (`ddrl export-expert`) to load; a relative path is the working directory's. */
    file: z.string({ error: 'expected a file path (expert.file)' }).min(1, { error: 'expected a file path (expert.file)' }).nullable().default(null),
    /** IMPALA conv channels per stage; the paper's are [16, 32, 32]. Smaller trains and distills faster on CPU. */
    channels: stageChannels('channels of one IMPALA stage', '[16, 32, 32]').default([16, 32, 32]),
    ppo: ppoSchema.default(ppoSchema.parse({})),
    planner: plannerSchema.default(plannerSchema.parse({})),
    /** How the expert network learns the planner's demonstrations (its search targets). */
    imitation: z
      .object({
        steps: int(1, 10_000_000, 'Adam steps on the demonstrations').default(3000),
        batchSize: int(1, 4096, 'samples per step').default(64),
        learningRate: real(0, 10, 'Adam learning rate', true).default(2e-3),
        /** 'cosine': the rate falls to 0 over each training (the first steps, then each DAgger round's steps). */
        schedule: z.enum(LEARNING_RATE_SCHEDULES, { error: `expected one of ${LEARNING_RATE_SCHEDULES.join(', ')}` }).default('constant'),
        /** Random translation of each training frame (RAD/DrAC): keeps the network from memorising the levels' backgrounds. */
        shift: int(0, 16, 'pixels each frame is moved at random in x and y').default(0),
        /**
         * 'cross-entropy' on the search targets, or 'advantage': the network regresses every action's
         * score gap to the planner's best (recovered from the targets), so a deadly move costs by how
         * bad it is (main/learning/losses.ts).
         */
        loss: z.enum(['cross-entropy', 'advantage'], { error: 'expected cross-entropy or advantage' }).default('cross-entropy'),
        /** 'advantage' only: the policy is softmax(advantage / this). */
        advantageTemperature: real(0, 100, 'score units; the policy is softmax(advantage / this)', true).default(0.1),
        /**
         * The finished network's policy is softmax(logits / this), folded into its output layer, so
         * collection, evaluation, distillation and replay all meet it; below 1 sharpens what it learned.
         */
        policyTemperature: real(0, 100, 'the finished network plays softmax(logits / this); below 1 sharpens it', true).default(1),
      })
      .strict()
      .default({
        steps: 3000,
        batchSize: 64,
        learningRate: 2e-3,
        schedule: 'constant',
        shift: 0,
        loss: 'cross-entropy',
        advantageTemperature: 0.1,
        policyTemperature: 1,
      }),
    dagger: daggerSchema.default(daggerSchema.parse({})),
  })
  .strict();

/** The offline dataset: episodes on the training levels, actions sampled from the expert. */
export const collectSchema = z
  .object({
    episodes: int(1, 1_000_000, 'episodes collected').default(100),
    /**
     * Who acts: the expert network (the paper), or the oracle planner itself
     * (strong data while the network imitating it is still weak).
     */
    actor: z.enum(['expert-network', 'planner'], { error: 'expected expert-network or planner' }).default('expert-network'),
    /** Softmax temperature of the expert's policy; 1 samples it as the paper does. */
    temperature: real(0, 100, '1 = sample the policy as is', true).default(1),
    /** Probability of a uniformly random action instead (mixed-quality data). */
    epsilon: real(0, 1, 'probability of a random action').default(0),
    /** Use this stored dataset (e.g. one made by `ddrl import`) instead of collecting. */
    datasetId: int(1, INT32_MAX, 'id of a stored dataset (ddrl datasets)').nullable().default(null),
  })
  .strict();

export const baselinesSchema = z
  .object({
    /** Percentile BC: keep the top p% of episodes by return (100 = plain BC on everything). */
    percentiles: z
      .array(int(1, 100, 'percent of episodes kept'))
      .min(1, { error: 'give at least one percentile, e.g. [100]' })
      .default([100, 40, 25, 10]),
  })
  .strict();

/** 'mtt' only: the trajectories of training on the real data it matches, and its unrolls on the synthetic set. */
export const mttSchema = z
  .object({
    trajectories: int(1, 1000, 'students trained on the real data whose checkpoints are matched').default(2),
    checkpoints: int(2, 10_000, 'checkpoints kept per trajectory, the initialisation included').default(6),
    stepsPerCheckpoint: int(1, 1_000_000, 'SGD steps on real batches between checkpoints').default(50),
    trajectoryLearningRate: real(0, 10, "the trajectories' SGD learning rate (the unrolls' learned rate starts here)", true).default(0.01),
    targetSpan: int(1, 9_999, "checkpoints between an unroll's start and its target (below checkpoints)").default(2),
    syntheticSteps: int(1, 10_000, 'SGD steps on the synthetic set per unroll').default(10),
    syntheticBatch: int(1, 100_000, 'synthetic samples per unrolled step').default(50),
    learnRate: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .strict();

export const distillSchema = z
  .object({
    /**
     * 'paper': frozen expert, squared L2 over all gradients. 'dc': fresh nets, layer-wise cosine,
     * inner loop. 'dsa': dc with siamese augmentation. 'dm': mean embeddings of fresh nets matched.
     * 'mtt': short unrolls on the synthetic set matched to checkpoints of training on the real data.
     */
    variant: z.enum(DISTILL_VARIANTS, { error: `expected one of ${DISTILL_VARIANTS.join(', ')}` }).default('paper'),
    size: int(1, 100_000, 'synthetic samples; at least one per action').default(150),
    allocation: z.enum(['balanced', 'proportional'], { error: 'expected balanced or proportional' }).default('balanced'),
    iterations: int(1, 1_000_000, 'outer iterations').default(1000),
    /**
     * 'raw-sgd' (the paper): SGD with momentum on the 0..255 pixels. 'unit-adam': Adam on
     * pixels / 255, so the learning rate is about the share of the pixel range moved per step.
     */
    pixels: z.enum(PIXEL_PARAMETERISATIONS, { error: `expected one of ${PIXEL_PARAMETERISATIONS.join(', ')}` }).default('raw-sgd'),
    learningRate: real(0, 1e6, 'learning rate on pixels (and learned labels)', true).default(0.1),
    momentum: real(0, 1, 'SGD momentum on pixels (raw-sgd)').default(0.5),
    /** Learn each synthetic sample's label distribution with its pixels (paper, dc, dsa; dm's loss has no labels). */
    learnLabels: z.boolean({ error: 'expected true or false' }).default(false),
    /** 'dsa' and 'dm': augmentations drawn per matching step, applied alike to real and synthetic samples. */
    augment: z
      .array(z.enum(AUGMENTATIONS, { error: `expected one of ${AUGMENTATIONS.join(', ')}` }))
      .refine((list) => new Set(list).size === list.length, { error: 'name each augmentation once' })
      .default(['translate', 'brightness', 'contrast']),
    realBatch: int(1, 100_000, 'real samples per action per iteration').default(75),
    loss: z.enum(['mse', 'mae'], { error: 'expected mse or mae' }).default('mse'),
    mtt: mttSchema.default(mttSchema.parse({})),
    /** 'dc' only: network updates on the synthetic set between matching steps. */
    innerSteps: int(0, 10_000, 'inner training steps (dc)').default(50),
    /** Store a copy of the synthetic set every this many iterations (0 = only the final one). */
    snapshotEvery: int(0, 1_000_000, 'iterations between stored snapshots').default(50),
    /**
     * Also label the synthetic samples with the expert's action distribution and train a
     * second synthetic method on them ('synthetic-soft'): the same pixels, richer targets.
     */
    softLabels: z.boolean({ error: 'expected true or false' }).default(false),
    /**
     * Coreset controls trained and evaluated beside the synthetic set (same size and
     * per-action allocation): does distillation beat picking that many real frames?
     */
    controls: z
      .array(z.enum(CORESET_CONTROLS, { error: `expected one of ${CORESET_CONTROLS.join(', ')}` }))
      .refine((list) => new Set(list).size === list.length, { error: 'name each control once' })
      .default([...CORESET_CONTROLS]),
  })
  .strict();

export const studentsSchema = z
  .object({
    count: int(1, 1000, 'independently initialised students per method').default(10),
    /** The paper's small student CNN, or the expert's IMPALA architecture (wider students clone better; the paper's is the protocol). */
    network: z.enum(['student', 'impala'], { error: 'expected student or impala' }).default('student'),
    /** Conv channels per stage; null: the network's own (student [12, 48, 12, 3], IMPALA [16, 32, 32]). */
    channels: stageChannels('channels of one stage', '[8, 16, 16]').nullable().default(null),
    bc: bcSchema.default(bcSchema.parse({})),
  })
  .strict();

export const evaluateSchema = z
  .object({
    episodesId: int(0, 1_000_000, 'episodes per student on the training levels').default(100),
    episodesOod: int(0, 1_000_000, 'episodes per student on unrestricted levels').default(100),
    greedy: z.boolean({ error: 'expected true or false' }).default(false),
    /** Also play every student greedily, reported as rows '<method> [greedy]'. */
    greedyRows: z.boolean({ error: 'expected true or false' }).default(false),
    /** Also play each method's students as one ensemble (their average policy), reported as rows '<method> [ensemble of K]'. */
    ensembleRows: z.boolean({ error: 'expected true or false' }).default(false),
  })
  .strict();

export const experimentConfigSchema = z
  .object({
    game: z.enum(GAME_NAMES as [GameName, ...GameName[]], { error: `expected one of ${GAME_NAMES.join(', ')}` }),
    mode: z.enum(['easy', 'hard'], { error: 'expected easy or hard' }).default('easy'),
    /** Seeds every random choice of the run (inits, sampling, level draws). */
    seed: int(0, INT32_MAX, 'run seed').default(0),
    trainLevels: levelSetSchema.default({ startLevel: 100, numLevels: 200 }),
    expert: expertSchema.default(expertSchema.parse({})),
    collect: collectSchema.default(collectSchema.parse({})),
    baselines: baselinesSchema.default(baselinesSchema.parse({})),
    distill: distillSchema.default(distillSchema.parse({})),
    students: studentsSchema.default(studentsSchema.parse({})),
    evaluate: evaluateSchema.default(evaluateSchema.parse({})),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.distill.size < 15) {
      ctx.addIssue({
        code: 'custom',
        path: ['distill', 'size'],
        message: `must be at least 15, one synthetic sample per action (got ${config.distill.size})`,
      });
    }
    const allowed = GAME_AUGMENTATIONS[config.game];
    for (const a of config.distill.augment) {
      if (!allowed.includes(a)) {
        ctx.addIssue({
          code: 'custom',
          path: ['distill', 'augment'],
          message: `'${a}' is not defined for ${config.game}${a === 'flip' ? ' (a flip turns left into right, a different action)' : ''}: use any of ${allowed.join(', ')}`,
        });
      }
    }
    if (config.distill.mtt.targetSpan >= config.distill.mtt.checkpoints) {
      ctx.addIssue({
        code: 'custom',
        path: ['distill', 'mtt', 'targetSpan'],
        message: `must be below distill.mtt.checkpoints (${config.distill.mtt.checkpoints}): an unroll's target is a later checkpoint of the same trajectory (got ${config.distill.mtt.targetSpan})`,
      });
    }
    if (config.distill.learnLabels && config.distill.variant === 'dm') {
      ctx.addIssue({
        code: 'custom',
        path: ['distill', 'learnLabels'],
        message: "variant 'dm' matches embeddings, its loss has no labels to learn: use variant paper, dc, dsa or mtt, or learnLabels=false",
      });
    }
    if (config.expert.imitation.loss === 'advantage' && config.expert.planner.targetTemperature === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['expert', 'imitation', 'loss'],
        message:
          "'advantage' recovers score gaps from the planner's soft targets, which expert.planner.targetTemperature=0 does not keep: give it a temperature (e.g. 0.03) or use loss=cross-entropy",
      });
    }
    if (config.expert.source === 'reuse' && config.expert.reuseRunId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['expert', 'reuseRunId'],
        message: "expert.source is 'reuse': name the run whose expert to reuse (expert.reuseRunId=RUN)",
      });
    }
    if (config.expert.source === 'file' && config.expert.file === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['expert', 'file'],
        message: "expert.source is 'file': name the expert file to load (expert.file=PATH, written by `ddrl export-expert RUN --out PATH`)",
      });
    }
  });

export type ExperimentConfig = z.output<typeof experimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof experimentConfigSchema>;

/** A student's learning rate: its own, or where null the network's (`STUDENT_LEARNING_RATES`). */
export const studentLearningRate = (students: ExperimentConfig['students']): number => students.bc.learningRate ?? STUDENT_LEARNING_RATES[students.network];

/**
 * A flattened config (`flattenConfig` of config-diff.ts) with each null that stands for a value
 * replaced by that value, for comparing configs: a run made when the preset spelled out 0.005
 * and one made since it says null (the network's own rate) trained with the same recipe. Takes
 * any stored config's keys (the renderer has them untyped); changes `flat` and returns it.
 */
export function resolveFlatConfig(flat: Map<string, unknown>): Map<string, unknown> {
  const network = flat.get('students.network');
  if (flat.get('students.bc.learningRate') === null && (network === 'student' || network === 'impala'))
    flat.set('students.bc.learningRate', STUDENT_LEARNING_RATES[network]);
  return flat;
}

/** A config that failed validation; `message` lists every bad field with its allowed range. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseExperimentConfig(input: unknown): ExperimentConfig {
  const result = experimentConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(config)';
    return `${field}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid experiment config:\n  ${lines.join('\n  ')}`);
}
