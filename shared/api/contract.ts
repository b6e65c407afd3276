import { z } from 'zod';
import { aboutInfo } from './about.ts';
import { comparisonIdInput, saveComparisonInput, savedComparison } from './comparisons.ts';
import { apiErrorBody } from './errors.ts';
import { mediaEpisodesInput, mediaFile, mediaSyntheticInput } from './media.ts';
import {
  episodeOutput,
  episodeRef,
  episodesListOutput,
  policyInput,
  policyOutput,
  realSamplesInput,
  realSamplesOutput,
  runsPageInput,
  runsPageOutput,
  keyResultsInput,
  nearestInput,
  nearestOutput,
  distributionsOutput,
  keyResultsOutput,
  annotateInput,
  annotateOutput,
  seriesInput,
  seriesOutput,
  syntheticGetInput,
  syntheticGetOutput,
  syntheticListOutput,
} from './inspect.ts';
import { studyInput, studyOutput } from './study.ts';
import { RUN_LOG_LIMIT, experimentIdInput, runIdInput, runInfo, runLogOutput, runResultsInfo, startRunInput, startRunOutput } from './runs.ts';

interface CallSpec {
  readonly summary: string;
  readonly input: z.ZodType;
  readonly output: z.ZodType;
}

const noInput = z.object({}).strict();

/**
 * Every call the renderer can make: its name, input schema and output schema.
 * Adding a call is one entry here plus its handler in `main/services/handlers.ts`
 * (the compiler points at a missing handler); both transports pick it up.
 */
export const apiCalls = {
  'about.get': {
    summary: 'App version, the TensorFlow.js backend in use and the database file.',
    input: noInput,
    output: aboutInfo,
  },
  'runs.list': { summary: 'Runs, newest first, with their stages.', input: noInput, output: z.array(runInfo) },
  'runs.get': { summary: 'One run with its stages (status, timings, errors).', input: runIdInput, output: runInfo },
  'runs.results': {
    summary:
      "A run's results per method and split (mean, 95% CI, spread, normalised, data used), with a random policy's row and whether each interval overlaps it.",
    input: runIdInput,
    output: runResultsInfo,
  },
  'runs.start': { summary: 'Create an experiment from a preset (+ overrides, sweeps) and queue its runs.', input: startRunInput, output: startRunOutput },
  'runs.cancel': { summary: 'Cancel a queued or executing run; finished stages are kept.', input: runIdInput, output: runInfo },
  'runs.cancelExperiment': {
    summary: "Cancel every queued or executing run of an experiment (a sweep's runs) at once.",
    input: experimentIdInput,
    output: z.object({ cancelled: z.array(z.number().int().positive()) }),
  },
  'runs.resume': { summary: 'Continue a cancelled, failed or interrupted run from its last checkpoint.', input: runIdInput, output: runInfo },
  'runs.log': {
    summary: `A run's stored log, oldest first (its newest ${RUN_LOG_LIMIT} lines): starts, each stage's end, what stages reported, the end.`,
    input: runIdInput,
    output: runLogOutput,
  },
  'runs.page': {
    summary:
      'One window of the runs (sorted by a column, newest first by default), filtered by status and text (label, game, experiment, id, tags, notes), with the total.',
    input: runsPageInput,
    output: runsPageOutput,
  },
  'runs.keyResults': {
    summary: 'Per run, its best distilled method against BC on all data, the expert and the random floor (mean returns ID and OOD).',
    input: keyResultsInput,
    output: keyResultsOutput,
  },
  'runs.distributions': {
    summary:
      'Action and return histograms of a run: its dataset (with the percentile-BC cuts), its synthetic set (hard, soft, learned labels) and each method in evaluation, per split.',
    input: runIdInput,
    output: distributionsOutput,
  },
  'synthetic.nearest': {
    summary: "A synthetic sample's nearest frames in the run's dataset by pixel distance (RMS on the 0..255 scale), with their episode, step and action.",
    input: nearestInput,
    output: nearestOutput,
  },
  'runs.annotate': {
    summary: "Replace a run's tags and notes (at most 20 tags of 40 characters; notes up to 10,000).",
    input: annotateInput,
    output: annotateOutput,
  },
  'runs.series': { summary: "A run's metric series, each downsampled to at most maxPoints.", input: seriesInput, output: seriesOutput },
  'episodes.list': {
    summary: "A run's dataset episodes and every model's evaluation episodes, without their steps.",
    input: runIdInput,
    output: episodesListOutput,
  },
  'episodes.get': { summary: 'One episode: level seed, actions, rewards (and stored frames for dataset episodes).', input: episodeRef, output: episodeOutput },
  'episodes.policy': {
    summary: "A model's action distribution and its entropy at every frame of an episode (re-simulated from level seed and actions), cached.",
    input: policyInput,
    output: policyOutput,
  },
  'synthetic.list': {
    summary: "The stored snapshot iterations of a run's synthetic set, with the loss at each.",
    input: runIdInput,
    output: syntheticListOutput,
  },
  'synthetic.get': {
    summary: 'One synthetic snapshot (the newest without iteration): labels and frames.',
    input: syntheticGetInput,
    output: syntheticGetOutput,
  },
  'dataset.samples': {
    summary: 'Real observations of one action from a dataset, spread over its episodes.',
    input: realSamplesInput,
    output: realSamplesOutput,
  },
  'media.episodes': {
    summary: 'Episodes (1-4 side by side in lock-step) as an animated GIF or a ZIP of PNG frames, as `ddrl media` writes them.',
    input: mediaEpisodesInput,
    output: mediaFile,
  },
  'media.synthetic': {
    summary: 'A synthetic snapshot (the newest, or one iteration) as one PNG grid, one row per action.',
    input: mediaSyntheticInput,
    output: mediaFile,
  },
  'comparisons.list': {
    summary: 'Saved comparisons by name, each with the runs it names that no longer exist.',
    input: noInput,
    output: z.array(savedComparison),
  },
  'comparisons.save': {
    summary: 'Save the runs compared and the view options under a name (replacing one of that name).',
    input: saveComparisonInput,
    output: savedComparison,
  },
  'comparisons.delete': { summary: 'Delete a saved comparison (its runs are kept).', input: comparisonIdInput, output: z.object({ deleted: z.boolean() }) },
  'study.get': {
    summary:
      'The distillation study (ddrl study) of this database, per game as ddrl report writes it: every method and control at 150 samples, the best distilled row against the target, the best control, BC on all data and the constant action, and the size sweep.',
    input: studyInput,
    output: studyOutput,
  },
} as const satisfies Record<string, CallSpec>;

export type CallName = keyof typeof apiCalls;
/** What a caller passes (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<(typeof apiCalls)[N]['input']>;
/** What a handler receives (after validation). */
export type ParsedCallInput<N extends CallName> = z.output<(typeof apiCalls)[N]['input']>;
export type CallOutput<N extends CallName> = z.output<(typeof apiCalls)[N]['output']>;

export const callNames = Object.keys(apiCalls) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(apiCalls, name);
}

/** The answer to one call, the same on every transport. */
export const callReply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorBody }),
]);
export type CallReply = z.infer<typeof callReply>;
