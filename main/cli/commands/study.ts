import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError, parseExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from '@shared/config/experiment.ts';
import { applyAssignments, parseAssignment, type Assignment } from '@shared/config/overrides.ts';
import { GAME_NAMES, type GameName } from '@shared/procgen/games/index.ts';
import { STUDY_SCALES, type StudyScale } from '@shared/api/study.ts';
import {
  bestOfPhaseOne,
  ensureRun,
  methodConfig,
  methodLabel,
  sizeConfig,
  sizeLabel,
  studyExperiment,
  studyCommandOf,
  studyName,
  STUDY_METHODS,
  STUDY_SIZES,
} from '../../pipeline/study.ts';
import { runResults } from '../../pipeline/results.ts';
import { studyReport } from '../../pipeline/study-report.ts';
import { findExperimentByName, listExperimentRuns } from '../../storage/runs.ts';
import { thisProcess } from '../../storage/run-owner.ts';
import type { AppDatabase } from '../../storage/database.ts';
import { UsageError, type CliCommand, type CliIo } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { executeRuns, withDatabase } from './run-support.ts';

function parseScale(value: string | undefined): StudyScale {
  const scale = value ?? 'paper';
  if (!(STUDY_SCALES as readonly string[]).includes(scale)) throw new UsageError(`--scale '${scale}' is not valid: use one of ${STUDY_SCALES.join(', ')}.`);
  return scale as StudyScale;
}

function parseGames(value: string | undefined): GameName[] {
  if (value === undefined) return [...GAME_NAMES];
  const games = value.split(',').map((g) => g.trim());
  for (const g of games)
    if (!(GAME_NAMES as readonly string[]).includes(g)) throw new UsageError(`--games: '${g}' is not a game: use ${GAME_NAMES.join(', ')}.`);
  return games as GameName[];
}

