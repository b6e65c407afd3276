/** Limits a user can raise through the environment, read where they apply. */
import { ConfigError } from '@shared/config/experiment.ts';
import { DEFAULT_MAX_RUNS } from '@shared/config/overrides.ts';

function positiveFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, unit: string): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new ConfigError(`${name}='${text}' is not valid: give a whole number of ${unit} from 1 (default ${fallback}).`);
  return Number(text);
}

/** Runs one `ddrl run` or `runs.start` may create: `DDRL_MAX_RUNS`, else 1000. */
export function maxRunsPerStart(env: NodeJS.ProcessEnv = process.env): number {
  return positiveFromEnv(env, 'DDRL_MAX_RUNS', DEFAULT_MAX_RUNS, 'runs');
}

/** Bytes of arrays `ddrl import` reads at most (2 GiB: about 170,000 steps of 64x64 RGB): `DDRL_IMPORT_MAX_BYTES`. */
export function maxImportBytes(env: NodeJS.ProcessEnv = process.env): number {
  return positiveFromEnv(env, 'DDRL_IMPORT_MAX_BYTES', 2 * 1024 ** 3, 'bytes');
}
