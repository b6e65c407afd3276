import { formatColumns } from '@shared/format/columns.ts';
import { progressCounts } from '@shared/format/progress-counts.ts';
import { getStages, listRuns, runningStageProgress } from '../../storage/runs.ts';
import type { CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { withDatabase } from './run-support.ts';

export const runsCommand: CliCommand = {
  path: ['runs'],
  summary: 'List runs, newest first, with their status and current stage',
  usage: [
    'Usage: ddrl runs [--limit N] [--json] [--db PATH]',
    '',
    '  --limit N       at most N runs, 1..100000 (default 50)',
    '  --json          one JSON object per run',
    dbUsage,
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, { ...dbOption, limit: { type: 'string' }, json: { type: 'boolean' } });
    const limit = parseIntegerOption('limit', values.limit, 50, 1, 100_000);
    return withDatabase(databasePathFrom(values), (db) => {
      const runs = listRuns(db.connection, limit);
      if (values.json) {
        for (const r of runs) io.out(JSON.stringify({ ...r, stages: getStages(db.connection, r.id) }));
        return 0;
      }
      if (runs.length === 0) {
        io.out('No runs yet: start one with `ddrl run --preset quick-bigfish`.');
        return 0;
      }
      const rows = runs.map((r) => {
        const stages = getStages(db.connection, r.id);
        const current = stages.find((s) => s.status !== 'done');
        // A stage another process is executing stores its progress every 2 s.
        const progress = current?.status === 'running' ? runningStageProgress(db.connection, r.id) : null;
        const stage =
          r.status === 'done'
            ? 'all done'
            : current
              ? `${current.stage} (${current.status}${progress ? ` ${progressCounts(progress.done, progress.total)}` : ''})`
              : '-';
        return [String(r.id), String(r.experimentId), r.config.game, r.label, r.status, stage, r.createdAt.replace('T', ' ').slice(0, 19)];
      });
      const header = ['run', 'exp', 'game', 'label', 'status', 'stage', 'created (UTC)'];
      formatColumns(header, rows).forEach((line) => io.out(line));
      return 0;
    });
  },
};
