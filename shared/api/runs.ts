import { z } from 'zod';
import { STAGES, STAGE_STATUSES, RUN_STATUSES } from '../config/stages.ts';
import { EXPERT_SOURCES } from '../config/experiment.ts';
import { logLevel } from './events.ts';

/** One stage of a run as the UI lists it. */
export const stageInfo = z.object({
  stage: z.enum(STAGES),
  status: z.enum(STAGE_STATUSES),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  seconds: z.number().nullable(),
  error: z.string().nullable(),
});

/** A run without its large data: enough for lists and the run page header. */
export const runInfo = z.object({
  id: z.number().int().positive(),
  experimentId: z.number().int().positive(),
  label: z.string(),
  game: z.string(),
  mode: z.string(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  datasetId: z.number().int().nullable(),
  /** Where the run was made when it was copied in from another database (`ddrl copy-run`); null: made here. */
  origin: z.string().nullable(),
  /** The validated experiment config (every default filled in). */
  config: z.record(z.string(), z.unknown()),
  stages: z.array(stageInfo),
});
export type RunInfo = z.infer<typeof runInfo>;

/** One row of the results table (a method on one split); null where a value is undefined (an interval from one value). */
export const resultRow = z.object({
  method: z.string(),
  split: z.enum(['id', 'ood']),
  models: z.number().int(),
  episodesPerModel: z.number().int(),
  intervalOver: z.enum(['students', 'episodes']),
  mean: z.number(),
  ciLow: z.number().nullable(),
  ciHigh: z.number().nullable(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  normalised: z.number(),
  /** `random`: the uniformly random policy (method `random`), which learns from nothing; `constant`: the best constant action (method `constant`). */
  dataKind: z.enum(['expert', 'bc', 'synthetic', 'coreset', 'random', 'constant']),
  dataSamples: z.number().int(),
  dataEpisodes: z.number().int(),
  /** The data in words, e.g. "3853 transitions (8 ep.)". */
  dataUsed: z.string(),
  /** Whether the 95% interval overlaps the random policy's on this split; null for the random row itself and for runs without one. */
  indistinguishableFromRandom: z.boolean().nullable(),
});

export const runResultsInfo = z.object({
  runId: z.number().int().positive(),
  game: z.string(),
  mode: z.string(),
  expertSource: z.enum(EXPERT_SOURCES),
  rows: z.array(resultRow),
});

export const runIdInput = z.object({ runId: z.number().int().positive() }).strict();

export const experimentIdInput = z.object({ experimentId: z.number().int().positive() }).strict();

/** The most lines `runs.log` returns (its newest). */
export const RUN_LOG_LIMIT = 1_000;

/** One stored line of a run's log; `stage` null for the run's own lines (started, succeeded, ...). */
export const runLogLine = z.object({
  id: z.number().int().positive(),
  time: z.number(),
  stage: z.enum(STAGES).nullable(),
  level: logLevel,
  message: z.string(),
});
export type RunLogLine = z.infer<typeof runLogLine>;

/** A log line as text (ISO time, level, stage or 'run', message; tab-separated): `ddrl show --log` and the run page's Save. */
export const runLogText = (line: RunLogLine): string => `${new Date(line.time).toISOString()}\t${line.level}\t${line.stage ?? 'run'}\t${line.message}`;

export const runLogOutput = z.object({ lines: z.array(runLogLine), truncated: z.boolean() });

export const startRunInput = z
  .object({
    preset: z.string().min(1),
    /** `key=value` overrides, as `ddrl run --set`. */
    set: z.array(z.string()).default([]),
    /** `key=v1,v2` sweeps, as `ddrl run --sweep`. */
    sweep: z.array(z.string()).default([]),
    name: z.string().min(1).optional(),
  })
  .strict();

export const startRunOutput = z.object({ experimentId: z.number().int().positive(), runIds: z.array(z.number().int().positive()) });

/** The statistics columns of every results CSV (a run's export, the compare view's), in order. */
export const RESULT_STAT_COLUMNS = [
  'method',
  'split',
  'models',
  'episodesPerModel',
  'intervalOver',
  'mean',
  'ciLow',
  'ciHigh',
  'std',
  'min',
  'max',
  'normalised',
] as const;
