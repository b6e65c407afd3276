/**
 * Datasets as files, for `ddrl import` and `ddrl export` (format in README):
 * either one .npz archive or a folder of .npy files, holding
 *   observations     uint8 [T, 64, 64, 3]   what the agent saw before each action
 *   actions          integers [T], 0..14
 *   rewards          numbers [T]
 *   episode_lengths  integers [E] summing to T   (or `dones` [T]: true on each episode's last step)
 *   level_seeds      integers [E], optional (-1 or absent: unknown, not re-simulated)
 * A folder may add meta.json {"game": ..., "mode": ...}.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { OBSERVATION_BYTES, type Episode, type LoadedDataset } from '../storage/datasets.ts';
import { encodeNpy, NpyFormatError, parseNpy, parseNpz, type NpyArray } from './npy.ts';

export interface DatasetFileMeta {
  readonly game?: string;
  readonly mode?: string;
}

/** meta.json: an object whose `game` and `mode`, when present, are strings. */
function readMeta(metaPath: string): DatasetFileMeta {
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  } catch (error) {
    throw new NpyFormatError(`${metaPath} is not valid JSON: ${(error as Error).message}.`);
  }
  const example = 'write {"game": "bigfish", "mode": "easy"}';
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    throw new NpyFormatError(`${metaPath} holds ${JSON.stringify(meta)}, not an object: ${example}.`);
  for (const key of ['game', 'mode'] as const) {
    const value = (meta as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'string')
      throw new NpyFormatError(`${metaPath}: '${key}' is ${JSON.stringify(value)}, not a name: ${example}.`);
  }
  return meta as DatasetFileMeta;
}

function readArrays(path: string, maxBytes: number): { arrays: Map<string, NpyArray>; meta: DatasetFileMeta } {
  if (!existsSync(path)) throw new NpyFormatError(`${path} does not exist: give an .npz file or a folder of .npy files.`);
  const tooLarge = (bytes: number) =>
    new NpyFormatError(
      `${path} holds ${bytes} bytes of arrays, more than the import limit of ${maxBytes}. Raise it with DDRL_IMPORT_MAX_BYTES if the data is real.`,
    );
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path).filter((file) => file.endsWith('.npy'));
    const total = files.reduce((sum, file) => sum + statSync(join(path, file)).size, 0);
    if (total > maxBytes) throw tooLarge(total);
    const arrays = new Map<string, NpyArray>();
    for (const file of files) arrays.set(file.slice(0, -4), parseNpy(readFileSync(join(path, file)), join(path, file)));
    const metaPath = join(path, 'meta.json');
    return { arrays, meta: existsSync(metaPath) ? readMeta(metaPath) : {} };
  }
  // The archive itself is read whole; only its .npy entries are inflated, within the limit.
  const size = statSync(path).size;
  if (size > maxBytes) throw tooLarge(size);
  return { arrays: parseNpz(readFileSync(path), path, maxBytes), meta: {} };
}

function required(arrays: Map<string, NpyArray>, key: string, path: string): NpyArray {
  const a = arrays.get(key);
  if (!a) throw new NpyFormatError(`${path} has no '${key}' array (found: ${[...arrays.keys()].join(', ') || 'none'}). See the dataset format in README.`);
  return a;
}

const numberAt = (a: NpyArray, i: number): number => Number(a.data[i]!);

/**
 * Reads and checks a dataset file or folder, holding at most `maxBytes` of
 * arrays; every problem names the array and the bad value.
 */
