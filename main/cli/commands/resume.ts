import { getRun, requeueInterrupted } from '../../storage/runs.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { executeRuns, parseRunId, processAlive, withDatabase } from './run-support.ts';

export const resumeCommand: CliCommand = {
  path: ['resume'],
  summary: 'Continue a cancelled, failed or killed run from its last checkpoint',
  usage: ['Usage: ddrl resume RUN [--db PATH]', '', 'Finished stages are not redone; long stages skip their finished parts.', dbUsage].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, dbOption, true);
    const runId = parseRunId(positionals, 'resume');
    return withDatabase(databasePathFrom(values), async (db) => {
      const run = getRun(db.connection, runId);
      if (run.status === 'done') {
        io.err(`Run ${runId} is already done: nothing to resume. See its results with \`ddrl results ${runId}\`.`);
        return 1;
      }
      if (run.status === 'running' && run.runnerPid !== null && run.runnerPid !== process.pid && processAlive(run.runnerPid)) {
        io.err(`Run ${runId} is executing in process ${run.runnerPid}: cancel it first with \`ddrl cancel ${runId}\`.`);
        return 1;
      }
      requeueInterrupted(db.connection, runId);
      return executeRuns(db, [runId], io);
    });
  },
};
