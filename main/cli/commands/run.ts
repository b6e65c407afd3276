import { ConfigError } from '@shared/config/experiment.ts';
import { applyAssignments, expandSweeps, parseAssignment, parseSweep } from '@shared/config/overrides.ts';
import { PRESET_NAMES, presetConfig } from '@shared/config/presets.ts';
import { maxRunsPerStart } from '../../pipeline/limits.ts';
import { thisProcess } from '../../storage/run-owner.ts';
import { createExperiment } from '../../storage/runs.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseOptions } from '../parse-options.ts';
import { databasePathFrom, dbOption, dbUsage } from './db-option.ts';
import { executeRuns, withDatabase } from './run-support.ts';

export const runCommand: CliCommand = {
  path: ['run'],
  summary: 'Run an experiment end to end (expert, collect, baselines, distill, students, evaluate)',
  usage: [
    'Usage: ddrl run --preset NAME [--set KEY=VALUE ...] [--sweep KEY=V1,V2,... ...] [--name TEXT] [--db PATH]',
    '',
    `  --preset NAME   ${PRESET_NAMES.join(' | ')}`,
    '  --set K=V       override one config field, e.g. --set distill.size=50 --set expert.channels=[8,16,16]',
    '  --sweep K=V,... one run per value (several sweeps: every combination), e.g. --sweep distill.size=15,50,150,500',
    '  --name TEXT     the experiment name (default: the preset)',
    dbUsage,
    '',
    'Runs execute one at a time in a worker thread. Every finished stage is stored: after Ctrl-C,',
    'a crash or a kill, `ddrl resume RUN` continues from the last checkpoint.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      ...dbOption,
      preset: { type: 'string' },
      set: { type: 'string', multiple: true },
      sweep: { type: 'string', multiple: true },
      name: { type: 'string' },
    });
    if (!values.preset) throw new UsageError(`--preset is required: one of ${PRESET_NAMES.join(', ')}.`);
    let points;
    try {
      const base = applyAssignments(presetConfig(values.preset), (values.set ?? []).map(parseAssignment));
      points = expandSweeps(base, (values.sweep ?? []).map(parseSweep), maxRunsPerStart());
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message);
      throw error;
    }
    return withDatabase(databasePathFrom(values), async (db) => {
      const { experimentId, runIds } = createExperiment(
        db.connection,
        { name: values.name ?? values.preset!, preset: values.preset! },
        points.map((p) => ({ label: p.label || values.preset!, config: p.config })),
        thisProcess,
      );
      io.out(`Experiment ${experimentId} (${values.preset}): run${runIds.length > 1 ? 's' : ''} ${runIds.join(', ')} in ${db.path}`);
      return executeRuns(db, runIds, io);
    });
  },
};
