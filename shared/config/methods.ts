/**
 * The names of a run's methods that code refers to; the BC baselines are
 * `bc-<percentile>`, the expert's are `expert` and `planner`, and the floors are `random` and `constant`.
 */
export const SYNTHETIC_METHOD = 'synthetic';
/** The same synthetic pixels with the expert's soft labels (distill.softLabels). */
export const SYNTHETIC_SOFT_METHOD = 'synthetic-soft';
/** A uniformly random policy over the 15 actions, evaluated on the same level seeds as every model: the floor of every results table. */
export const RANDOM_METHOD = 'random';
/**
 * The best constant action: the one action that scores most on selection episodes of the
 * training levels, played always and evaluated like the random policy. A second floor: a
 * student that collapses onto one move scores this much without having learned a policy.
 */
export const CONSTANT_METHOD = 'constant';
/** The weightless floor policies every run evaluates: rows to compare methods with, not methods (nor controls) themselves. */
export const isFloorMethod = (method: string): boolean => method === RANDOM_METHOD || method === CONSTANT_METHOD;
/** The BC baseline that keeps the top `percentile` % of the dataset's episodes. */
export const bcMethod = (percentile: number): string => `bc-${percentile}`;
/** BC on all the data: the ceiling of what a student learns from the dataset with this recipe. */
export const BC_ALL_DATA_METHOD = bcMethod(100);

/**
 * Coreset controls: real frames with the synthetic set's size and per-action allocation,
 * chosen without learning pixels (random, or greedy k-center in the expert's features),
 * labelled with the dataset's actions or (`-soft`) the expert's action distribution.
 */
export const CORESET_CONTROLS = ['random-frames', 'random-frames-soft', 'kcenter-frames', 'kcenter-frames-soft'] as const;
export type CoresetControl = (typeof CORESET_CONTROLS)[number];

/** A distilled set's method: the synthetic pixels with their own labels or the expert's soft labels. */
export const isDistilledMethod = (method: string): boolean => method === SYNTHETIC_METHOD || method === SYNTHETIC_SOFT_METHOD;
export const isCoresetControl = (method: string): method is CoresetControl => (CORESET_CONTROLS as readonly string[]).includes(method);

/**
 * Distillation methods (`distill.variant`), one module each in
 * main/learning/train/distill-methods/: `paper` (the paper's gradient matching on the
 * frozen expert), `dc` (dataset condensation: fresh networks, layer-wise cosine, inner
 * loop), `dsa` (dc with differentiable siamese augmentation), `dm` (distribution
 * matching of mean embeddings under fresh networks) and `mtt` (matching training
 * trajectories: short unrolls on the synthetic set towards checkpoints of training on
 * the real data).
 */
export const DISTILL_VARIANTS = ['paper', 'dc', 'dsa', 'dm', 'mtt'] as const;
export type DistillVariant = (typeof DISTILL_VARIANTS)[number];
/** What each variant's per-iteration distance (the `distill/distance` series) measures, as charts name it. */
export const MATCHING_DISTANCES: Readonly<Record<DistillVariant, string>> = {
  paper: 'gradient-matching distance',
  dc: 'gradient-matching distance',
  dsa: 'gradient-matching distance',
  dm: 'mean-embedding distance',
  mtt: 'trajectory-matching distance',
};
/** The distance's name for a stored run's `distill` config section (read loosely: runs store what they were given). */
export const matchingDistanceName = (distill: unknown): string =>
  (MATCHING_DISTANCES as Record<string, string>)[String((distill as { variant?: unknown } | undefined)?.variant)] ?? 'matching distance';

/** How the synthetic pixels are parameterised and optimised (`distill.pixels`). */
export const PIXEL_PARAMETERISATIONS = ['raw-sgd', 'unit-adam'] as const;
export type PixelParameterisation = (typeof PIXEL_PARAMETERISATIONS)[number];

/** The row of a method's students played greedily (evaluate.greedyRows). */
export const greedyRow = (method: string): string => `${method} [greedy]`;
/** The row of a method's K students played as one ensemble, their average policy (evaluate.ensembleRows). */
export const ensembleRow = (method: string, members: number): string => `${method} [ensemble of ${members}]`;
/** The method a results row evaluates: 'bc-100 [greedy]' -> 'bc-100'. */
export const rowMethod = (row: string): string => row.replace(/ \[(greedy|ensemble of \d+)\]$/, '');
