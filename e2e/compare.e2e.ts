import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFloorMethod } from '@shared/config/methods.ts';
import { callFromPage } from './api-call.ts';
import { openApp, type AppWindow } from './app-window.ts';
import { runDdrl } from './host-process.ts';
import { tinyRunsDatabase } from './tiny-runs.ts';

// The compare view on real tiny runs: run 1 (distill.size 30) and runs 2 and 3 (size 150, seeds 0 and 1),
// a sweep crossed with seeds, exports, saved comparisons across a host restart.
let dir: string;
let dbPath: string;
let app: AppWindow;
const pageErrors: string[] = [];

interface CliRow {
  method: string;
  split: 'id' | 'ood';
  mean: number;
  normalised: number;
}

async function cliResults(runId: number): Promise<CliRow[]> {
  const cli = await runDdrl(['results', String(runId), '--json', '--db', dbPath]);
  expect(cli.code, cli.stderr).toBe(0);
  return (JSON.parse(cli.stdout) as { rows: CliRow[] }).rows;
}

async function open(): Promise<void> {
  app = await openApp(dbPath);
  app.page.on('pageerror', (error) => pageErrors.push(error.message));
}

/** The machine may be busy training: a screen gets 15 s to show what it loads. */
const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });

const goto = (page: Page, hash: string) => page.goto(page.url().replace(/#.*$/, '') + hash);

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(dir, download.suggestedFilename());
  await download.saveAs(path);
  return { download, bytes: readFileSync(path) };
}

/** Loads an image file in the page the way any viewer would; its natural size. */
function loadImage(page: Page, bytes: Buffer, type: string): Promise<{ width: number; height: number }> {
  return page.evaluate(
    async ([base64, mime]) => {
      const image = new Image();
      image.src = `data:${mime};base64,${base64}`;
      await image.decode();
      return { width: image.naturalWidth, height: image.naturalHeight };
    },
    [bytes.toString('base64'), type] as const,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-compare-'));
  dbPath = await tinyRunsDatabase(dir);
  await open();
}, 900_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('comparing a sweep crossed with seeds', () => {
  it('renders with no page error, its table equal to ddrl results --json, the best cell of each split marked', async () => {
    const { page } = app;
    await goto(page, '#/compare?runs=1,2,3');
    await poll(() => page.getByTestId('compared-run').count()).toBe(3);
    await page.getByTestId('results-table').waitFor();
    const expected = new Map<number, CliRow[]>();
    for (const id of [1, 2, 3]) expected.set(id, await cliResults(id));
    const all = [...expected.values()].flat();
    await expect
      .poll(() => page.getByTestId('results-row').count())
      .toBe(new Set([1, 2, 3].flatMap((id) => expected.get(id)!.map((r) => `${id} ${r.method}`))).size);
    for (const [id, rows] of expected) {
      for (const row of rows) {
        const cell = page.locator(`[data-testid="results-row"][data-method="${row.method}"][data-run^="#${id} "] [data-testid="${row.split}-mean"]`);
        expect(Number(await cell.getAttribute('data-value')), `run ${id} ${row.method} ${row.split}`).toBeCloseTo(row.mean, 9);
      }
    }
    // Methods in the run page's order (run 1 has them all: runs 2 and 3 reuse its expert and have no planner).
    const order = await page.getByTestId('results-row').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-method')))]);
    expect(order).toEqual([...new Set(expected.get(1)!.map((r) => r.method))]);
    for (const split of ['id', 'ood'] as const) {
      const best = page.locator(`[data-testid="${split}-mean"].best`);
      expect(await best.count()).toBe(1);
      // The reference policies (the random and constant-action floors, the planner teacher) are never marked best.
      const candidates = all.filter((r) => r.split === split && !isFloorMethod(r.method) && r.method !== 'planner');
      const top = Math.max(...candidates.map((r) => r.normalised));
      const bestRow = candidates.find((r) => r.normalised === top)!;
      expect(Number(await best.getAttribute('data-value'))).toBeCloseTo(bestRow.mean, 9);
    }
    // Two runs share distill.size=150 (seeds 0 and 1): one point per run and method, none lost.
    expect(await page.getByTestId('sweep-key').inputValue()).toBe('distill.size');
    expect(await page.locator('[data-testid="sweep-chart"]').first().locator('circle').count()).toBe(all.filter((r) => r.split === 'id').length);
    expect(pageErrors).toEqual([]);
    await app.screenshot('compare-sweep-seeds');
  }, 180_000);

  it('hides a method everywhere and switches the charts to normalised returns', async () => {
    const { page } = app;
    const marks = await page.getByTestId('result-mark').count();
    const planner = await page.locator('[data-testid="result-mark"][data-method="planner"]').count();
    expect(planner).toBeGreaterThan(0);
    await page.locator('[data-testid="method-toggles"] input[data-method="planner"]').uncheck();
    await poll(() => page.getByTestId('result-mark').count()).toBe(marks - planner);
    expect(await page.locator('[data-testid="results-row"][data-method="planner"]').count()).toBe(0);

    const synthetic = (await cliResults(1)).find((r) => r.method === 'synthetic' && r.split === 'id')!;
    const mark = page.locator('[data-testid="result-mark"][data-method="synthetic"][data-split="id"]').first();
    await mark.hover();
    expect(await page.locator('.readout').textContent()).toContain(`mean ${Number(synthetic.mean.toPrecision(3))}`);
    await page.getByTestId('scale-normalised').click();
    await mark.hover();
    expect(await page.locator('.readout').textContent()).toContain(`mean ${Number(synthetic.normalised.toPrecision(3))}`);
    expect(await page.getByRole('region', { name: /Normalised return against distill.size/ }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
    await app.screenshot('compare-normalised');
  }, 180_000);

  it('exports the table as CSV and the charts as SVG and PNG files that load', async () => {
    const { page } = app;
    const csv = (await downloaded(page, () => page.getByTestId('export-csv').click())).bytes.toString('utf8');
    const [header, ...lines] = csv.trimEnd().split('\r\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 3)).toEqual(['run', 'method', 'split']);
    const records = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
    const expected = (await Promise.all([1, 2, 3].map(async (id) => (await cliResults(id)).map((r) => ({ id, ...r })))))
      .flat()
      .filter((r) => r.method !== 'planner');
    expect(records.length).toBe(expected.length);
    for (const row of expected) {
      const record = records.find((r) => r.run!.startsWith(`#${row.id} `) && r.method === row.method && r.split === row.split);
      expect(Number(record?.mean), `${row.id} ${row.method} ${row.split}`).toBe(row.mean);
    }

    const svg = await downloaded(page, () => page.getByTestId('export-results').getByRole('button', { name: 'SVG' }).click());
    expect(svg.download.suggestedFilename()).toBe('compare-results.svg');
    expect(svg.bytes.toString('utf8')).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const svgSize = await loadImage(page, svg.bytes, 'image/svg+xml');
    expect(svgSize.width).toBeGreaterThan(300);

    const png = await downloaded(page, () => page.getByTestId('export-results').getByRole('button', { name: 'PNG' }).click());
    expect(png.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const pngSize = await loadImage(page, png.bytes, 'image/png');
    expect(pngSize).toEqual({ width: svgSize.width * 2, height: svgSize.height * 2 });

    // The sweep panel holds two charts: two files each.
    const sweep = await downloaded(page, () => page.getByTestId('export-sweep').getByRole('button', { name: 'SVG' }).click());
    expect(sweep.download.suggestedFilename()).toMatch(/^compare-sweep-[12]\.svg$/);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('draws the distance on the chart module: hover values, legend hiding, zoom and reset, smoothing, log scale, SVG export', async () => {
    const { page } = app;
    const chart = page.getByTestId('compare-distance');
    await chart.locator('canvas').first().waitFor();
    const stored = await Promise.all([1, 2, 3].map((runId) => callFromPage(page, 'runs.series', { runId, series: ['distill/distance'], maxPoints: 400 })));
    const entries = chart.getByTestId('chart-legend-entry');
    expect(await entries.count()).toBe(3);
    // Hover: the readout names the step under the pointer and each run's stored value there.
    const plot = chart.locator('.u-over');
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    const readout = await chart.getByTestId('compare-distance-legend').textContent();
    const last = stored[0]![0]!;
    expect(readout).toContain(`iteration ${last.steps.at(-1)}`);
    // Shown to 4 significant digits.
    const shown = Number(/#1 [^#]*? (-?[\d.]+(?:e[-+]?\d+)?)(?=#|$)/.exec(readout ?? '')?.[1]);
    expect(Math.abs(shown / last.values.at(-1)! - 1)).toBeLessThan(1e-3);
    await page.mouse.move(box.x + box.width / 2, box.y - 40);
    // The legend hides a run's line.
    await entries.first().click();
    expect(await entries.first().getAttribute('class')).toContain('off');
    const paths = async () =>
      (
        (await downloaded(page, () => page.getByTestId('export-distance').getByRole('button', { name: 'SVG' }).click())).bytes
          .toString('utf8')
          .match(/<path /g) ?? []
      ).length;
    expect(await paths()).toBe(2);
    await entries.first().click();
    const linear = (await downloaded(page, () => page.getByTestId('export-distance').getByRole('button', { name: 'SVG' }).click())).bytes.toString('utf8');
    expect(linear.match(/<path /g)?.length).toBe(3);
    // Drag to zoom, then reset (clicks above may have scrolled the chart: measure it again).
    await plot.scrollIntoViewIfNeeded();
    const area = (await plot.boundingBox())!;
    await page.mouse.move(area.x + area.width * 0.3, area.y + area.height / 2);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width * 0.7, area.y + area.height / 2, { steps: 5 });
    await page.mouse.up();
    await chart.getByTestId('chart-reset').click();
    expect(await chart.getByTestId('chart-reset').count()).toBe(0);
    // Smoothing adds a trend line per run longer than the window; a log axis redraws the lines.
    // (the raw lines fade behind their trends, one legend entry each, hidden together).
    await chart.getByTestId('chart-smoothing').selectOption('5');
    await poll(() => entries.first().textContent()).toContain('(mean of 5)');
    expect(await entries.count()).toBe(3);
    await entries.first().click();
    expect(await paths()).toBe(4);
    await entries.first().click();
    await chart.getByTestId('chart-smoothing').selectOption('off');
    await chart.getByTestId('chart-log').check();
    const log = (await downloaded(page, () => page.getByTestId('export-distance').getByRole('button', { name: 'SVG' }).click())).bytes;
    expect(log.toString('utf8').match(/<path /g)?.length).toBe(3);
    expect(log.toString('utf8')).not.toBe(linear);
    expect((await loadImage(page, log, 'image/svg+xml')).width).toBeGreaterThan(200);
    await chart.getByTestId('chart-log').uncheck();
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('replaces the whole view when navigating to another comparison', async () => {
    const { page } = app;
    await goto(page, '#/compare?runs=2,3');
    await poll(() => page.getByTestId('compared-run').count()).toBe(2);
    await poll(() => page.locator('[data-testid="results-row"][data-run^="#1 "]').count()).toBe(0);
    expect(await page.locator('[data-testid="config-diff-row"] td.key').allTextContents()).toEqual(['seed']);
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

describe('themes and icon', () => {
  it('follows the system theme, cycles system, light, dark from the rail, remembers the choice, and serves the icon', async () => {
    const { page } = app;
    await goto(page, '#/compare?runs=1,2,3');
    await page.getByTestId('results-table').waitFor();
    const themeOf = () => page.evaluate(() => document.documentElement.dataset.theme);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // Headless Chromium prefers light.
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme-choice')).toBe('system');
    expect(await themeOf()).toBe('light');
    await app.screenshot('compare-light');
    const light = await background();
    await page.getByTestId('theme-toggle').click();
    expect(await page.getByTestId('theme-toggle').getAttribute('data-theme-choice')).toBe('light');
    await page.getByTestId('theme-toggle').click();
    expect(await themeOf()).toBe('dark');
    expect(await background()).not.toBe(light);
    await page.reload();
    await page.getByTestId('results-table').waitFor();
    expect(await themeOf()).toBe('dark');
    // The canvas chart redrew in the new theme's colours.
    await page.getByTestId('compare-distance').locator('canvas').first().waitFor();
    await app.screenshot('compare-dark');
    const icon = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href;
      const response = await fetch(href);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    });
    expect(icon).toMatchObject({ status: 200, type: expect.stringContaining('image/svg+xml') });
    expect(icon.text).toContain('<svg');
    // Back to following the system for the specs after this one.
    await page.getByTestId('theme-toggle').click();
    expect(await themeOf()).toBe('light');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

describe('saved comparisons', () => {
  it('refuses a name that is too long, saves one, and reopens it after the host restarts', async () => {
    let page = app.page;
    await goto(page, '#/compare?runs=1,2,3');
    await poll(() => page.getByTestId('compared-run').count()).toBe(3);
    await page.locator('[data-testid="method-toggles"] input[data-method="planner"]').uncheck();
    await page.getByTestId('comparison-name').fill('x'.repeat(81));
    await page.getByTestId('save-comparison').click();
    expect(await page.getByTestId('save-error').textContent()).toContain('at most 80 characters');
    await page.getByTestId('comparison-name').fill('sizes × seeds <b>bold</b>');
    await page.getByTestId('save-comparison').click();
    await page.locator('[data-testid="saved-comparison"]').first().waitFor();
    expect(await page.getByTestId('save-error').count()).toBe(0);
    await app.screenshot('compare-saved');

    await app.close();
    await open();
    page = app.page;
    await goto(page, '#/compare');
    const saved = page.locator('[data-testid="saved-comparison"]');
    await saved.first().waitFor();
    // The name is text, never markup.
    expect(await saved.first().locator('button.link').textContent()).toBe('sizes × seeds <b>bold</b>');
    expect(await saved.first().locator('b').count()).toBe(0);
    await saved.first().locator('button.link').click();
    await poll(() => page.getByTestId('compared-run').count()).toBe(3);
    expect(await page.locator('[data-testid="method-toggles"] input[data-method="planner"]').isChecked()).toBe(false);
    expect(await page.locator('[data-testid="results-row"][data-method="planner"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('opens a saved comparison naming a deleted run with the others and says which run is gone', async () => {
    await app.close();
    // A run deleted behind the app's back (there is no delete in the UI): its saved comparison must still open.
    const db = new BetterSqlite3(dbPath);
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM runs WHERE id = 3').run();
    db.close();
    await open();
    const { page } = app;
    await goto(page, '#/compare');
    const saved = page.locator('[data-testid="saved-comparison"]').first();
    await saved.waitFor();
    expect(await saved.textContent()).toContain('1 deleted');
    await saved.locator('button.link').click();
    await poll(() => page.getByTestId('compared-run').count()).toBe(2);
    expect(await page.getByTestId('compare-notice').textContent()).toContain('names run 3, which no longer exists: showing the others');
    await page.getByTestId('results-table').waitFor();
    expect(pageErrors).toEqual([]);
    await app.screenshot('compare-deleted-run');
  }, 180_000);
});
