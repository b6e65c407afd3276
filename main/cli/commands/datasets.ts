import { formatColumns } from '@shared/format/columns.ts';
import { listDatasets } from '../../storage/datasets.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { withDatabase } from './run-support.ts';

export const datasetsCommand: CliCommand = {
  path: ['datasets'],
  summary: 'List stored datasets (collected by runs or imported)',
  usage: ['Usage: ddrl datasets [--db PATH]', '', dbUsage].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, dbOption);
    return withDatabase(databasePathFrom(values), (db) => {
      const rows = listDatasets(db.connection).map((d) => [
        String(d.id),
        d.runId === null ? '-' : String(d.runId),
        d.game,
        d.mode,
        d.source,
        String(d.episodes),
        String(d.transitions),
        d.name,
      ]);
      const header = ['id', 'run', 'game', 'mode', 'source', 'episodes', 'transitions', 'name'];
      formatColumns(header, rows).forEach((line) => io.out(line));
      return 0;
    });
  },
};
