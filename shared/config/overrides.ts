import { ConfigError, parseExperimentConfig, type ExperimentConfig, type ExperimentConfigInput } from './experiment.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * `key=value` assignments (`--set distill.size=50`) applied to a config input.
 * A value is read as JSON when it parses (numbers, true/false, null, [lists]),
 * as a list when it is numbers separated by commas (`8,16,16`), else as a plain
 * string, so `--set game=jumper` needs no quotes.
 */
export interface Assignment {
  readonly path: readonly string[];
  readonly value: Json;
}

/** The full config with every default filled in: the shape `--set` keys must follow. */
const defaultShape: JsonObject = JSON.parse(JSON.stringify(parseExperimentConfig({ game: 'bigfish' })));

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every settable key, dotted (`distill.size`, ...), for error messages and the UI. */
export function configKeys(shape: JsonObject = defaultShape, prefix = ''): string[] {
  return Object.entries(shape).flatMap(([key, value]) => (isObject(value) ? configKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

/** Numbers separated by commas, without brackets: what people type for a list (`8,16,16`). */
const BARE_NUMBER_LIST = /^\s*-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)+\s*$/;

function parseValue(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return BARE_NUMBER_LIST.test(text) ? (JSON.parse(`[${text}]`) as Json) : text;
  }
}

/** Parses `key=value`; throws a ConfigError naming the key and the valid keys. */
export function parseAssignment(text: string): Assignment {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError(`Bad setting '${text}': write key=value, e.g. distill.size=50.`);
  const path = text.slice(0, eq).split('.');
  let node: Json | undefined = defaultShape;
  for (const [i, key] of path.entries()) {
    if (!isObject(node) || !Object.hasOwn(node, key)) {
      const where = path.slice(0, i).join('.');
      const options = isObject(node) ? Object.keys(node).map((k) => (where ? `${where}.${k}` : k)) : [];
      throw new ConfigError(
        `Unknown setting '${path.join('.')}'` +
          (options.length ? `: valid keys${where ? ` under '${where}'` : ''} are ${options.join(', ')}.` : `: '${where}' has no sub-keys.`),
      );
    }
    node = node[key];
  }
  if (isObject(node)) {
    throw new ConfigError(`Setting '${path.join('.')}' is a group: set one of its keys, e.g. ${configKeys(node, `${path.join('.')}.`)[0]}=...`);
  }
  return { path, value: parseValue(text.slice(eq + 1)) };
}

/** A copy of `input` with the assignments applied (later ones win). */
export function applyAssignments(input: ExperimentConfigInput, assignments: readonly Assignment[]): ExperimentConfigInput {
  const out = structuredClone(input) as unknown as JsonObject;
  for (const { path, value } of assignments) {
    let node = out;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      node = isObject(next) ? next : (node[key] = {});
    }
    node[path[path.length - 1]!] = value;
  }
  return out as unknown as ExperimentConfigInput;
}

/** A sweep over one key: `distill.size=15,50,150,500` (values comma-separated). */
export interface Sweep {
  readonly path: readonly string[];
  readonly values: readonly Json[];
}

export function parseSweep(text: string): Sweep {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq) : text;
  const raw = eq > 0 ? text.slice(eq + 1) : '';
  const { path } = parseAssignment(`${key}=0`);
  const values = raw
    .split(',')
    .filter((v) => v.trim() !== '')
    .map((v) => parseValue(v.trim()));
  if (values.length === 0) throw new ConfigError(`Sweep '${text}' has no values: write key=v1,v2,..., e.g. distill.size=15,50,150.`);
  return { path, values };
}

/** One run of a sweep: its validated config and the values that make it differ. */
export interface SweepPoint {
  readonly config: ExperimentConfig;
  readonly label: string;
}

/** Runs one start may create unless the caller allows more: sweeps multiply quickly. */
export const DEFAULT_MAX_RUNS = 1000;

/**
 * The cartesian product of the sweeps over the base input, each point
 * validated (a bad value fails before any run starts). More than `maxRuns`
 * points is refused before any is built.
 */
export function expandSweeps(base: ExperimentConfigInput, sweeps: readonly Sweep[], maxRuns = DEFAULT_MAX_RUNS): SweepPoint[] {
  const count = sweeps.reduce((product, sweep) => product * sweep.values.length, 1);
  if (count > maxRuns) {
    const sizes = sweeps.map((sweep) => `${sweep.path.join('.')} (${sweep.values.length})`).join(' x ');
    throw new ConfigError(
      `The sweeps ${sizes} make ${count} runs; one start may create at most ${maxRuns}. Sweep fewer values, or raise the limit with DDRL_MAX_RUNS.`,
    );
  }
  let points: { input: ExperimentConfigInput; labels: string[] }[] = [{ input: base, labels: [] }];
  for (const sweep of sweeps) {
    points = points.flatMap((point) =>
      sweep.values.map((value) => ({
        input: applyAssignments(point.input, [{ path: sweep.path, value }]),
        labels: [...point.labels, `${sweep.path.join('.')}=${JSON.stringify(value)}`],
      })),
    );
  }
  return points.map(({ input, labels }) => ({ config: parseExperimentConfig(input), label: labels.join(' ') }));
}
