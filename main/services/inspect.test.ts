import { mkdtempSync, rmSync } from 'node:fs';
import { GifReader } from 'omggif';
import type { MediaFile } from '@shared/api/media.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesFromRelativeWire, framesFromWire, FRAME_BYTES, type WireFrames } from '@shared/api/frames.ts';
import type { RunsPage, SyntheticSet } from '@shared/api/inspect.ts';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { ProcgenEnv } from '@shared/procgen/env.ts';
import { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import { saveDataset } from '../storage/datasets.ts';
import { createExperiment, setRunDataset, setRunStatus } from '../storage/runs.ts';
import { thisProcess } from '../storage/run-owner.ts';
import { saveSyntheticSnapshot } from '../storage/synthetic.ts';
import { unzipSync, unzlibSync } from 'fflate';
import { actionName } from '@shared/procgen/action-names.ts';
import { GRID_LABEL_WIDTH } from '../pipeline/media.ts';
import { drawText } from '../pipeline/pixel-font.ts';
import { webmFacts } from '../pipeline/testing/webm-facts.ts';
import { startServices, type AppServices } from './app-services.ts';

let dir: string;
let services: AppServices;

/** A real bigfish episode played with a fixed action pattern, its observations rendered by the engine. */
function playedEpisode(levelSeed: number) {
  const env = new ProcgenEnv({ game: 'bigfish', mode: 'easy', startLevel: levelSeed, numLevels: 1 });
  const renderer = new FrameRenderer('bigfish', 'easy');
  const actions: number[] = [];
  const rewards: number[] = [];
  const frames: Uint8Array[] = [];
  for (let t = 0; t < 40; t++) {
    frames.push(renderer.renderToArray(env.game));
    const action = t % 3 === 0 ? 7 : 1;
    env.step(action);
    actions.push(action);
    rewards.push(env.reward);
  }
  const observations = new Uint8Array(frames.length * FRAME_BYTES);
  frames.forEach((f, i) => observations.set(f, i * FRAME_BYTES));
  return { levelSeed, actions: Uint8Array.from(actions), rewards: Float32Array.from(rewards), observations };
}

/** The RGB pixels of a PNG written by our encoder (one IDAT, filter 0 on every row). */
function rgbOfPng(png: Uint8Array, width: number, height: number): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset);
  let at = 8;
  while (String.fromCharCode(...png.subarray(at + 4, at + 8)) !== 'IDAT') at += 12 + view.getUint32(at);
  const raw = unzlibSync(png.subarray(at + 8, at + 8 + view.getUint32(at)));
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) rgb.set(raw.subarray(y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1)), y * width * 3);
  return rgb;
}

async function call(name: string, input: unknown): Promise<unknown> {
  const reply = await services.dispatch(name, input);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.output;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-inspect-calls-'));
  services = startServices({ dbPath: join(dir, 'ddrl.sqlite'), runtime: 'node' });
  const db = services.db.connection;
  const configs = ['bigfish', 'starpilot', 'jumper'].map((game) => ({ label: `${game} run`, config: parseExperimentConfig({ game }) }));
  for (let i = 0; i < 40; i++) createExperiment(db, { name: `sweep ${i}`, preset: 'quick-bigfish' }, configs, thisProcess);
  setRunStatus(db, 3, 'done');
  const datasetId = saveDataset(db, { runId: 1, name: 'played', game: 'bigfish', mode: 'easy', source: 'collected' }, [playedEpisode(5), playedEpisode(9)]);
  setRunDataset(db, 1, datasetId);
});
afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runs.page', () => {
  it('pages through 120 runs newest first with the total', async () => {
    const first = (await call('runs.page', { limit: 50 })) as RunsPage;
    expect(first.total).toBe(120);
    expect(first.runs.map((r) => r.id).slice(0, 3)).toEqual([120, 119, 118]);
    const last = (await call('runs.page', { offset: 100, limit: 50 })) as RunsPage;
    expect(last.runs.map((r) => r.id)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(last.runs[0]).toMatchObject({ experimentName: 'sweep 6', preset: 'quick-bigfish' });
  });

  it('filters by status, text (label, game, experiment, id) and ids in SQL', async () => {
    const done = (await call('runs.page', { status: 'done' })) as RunsPage;
    expect(done.runs.map((r) => r.id)).toEqual([3]);
    const jumper = (await call('runs.page', { search: 'JUMPER' })) as RunsPage;
    expect(jumper.total).toBe(40);
    expect(((await call('runs.page', { search: 'sweep 39' })) as RunsPage).total).toBe(3);
    expect(((await call('runs.page', { search: '100%_' })) as RunsPage).total).toBe(0);
    expect(((await call('runs.page', { ids: [7, 2, 999] })) as RunsPage).runs.map((r) => r.id)).toEqual([7, 2]);
  });

  it('names the bad value of a bad window', async () => {
    const reply = await services.dispatch('runs.page', { limit: 5000 });
    expect(reply.ok === false && reply.error.message).toMatch(/limit/);
  });
});

