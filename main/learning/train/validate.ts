/** Config checks that name the bad field, its value and the valid range. */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function checkNumber(field: string, value: number, min: number, max: number, options: { integer?: boolean; minExclusive?: boolean } = {}): void {
  const { integer = false, minExclusive = false } = options;
  const belowMin = minExclusive ? !(value > min) : !(value >= min);
  if (typeof value !== 'number' || Number.isNaN(value) || belowMin || value > max || (integer && !Number.isInteger(value))) {
    const range = `${minExclusive ? '>' : '>='} ${min}${Number.isFinite(max) ? ` and <= ${max}` : ''}`;
    throw new ConfigError(`${field} = ${String(value)} is invalid: use ${integer ? 'a whole number' : 'a number'} ${range}.`);
  }
}

export function checkChoice<T extends string>(field: string, value: T, choices: readonly T[]): void {
  if (!choices.includes(value)) throw new ConfigError(`${field} = '${String(value)}' is invalid: use one of ${choices.join(', ')}.`);
}

/** Learning rates must be positive and finite (pixels on the 0..255 scale can use large ones). */
export function checkLearningRate(field: string, value: number): void {
  checkNumber(field, value, 0, 1e9, { minExclusive: true });
}
