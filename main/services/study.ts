/**
 * The Study view's call: the distillation study of this database (`ddrl study`), read from
 * its stored runs as `ddrl report` reads them (`studyFindings`), so the view and the
 * markdown report say the same thing.
 */
import type { CallOutput, ParsedCallInput } from '@shared/api/contract.ts';
import { STUDY_SCALES, type StudyGameProgress } from '@shared/api/study.ts';
import { GAME_NAMES } from '@shared/procgen/games/index.ts';
import { studyFindings } from '../pipeline/study-findings.ts';
import { studyCommandOf, studyName, studySteps } from '../pipeline/study.ts';
import { readRunLog } from '../storage/run-log.ts';
import { findExperimentByName, listExperimentRuns, type RunRow } from '../storage/runs.ts';
import { noticeOrphanedRuns, stageInfosOf } from './runs.ts';
import type { ServiceContext } from './context.ts';

export async function studyCall(input: ParsedCallInput<'study.get'>, ctx: ServiceContext): Promise<CallOutput<'study.get'>> {
  // A study process that died leaves its run 'running' until someone notices: the view would show it running forever.
  noticeOrphanedRuns(ctx);
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
  if (scale === null || study === null) return { scales, scale, experimentId: null, commands: [], reportCommand, adopted: [], progress: [], games: [] };
  const made = studyCommandOf(study.runs, scale);
  return {
    scales,
    scale,
    experimentId: study.experimentId,
    commands: made.commands.map((c) => ({ command: c.command, runIds: [...c.runIds] })),
    reportCommand,
    adopted: [...made.adopted],
    progress: studyProgress(ctx, study.runs),
    games: studyFindings(c, study.runs),
  };
}

/** How far the study is, per game with any run: each run it makes, its stages and, while it runs, its newest log line. */
function studyProgress(ctx: ServiceContext, runs: readonly RunRow[]): StudyGameProgress[] {
  return GAME_NAMES.filter((game) => runs.some((r) => r.config.game === game)).map((game) => ({
    game,
    steps: studySteps(runs, game).map(({ name, phase, run }) => {
      if (!run) return { name, phase, run: null };
      const latest = run.status === 'running' ? readRunLog(ctx.db.connection, run.id, 1)[0] : undefined;
      return {
        name,
        phase,
        run: {
          id: run.id,
          status: run.status,
          stages: stageInfosOf(ctx, run.id),
          error: run.error,
          latest: latest ? { time: latest.time, message: latest.message } : null,
        },
      };
    }),
  }));
}
