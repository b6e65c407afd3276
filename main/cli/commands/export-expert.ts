import { resolve } from 'node:path';
import { writeExpertFile } from '../../pipeline/experts/expert-file.ts';
import { EXPERT_KEY } from '../../pipeline/experts/keys.ts';
import { storedRunResults } from '../../pipeline/results.ts';
import { findModel } from '../../storage/models.ts';
import { getRun } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

export const exportExpertCommand: CliCommand = {
  path: ['export-expert'],
  summary: "Write a run's expert network to a file that any run can load (expert.source=file)",
  usage: [
    'Usage: ddrl export-expert RUN --out FILE [--db PATH]',
    '',
    "Writes run RUN's expert network, with its game, architecture, how it was trained and what it",
    'scored there, to FILE. A run elsewhere, in any database, starts from it with',
    '`--set expert.source=file --set expert.file=FILE` instead of training one.',
    '',
    '  --out FILE      the file to write (e.g. experts/paper-bigfish.ddrl-expert)',
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dbOption, out: { type: 'string' } }, true);
    const runId = parseRunId(positionals, 'export-expert');
    if (!values.out) throw new UsageError('--out FILE is required: the file to write the expert into.');
    const out = resolve(values.out);
    return withDatabase(databasePathFrom(values), (db) => {
      const c = db.connection;
      const run = getRun(c, runId);
      const model = findModel(c, runId, EXPERT_KEY);
      if (!model) throw new UsageError(`Run ${runId} has no expert network yet (its expert stage has not finished): \`ddrl show ${runId}\` says where it is.`);
      // Read only: exporting must not write into the source database (runResults would store missing floors).
      const returns = storedRunResults(c, runId)
        .rows.filter((r) => r.method === 'expert')
        .map((r) => ({ split: r.split, mean: r.mean, ciLow: r.ciLow, ciHigh: r.ciHigh, episodes: r.episodesPerModel }));
      const header = writeExpertFile(
        out,
        {
          game: run.config.game,
          mode: run.config.mode,
          architecture: model.architecture,
          origin: `run ${runId} ('${run.label}') of ${db.path}${run.origin ? `, itself ${run.origin}` : ''}`,
          exportedAt: new Date().toISOString(),
          trainedWith: run.config.expert,
          returns,
        },
        model.weights,
      );
      io.out(`Run ${runId}'s expert (${header.game} ${header.mode}, ${header.architecture}, ${header.weightsBytes} bytes) written to ${out}.`);
      io.out(`Load it in a run with: --set expert.source=file --set expert.file=${values.out}`);
      return 0;
    });
  },
};
