import { formatResultsTable, resultsCsv, resultsJson, runResults } from '../../pipeline/results.ts';
import { getRun } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

export const resultsCommand: CliCommand = {
  path: ['results'],
  summary: "A run's results per method and split: mean return, 95% CI, spread, normalised, data used; a random policy's row is the floor",
  usage: [
    'Usage: ddrl results RUN [--json | --csv] [--db PATH]',
    '',
    '  --json          the results as JSON',
    '  --csv           the results as CSV (one row per method and split)',
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dbOption, json: { type: 'boolean' }, csv: { type: 'boolean' } }, true);
    if (values.json && values.csv) throw new UsageError('give at most one of --json and --csv.');
    const runId = parseRunId(positionals, 'results');
    return withDatabase(databasePathFrom(values), (db) => {
      const run = getRun(db.connection, runId);
      const results = runResults(db.connection, runId);
      if (results.rows.length === 0) {
        io.err(`Run ${runId} has no evaluated models yet (status ${run.status}); \`ddrl show ${runId}\` shows its stages.`);
        return 1;
      }
      if (values.json) io.out(resultsJson(results));
      else if (values.csv) io.out(resultsCsv(results).trimEnd());
      else io.out(formatResultsTable(results));
      return 0;
    });
  },
};