/** Writes the report and its charts (next to it, `<name>-<game>.svg`); returns the paths written. */
function writeReport(db: AppDatabase, name: string, out: string, command: string): string[] {
  const experiment = findExperimentByName(db.connection, name);
  if (!experiment) throw new UsageError(`No experiment named '${name}': run \`ddrl study\` first (it names its experiment study-<scale>).`);
  const prefix = `${basename(out).replace(/\.md$/, '')}-`;
  const runs = listExperimentRuns(db.connection, experiment.id);
  const scale = (STUDY_SCALES as readonly string[]).includes(name.replace(/^study-/, '')) ? (name.replace(/^study-/, '') as StudyScale) : 'paper';
  const report = studyReport(db.connection, runs, prefix, command, studyCommandOf(runs, scale));
  // A folder named in --out that does not exist yet is made, as `ddrl export` does.
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${report.markdown}\n`);
  const charts = report.charts.map(({ name, svg }) => {
    const path = join(dirname(out), `${prefix}${name}.svg`);
    writeFileSync(path, svg);
    return path;
  });
  return [out, ...charts];
}

const studyUsage = [
  'Usage: ddrl study [--scale paper|quick] [--games G,...] [--set KEY=VALUE ...] [--out FILE] [--db PATH]',
  '',
  'Runs (or resumes) the distillation study in the experiment study-<scale>: per game one run per',
  `method (${STUDY_METHODS.join(', ')}) at 150 samples, the paper run with every BC baseline and coreset control,`,
  'the others reusing its expert (same dataset); then a size sweep (15, 50, 500) of the best distilled',
  'method with the best control. Finished runs are kept, unfinished ones resumed. Ends by writing the',
  'report (as `ddrl report`). --scale paper: the paper presets (about an hour or more per game here);',
  'quick: the quick presets (minutes per game; for checking, not for conclusions).',
  '',
  '  --set K=V       override a field in every run (applied last), e.g. --set evaluate.episodesId=50',
  '  --out FILE      the report (default study-<scale>.md; charts beside it)',
  dbUsage,
].join('\n');

export const studyCommand: CliCommand = {
  path: ['study'],
  summary: 'Run or resume the distillation study (every method and control, size sweep) and write its report',
  usage: studyUsage,
  async run(argv, io: CliIo) {
    const { values } = parseOptions(argv, {
      ...dbOption,
      scale: { type: 'string' },
      games: { type: 'string' },
      set: { type: 'string', multiple: true },
      out: { type: 'string' },
    });
    const scale = parseScale(values.scale);
    const games = parseGames(values.games);
    let overrides: Assignment[];
    try {
      overrides = (values.set ?? []).map(parseAssignment);
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    const withOverrides = (config: ExperimentConfig): ExperimentConfig => {
      try {
        return parseExperimentConfig(applyAssignments(structuredClone(config) as ExperimentConfigInput, overrides));
      } catch (error) {
        if (error instanceof ConfigError) throw new UsageError(error.message);
        throw error;
      }
    };
    const out = values.out ?? `${studyName(scale)}.md`;
    return withDatabase(databasePathFrom(values), async (db) => {
      const { experimentId } = studyExperiment(db.connection, scale, thisProcess);
      const execute = async (runs: { runId: number; pending: boolean }[]): Promise<number> => {
        const pending = runs.filter((r) => r.pending).map((r) => r.runId);
        return pending.length ? executeRuns(db, pending, io) : 0;
      };
      // Phase 1: one run per method; the paper run's expert is everyone's.
      const phaseOne: { runId: number; pending: boolean }[] = [];
      for (const game of games) {
        const paper = ensureRun(
          db.connection,
          experimentId,
          methodLabel(game, 'paper'),
          () => withOverrides(methodConfig(game, scale, 'paper', null)),
          thisProcess,
        );
        phaseOne.push(paper);
        for (const method of STUDY_METHODS.filter((m) => m !== 'paper'))
          phaseOne.push(
            ensureRun(db.connection, experimentId, methodLabel(game, method), () => withOverrides(methodConfig(game, scale, method, paper.runId)), thisProcess),
          );
      }
      io.out(
        `Study ${studyName(scale)} (experiment ${experimentId}): phase 1, ${phaseOne.filter((r) => r.pending).length} of ${phaseOne.length} runs to execute.`,
      );
      const first = await execute(phaseOne);
      if (first !== 0) return first;
      // Phase 2: the size sweep of the best method and the best control, per game.
      const phaseTwo: { runId: number; pending: boolean }[] = [];
      for (const game of games) {
        const runs = listExperimentRuns(db.connection, experimentId);
        const methodRuns = STUDY_METHODS.map((m) => runs.find((r) => r.label === methodLabel(game, m))!);
        const best = bestOfPhaseOne(methodRuns, (run) => runResults(db.connection, run.id).rows);
        const expertRunId = methodRuns[0]!.id;
        for (const size of STUDY_SIZES.filter((s) => s !== 150))
          phaseTwo.push(ensureRun(db.connection, experimentId, sizeLabel(game, size), () => withOverrides(sizeConfig(best, size, expertRunId)), thisProcess));
      }
      io.out(`Phase 2 (size sweep): ${phaseTwo.filter((r) => r.pending).length} of ${phaseTwo.length} runs to execute.`);
      const second = await execute(phaseTwo);
      const written = writeReport(db, studyName(scale), out, `npx ddrl report --experiment ${studyName(scale)} --out ${out}`);
      io.out(`Report: ${written.join(', ')}`);
      return second;
    });
  },
};

export const reportCommand: CliCommand = {
  path: ['report'],
  summary: "Write a study's report (markdown and SVG charts) from the stored runs",
  usage: [
    'Usage: ddrl report [--experiment NAME] [--out FILE] [--db PATH]',
    '',
    'Regenerates the report of `ddrl study` from the database alone: per game every method and control',
    'with means, 95% intervals and normalised returns, a chart, which differences are significant, and',
    'the size sweep.',
    '',
    '  --experiment NAME   the study experiment (default study-paper)',
    '  --out FILE          the report (default <experiment>.md; charts beside it)',
    dbUsage,
  ].join('\n'),
  async run(argv, io: CliIo) {
    const { values } = parseOptions(argv, { ...dbOption, experiment: { type: 'string' }, out: { type: 'string' } });
    const name = values.experiment ?? studyName('paper');
    const out = values.out ?? `${name}.md`;
    return withDatabase(databasePathFrom(values), (db) => {
      io.out(`Report: ${writeReport(db, name, out, `npx ddrl report --experiment ${name} --out ${out}`).join(', ')}`);
      return 0;
    });
  },
};