describe('episodes and samples', () => {
  it('lists the dataset episodes without steps and returns one with its frames', async () => {
    const list = (await call('episodes.list', { runId: 1 })) as { dataset: { id: number; episodes: { idx: number; levelSeed: number; length: number }[] } };
    expect(list.dataset.episodes).toEqual([
      expect.objectContaining({ idx: 0, levelSeed: 5, length: 40 }),
      expect.objectContaining({ idx: 1, levelSeed: 9, length: 40 }),
    ]);
    const episode = (await call('episodes.get', { source: 'dataset', datasetId: list.dataset.id, idx: 1, withFrames: true })) as {
      actions: number[];
      frames: WireFrames;
    };
    const played = playedEpisode(9);
    expect(episode.actions).toEqual([...played.actions]);
    expect(framesFromWire(episode.frames)).toEqual(played.observations);
  });

  it('picks real samples of one action spread over the episodes', async () => {
    const out = (await call('dataset.samples', { datasetId: 1, action: 7, count: 4 })) as {
      available: number;
      samples: { episode: number; step: number }[];
      frames: WireFrames;
    };
    expect(out.available).toBe(28);
    expect(out.samples).toHaveLength(4);
    expect(new Set(out.samples.map((s) => s.episode))).toEqual(new Set([0, 1]));
    const played = playedEpisode(out.samples[3]!.episode === 0 ? 5 : 9);
    const step = out.samples[3]!.step;
    expect(played.actions[step]).toBe(7);
    expect(framesFromWire(out.frames).subarray(3 * FRAME_BYTES)).toEqual(played.observations.subarray(step * FRAME_BYTES, (step + 1) * FRAME_BYTES));
  });

  it('says which snapshot iterations exist when asked for another', async () => {
    const none = await services.dispatch('synthetic.get', { runId: 2 });
    expect(none.ok === false && none.error.message).toBe('Run 2 has no synthetic snapshots yet: its distill stage has not stored one.');
    saveSyntheticSnapshot(services.db.connection, 2, 10, 0.5, Uint8Array.from([0, 7]), new Float32Array(2 * FRAME_BYTES).fill(300), false);
    const wrong = await services.dispatch('synthetic.get', { runId: 2, iteration: 11 });
    expect(wrong.ok === false && wrong.error.message).toBe('Run 2 has no snapshot at iteration 11: stored iterations are 10.');
    const got = (await call('synthetic.get', { runId: 2 })) as { labels: number[]; frames: WireFrames };
    expect(got.labels).toEqual([0, 7]);
    expect(framesFromWire(got.frames).every((v) => v === 255)).toBe(true);
    const bad = await services.dispatch('episodes.get', { source: 'dataset', datasetId: 1, idx: 99 });
    expect(bad.ok === false && bad.error.message).toBe('Dataset 1 has no episode 99: see episodes.list for its episodes.');
  });

  it("measures each sample's float range and movement since the initial set on the floats, not on the clamped view", async () => {
    const db = services.db.connection;
    const initial = new Float32Array(2 * FRAME_BYTES).map((_, i) => i % 256);
    saveSyntheticSnapshot(db, 3, 0, null, Uint8Array.from([1, 4]), initial, false);
    // Sample 0 moves by 0.3 everywhere (invisible on the view but at the top), sample 1 goes below 0 at one pixel.
    const moved = initial.map((v, i) => (i < FRAME_BYTES ? v + 0.3 : i === FRAME_BYTES + 5 ? -7.5 : v));
    saveSyntheticSnapshot(db, 3, 4, 0.25, Uint8Array.from([1, 4]), moved, true);
    const newest = (await call('synthetic.get', { runId: 3 })) as SyntheticSet;
    const floats = newest.floats!;
    expect(floats.min[0]).toBeCloseTo(0.3, 5);
    expect(floats.max[0]).toBeCloseTo(255.3, 4);
    expect(floats.meanMoved[0]).toBeCloseTo(0.3, 4);
    expect(floats.maxMoved[0]).toBeCloseTo(0.3, 4);
    expect(floats.min[1]).toBe(-7.5);
    expect(floats.maxMoved[1]).toBe(12.5);
    expect(floats.meanMoved[1]).toBeCloseTo(12.5 / FRAME_BYTES, 8);
    // The initial set kept only its view (its floats are those whole numbers): no float facts to give.
    const first = (await call('synthetic.get', { runId: 3, iteration: 0 })) as SyntheticSet;
    expect(first.floats).toBeNull();
    // Relative to the initial set the page holds: the same frames, in a fraction of the bytes.
    const relative = (await call('synthetic.get', { runId: 3, relativeTo: 0 })) as SyntheticSet;
    expect(relative.frames.encoding).toBe('relative');
    expect(relative.frames.bytes.length).toBeLessThan(FRAME_BYTES / 10);
    expect(await framesFromRelativeWire(relative.frames, framesFromWire(first.frames))).toEqual(framesFromWire(newest.frames));
    const unknown = await services.dispatch('synthetic.get', { runId: 3, relativeTo: 2 });
    expect(unknown.ok === false && unknown.error.message).toBe('Run 3 has no snapshot at iteration 2: stored iterations are 0, 4.');
  });

  it('bundles the other snapshots with the one asked for; each decodes to what asking for it alone gives', async () => {
    const db = services.db.connection;
    const initial = new Float32Array(2 * FRAME_BYTES).map((_, i) => (i * 7) % 256);
    const soft = Float32Array.from({ length: 30 }, (_, i) => (i % 15 === 1 ? 1 : 0));
    // Iterations 1 and 2 show the initial set's pixels; 3 moved them and carries other soft labels.
    for (const iteration of [1, 2]) saveSyntheticSnapshot(db, 3, iteration, 0.5, Uint8Array.from([1, 4]), initial, false, { soft });
    const moved = initial.map((v, i) => (i % 97 === 0 ? 255 - v : v));
    saveSyntheticSnapshot(db, 3, 3, 0.4, Uint8Array.from([1, 4]), moved, false, { soft: soft.map((p, i) => (i < 15 ? 1 / 15 : p)) });
    saveSyntheticSnapshot(db, 3, 0, null, Uint8Array.from([1, 4]), initial, false, { soft });
    const bundle = (await call('synthetic.get', { runId: 3, iteration: 2, withOthers: true })) as SyntheticSet;
    const others = bundle.others!;
    // Nearest first: the neighbour a snapshot is taken against comes before it.
    expect(others.map((o) => [o.iteration, o.relativeTo])).toEqual([
      [3, 2],
      [1, 2],
      // Its neighbour (3) differs from it: taken against the bundle's own.
      [4, 2],
      [0, 1],
    ]);
    // Unchanged since its neighbour: no bytes at all.
    expect(others.find((o) => o.iteration === 0)!.frames.bytes.length).toBe(0);
    const decoded = new Map([[2, framesFromWire(bundle.frames)]]);
    for (const other of others) {
      const alone = (await call('synthetic.get', { runId: 3, iteration: other.iteration })) as SyntheticSet;
      const frames = await framesFromRelativeWire(other.frames, decoded.get(other.relativeTo)!);
      decoded.set(other.iteration, frames);
      expect(frames).toEqual(framesFromWire(alone.frames));
      // What is left out equals the bundle's own; what is there is the snapshot's.
      expect(other.softLabels === undefined ? bundle.softLabels : other.softLabels).toEqual(alone.softLabels);
      expect(other.labels ?? bundle.labels).toEqual(alone.labels);
      expect([other.loss, other.floats]).toEqual([alone.loss, alone.floats]);
    }
    expect(others.find((o) => o.iteration === 3)!.softLabels).toBeDefined();
    expect(others.find((o) => o.iteration === 1)!.softLabels).toBeUndefined();
    // Without asking, none come along.
    expect(((await call('synthetic.get', { runId: 3 })) as SyntheticSet).others).toBeUndefined();
  });
});

