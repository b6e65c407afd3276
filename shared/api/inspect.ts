/**
 * Read-only calls behind the researcher's screens: a page of runs, metric
 * series, the episodes of a run (for replays), synthetic snapshots and real
 * samples per action. Frames cross the API as bytes (`frames.ts`: the storage codec's
 * or plain uint8 RGB), actions and rewards as plain arrays.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../config/stages.ts';
import { NUM_ACTIONS } from '../procgen/engine/actions.ts';
import { runInfo } from './runs.ts';
import { wireFrames } from './frames.ts';

const id = z.number().int().positive();
const runId = id;

/** Columns the runs list sorts by. */
export const RUN_SORT_KEYS = ['id', 'created', 'finished', 'label', 'status', 'game'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];

/** Thousands of runs: the list asks for one window at a time. */
export const runsPageInput = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
    status: z.enum(RUN_STATUSES).optional(),
    /** Matched against label, game and experiment name (case-insensitive substring). */
    search: z.string().max(200).default(''),
    /** Only these runs (the run page, the compare view). */
    ids: z.array(z.number().int().positive()).max(500).optional(),
    sort: z.enum(RUN_SORT_KEYS).default('id'),
    descending: z.boolean().default(true),
  })
  .strict();

/** Mean evaluation return on each split (null where not evaluated). */
const splitMeans = z.object({ id: z.number().nullable(), ood: z.number().nullable() });
const floorVerdict = z.enum(['at', 'below', 'constant', 'above']).nullable();
/** Means with where each split's 95% interval lies against the floors, the random policy and the best constant action (`floorVerdict` of shared/random-floor.ts). */
const splitMeansWithFloor = splitMeans.extend({ floor: z.object({ id: floorVerdict, ood: floorVerdict }) });

export const keyResultsInput = z.object({ ids: z.array(z.number().int().positive()).max(500) }).strict();
/** Per run, the numbers a list shows: the best distilled method (by ID) against BC on all data, the expert and the random floor. */
export const keyResultsOutput = z.array(
  z.object({
    runId: z.number().int(),
    best: splitMeansWithFloor.extend({ method: z.string() }).nullable(),
    bc: splitMeansWithFloor.nullable(),
    expert: splitMeans.nullable(),
    random: splitMeans.nullable(),
  }),
);
export type KeyResults = z.infer<typeof keyResultsOutput>[number];
/** Per split, where a key result's 95% interval lies against the random policy's. */

export const annotateInput = z
  .object({
    runId: z.number().int().positive(),
    /** Checked by the services (shared/run-notes.ts) for a message that says what to change. */
    tags: z.array(z.string().max(10_000)).max(1000),
    notes: z.string().max(1_000_000),
  })
  .strict();
export const annotateOutput = z.object({ tags: z.array(z.string()), notes: z.string() });

/** A run row for the list: its config travels too (the list shows preset, game and the differing keys). */
export const runsPageOutput = z.object({
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  runs: z.array(runInfo.extend({ experimentName: z.string(), preset: z.string().nullable(), tags: z.array(z.string()), notes: z.string() })),
});
export type RunsPage = z.infer<typeof runsPageOutput>;
export type RunListEntry = RunsPage['runs'][number];

export const seriesInput = z
  .object({
    runId,
    /** Series to read; all of the run's series when omitted. */
    series: z.array(z.string().min(1)).optional(),
    /** Each series is downsampled (mean over equal step buckets) to at most this many points. */
    maxPoints: z.number().int().min(2).max(10_000).default(400),
  })
  .strict();

export const seriesOutput = z.array(
  z.object({
    series: z.string(),
    steps: z.array(z.number()),
    values: z.array(z.number()),
  }),
);
export type MetricSeries = z.infer<typeof seriesOutput>[number];

const episodeSummary = z.object({ idx: z.number().int(), levelSeed: z.number().int().nullable(), length: z.number().int(), return: z.number() });
export type EpisodeSummary = z.infer<typeof episodeSummary>;

