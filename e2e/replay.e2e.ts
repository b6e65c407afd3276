import { framesFromWire } from '@shared/api/frames.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFromPage } from './api-call.ts';
import { openApp, type AppWindow } from './app-window.ts';
import { tinyRunsDatabase } from './tiny-runs.ts';

let dir: string;
let app: AppWindow;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-replay-'));
  app = await openApp(await tinyRunsDatabase(dir));
}, 900_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The RGB bytes a canvas shows (its backing store, before CSS scaling). */
function canvasRgb(testId: string): Promise<number[]> {
  return app.page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return Array.from(data.filter((_, i) => i % 4 !== 3));
  });
}

const stepOf = async (slot: string) => Number((await app.page.getByTestId(`step-${slot}`).textContent())!.split(' / ')[0]);

describe('replaying evaluation episodes', () => {
  it('opens the synthetic student beside BC on the same level, re-simulated with every stored reward matched', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '') + '#/replay/1');
    for (const slot of ['A', 'B']) {
      await expect
        .poll(() => page.getByTestId(`reward-check-${slot}`).textContent())
        .toMatch(/^\s*✓ Re-simulated in the browser: all \d+ rewards equal the stored ones/);
    }
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const synthetic = list.models.find((m) => m.method === 'synthetic' && m.member === 0)!;
    expect(await page.getByTestId('pick-source-A').inputValue()).toBe(`m${synthetic.modelId}`);
    expect(await page.getByTestId('pick-source-B').inputValue()).not.toBe(`m${synthetic.modelId}`);
    // Both show episode 0 of the ID split: the same level seed for every model.
    const levelA = await page.getByTestId('pick-episode-A').locator('option:checked').textContent();
    const levelB = await page.getByTestId('pick-episode-B').locator('option:checked').textContent();
    expect(levelA!.split(' · ')[1]).toBe(`level ${synthetic.id[0]!.levelSeed}`);
    expect(levelB!.split(' · ')[1]).toBe(levelA!.split(' · ')[1]);
  });

  it('moves both episodes with one slider: arrow keys, play, and End reaching the stored return', async () => {
    const { page } = app;
    const before = await canvasRgb('large-A');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await stepOf('A')).toBe(12);
    expect(await stepOf('B')).toBe(12);
    expect(await canvasRgb('large-A')).not.toEqual(before);
    await app.screenshot('replay');

    await page.getByTestId('play').click();
    await expect.poll(() => stepOf('A')).toBeGreaterThan(14);
    await page.getByTestId('play').click();

    await page.keyboard.press('End');
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const synthetic = list.models.find((m) => m.method === 'synthetic' && m.member === 0)!;
    const episode = synthetic.id[0]!;
    expect(await stepOf('A')).toBe(episode.length - 1);
    expect(Number(await page.getByTestId('return-A').textContent())).toBeCloseTo(episode.return, 4);

    // Paused, the address names the step: reloading it shows the same moment.
    const slider = await page.getByTestId('step-slider').inputValue();
    await expect.poll(() => new URLSearchParams(page.url().split('?').pop()).get('t')).toBe(slider);
    await page.reload();
    await expect.poll(() => page.getByTestId('step-A').textContent()).toContain(`${episode.length - 1} / ${episode.length - 1}`);
    expect(await page.getByTestId('step-slider').inputValue()).toBe(slider);
  });
});

describe('choosing another level', () => {
  it('moves the other episode to the same level while "same level in both" is on', async () => {
    const { page } = app;
    await page.getByTestId('pick-episode-A').selectOption('2');
    await expect.poll(() => page.getByTestId('pick-episode-B').inputValue()).toBe('2');
    const level = async (slot: string) => (await page.getByTestId(`pick-episode-${slot}`).locator('option:checked').textContent())!.split(' · ')[1];
    expect(await level('B')).toBe(await level('A'));
    await expect.poll(() => page.getByTestId('reward-check-B').textContent()).toContain('✓');
    await page.getByTestId('same-level').uncheck();
    await page.getByTestId('pick-episode-A').selectOption('1');
    await expect.poll(() => page.getByTestId('pick-episode-A').inputValue()).toBe('1');
    expect(await page.getByTestId('pick-episode-B').inputValue()).toBe('2');
  });
});

describe('replaying a dataset episode', () => {
  it('re-simulates the observations the dataset stored, pixel for pixel', async () => {
    const { page } = app;
    await page.getByTestId('pick-source-A').selectOption('dataset');
    await page.getByTestId('pick-episode-A').selectOption('0');
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const stored = await callFromPage(page, 'episodes.get', { source: 'dataset', datasetId: list.dataset!.id, idx: 0, withFrames: true });
    const frames = framesFromWire(stored.frames!);
    // Episode 0 is loaded once the check names its length.
    await expect.poll(() => page.getByTestId('reward-check-A').textContent()).toContain(`✓ Re-simulated in the browser: all ${stored.actions.length} rewards`);
    for (const step of [0, 7]) {
      await page.getByTestId('step-slider').fill(String(step));
      expect(await stepOf('A')).toBe(step);
      expect(await canvasRgb('observation-A')).toEqual(Array.from(frames.subarray(step * 12288, (step + 1) * 12288)));
    }
  });
});

describe('a replay link to an episode the run does not have', () => {
  it('says what is missing and offers the pickers', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '') + '#/replay/1?a=e.999.id.0');
    const alert = page.getByTestId('episode-A').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Run 1 has no model 999: pick a model or the dataset above.');
    expect(await page.getByTestId('pick-source-A').locator('option').count()).toBeGreaterThan(1);
  });
});