describe('media', () => {
  it('makes the lock-step GIF and PNG frames `ddrl media` writes, and a synthetic grid; refuses bad input with a message', async () => {
    const episodes = [0, 1].map((idx) => ({ source: 'dataset', datasetId: 1, idx }));
    const gif = (await call('media.episodes', { runId: 1, episodes, format: 'gif', scale: 1 })) as MediaFile;
    const reader = new GifReader(Buffer.from(gif.data, 'base64'));
    expect([reader.numFrames(), reader.width, reader.height]).toEqual([40, 130, 64]);
    expect(gif).toMatchObject({ fileName: 'run-1-2-episodes.gif', mime: 'image/gif', frames: 40, warnings: [] });
    // The last frame of the second episode, on the right: its pixels as the dataset stored them (GIF palette aside, exact here).
    const rgba = new Uint8Array(130 * 64 * 4);
    reader.decodeAndBlitFrameRGBA(39, rgba);
    const played = playedEpisode(9).observations.subarray(39 * FRAME_BYTES);
    expect([rgba[(0 * 130 + 66) * 4], rgba[(0 * 130 + 66) * 4 + 1], rgba[(0 * 130 + 66) * 4 + 2]]).toEqual([played[0], played[1], played[2]]);
    const webm = (await call('media.episodes', { runId: 1, episodes, format: 'webm', scale: 1 })) as MediaFile;
    expect(webmFacts(Buffer.from(webm.data, 'base64'))).toEqual({ blocks: 40, width: 130, height: 64 });
    expect(webm).toMatchObject({ fileName: 'run-1-2-episodes.webm', mime: 'video/webm', frames: 40 });
    const zip = (await call('media.episodes', { runId: 1, episodes: episodes.slice(0, 1), format: 'png-zip', scale: 2 })) as MediaFile;
    const files = unzipSync(Buffer.from(zip.data, 'base64'));
    expect(Object.keys(files)).toHaveLength(40);
    expect(zip).toMatchObject({ fileName: 'run-1-episode-frames.zip', width: 128, height: 128 });
    const grid = (await call('media.synthetic', { runId: 2, scale: 1 })) as MediaFile;
    expect(grid).toMatchObject({ fileName: 'run-2-synthetic-iteration-10.png', width: GRID_LABEL_WIDTH + 64, height: 130 });
    // Each row is labelled on its left with the action's number and name, drawn in the pixel font.
    const pixels = rgbOfPng(Buffer.from(grid.data, 'base64'), grid.width, grid.height);
    const labels = new Uint8Array(grid.width * grid.height * 3).fill(255);
    [0, 7].forEach((action, row) => drawText(labels, grid.width, 0, row * 66 + 25, `${action} ${actionName('bigfish', action)}`, 2, [40, 40, 40]));
    const strip = (image: Uint8Array) =>
      Array.from({ length: grid.height }, (_, y) => image.subarray(y * grid.width * 3, (y * grid.width + GRID_LABEL_WIDTH) * 3).join(','));
    expect(strip(pixels)).toEqual(strip(labels));
    expect(
      strip(pixels)
        .slice(0, 64)
        .some((row) => row.includes('40,40,40')),
    ).toBe(true);
    const refused = async (name: string, input: unknown) => {
      const reply = await services.dispatch(name, input);
      return reply.ok ? 'accepted' : reply.error.message;
    };
    expect(await refused('media.episodes', { runId: 1, episodes: [{ source: 'dataset', datasetId: 1, idx: 7 }], format: 'gif' })).toBe(
      'Dataset 1 has no episode 7: it has 2.',
    );
    expect(await refused('media.episodes', { runId: 1, episodes, format: 'gif', scale: 9 })).toMatch(/input\.scale: .*8/);
    expect(await refused('media.episodes', { runId: 1, episodes: [], format: 'gif' })).toMatch(/input\.episodes: /);
    expect(await refused('media.synthetic', { runId: 2, iteration: 11 })).toBe('Run 2 has no synthetic snapshot at iteration 11: stored iterations are 10.');
    expect(await refused('media.synthetic', { runId: 999 })).toMatch(/^No run with id 999/);
    expect(await refused('synthetic.nearest', { runId: 2, sample: 0, metric: 'features' })).toMatch(/Run 2 has no (dataset yet|expert network)/);
  });
});

