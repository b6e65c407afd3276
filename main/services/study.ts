/**
 * The Study view's call: the distillation study of this database (`ddrl study`), read from
 * its stored runs as `ddrl report` reads them (`studyFindings`), so the view and the
 * markdown report say the same thing.
 */
import type { CallOutput, ParsedCallInput } from '@shared/api/contract.ts';
import { STUDY_SCALES } from '@shared/api/study.ts';
import { studyFindings } from '../pipeline/study-findings.ts';
import { studyCommandOf, studyName } from '../pipeline/study.ts';
import { findExperimentByName, listExperimentRuns } from '../storage/runs.ts';
import type { ServiceContext } from './context.ts';

export async function studyCall(input: ParsedCallInput<'study.get'>, ctx: ServiceContext): Promise<CallOutput<'study.get'>> {
  const c = ctx.db.connection;
  const studies = new Map(
    STUDY_SCALES.map((scale) => {
      const experiment = findExperimentByName(c, studyName(scale));
      return [scale, experiment ? { experimentId: experiment.id, runs: listExperimentRuns(c, experiment.id) } : null] as const;
    }),
  );
  const scales = STUDY_SCALES.filter((scale) => (studies.get(scale)?.runs.length ?? 0) > 0);
  const scale = input.scale ?? scales[0] ?? null;
  const study = scale === null ? null : (studies.get(scale) ?? null);
  const reportCommand = `npx ddrl report --experiment ${studyName(scale ?? 'paper')} --out docs/results.md --db ${ctx.db.path}`;
  if (scale === null || study === null) return { scales, scale, experimentId: null, commands: [], reportCommand, adopted: [], games: [] };
  const made = studyCommandOf(study.runs, scale);
  return {
    scales,
    scale,
    experimentId: study.experimentId,
    commands: made.commands.map((c) => ({ command: c.command, runIds: [...c.runIds] })),
    reportCommand,
    adopted: [...made.adopted],
    games: studyFindings(c, study.runs),
  };
}
