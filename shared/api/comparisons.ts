/** Saved comparisons: a name, the runs compared and the compare view's options, stored in the database. */
import { z } from 'zod';

const id = z.number().int().positive();

export const COMPARISON_NAME_MAX = 80;

/** What the compare view keeps with a saved comparison; every field optional so older saves still open. */
export const comparisonOptions = z
  .object({
    scale: z.enum(['raw', 'normalised']).optional(),
    hiddenMethods: z.array(z.string().max(100)).max(100).optional(),
    poolSeeds: z.boolean().optional(),
    sweepKey: z.string().max(200).optional(),
  })
  .strict();
export type ComparisonOptions = z.infer<typeof comparisonOptions>;

export const saveComparisonInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'Give the comparison a name.')
      .max(COMPARISON_NAME_MAX, `A comparison's name has at most ${COMPARISON_NAME_MAX} characters.`),
    runIds: z.array(id).min(1, 'A comparison needs at least one run.').max(500),
    options: comparisonOptions.default({}),
  })
  .strict();

export const savedComparison = z.object({
  id,
  name: z.string(),
  runIds: z.array(id),
  options: comparisonOptions,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Runs named by the comparison that no longer exist (deleted since it was saved). */
  missingRunIds: z.array(id),
});
export type SavedComparison = z.infer<typeof savedComparison>;

export const comparisonIdInput = z.object({ id }).strict();