export function readDatasetFiles(path: string, maxBytes: number): { episodes: Episode[]; meta: DatasetFileMeta } {
  const { arrays, meta } = readArrays(path, maxBytes);
  const observations = required(arrays, 'observations', path);
  const actions = required(arrays, 'actions', path);
  const rewards = required(arrays, 'rewards', path);
  if (observations.dtype !== '|u1' || observations.shape.length !== 4 || observations.shape.slice(1).join('x') !== '64x64x3') {
    throw new NpyFormatError(`observations must be uint8 of shape [T, 64, 64, 3]; ${path} has '${observations.dtype}' (${observations.shape.join(', ')}).`);
  }
  const steps = observations.shape[0]!;
  if (steps === 0) throw new NpyFormatError(`${path} holds no steps.`);
  for (const [name, a] of [
    ['actions', actions],
    ['rewards', rewards],
  ] as const) {
    if (a.shape.length !== 1 || a.shape[0] !== steps)
      throw new NpyFormatError(`${name} must have shape [${steps}] (one per observation); ${path} has (${a.shape.join(', ')}).`);
  }
  for (let t = 0; t < steps; t++) {
    const a = numberAt(actions, t);
    if (!Number.isInteger(a) || a < 0 || a >= NUM_ACTIONS) throw new NpyFormatError(`actions[${t}] = ${a}: actions are integers 0..${NUM_ACTIONS - 1}.`);
    if (!Number.isFinite(numberAt(rewards, t))) throw new NpyFormatError(`rewards[${t}] = ${numberAt(rewards, t)}: rewards must be finite numbers.`);
  }
  const lengths = episodeLengths(arrays, steps, path);
  const seeds = arrays.get('level_seeds');
  if (seeds && (seeds.shape.length !== 1 || seeds.shape[0] !== lengths.length)) {
    throw new NpyFormatError(`level_seeds must have shape [${lengths.length}] (one per episode); ${path} has (${seeds.shape.join(', ')}).`);
  }
  const obs = observations.data as Uint8Array;
  let at = 0;
  const episodes = lengths.map((length, e): Episode => {
    const seed = seeds ? numberAt(seeds, e) : -1;
    const episode = {
      levelSeed: seed >= 0 ? seed : null,
      actions: Uint8Array.from({ length }, (_, i) => numberAt(actions, at + i)),
      rewards: Float32Array.from({ length }, (_, i) => numberAt(rewards, at + i)),
      observations: obs.slice(at * OBSERVATION_BYTES, (at + length) * OBSERVATION_BYTES),
    };
    at += length;
    return episode;
  });
  return { episodes, meta };
}

function episodeLengths(arrays: Map<string, NpyArray>, steps: number, path: string): number[] {
  const lengths = arrays.get('episode_lengths');
  if (lengths) {
    const values = Array.from({ length: lengths.data.length }, (_, i) => numberAt(lengths, i));
    const bad = values.findIndex((v) => !Number.isInteger(v) || v < 1);
    if (bad >= 0) throw new NpyFormatError(`episode_lengths[${bad}] = ${values[bad]}: every episode has at least one step.`);
    const total = values.reduce((a, b) => a + b, 0);
    if (total !== steps) throw new NpyFormatError(`episode_lengths sum to ${total} but there are ${steps} observations: they must match.`);
    return values;
  }
  const dones = arrays.get('dones');
  if (!dones) throw new NpyFormatError(`${path} has neither 'episode_lengths' nor 'dones': give one so episodes can be told apart.`);
  if (dones.shape.length !== 1 || dones.shape[0] !== steps)
    throw new NpyFormatError(`dones must have shape [${steps}]; ${path} has (${dones.shape.join(', ')}).`);
  if (!numberAt(dones, steps - 1)) throw new NpyFormatError(`dones[${steps - 1}] is false: the last step must end an episode (drop the unfinished episode).`);
  const values: number[] = [];
  let start = 0;
  for (let t = 0; t < steps; t++) {
    if (numberAt(dones, t)) {
      values.push(t + 1 - start);
      start = t + 1;
    }
  }
  return values;
}

/** Writes a stored dataset as a folder of .npy files plus meta.json (the import format). */
export function writeDatasetFolder(dir: string, dataset: LoadedDataset, episodeRewards: readonly Float32Array[]): void {
  mkdirSync(dir, { recursive: true });
  const { info, observations, actions, episodeStarts, levelSeeds } = dataset;
  const steps = actions.length;
  const rewards = new Float32Array(steps);
  episodeRewards.forEach((r, e) => rewards.set(r, episodeStarts[e]!));
  const lengths = Int32Array.from({ length: info.episodes }, (_, e) => episodeStarts[e + 1]! - episodeStarts[e]!);
  writeFileSync(join(dir, 'observations.npy'), encodeNpy(observations, [steps, 64, 64, 3]));
  writeFileSync(join(dir, 'actions.npy'), encodeNpy(actions, [steps]));
  writeFileSync(join(dir, 'rewards.npy'), encodeNpy(rewards, [steps]));
  writeFileSync(join(dir, 'episode_lengths.npy'), encodeNpy(lengths, [info.episodes]));
  writeFileSync(
    join(dir, 'level_seeds.npy'),
    encodeNpy(
      Int32Array.from(levelSeeds, (s) => s ?? -1),
      [info.episodes],
    ),
  );
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ game: info.game, mode: info.mode, name: info.name, source: info.source }, null, 2) + '\n');
}
