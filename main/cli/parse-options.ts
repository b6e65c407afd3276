import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GAME_NAMES, isGameName, type GameName } from '@shared/procgen/games/index.ts';
import { UsageError } from './command.ts';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs in strict mode, with its errors turned into UsageErrors
 * (exit 2 with the command's usage). Positionals are refused unless allowed.
 */
export function parseOptions<T extends OptionSpec>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** An integer option within [min, max]; the error names the value and the range. */
export function parseIntegerOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^-?\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`--${name} ${value} is not valid: expected an integer from ${min} to ${max}.`);
  }
  return number;
}

/** A real-number option within [min, max]; the error names the value and the range. */
export function parseNumberOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
    throw new UsageError(`--${name} ${value} is not valid: expected a number from ${min} to ${max}.`);
  }
  return number;
}

/** A comma-separated list of integers, each within [min, max], e.g. `--channels 8,16,16`. */
export function parseIntegerListOption(name: string, value: string | undefined, fallback: readonly number[], min: number, max: number): number[] {
  if (value === undefined) return [...fallback];
  const items = value.split(',');
  if (items.some((item) => !/^\d+$/.test(item) || Number(item) < min || Number(item) > max)) {
    throw new UsageError(`--${name} ${value} is not valid: expected comma-separated integers from ${min} to ${max}, e.g. ${fallback.join(',')}.`);
  }
  return items.map(Number);
}

/** `--game`: one of the games, else `fallback`; without a fallback the option is required. */
export function parseGameOption(value: string | undefined, fallback?: GameName): GameName {
  if (value === undefined) {
    if (fallback) return fallback;
    throw new UsageError(`--game is required: one of ${GAME_NAMES.join(', ')}.`);
  }
  if (!isGameName(value)) throw new UsageError(`--game '${value}' is not valid: use one of ${GAME_NAMES.join(', ')}.`);
  return value;
}
