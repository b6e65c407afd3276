/** Flattened configs and their differences: what the "differences only" views, "duplicate and edit" and the study report show. */
export type Flat = ReadonlyMap<string, unknown>;

/** Dotted keys to leaf values (arrays are leaves: `expert.channels` = [8,16,16]). */
export function flattenConfig(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flattenConfig(inner, prefix ? `${prefix}.${key}` : key, out);
  } else out.set(prefix, value);
  return out;
}

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function formatValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Keys whose value differs between any of the configs, in the first config's key order. */
export function differingKeys(configs: readonly Flat[]): string[] {
  const keys = new Set<string>();
  for (const config of configs) for (const key of config.keys()) keys.add(key);
  return [...keys].filter((key) => configs.some((c) => !sameValue(c.get(key), configs[0]?.get(key))));
}
