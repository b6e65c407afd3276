import type { Database } from 'better-sqlite3';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import { blobOf, float32Of, now, uint8Of } from './blobs.ts';
import { decodeFrames, decodeFramesInto, encodeFrames } from '@shared/frame-codec.ts';

/** Bytes of one 64x64 RGB observation. */
export const OBSERVATION_BYTES = 64 * 64 * 3;

/** One recorded episode: observation t is what the agent saw when it chose action t. */
export interface Episode {
  /** The level it was played on; null for imported episodes (they cannot be re-simulated). */
  readonly levelSeed: number | null;
  readonly actions: Uint8Array;
  readonly rewards: Float32Array;
  /** length x 64 x 64 x 3, uint8. */
  readonly observations: Uint8Array;
  /** length x 15 action distributions the actor's search assigned each state (planner demonstrations), else absent/null. */
  readonly targets?: Float32Array | null;
}

export interface DatasetInfo {
  readonly id: number;
  readonly runId: number | null;
  readonly name: string;
  readonly game: string;
  readonly mode: string;
  readonly source: 'collected' | 'imported';
  readonly episodes: number;
  readonly transitions: number;
  readonly createdAt: string;
}

/** Every transition of a dataset, ready for training, plus per-episode bookkeeping. */
export interface LoadedDataset {
  readonly info: DatasetInfo;
  readonly observations: Uint8Array;
  readonly actions: Uint8Array;
  /** Index of each episode's first transition, and one past the last. */
  readonly episodeStarts: Int32Array;
  readonly returns: Float32Array;
  readonly levelSeeds: (number | null)[];
  /** transitions x 15 search targets when every episode has them, else null. */
  readonly targets: Float32Array | null;
}

const episodeReturn = (rewards: Float32Array): number => rewards.reduce((sum, r) => sum + r, 0);

function checkEpisode(e: Episode, index: number): void {
  const n = e.actions.length;
  if (n === 0) throw new RangeError(`Episode ${index} is empty: an episode needs at least one step.`);
  if (e.rewards.length !== n) throw new RangeError(`Episode ${index} has ${n} actions but ${e.rewards.length} rewards: they must match.`);
  if (e.observations.length !== n * OBSERVATION_BYTES) {
    throw new RangeError(`Episode ${index} has ${n} actions but ${e.observations.length / OBSERVATION_BYTES} observations of 64x64x3: they must match.`);
  }
  for (const a of e.actions) if (a > 14) throw new RangeError(`Episode ${index} has action ${a}: actions are 0..14.`);
  if (e.targets && e.targets.length !== n * NUM_ACTIONS) {
    throw new RangeError(`Episode ${index} has ${n} actions but ${e.targets.length / NUM_ACTIONS} target rows of ${NUM_ACTIONS}: they must match.`);
  }
}

