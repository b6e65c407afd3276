import { cancelExperiment, getExperiment, getRun, requestCancel } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

export const cancelCommand: CliCommand = {
  path: ['cancel'],
  summary: 'Cancel a queued or executing run, or every run of an experiment (from any process); finished stages are kept',
  usage: ['Usage: ddrl cancel RUN [--db PATH]', '       ddrl cancel --experiment EXP [--db PATH]   every queued or executing run of a sweep', '', dbUsage].join(
    '\n',
  ),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dbOption, experiment: { type: 'string' } }, true);
    if (values.experiment !== undefined) {
      if (positionals.length > 0) throw new UsageError('give a run id or --experiment EXP, not both.');
      const experimentId = parseIntegerOption('experiment', values.experiment, 1, 1, Number.MAX_SAFE_INTEGER);
      return withDatabase(databasePathFrom(values), (db) => {
        if (!getExperiment(db.connection, experimentId)) {
          io.err(`No experiment with id ${experimentId}: \`ddrl runs\` lists runs with their experiment.`);
          return 1;
        }
        const cancelled = cancelExperiment(db.connection, experimentId);
        io.out(
          cancelled.length === 0
            ? `Experiment ${experimentId} has no queued or executing runs: nothing to cancel.`
            : `Experiment ${experimentId}: cancelled run${cancelled.length > 1 ? 's' : ''} ${cancelled.join(', ')} (executing ones stop at their next step; \`ddrl resume RUN\` continues one).`,
        );
        return 0;
      });
    }
    const runId = parseRunId(positionals, 'cancel');
    // withDatabase has already marked a run whose process died 'interrupted'.
    return withDatabase(databasePathFrom(values), (db) => {
      const run = getRun(db.connection, runId);
      if (run.status !== 'queued' && run.status !== 'running') {
        const hint = run.status === 'done' ? '' : ` \`ddrl resume ${runId}\` continues it.`;
        io.err(`Run ${runId} is ${run.status}, not queued or running: nothing to cancel.${hint}${run.error ? ` (${run.error})` : ''}`);
        return 1;
      }
      requestCancel(db.connection, runId);
      io.out(
        run.status === 'queued'
          ? `Run ${runId} cancelled before it started (it was queued in process ${run.runnerPid ?? '?'}).`
          : `Run ${runId}: asked its process (pid ${run.runnerPid ?? '?'}) to stop at the next step; \`ddrl resume ${runId}\` continues it later.`,
      );
      return 0;
    });
  },
};
