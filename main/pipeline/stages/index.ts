import type { StageName } from '@shared/config/stages.ts';
import type { StageDefinition } from '../stage-context.ts';
import { baselinesStage } from './baselines.ts';
import { collectStage } from './collect.ts';
import { distillStage } from './distill.ts';
import { evaluateStage } from './evaluate.ts';
import { expertStage } from './expert.ts';
import { studentsStage } from './students.ts';

/** Every stage by name; the executor runs them in STAGES order. */
export const stageDefinitions: Readonly<Record<StageName, StageDefinition>> = {
  expert: expertStage,
  collect: collectStage,
  baselines: baselinesStage,
  distill: distillStage,
  students: studentsStage,
  evaluate: evaluateStage,
};