/** Stores a whole dataset in one transaction (all or nothing); returns its id. */
export function saveDataset(
  db: Database,
  meta: { runId: number | null; name: string; game: string; mode: string; source: 'collected' | 'imported' },
  episodes: readonly Episode[],
): number {
  episodes.forEach(checkEpisode);
  const transitions = episodes.reduce((sum, e) => sum + e.actions.length, 0);
  const encoded = episodes.map((e) => encodeFrames(e.observations, OBSERVATION_BYTES));
  return db.transaction(() => {
    const id = Number(
      db
        .prepare('INSERT INTO datasets (run_id, name, game, mode, source, episodes, transitions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(meta.runId, meta.name, meta.game, meta.mode, meta.source, episodes.length, transitions, now()).lastInsertRowid,
    );
    const insert = db.prepare(
      'INSERT INTO dataset_episodes (dataset_id, idx, level_seed, length, return, actions, rewards, observations, targets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    episodes.forEach((e, idx) =>
      insert.run(
        id,
        idx,
        e.levelSeed,
        e.actions.length,
        episodeReturn(e.rewards),
        blobOf(e.actions),
        blobOf(e.rewards),
        Buffer.from(encoded[idx]!),
        e.targets ? blobOf(e.targets) : null,
      ),
    );
    return id;
  })();
}

interface DatasetRecord {
  id: number;
  run_id: number | null;
  name: string;
  game: string;
  mode: string;
  source: 'collected' | 'imported';
  episodes: number;
  transitions: number;
  created_at: string;
}

const toInfo = (r: DatasetRecord): DatasetInfo => ({
  id: r.id,
  runId: r.run_id,
  name: r.name,
  game: r.game,
  mode: r.mode,
  source: r.source,
  episodes: r.episodes,
  transitions: r.transitions,
  createdAt: r.created_at,
});

export function listDatasets(db: Database, runId?: number): DatasetInfo[] {
  const rows = (
    runId === undefined
      ? db.prepare('SELECT * FROM datasets ORDER BY id DESC').all()
      : db.prepare('SELECT * FROM datasets WHERE run_id = ? ORDER BY id').all(runId)
  ) as DatasetRecord[];
  return rows.map(toInfo);
}

export function getDatasetInfo(db: Database, id: number): DatasetInfo {
  const r = db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRecord | undefined;
  if (!r) throw new RangeError(`No dataset with id ${id}: list them with \`ddrl datasets\`.`);
  return toInfo(r);
}

/** Per-episode facts without frames (fast: for tables and replays). */
export function listDatasetEpisodes(
  db: Database,
  datasetId: number,
): { idx: number; levelSeed: number | null; length: number; return: number; actions: Uint8Array; rewards: Float32Array }[] {
  const rows = db
    .prepare('SELECT idx, level_seed, length, return, actions, rewards FROM dataset_episodes WHERE dataset_id = ? ORDER BY idx')
    .all(datasetId) as {
    idx: number;
    level_seed: number | null;
    length: number;
    return: number;
    actions: Buffer;
    rewards: Buffer;
  }[];
  return rows.map((r) => ({
    idx: r.idx,
    levelSeed: r.level_seed,
    length: r.length,
    return: r.return,
    actions: uint8Of(r.actions),
    rewards: float32Of(r.rewards),
  }));
}

/**
 * Dataset transition indexes (episodes laid end to end, in `episodes`' order) as the
 * episode (its idx) and step each one is.
 */
export function locateTransitions(episodes: readonly { idx: number; length: number }[], indexes: ArrayLike<number>): { episode: number; step: number }[] {
  const starts: number[] = [];
  let at = 0;
  for (const e of episodes) {
    starts.push(at);
    at += e.length;
  }
  return Array.from(indexes, (index) => {
    // The last episode starting at or before the index.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { episode: episodes[lo]!.idx, step: index - starts[lo]! };
  });
}

/** One episode's frames. */
/** An episode's frames as stored (the frame codec's bytes): what the wire sends. */
export function loadEncodedEpisodeFrames(db: Database, datasetId: number, idx: number): Uint8Array {
  const r = db.prepare('SELECT observations FROM dataset_episodes WHERE dataset_id = ? AND idx = ?').get(datasetId, idx) as
    { observations: Buffer } | undefined;
  if (!r) throw new RangeError(`Dataset ${datasetId} has no episode ${idx}.`);
  return r.observations;
}

export function loadEpisodeFrames(db: Database, datasetId: number, idx: number): Uint8Array {
  return decodeFrames(loadEncodedEpisodeFrames(db, datasetId, idx), OBSERVATION_BYTES);
}

/** The frames at some (episode, step) places of a dataset, in their order; each episode is decoded once. */
export function loadFramesAt(db: Database, datasetId: number, places: readonly { readonly episode: number; readonly step: number }[]): Uint8Array {
  const out = new Uint8Array(places.length * OBSERVATION_BYTES);
  const decoded = new Map<number, Uint8Array>();
  places.forEach(({ episode, step }, i) => {
    let frames = decoded.get(episode);
    if (!frames) decoded.set(episode, (frames = loadEpisodeFrames(db, datasetId, episode)));
    out.set(frames.subarray(step * OBSERVATION_BYTES, (step + 1) * OBSERVATION_BYTES), i * OBSERVATION_BYTES);
  });
  return out;
}

/** The whole dataset decoded into flat arrays for training. */
export function loadDataset(db: Database, id: number): LoadedDataset {
  const info = getDatasetInfo(db, id);
  const observations = new Uint8Array(info.transitions * OBSERVATION_BYTES);
  const actions = new Uint8Array(info.transitions);
  const episodeStarts = new Int32Array(info.episodes + 1);
  const returns = new Float32Array(info.episodes);
  const levelSeeds: (number | null)[] = [];
  let targets: Float32Array | null = new Float32Array(info.transitions * NUM_ACTIONS);
  let at = 0;
  const rows = db
    .prepare('SELECT idx, level_seed, length, return, actions, observations, targets FROM dataset_episodes WHERE dataset_id = ? ORDER BY idx')
    .iterate(id) as Iterable<{
    idx: number;
    level_seed: number | null;
    length: number;
    return: number;
    actions: Buffer;
    observations: Buffer;
    targets: Buffer | null;
  }>;
  for (const r of rows) {
    if (!r.targets) targets = null;
    else targets?.set(float32Of(r.targets), at * NUM_ACTIONS);
    episodeStarts[r.idx] = at;
    returns[r.idx] = r.return;
    levelSeeds.push(r.level_seed);
    actions.set(r.actions, at);
    decodeFramesInto(r.observations, OBSERVATION_BYTES, observations.subarray(at * OBSERVATION_BYTES, (at + r.length) * OBSERVATION_BYTES));
    at += r.length;
  }
  episodeStarts[info.episodes] = at;
  return { info, observations, actions, episodeStarts, returns, levelSeeds, targets };
}

/** Average stored bytes per observation (the frames' share of the file). */
export function bytesPerObservation(db: Database, id: number): number {
  const r = db.prepare('SELECT sum(length(observations)) AS bytes, sum(length) AS n FROM dataset_episodes WHERE dataset_id = ?').get(id) as {
    bytes: number;
    n: number;
  };
  return r.n ? r.bytes / r.n : 0;
}
