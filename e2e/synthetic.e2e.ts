import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framesFromWire } from '@shared/api/frames.ts';
import type { SyntheticSet } from '@shared/api/inspect.ts';
import { GRID_LABEL_WIDTH } from '../main/pipeline/media.ts';
import { parseNpy } from '../main/pipeline/npy.ts';
import { callFromPage } from './api-call.ts';
import { openApp, type AppWindow } from './app-window.ts';
import { runDdrl } from './host-process.ts';
import { tinyRunsDatabase } from './tiny-runs.ts';

let dir: string;
let app: AppWindow;
/** The newest snapshot's float32 pixels, as `ddrl export` writes them. */
let pixels: Float32Array;
const consoleErrors: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-synthetic-'));
  const dbPath = await tinyRunsDatabase(dir);
  const exported = await runDdrl(['export', '2', '--out', join(dir, 'export'), '--db', dbPath]);
  if (exported.code !== 0) throw new Error(`ddrl export failed: ${exported.stderr}`);
  pixels = parseNpy(readFileSync(join(dir, 'export', 'synthetic', 'pixels.npy')), 'pixels.npy').data as Float32Array;
  app = await openApp(dbPath);
  app.page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
}, 900_000);

/** Per sample s, the float range and movement since the initial set (whose real frames are whole numbers), at n decimals. */
function floatFacts(initial: Uint8Array, s?: number) {
  const [from, to] = s === undefined ? [0, pixels.length] : [s * 12288, (s + 1) * 12288];
  let sum = 0;
  let largest = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = from; i < to; i++) {
    const d = Math.abs(pixels[i]! - initial[i]!);
    sum += d;
    largest = Math.max(largest, d);
    min = Math.min(min, pixels[i]!);
    max = Math.max(max, pixels[i]!);
  }
  return { mean: sum / (to - from), largest, min, max };
}
/** Each action group's canvas shows, under its first and last sample's button, that sample's frame of `snapshot`. */
async function expectDrawn(page: AppWindow['page'], snapshot: SyntheticSet): Promise<void> {
  const frames = framesFromWire(snapshot.frames);
  for (const label of new Set(snapshot.labels)) {
    const drawn = await page.evaluate((label) => {
      const group = document.querySelector(`[data-testid="action-group"][data-action="${label}"]`)!;
      const canvas = group.querySelector('canvas')!;
      const buttons = [...group.querySelectorAll<HTMLButtonElement>('button[data-frame]')];
      return [buttons[0]!, buttons.at(-1)!].map((button) => {
        // The button rings its frame with 2 pixels on each side.
        const pixels = canvas.getContext('2d')!.getImageData(button.offsetLeft + 2, button.offsetTop + 2, 64, 64).data;
        return { frame: Number(button.dataset['frame']), rgb: Array.from(pixels.filter((_, i) => i % 4 !== 3)) };
      });
    }, label);
    for (const { frame, rgb } of drawn) expect(rgb).toEqual(Array.from(frames.subarray(frame * 12288, (frame + 1) * 12288)));
  }
}

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the synthetic set inspector', () => {
  it('groups the newest snapshot by action label with the stored labels', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '') + '#/synthetic/2');
    await page.getByTestId('synthetic-grid').waitFor();
    const stored = await callFromPage(page, 'synthetic.get', { runId: 2 });
    const counts = new Map<number, number>();
    for (const label of stored.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
    const groups = page.getByTestId('action-group');
    expect(await groups.count()).toBe(counts.size);
    for (const [label, count] of counts) expect(await page.locator(`[data-testid="action-group"][data-action="${label}"] button`).count()).toBe(count);
    expect(await page.locator('[data-testid="action-group"][data-action="4"] h3').textContent()).toContain('NOOP');
    // Each group draws its samples on one canvas: the pixels under a sample's button (its first and last) are that sample's stored frame.
    await expectDrawn(page, stored);
    expect(await page.getByTestId('iteration').textContent()).toBe(`iteration ${stored.iteration}`);
    // How far the pixels moved from the initial set (iteration 0, the real samples distillation started from), on the floats.
    const initial = await callFromPage(page, 'synthetic.get', { runId: 2, iteration: 0 });
    expect(initial.loss).toBeNull();
    const moved = floatFacts(framesFromWire(initial.frames));
    expect((await page.getByTestId('pixels-moved').textContent())!.replace(/\s+/g, ' ')).toContain(
      `pixels moved since iteration 0 (float32): mean ${moved.mean.toPrecision(3)}, largest ${moved.largest.toPrecision(3)} · float range [${moved.min.toFixed(2)}, ${moved.max.toFixed(2)}]`,
    );
    expect(consoleErrors).toEqual([]);
  });

  it('steps through stored iterations with the keys, the loss cursor following', async () => {
    const { page } = app;
    const { iterations } = await callFromPage(page, 'synthetic.list', { runId: 2 });
    expect(iterations.length).toBeGreaterThan(2);
    const cursorX = () => page.getByTestId('loss-chart-cursor').getAttribute('x1');
    const atEnd = await cursorX();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('iteration').textContent()).toBe(`iteration ${iterations[iterations.length - 2]!.iteration}`);
    expect(await cursorX()).not.toBe(atEnd);
    await page.keyboard.press('Home');
    expect(await page.getByTestId('iteration').textContent()).toBe(`iteration ${iterations[0]!.iteration}`);
    await page.keyboard.press('End');
  });

  it('redraws the grid for another snapshot quickly, a first visit included (timed in the browser)', async () => {
    const { page } = app;
    const { iterations } = await callFromPage(page, 'synthetic.list', { runId: 2 });
    expect(iterations.length).toBeGreaterThanOrEqual(4);
    const timeTo = (position: number) =>
      page.evaluate(
        async ({ position, iteration }) => {
          const slider = document.querySelector<HTMLInputElement>('[data-testid="iteration-slider"]')!;
          const started = performance.now();
          slider.value = String(position);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
          const grid = () => document.querySelector('[data-testid="synthetic-grid"]')?.getAttribute('data-iteration');
          while (grid() !== String(iteration)) await new Promise(requestAnimationFrame);
          // Drawn: the canvases paint in the frame after the grid changed.
          await new Promise(requestAnimationFrame);
          return performance.now() - started;
        },
        { position, iteration: iterations[position]!.iteration },
      );
    await page.reload();
    await page.getByTestId('synthetic-grid').waitFor();
    // At once, before anything is fetched ahead: a snapshot the page has only as its bundled difference, not yet decoded.
    const unfetched = await timeTo(1);
    await expectDrawn(page, await callFromPage(page, 'synthetic.get', { runId: 2, iteration: iterations[1]!.iteration }));
    // Snapshots around the slider are fetched ahead after a short quiet spell: one never shown, then one shown before.
    await page.waitForTimeout(1500);
    const firstVisit = await timeTo(2);
    // Fetched as its difference to a snapshot the page held, and drawn as stored.
    await expectDrawn(page, await callFromPage(page, 'synthetic.get', { runId: 2, iteration: iterations[2]!.iteration }));
    const revisit = await timeTo(iterations.length - 1);
    const samples = (await callFromPage(page, 'synthetic.get', { runId: 2 })).labels.length;
    console.log(
      `e2e measure: inspector slider, ${samples} samples: a snapshot never shown before ${firstVisit.toFixed(0)} ms, one shown before ${revisit.toFixed(0)} ms (target < 50 ms for 150 samples, first visit included); a jump the instant the view opened, to a snapshot not yet decoded ${unfetched.toFixed(0)} ms`,
    );
    expect(await page.getByTestId('synthetic-grid').getAttribute('data-iteration')).toBe(String(iterations.at(-1)!.iteration));
    // The bounds guard against a broken path (a refetch or a re-decode per step); the figures above are what to read.
    expect(Math.max(unfetched, firstVisit)).toBeLessThan(1000);
  });

  it('shows a clicked sample large beside real samples of its action from the dataset', async () => {
    const { page } = app;
    const group = page.getByTestId('action-group').first();
    const action = Number(await group.getAttribute('data-action'));
    await group.locator('button').first().click();
    await page.getByTestId('real-samples').waitFor();
    const run = await callFromPage(page, 'runs.get', { runId: 2 });
    const list = await callFromPage(page, 'episodes.list', { runId: 2 });
    let available = 0;
    for (const e of list.dataset!.episodes) {
      const episode = await callFromPage(page, 'episodes.get', { source: 'dataset', datasetId: run.datasetId!, idx: e.idx });
      available += episode.actions.filter((a) => a === action).length;
    }
    const heading = await page.getByTestId('real-samples-heading').textContent();
    expect(heading).toContain(`of ${available} in the dataset`);
    expect(await page.locator('[data-testid="real-samples"] canvas').count()).toBe(Math.min(8, available));
    // The run distilled with soft labels: the expert's policy on the clicked sample, one bar per action.
    const snapshot = await callFromPage(page, 'synthetic.get', { runId: 2 });
    const sample = snapshot.labels.indexOf(action);
    const bars = page.getByTestId('action-distribution').locator('li');
    expect(await bars.count()).toBe(15);
    const shown = (await bars.locator('.num').allTextContents()).map((t) => Number.parseFloat(t));
    expect(shown).toEqual(snapshot.softLabels![sample]!.map((p) => Number((p * 100).toFixed(1))));
    expect(await bars.nth(action).getAttribute('class')).toContain('label');
    const initial = framesFromWire((await callFromPage(page, 'synthetic.get', { runId: 2, iteration: 0 })).frames);
    const facts = floatFacts(initial, sample);
    expect((await page.getByTestId('sample-floats').textContent())!.replace(/\s+/g, ' ')).toContain(
      `float32 pixels: range [${facts.min.toFixed(2)}, ${facts.max.toFixed(2)}] · moved since iteration 0: mean ${facts.mean.toPrecision(3)}, largest ${facts.largest.toPrecision(3)}`,
    );
    // Its origin: the dataset frame its pixels started from, equal to its initial pixels.
    const origin = snapshot.origins![sample]!;
    expect(await page.getByTestId('sample-origin').textContent()).toContain(`Started from dataset episode ${origin.episode}, step ${origin.step}`);
    const source = await callFromPage(page, 'episodes.get', { source: 'dataset', datasetId: origin.datasetId, idx: origin.episode, withFrames: true });
    const sourceFrames = framesFromWire(source.frames!);
    expect(Array.from(initial.subarray(sample * 12288, (sample + 1) * 12288))).toEqual(
      Array.from(sourceFrames.subarray(origin.step * 12288, (origin.step + 1) * 12288)),
    );
    // Its nearest dataset frame by pixel distance is that origin (the paper's step barely moves pixels).
    await page.getByTestId('find-nearest').click();
    await page.getByTestId('nearest-frames').waitFor();
    const nearest = await callFromPage(page, 'synthetic.nearest', { runId: 2, sample: snapshot.labels.indexOf(action), k: 6 });
    expect(nearest.neighbours[0]).toMatchObject({ episode: origin.episode, step: origin.step });
    expect(nearest.neighbours[0]!.distance).toBeLessThan(0.5);
    expect(nearest.neighbours.map((n) => n.distance)).toEqual([...nearest.neighbours.map((n) => n.distance)].sort((a, b) => a - b));
    expect(await page.getByTestId('nearest-distance').first().textContent()).toContain(nearest.neighbours[0]!.distance.toFixed(1));
    // In the expert's features the origin is nearest too: the sample still looks like it to the expert.
    await page.getByTestId('nearest-metric').selectOption('features');
    await page.getByTestId('find-nearest').click();
    const byFeatures = await callFromPage(page, 'synthetic.nearest', { runId: 2, sample: snapshot.labels.indexOf(action), k: 6, metric: 'features' });
    expect(byFeatures).toMatchObject({ metric: 'features', compared: nearest.compared });
    expect(byFeatures.neighbours[0]).toMatchObject({ episode: origin.episode, step: origin.step });
    expect(byFeatures.neighbours.map((n) => n.distance)).toEqual([...byFeatures.neighbours.map((n) => n.distance)].sort((a, b) => a - b));
    await expect
      .poll(() => page.getByTestId('nearest-frames').locator('..').textContent(), { timeout: 60_000 })
      .toContain("the expert's penultimate-layer features");
    await app.screenshot('synthetic-nearest-features');
    expect(consoleErrors).toEqual([]);
    await app.screenshot('synthetic');
    await page.getByTestId('view-channel').selectOption('g');
    await page.getByTestId('view-mapping').selectOption('stretch');
    await app.screenshot('synthetic-green-stretched');
  });

  it('saves the snapshot shown as one PNG grid, a row per action', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '') + '#/synthetic/2');
    await page.getByTestId('synthetic-grid').waitFor();
    const stored = await callFromPage(page, 'synthetic.get', { runId: 2 });
    const rows = new Set(stored.labels).size;
    const perRow = Math.max(...[...new Set(stored.labels)].map((a) => stored.labels.filter((l) => l === a).length));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-synthetic').click()]);
    expect(download.suggestedFilename()).toBe(`run-2-synthetic-iteration-${stored.iteration}.png`);
    const png = readFileSync((await download.path())!);
    // A label strip, then 256-pixel samples (scale 4) with 2-pixel gaps; IHDR holds width and height.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([GRID_LABEL_WIDTH + perRow * 258 - 2, rows * 258 - 2]);
  });
});
