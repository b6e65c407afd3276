import { getRun, requestCancel } from '../../storage/runs.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, withDatabase } from './run-support.ts';

export const cancelCommand: CliCommand = {
  path: ['cancel'],
  summary: 'Cancel a queued or executing run (from any process); finished stages are kept',
  usage: ['Usage: ddrl cancel RUN [--db PATH]', '', dbUsage].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, dbOption, true);
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
