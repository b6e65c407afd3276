import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcgenEnv } from '@shared/procgen/env.ts';
import { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import { GAME_NAMES, type GameName } from '@shared/procgen/games/index.ts';
import { openDatabase, type AppDatabase } from './database.ts';
import { bytesPerObservation, listDatasetEpisodes, loadDataset, loadEpisodeFrames, OBSERVATION_BYTES, saveDataset, type Episode } from './datasets.ts';

let dir: string;
let db: AppDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-datasets-'));
  db = openDatabase({ path: join(dir, 'ddrl.sqlite') });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Plays one episode with a fixed pseudo-random policy, recording what the agent saw. */
function playEpisode(game: GameName, levelSeed: number, maxSteps: number): Episode {
  const env = new ProcgenEnv({ game, mode: 'easy', numLevels: 1, startLevel: levelSeed });
  const renderer = new FrameRenderer(game, 'easy');
  const frames: Uint8Array[] = [];
  const actions: number[] = [];
  const rewards: number[] = [];
  let x = levelSeed;
  do {
    frames.push(renderer.renderToArray(env.game));
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    const action = (x >>> 16) % 15;
    env.step(action);
    actions.push(action);
    rewards.push(env.reward);
  } while (!env.done && actions.length < maxSteps);
  const observations = new Uint8Array(frames.length * OBSERVATION_BYTES);
  frames.forEach((f, i) => observations.set(f, i * OBSERVATION_BYTES));
  return { levelSeed, actions: Uint8Array.from(actions), rewards: Float32Array.from(rewards), observations };
}

describe('datasets', () => {
  it('round-trips episodes byte for byte and loads them as flat training arrays', () => {
    const episodes = [playEpisode('bigfish', 3, 200), playEpisode('bigfish', 4, 200)];
    const id = saveDataset(db.connection, { runId: null, name: 'two', game: 'bigfish', mode: 'easy', source: 'collected' }, episodes);
    const loaded = loadDataset(db.connection, id);
    const n0 = episodes[0]!.actions.length;
    expect(loaded.info.transitions).toBe(n0 + episodes[1]!.actions.length);
    expect(Array.from(loaded.episodeStarts)).toEqual([0, n0, loaded.info.transitions]);
    expect(Buffer.from(loaded.observations.subarray(0, n0 * OBSERVATION_BYTES)).equals(Buffer.from(episodes[0]!.observations))).toBe(true);
    expect(Buffer.from(loaded.observations.subarray(n0 * OBSERVATION_BYTES)).equals(Buffer.from(episodes[1]!.observations))).toBe(true);
    expect(Array.from(loaded.actions.subarray(n0))).toEqual(Array.from(episodes[1]!.actions));
    expect(Buffer.from(loadEpisodeFrames(db.connection, id, 1)).equals(Buffer.from(episodes[1]!.observations))).toBe(true);
    const listed = listDatasetEpisodes(db.connection, id);
    expect(listed.map((e) => e.levelSeed)).toEqual([3, 4]);
    expect(listed[0]!.return).toBeCloseTo(episodes[0]!.rewards.reduce((s, r) => s + r, 0));
  });

  it.each(GAME_NAMES)('stores %s observations in at most 3 KB each', (game) => {
    const episodes = [0, 1, 2].map((seed) => playEpisode(game, seed, 300));
    const id = saveDataset(db.connection, { runId: null, name: game, game, mode: 'easy', source: 'collected' }, episodes);
    expect(bytesPerObservation(db.connection, id)).toBeLessThan(3 * 1024);
  });

  it('refuses inconsistent episodes and stores nothing of the batch', () => {
    const good = playEpisode('bigfish', 5, 20);
    expect(good.actions.length).toBe(20);
    const bad: Episode = { ...good, rewards: good.rewards.subarray(1) };
    expect(() => saveDataset(db.connection, { runId: null, name: 'bad', game: 'bigfish', mode: 'easy', source: 'imported' }, [good, bad])).toThrow(
      /Episode 1 has 20 actions but 19 rewards/,
    );
    const badAction: Episode = { ...good, actions: good.actions.map(() => 15) };
    expect(() => saveDataset(db.connection, { runId: null, name: 'bad', game: 'bigfish', mode: 'easy', source: 'imported' }, [badAction])).toThrow(
      /action 15: actions are 0..14/,
    );
    expect(db.connection.prepare('SELECT count(*) AS n FROM datasets').get()).toEqual({ n: 0 });
  });
});
