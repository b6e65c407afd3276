import { archiveExperiment } from '../../storage/archive.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { withDatabase } from './run-support.ts';

export const archiveCommand: CliCommand = {
  path: ['archive'],
  summary: "Write an experiment's finished runs, without frames, synthetic sets or student weights, to a small database",
  usage: [
    'Usage: ddrl archive --experiment NAME --out FILE [--db PATH]',
    '',
    "Writes the finished runs of experiment NAME to FILE, a database of this app's schema that keeps",
    "every result (each evaluation episode's return), config, stage, log and metric, and the experts",
    'the runs trained, but not the datasets, synthetic sets, student weights or episode actions: a',
    'study of gigabytes becomes a few megabytes that can be kept with the code. `ddrl report` and',
    '`ddrl results` read it like the original; `ddrl study --db FILE` resumes the study in it.',
    'FILE is replaced only once the new archive is complete.',
    '',
    '  --experiment NAME   the experiment to archive (e.g. study-paper)',
    '  --out FILE          the archive to write',
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...dbOption, experiment: { type: 'string' }, out: { type: 'string' } });
    if (!values.experiment) throw new UsageError('--experiment NAME is required: the experiment whose runs to archive.');
    if (!values.out) throw new UsageError('--out FILE is required: the archive to write.');
    return withDatabase(databasePathFrom(values), (db) => {
      const summary = archiveExperiment(db.connection, db.path, values.experiment!, values.out!);
      io.out(
        `Archived ${summary.runs} finished run${summary.runs === 1 ? '' : 's'} of '${values.experiment}' to ${values.out} (${(summary.bytes / 1e6).toFixed(1)} MB)` +
          (summary.unfinished ? `; ${summary.unfinished} unfinished left out` : '') +
          '.',
      );
      return 0;
    });
  },
};