/** Every episode of a run without its steps: the dataset's and each evaluated model's per split. */
export const episodesListOutput = z.object({
  runId,
  game: z.string(),
  mode: z.string(),
  dataset: z.object({ id, name: z.string(), source: z.string(), episodes: z.array(episodeSummary) }).nullable(),
  /** The run's other stored datasets: the planner's demonstrations, each DAgger round's labelled states. */
  otherDatasets: z.array(z.object({ id, name: z.string(), source: z.string(), episodes: z.array(episodeSummary) })),
  models: z.array(
    z.object({
      modelId: id,
      role: z.enum(['expert', 'student']),
      method: z.string(),
      member: z.number().int().nonnegative(),
      id: z.array(episodeSummary),
      ood: z.array(episodeSummary),
    }),
  ),
});
export type EpisodesList = z.infer<typeof episodesListOutput>;
export type ModelEpisodes = EpisodesList['models'][number];

export const episodeRef = z.discriminatedUnion('source', [
  z.object({ source: z.literal('eval'), modelId: id, split: z.enum(['id', 'ood']), idx: z.number().int().nonnegative() }).strict(),
  z
    .object({
      source: z.literal('dataset'),
      datasetId: id,
      idx: z.number().int().nonnegative(),
      /** The stored 64x64 observations too (imported episodes cannot be re-simulated without them). */
      withFrames: z.boolean().default(false),
    })
    .strict(),
]);
export type EpisodeRef = z.input<typeof episodeRef>;

export const episodeOutput = z.object({
  levelSeed: z.number().int().nullable(),
  actions: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(NUM_ACTIONS - 1),
  ),
  rewards: z.array(z.number()),
  return: z.number(),
  /** length x 64 x 64 x 3 uint8, when asked for. */
  frames: wireFrames.nullable(),
});
export type EpisodeData = z.infer<typeof episodeOutput>;

export const policyInput = z
  .object({
    /** The policy asked: any model of the database (an evaluation episode's own model, or another one on the same frames). */
    modelId: id,
    episode: episodeRef,
  })
  .strict();

/** Whether the re-simulated episode matches its stored rewards (null: dataset frames are stored, nothing was re-simulated). */
const rewardCheck = z.object({
  mismatches: z.number().int().nonnegative(),
  firstMismatch: z.number().int(),
  endedAt: z.number().int(),
  exact: z.boolean(),
});

/** A policy's action distribution at every step of an episode, softmax(logits) of its stored network. */
export const policyOutput = z.object({
  modelId: id,
  method: z.string(),
  role: z.enum(['expert', 'student']),
  /** Why the model has no distribution (the planner, the random policy: weightless), else null. */
  weightless: z.string().nullable(),
  /** Per step, the probability of each action (empty when weightless). */
  probabilities: z.array(z.array(z.number())),
  /** Per step, the distribution's entropy in nats (ln 15 = 2.71 is uniform). */
  entropy: z.array(z.number()),
  check: rewardCheck.nullable(),
  /** Milliseconds the services spent computing it (0 when it came from the cache). */
  computeMs: z.number().nonnegative(),
  cached: z.boolean(),
});
export type PolicyDistribution = z.infer<typeof policyOutput>;

export const syntheticListOutput = z.object({
  runId,
  iterations: z.array(z.object({ iteration: z.number().int(), loss: z.number().nullable() })),
});

export const syntheticGetInput = z
  .object({
    runId,
    iteration: z.number().int().nonnegative().optional(),
    /** A snapshot (its iteration) whose frames the caller holds: the frames come as their difference to it (encoding 'relative'). */
    relativeTo: z.number().int().nonnegative().optional(),
    /**
     * Send the run's other snapshots along (`others`), as many as the host prepares in a short
     * budget: a view that opens with them answers any slider jump without the wire.
     */
    withOthers: z.boolean().optional(),
  })
  .strict();

const syntheticSnapshot = z.object({
  iteration: z.number().int(),
  loss: z.number().nullable(),
  labels: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(NUM_ACTIONS - 1),
  ),
  /** N x 64 x 64 x 3 uint8 (clamped for viewing); relative to the `relativeTo` snapshot's frames when the call named one. */
  frames: wireFrames,
  /** Per sample, the expert's probability of each action (runs distilled with soft labels), else null. */
  softLabels: z.array(z.array(z.number())).nullable(),
  /** Per sample, its learned label distribution (runs distilled with distill.learnLabels), else null. */
  learnedLabels: z.array(z.array(z.number())).nullable(),
  /** Per sample, the dataset frame its pixels started from (episode and step of the run's dataset); null when unknown. */
  origins: z.array(z.object({ datasetId: z.number().int(), episode: z.number().int(), step: z.number().int() })).nullable(),
  /**
   * Per sample, measured on the float32 pixels the students train on (not the clamped view): their
   * range, and the mean and largest |change| since the initial set (iteration 0, real 0..255 frames).
   * Only the newest snapshot keeps its floats; the others have null.
   */
  floats: z.object({ min: z.array(z.number()), max: z.array(z.number()), meanMoved: z.array(z.number()), maxMoved: z.array(z.number()) }).nullable(),
});

