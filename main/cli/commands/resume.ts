import { thisProcess } from '../../storage/run-owner.ts';
import { getRun, requeueRun, whyNotClaimable } from '../../storage/runs.ts';
import type { CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { executeRuns, parseRunId, withDatabase } from './run-support.ts';

export const resumeCommand: CliCommand = {
  path: ['resume'],
  summary: 'Continue a cancelled, failed or interrupted run from its last checkpoint',
  usage: ['Usage: ddrl resume RUN [--db PATH]', '', 'Finished stages are not redone; long stages skip their finished parts.', dbUsage].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, dbOption, true);
    const runId = parseRunId(positionals, 'resume');
    return withDatabase(databasePathFrom(values), async (db) => {
      getRun(db.connection, runId);
      // Atomic: of two processes resuming one run, one wins and the other is told where it runs.
      if (!requeueRun(db.connection, runId, thisProcess)) {
        io.err(whyNotClaimable(getRun(db.connection, runId), thisProcess).replace(/^(Run \d+ is already done):/, '$1: nothing to resume.'));
        return 1;
      }
      return executeRuns(db, [runId], io);
    });
  },
};
