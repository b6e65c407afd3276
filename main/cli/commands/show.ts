import { formatResultsTable, runResults } from '../../pipeline/results.ts';
import { bytesPerObservation, getDatasetInfo } from '../../storage/datasets.ts';
import { listMethodData } from '../../storage/methods.ts';
import { readSeries } from '../../storage/metrics.ts';
import { listModels } from '../../storage/models.ts';
import { readRunLog } from '../../storage/run-log.ts';
import { getExperiment, getRun, getStages, runningStageProgress } from '../../storage/runs.ts';
import { progressCounts } from '@shared/format/progress-counts.ts';
import { listSyntheticIterations } from '../../storage/synthetic.ts';
import { agreementInWords } from '@shared/random-floor.ts';
import { runLogText } from '@shared/api/runs.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

const mean = (values: readonly { value: number }[]): string => (values.length ? (values.reduce((s, v) => s + v.value, 0) / values.length).toFixed(2) : '-');

export const showCommand: CliCommand = {
  path: ['show'],
  summary: 'Show a run: config, stages (status, time, errors), data, models, results',
  usage: [
    'Usage: ddrl show RUN [--json | --log] [--db PATH]',
    '',
    '  --json          the run, its stages and config as JSON',
    "  --log           the run's stored log (starts, what each stage reported, each stage's end), tab-separated",
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dbOption, json: { type: 'boolean' }, log: { type: 'boolean' } }, true);
    const runId = parseRunId(positionals, 'show');
    return withDatabase(databasePathFrom(values), (db) => {
      const c = db.connection;
      const run = getRun(c, runId);
      const stages = getStages(c, runId);
      if (values.log) {
        for (const line of readRunLog(c, runId, Number.MAX_SAFE_INTEGER)) io.out(runLogText(line));
        return 0;
      }
      if (values.json) {
        io.out(JSON.stringify({ run, stages, methods: listMethodData(c, runId).map(({ stepIndices: _, ...m }) => m) }, null, 2));
        return 0;
      }
      const experiment = getExperiment(c, run.experimentId);
      const { config } = run;
      io.out(
        `Run ${run.id} (${run.label}) of experiment ${run.experimentId} '${experiment?.name ?? '?'}': ${config.game} ${config.mode}, seed ${config.seed}, ${run.status}`,
      );
      if (run.error) io.out(`  error: ${run.error}`);
      if (run.origin) io.out(`  copied from ${run.origin}`);
      io.out(
        `  expert ${config.expert.source}${config.expert.source === 'reuse' ? ` (run ${config.expert.reuseRunId})` : config.expert.source === 'file' ? ` (${config.expert.file})` : ''} impala[${config.expert.channels.join(',')}]; ` +
          `collect ${config.collect.episodes} episodes; distill ${config.distill.variant} ${config.distill.size} samples x ${config.distill.iterations} it.; ` +
          `${config.students.count} ${config.students.network === 'impala' ? 'IMPALA ' : ''}students/method x ${config.students.bc.steps} steps; evaluate ${config.evaluate.episodesId} ID + ${config.evaluate.episodesOod} OOD`,
      );
      io.out('');
      io.out('  stage      status     seconds  note');
      const progress = runningStageProgress(c, runId);
      for (const s of stages) {
        const live = progress?.stage === s.stage ? `${progressCounts(progress.done, progress.total)}${progress.message ? `: ${progress.message}` : ''}` : '';
        const note = s.error ? s.error.split('\n')[0]! : live || (s.checkpoint && s.status !== 'done' ? `checkpoint ${checkpointNote(s.checkpoint)}` : '');
        io.out(`  ${s.stage.padEnd(9)}  ${s.status.padEnd(9)}  ${(s.seconds === null ? '-' : s.seconds.toFixed(1)).padStart(7)}  ${note}`.trimEnd());
      }
      io.out('');
      const planner = readSeries(c, runId, 'planner/return', 100_000);
      if (planner.length) io.out(`  planner: mean return ${mean(planner)} over ${planner.length} demonstration episodes`);
      const roundReturns = readSeries(c, runId, 'expert/dagger-return');
      const roundAgreements = readSeries(c, runId, 'expert/dagger-agreement');
      for (const r of roundReturns) {
        const agreed = roundAgreements.find((a) => a.step === r.step);
        io.out(
          r.step === 0
            ? `  DAgger round 0: planner demonstrations, mean return ${r.value.toFixed(2)}`
            : `  DAgger round ${r.step}: network mean return ${r.value.toFixed(2)}` +
                (agreed ? `, its own choice one the planner rates best ${(100 * agreed.value).toFixed(0)}% of the time` : ''),
        );
      }
      const agreement = readSeries(c, runId, 'expert/agreement');
      if (agreement.length) io.out(`  ${agreementInWords(agreement.at(-1)!.value, config.expert.source)}`);
      if (run.datasetId !== null) {
        const info = getDatasetInfo(c, run.datasetId);
        const returns = readSeries(c, runId, 'collect/return', 100_000);
        io.out(
          `  dataset ${info.id} (${info.source}): ${info.episodes} episodes, ${info.transitions} transitions, mean return ${mean(returns)}, ${(bytesPerObservation(c, info.id) / 1024).toFixed(2)} KB per stored observation`,
        );
      }
      const snapshots = listSyntheticIterations(c, runId);
      if (snapshots.length) io.out(`  synthetic set: ${snapshots.length} snapshots, last at iteration ${snapshots[snapshots.length - 1]!.iteration}`);
      const models = listModels(c, runId);
      if (models.length) io.out(`  models: ${models.length} (${models.filter((m) => m.role === 'student').length} students)`);
      const results = runResults(c, runId);
      if (results.rows.length) io.out(`\n${formatResultsTable(results)}`);
      return 0;
    });
  },
};

/** Longer strings in a checkpoint (an expert's weights, megabytes of base64) are shown as their length. */
const LONGEST_SHOWN = 64;

/** A stage's checkpoint on one line: what it records, with its long values (the expert's weights) named by their size, not printed. */
export function checkpointNote(checkpoint: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(checkpoint);
  } catch {
    return checkpoint.length > LONGEST_SHOWN ? `${checkpoint.slice(0, LONGEST_SHOWN)}... (${checkpoint.length} characters)` : checkpoint;
  }
  return JSON.stringify(parsed, (_key, value: unknown) => (typeof value === 'string' && value.length > LONGEST_SHOWN ? `<${value.length} characters>` : value));
}