/**
 * A snapshot sent along with another (synthetic.get's `withOthers`). Its frames are the byte difference
 * to the snapshot `relativeTo` names: the reply's own, or an entry before it in `others` (a snapshot
 * whose pixels did not change since its neighbour comes as no bytes against it). Labels, soft labels,
 * learned labels and origins are absent where they equal the reply's own.
 */
export const bundledSnapshot = syntheticSnapshot
  .partial({ labels: true, softLabels: true, learnedLabels: true, origins: true })
  .extend({ relativeTo: z.number().int().nonnegative() });
export type BundledSnapshot = z.infer<typeof bundledSnapshot>;

export const syntheticGetOutput = syntheticSnapshot.extend({
  /** With `withOthers`: the run's other snapshots, nearest (in the list) first; those not prepared in time are left out. */
  others: z.array(bundledSnapshot).optional(),
});
export type SyntheticSet = z.infer<typeof syntheticGetOutput>;

export const realSamplesInput = z
  .object({
    datasetId: id,
    action: z
      .number()
      .int()
      .min(0)
      .max(NUM_ACTIONS - 1),
    count: z.number().int().min(1).max(64).default(8),
  })
  .strict();

/** Real observations whose recorded action is the given one, spread over the dataset's episodes. */
export const realSamplesOutput = z.object({
  action: z.number().int(),
  /** How many transitions of the dataset have this action. */
  available: z.number().int().nonnegative(),
  samples: z.array(z.object({ episode: z.number().int(), step: z.number().int() })),
  frames: wireFrames,
});

/** Action and return distributions of a run: the data, the synthetic set, and what each method's students did. */
export const distributionsOutput = z.object({
  runId: z.number().int(),
  /** Per action (index), how often the dataset's transitions took it; null without a dataset. */
  datasetActions: z.array(z.number().int()).nullable(),
  /** Per dataset episode (by idx), its return. */
  datasetReturns: z.array(z.object({ idx: z.number().int(), return: z.number(), length: z.number().int() })),
  /** Per percentile BC baseline, the dataset episodes it keeps (the top p% by return). */
  percentileCuts: z.array(z.object({ percentile: z.number(), episodes: z.array(z.number().int()) })),
  /** The newest synthetic snapshot: its hard labels per action, and the sums of its soft and learned label distributions. */
  synthetic: z.object({ hard: z.array(z.number().int()), soft: z.array(z.number()).nullable(), learned: z.array(z.number()).nullable() }).nullable(),
  /** Per method and split: actions taken and episode returns of all its models' evaluation episodes. */
  evaluation: z.array(z.object({ method: z.string(), split: z.enum(['id', 'ood']), actions: z.array(z.number().int()), returns: z.array(z.number()) })),
});
export type Distributions = z.infer<typeof distributionsOutput>;

export const nearestInput = z
  .object({
    runId,
    /** The snapshot (the newest when omitted: its float pixels are compared). */
    iteration: z.number().int().nonnegative().optional(),
    sample: z.number().int().nonnegative(),
    k: z.number().int().min(1).max(32).default(6),
    /** `pixels`: RMS distance on the 0..255 scale; `features`: Euclidean distance in the run expert's penultimate-layer features. */
    metric: z.enum(['pixels', 'features']).default('pixels'),
  })
  .strict();
/** A synthetic sample's nearest frames in the run's dataset by the metric asked for, nearest first. */
export const nearestOutput = z.object({
  datasetId: id,
  metric: z.enum(['pixels', 'features']),
  /** How many dataset frames were compared. */
  compared: z.number().int(),
  neighbours: z.array(z.object({ episode: z.number().int(), step: z.number().int(), action: z.number().int(), distance: z.number() })),
  /** k x 64 x 64 x 3 uint8: the neighbours' frames. */
  frames: wireFrames,
});
export type NearestFrames = z.infer<typeof nearestOutput>;
