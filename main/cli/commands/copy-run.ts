import { copyRun } from '../../storage/copy-run.ts';
import { getRun } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

export const copyRunCommand: CliCommand = {
  path: ['copy-run'],
  summary: 'Copy a finished run (dataset, models, episodes, synthetic sets, log) from another database into this one',
  usage: [
    'Usage: ddrl copy-run RUN --from FILE [--experiment NAME] [--label LABEL] [--db PATH]',
    '',
    'Copies run RUN of the database FILE, with everything it made, into the database: runs made on',
    'several machines or in several files at once can then be compared and reported in one place (a',
    "study adopts a copied run named '<game> paper' in study-paper). Only done runs; FILE is only read.",
    '',
    "  --from FILE          the database holding the run (at this app's schema version)",
    "  --experiment NAME    the experiment the copy joins, made when missing (default: the run's own experiment's name)",
    "  --label LABEL        the copy's label (default: the run's)",
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      { ...dbOption, from: { type: 'string' }, experiment: { type: 'string' }, label: { type: 'string' } },
      true,
    );
    const runId = parseRunId(positionals, 'copy-run');
    if (values.from === undefined) throw new UsageError('--from FILE is required: the database file that holds the run.');
    return withDatabase(databasePathFrom(values), (db) => {
      const copyId = copyRun(db.connection, {
        from: values.from!,
        runId,
        ...(values.experiment !== undefined ? { experiment: values.experiment } : {}),
        ...(values.label !== undefined ? { label: values.label } : {}),
      });
      const copy = getRun(db.connection, copyId);
      io.out(`Copied run ${runId} of ${values.from} as run ${copyId} ('${copy.label}', ${copy.status}) in ${db.path}: \`ddrl results ${copyId}\` shows it.`);
      return 0;
    });
  },
};