describe('tags, notes, sorting and key results', () => {
  it('stores tags and notes, finds runs by them, and refuses bad ones with a message, changing nothing', async () => {
    const saved = await call('runs.annotate', { runId: 7, tags: [' ablation ', 'lr-sweep', 'ablation'], notes: '<img src=x onerror=alert(1)> kept as text' });
    expect(saved).toEqual({ tags: ['ablation', 'lr-sweep'], notes: '<img src=x onerror=alert(1)> kept as text' });
    const byTag = (await call('runs.page', { search: 'LR-SWEEP' })) as RunsPage;
    expect(byTag.runs.map((r) => r.id)).toEqual([7]);
    expect(byTag.runs[0]).toMatchObject({ tags: ['ablation', 'lr-sweep'] });
    expect(((await call('runs.page', { search: 'kept as text' })) as RunsPage).runs.map((r) => r.id)).toEqual([7]);
    for (const [input, message] of [
      [{ tags: ['x'.repeat(41)] }, /is 41 characters long: tags take at most 40/],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /21 tags: a run takes at most 20/],
      [{ tags: ['a,b'] }, /contains a comma/],
      [{ tags: [], notes: 'n'.repeat(10_001) }, /notes are 10001 characters long: at most 10000/],
    ] as const) {
      await expect(call('runs.annotate', { runId: 7, notes: '', ...input })).rejects.toThrow(message);
    }
    await expect(call('runs.annotate', { runId: 9999, tags: [], notes: '' })).rejects.toThrow(/No run with id 9999/);
    const after = (await call('runs.page', { ids: [7] })) as RunsPage;
    expect(after.runs[0]).toMatchObject({ tags: ['ablation', 'lr-sweep'], notes: '<img src=x onerror=alert(1)> kept as text' });
  });

  it('sorts by a column either way, ties newest first', async () => {
    const byGame = (await call('runs.page', { sort: 'game', descending: false, limit: 5 })) as RunsPage;
    expect(byGame.runs.map((r) => r.game)).toEqual(['bigfish', 'bigfish', 'bigfish', 'bigfish', 'bigfish']);
    expect(byGame.runs.map((r) => r.id)).toEqual([118, 115, 112, 109, 106]);
    const oldest = (await call('runs.page', { sort: 'id', descending: false, limit: 2 })) as RunsPage;
    expect(oldest.runs.map((r) => r.id)).toEqual([1, 2]);
  });

  it('has no key results for runs never evaluated', async () => {
    expect(await call('runs.keyResults', { ids: [1, 2] })).toEqual([
      { runId: 1, best: null, bc: null, expert: null, random: null },
      { runId: 2, best: null, bc: null, expert: null, random: null },
    ]);
  });
});
