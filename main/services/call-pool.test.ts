/**
 * Frame-heavy calls run in the call pool's worker threads: a long imported
 * episode fetched with its frames leaves the event loop free, and a call whose
 * client has left before it started is dropped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesFromWire, FRAME_BYTES, type WireFrames } from '@shared/api/frames.ts';
import { saveDataset } from '../storage/datasets.ts';
import { startServices, type AppServices } from './app-services.ts';
import { CallPool } from './call-pool.ts';

const STEPS = 1500;
let dir: string;
let services: AppServices;
let datasetId: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-call-pool-'));
  services = startServices({ dbPath: join(dir, 'ddrl.sqlite'), runtime: 'node' });
  // Noisy frames: deflating and inflating them costs real time, as photos of a game do.
  const observations = new Uint8Array(STEPS * FRAME_BYTES);
  let state = 12345;
  for (let i = 0; i < observations.length; i++) observations[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  datasetId = saveDataset(services.db.connection, { runId: null, name: 'long', game: 'bigfish', mode: 'easy', source: 'imported' }, [
    { levelSeed: null, actions: new Uint8Array(STEPS), rewards: new Float32Array(STEPS), observations },
  ]);
});
afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The longest wait of a 5 ms timer while `work` runs (started once the timer ticks): how long the event loop was blocked. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  await new Promise((resolve) => setTimeout(resolve, 20));
  await work();
  // One more tick: a stall at the very end shows only when the timer next runs.
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(timer);
  return longest;
}

describe('the call pool', () => {
  it('decodes and deflates a long episode off the event loop', async () => {
    // Warm the worker up (it starts on the first call).
    await services.dispatch('episodes.get', { source: 'dataset', datasetId, idx: 0, withFrames: false });
    const fetchTwice = () =>
      Promise.all(Array.from({ length: 2 }, () => services.dispatch('episodes.get', { source: 'dataset', datasetId, idx: 0, withFrames: true })));
    let replies: Awaited<ReturnType<typeof fetchTwice>> = [];
    const stall = await longestStall(async () => (replies = await fetchTwice()));
    expect(replies).toHaveLength(2);
    for (const reply of replies) {
      if (!reply.ok) throw new Error(reply.error.message);
      expect(framesFromWire((reply.output as { frames: WireFrames }).frames).length).toBe(STEPS * FRAME_BYTES);
    }
    // Inline, the two calls blocked the loop for about 1.8 s here when frames were re-encoded (decode, deflate,
    // base64 of 18 MB each); from the pool only the replies' arrival shows.
    expect(stall).toBeLessThan(300);
  });

  it('answers calls after being warmed (its workers started, each loading its backend), warmed twice or not', async () => {
    const pool = new CallPool(services.db.path, 2);
    pool.warm();
    pool.warm();
    const replies = await Promise.all([1, 2, 3].map(() => pool.run('episodes.get', { source: 'dataset', datasetId, idx: 0, withFrames: false })));
    expect(replies.map((r) => r.actions.length)).toEqual([STEPS, STEPS, STEPS]);
    await pool.close();
    pool.warm();
    await expect(pool.run('episodes.get', { source: 'dataset', datasetId, idx: 0, withFrames: false })).rejects.toThrow('The app is shutting down.');
  });

  it('drops a call whose client left before it started', async () => {
    const gone = new AbortController();
    gone.abort();
    const reply = await services.dispatch('synthetic.get', { runId: 1 }, gone.signal);
    expect(reply).toEqual({ ok: false, error: { code: 'failed', message: 'The client left before the call started.' } });
  });
});
