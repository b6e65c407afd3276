import { getRun, requestCancel, setRunStatus } from '../../storage/runs.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { parseRunId, processAlive, withDatabase } from './run-support.ts';

export const cancelCommand: CliCommand = {
  path: ['cancel'],
  summary: 'Cancel a queued or executing run (from any process); finished stages are kept',
  usage: ['Usage: ddrl cancel RUN [--db PATH]', '', dbUsage].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, dbOption, true);
    const runId = parseRunId(positionals, 'cancel');
    return withDatabase(databasePathFrom(values), (db) => {
      const run = getRun(db.connection, runId);
      if (run.status !== 'queued' && run.status !== 'running') {
        io.err(`Run ${runId} is ${run.status}, not queued or running: nothing to cancel.`);
        return 1;
      }
      if (run.status === 'running' && (run.runnerPid === null || !processAlive(run.runnerPid))) {
        // Its process died (killed, crashed): nothing will read the flag.
        setRunStatus(db.connection, runId, 'cancelled', `cancelled after its process ${run.runnerPid ?? '?'} ended`);
        io.out(`Run ${runId}: its process ${run.runnerPid ?? '?'} is gone; marked cancelled. \`ddrl resume ${runId}\` continues it.`);
        return 0;
      }
      requestCancel(db.connection, runId);
      io.out(
        run.status === 'queued'
          ? `Run ${runId} cancelled before it started.`
          : `Run ${runId}: asked its process (pid ${run.runnerPid ?? '?'}) to stop at the next step; \`ddrl resume ${runId}\` continues it later.`,
      );
      return 0;
    });
  },
};
