/**
 * The distillation study as the app shows it (`study.get`): per game, the findings that
 * `ddrl report` writes as markdown (main/pipeline/study-findings.ts), read from the same runs.
 */
import { z } from 'zod';
import { RUN_STATUSES } from '../config/stages.ts';
import { resultRow, stageInfo } from './runs.ts';

/** The study's scales: the paper presets, or the quick ones (minutes per game; for checking a setup). */
export const STUDY_SCALES = ['paper', 'quick'] as const;
export type StudyScale = (typeof STUDY_SCALES)[number];

export const studyInput = z.object({ scale: z.enum(STUDY_SCALES).optional() }).strict();

/** A result row of one run under its study name (a synthetic row carries its method: 'synthetic (dm)'). */
const studyRow = z.object({ name: z.string(), runId: z.number().int(), id: resultRow.optional(), ood: resultRow.optional() });

const gameFindings = z.object({
  game: z.string(),
  /** The finished phase-1 runs (150 samples) with the seconds their stages took. */
  runs: z.array(z.object({ method: z.string(), runId: z.number().int(), seconds: z.number() })),
  missing: z.array(z.string()),
  /** The run whose expert, BC and floor rows stand in until the paper run is done. */
  standIn: z.object({ method: z.string(), runId: z.number().int() }).nullable(),
  rows: z.array(studyRow),
  /** The best distilled row by its ID mean; `target`: whether it reaches 50% of the expert ID and OOD; `summary` in words; `against`: the control, BC and the constant action. */
  best: z.object({ name: z.string(), target: z.enum(['met', 'missed', 'not measured']), summary: z.string(), against: z.array(z.string()) }).nullable(),
  sweep: z
    .object({
      unfinished: z.array(z.number().int()),
      result: z
        .object({
          method: z.string(),
          control: z.string(),
          points: z.array(z.object({ size: z.number().int(), method: studyRow.optional(), control: studyRow.optional(), random: studyRow.optional() })),
        })
        .nullable(),
    })
    .nullable(),
});

/** Every run the study makes for one game, in its order (phase-1 methods, then sweep sizes), and how far each is. */
const gameProgress = z.object({
  game: z.string(),
  steps: z.array(
    z.object({
      /** The method ('paper', 'dc', ...) or the sweep size ('15 samples'). */
      name: z.string(),
      phase: z.enum(['methods', 'sweep']),
      /** Null until the study makes the run. */
      run: z
        .object({
          id: z.number().int(),
          status: z.enum(RUN_STATUSES),
          stages: z.array(stageInfo),
          error: z.string().nullable(),
          /** The newest line of its stored log while it runs (a run executing in another process sends the app no events). */
          latest: z.object({ time: z.number(), message: z.string() }).nullable(),
        })
        .nullable(),
    }),
  ),
});

export const studyOutput = z.object({
  /** The scales with a study experiment holding runs in this database. */
  scales: z.array(z.enum(STUDY_SCALES)),
  /** The scale shown: the one asked for, else the first present; null without any study. */
  scale: z.enum(STUDY_SCALES).nullable(),
  experimentId: z.number().int().nullable(),
  /** `ddrl study ...` as its runs were made (one per distinct set of overrides, with its runs), and the command that writes this report as markdown. */
  commands: z.array(z.object({ command: z.string(), runIds: z.array(z.number().int()) })),
  reportCommand: z.string(),
  /** Runs copied in from elsewhere: where they were made and how they differ. */
  adopted: z.array(z.string()),
  /** Every game with a run in the study, finished or not. */
  progress: z.array(gameProgress),
  games: z.array(gameFindings),
});
export type StudyInfo = z.infer<typeof studyOutput>;
export type StudyGame = StudyInfo['games'][number];
export type StudyGameProgress = StudyInfo['progress'][number];
