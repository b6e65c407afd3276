/** Limits a user can raise through the environment, read where they apply. */
import { ConfigError } from '@shared/config/experiment.ts';
import { DEFAULT_MAX_RUNS } from '@shared/config/overrides.ts';

/** Runs one `ddrl run` or `runs.start` may create: `DDRL_MAX_RUNS`, else 1000. */
export function maxRunsPerStart(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.DDRL_MAX_RUNS;
  if (text === undefined || text === '') return DEFAULT_MAX_RUNS;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new ConfigError(`DDRL_MAX_RUNS='${text}' is not valid: give a whole number of runs from 1 (default ${DEFAULT_MAX_RUNS}).`);
  return Number(text);
}
