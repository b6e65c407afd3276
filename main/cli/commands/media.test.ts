import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { GifReader } from 'omggif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setFlags, TINY_SETTINGS } from '../../pipeline/testing/tiny-run.ts';
import { runCaptured } from '../run-captured.ts';
import { webmFacts } from '../../pipeline/testing/webm-facts.ts';

const REPO = resolve(import.meta.dirname, '../../..');
let dir: string;
let db: string;
/** Two evaluation episodes of run 1 (expert and random policy, ID episode 0) and their lengths. */
let episodes: { ref: string; length: number }[];

const TINY = setFlags([...TINY_SETTINGS, 'distill.size=15', 'collect.episodes=2', 'evaluate.episodesId=1', 'evaluate.episodesOod=1']);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-media-'));
  db = join(dir, 'runs.sqlite');
  const r = spawnSync('node', [join(REPO, 'bin/ddrl.js'), 'run', '--preset', 'quick-bigfish', ...TINY, '--db', db], {
    encoding: 'utf8',
    cwd: REPO,
    timeout: 300_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const c = new BetterSqlite3(db, { readonly: true });
  episodes = (
    c
      .prepare(
        "SELECT m.id, e.length FROM eval_episodes e JOIN models m ON m.id = e.model_id WHERE m.method IN ('expert', 'random') AND e.split = 'id' ORDER BY m.method",
      )
      .all() as { id: number; length: number }[]
  ).map((r) => ({ ref: `e.${r.id}.id.0`, length: r.length }));
  c.close();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Width and height from a PNG's IHDR. */
function pngSize(bytes: Uint8Array): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return [view.getUint32(16), view.getUint32(20)];
}

describe('ddrl media', () => {
  it('writes two episodes in lock-step as a GIF and a WebM that hold every frame, side by side', async () => {
    const out = join(dir, 'pair.gif');
    const r = await runCaptured(['media', '1', ...episodes.flatMap((e) => ['--episode', e.ref]), '--out', out, '--scale', '2', '--db', db]);
    expect(r.code, r.err.join('\n')).toBe(0);
    const gif = new GifReader(readFileSync(out));
    expect(gif.numFrames()).toBe(Math.max(...episodes.map((e) => e.length)));
    expect([gif.width, gif.height]).toEqual([2 * 128 + 2, 128]);
    expect(gif.frameInfo(0).delay).toBe(7); // 1/15 s, in hundredths
    // The same pair as WebM: one VP8 key frame per step at the same size.
    const webm = join(dir, 'pair.webm');
    const w = await runCaptured(['media', '1', ...episodes.flatMap((e) => ['--episode', e.ref]), '--out', webm, '--scale', '2', '--db', db]);
    expect(w.code, w.err.join('\n')).toBe(0);
    expect(webmFacts(new Uint8Array(readFileSync(webm)))).toEqual({ blocks: gif.numFrames(), width: gif.width, height: 128 });
  });

  it('writes PNG frames, one per step, and the synthetic set as one PNG row per action', async () => {
    const frames = join(dir, 'frames');
    expect((await runCaptured(['media', '1', '--episode', episodes[0]!.ref, '--out', frames, '--scale', '1', '--db', db])).code).toBe(0);
    const files = readdirSync(frames).sort();
    expect(files).toHaveLength(episodes[0]!.length);
    expect(pngSize(readFileSync(join(frames, files[0]!)))).toEqual([64, 64]);
    const grid = join(dir, 'grid.png');
    const r = await runCaptured(['media', '1', '--synthetic', '--out', grid, '--scale', '1', '--db', db]);
    expect(r.code).toBe(0);
    const rows = /Rows, top to bottom, by action: (.*) \(of 15 actions\)/.exec(r.out.join('\n'))![1]!.split(', ');
    const [, height] = pngSize(readFileSync(grid));
    expect(height).toBe(rows.length * 66 - 2);
  });

  it('refuses a missing model, a bad reference and an unwritable place, and warns when a re-simulation disagrees', async () => {
    const missing = await runCaptured(['media', '1', '--episode', 'e.9999.id.0', '--out', join(dir, 'x.gif'), '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.err.join('\n')).toMatch(/No model with id 9999/);
    const bad = await runCaptured(['media', '1', '--episode', 'e.1.train.0', '--out', join(dir, 'x.gif'), '--db', db]);
    expect(bad.err.join('\n')).toMatch(/--episode 'e\.1\.train\.0' is not an episode: use e\.MODEL\.SPLIT\.IDX/);
    const unwritable = await runCaptured(['media', '1', '--episode', episodes[0]!.ref, '--out', '/proc/ddrl.gif', '--db', db]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err.join('\n')).toMatch(/cannot write \/proc\/ddrl\.gif/);
    const c = new BetterSqlite3(db);
    const modelId = Number(episodes[0]!.ref.split('.')[1]);
    const rewards = new Float32Array(episodes[0]!.length).fill(5);
    c.prepare("UPDATE eval_episodes SET rewards = ? WHERE model_id = ? AND split = 'id' AND idx = 0").run(Buffer.from(rewards.buffer), modelId);
    c.close();
    const tampered = await runCaptured(['media', '1', '--episode', episodes[0]!.ref, '--out', join(dir, 't.gif'), '--db', db]);
    expect(tampered.code).toBe(0);
    expect(tampered.err.join('\n')).toMatch(/warning: .* re-simulates with \d+ reward\(s\) unlike the stored ones/);
  });
});
