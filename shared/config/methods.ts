/**
 * The names of a run's methods that code refers to; the BC baselines are
 * `bc-<percentile>` and the expert's are `expert` and `planner`.
 */
export const SYNTHETIC_METHOD = 'synthetic';
/** The same synthetic pixels with the expert's soft labels (distill.softLabels). */
export const SYNTHETIC_SOFT_METHOD = 'synthetic-soft';
