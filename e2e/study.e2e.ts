import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppWindow } from './app-window.ts';
import { repoRoot, runDdrl } from './host-process.ts';

/**
 * The Study view on the study this repository carries (docs/study/study-paper.sqlite, real runs
 * of `ddrl study`), checked against the markdown `ddrl report` writes from the same file.
 */
let dir: string;
let dbPath: string;
let app: AppWindow;
let markdown: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-study-'));
  dbPath = join(dir, 'study.sqlite');
  copyFileSync(join(repoRoot, 'docs', 'study', 'study-paper.sqlite'), dbPath);
  const report = join(dir, 'report.md');
  const made = await runDdrl(['report', '--experiment', 'study-paper', '--out', report, '--db', dbPath]);
  expect(made.code, made.stderr).toBe(0);
  markdown = readFileSync(report, 'utf8');
  app = await openApp(dbPath);
  await app.page.keyboard.press('Control+6');
  await app.page.getByTestId('study-game').first().waitFor();
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The report's section of one game: its table's rows (name and the ID and OOD cells) and its best line. */
function reportSection(game: string) {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(`${game}\n`))!;
  const rows = section
    .split('\n')
    .filter((l) => /^\| \S/.test(l) && !l.startsWith('| method') && !l.startsWith('| samples') && !/^\| \d+ \|/.test(l))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return { name: cells[1]!, id: cells[4]!, ood: cells[5]! };
    });
  const best = /Best distilled \(ID\): \*\*(.+?)\*\*, .*\(target >= 50% on both: (met|missed|not measured)\)/.exec(section);
  return { rows, best: best ? { name: best[1]!, target: best[2]! } : null };
}

describe('the Study view', () => {
  it("shows every game of the report, with the report's rows, intervals and floor tags", async () => {
    const { page } = app;
    const games = [...markdown.matchAll(/^## (\w+)$/gm)].map((m) => m[1]!);
    expect(games.length).toBeGreaterThan(0);
    expect(await page.getByTestId('study-game').evaluateAll((els) => els.map((e) => e.getAttribute('data-game')))).toEqual(games);
    // Each command that made runs, as the report names them (the last backticked command there is the report's own).
    const made = [.../`([^`]+)`/g[Symbol.matchAll](/^Runs made by (.*)$/m.exec(markdown)![1]!)].map((m) => m[1]).slice(0, -1);
    expect(await page.getByTestId('study-command').allTextContents()).toEqual(made);
    for (const game of games) {
      const expected = reportSection(game);
      const panel = page.locator(`[data-testid="study-game"][data-game="${game}"]`);
      const rows = panel.getByTestId('results-row');
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-method')))).toEqual(expected.rows.map((r) => r.name));
      for (const [i, row] of expected.rows.entries()) {
        // The report writes two decimals and the floor tag ('~random', 'below random', '≤ constant'); the view the full mean and its tags.
        const [idMean, oodMean] = await Promise.all(['id-mean', 'ood-mean'].map((id) => rows.nth(i).getByTestId(id).getAttribute('data-value')));
        expect(Number(idMean).toFixed(2), `${game} ${row.name} ID`).toBe(row.id.split(' ')[0]);
        expect(Number(oodMean).toFixed(2), `${game} ${row.name} OOD`).toBe(row.ood.split(' ')[0]);
        const tags = await rows.nth(i).locator('.floor-tag').allTextContents();
        const reportTags = (cell: string) =>
          cell.includes('~random') ? '≈ random' : cell.includes('below random') ? '< random' : cell.includes('≤ constant') ? '≤ constant' : '';
        for (const tag of [reportTags(row.id), reportTags(row.ood)].filter(Boolean)) expect(tags.join(' '), `${game} ${row.name}`).toContain(tag);
        if (!reportTags(row.id) && !reportTags(row.ood)) expect(tags, `${game} ${row.name}`).toEqual([]);
      }
      if (expected.best) {
        expect(await panel.getByTestId('study-best-name').textContent()).toBe(expected.best.name);
        expect(await panel.getByTestId('study-best').getAttribute('data-target')).toBe(expected.best.target);
      }
    }
    await page.getByTestId('study-game').first().scrollIntoViewIfNeeded();
    await app.screenshot('study-view');
    for (const game of games)
      await page.locator(`[data-testid="study-game"][data-game="${game}"]`).screenshot({ path: join(repoRoot, 'e2e', 'screenshots', `study-${game}.png`) });
  });

  it('shows every run the study makes per game, each done one linked, the rest not made yet', async () => {
    const { page } = app;
    const listed = await runDdrl(['runs', '--json', '--db', dbPath]);
    const runs = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; label: string; status: string });
    const progress = page.getByTestId('study-progress');
    const steps = ['paper', 'dc', 'dsa', 'dm', 'mtt', '15 samples', '50 samples', '500 samples'];
    const games = await progress.getByTestId('study-progress-game').evaluateAll((els) => els.map((e) => e.getAttribute('data-game')!));
    expect(games).toEqual(['bigfish', 'starpilot', 'jumper']);
    for (const game of games) {
      const cells = progress.locator(`[data-testid="study-progress-game"][data-game="${game}"]`).getByTestId('study-step');
      expect(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual(steps);
      for (const [i, step] of steps.entries()) {
        const label = `${game} ${step.endsWith('samples') ? `size ${step.split(' ')[0]}` : step}`;
        const run = runs.find((r) => r.label === label);
        expect(await cells.nth(i).getAttribute('data-status'), label).toBe(run?.status ?? 'none');
        if (run) expect(await cells.nth(i).getByRole('button').textContent()).toBe(`run ${run.id}`);
        else expect(await cells.nth(i).textContent()).toMatch(/after the methods|not made yet/);
      }
    }
    const done = runs.filter((r) => r.status === 'done').length;
    expect(await progress.getByTestId('study-progress-summary').textContent()).toBe(`${done} of 24 runs done, ${24 - runs.length} not made yet.`);
    await progress.screenshot({ path: join(repoRoot, 'e2e', 'screenshots', 'study-progress.png') });
  });

  it("opens a run's page from its game's line", async () => {
    const { page } = app;
    const panel = page.getByTestId('study-game').first();
    const runId = /run (\d+)/.exec((await panel.getByTestId('study-runs').textContent())!)![1]!;
    await panel
      .getByTestId('study-runs')
      .getByRole('button', { name: `run ${runId}` })
      .click();
    expect(new URL(page.url()).hash).toBe(`#/runs/${runId}`);
    await page.getByTestId('results-table').waitFor();
    await page.goBack();
    await page.getByTestId('study-game').first().waitFor();
  });
});

describe('the Study view without a study', () => {
  it('says how to make one', async () => {
    const empty = await openApp(join(dir, 'empty.sqlite'));
    try {
      await empty.page.keyboard.press('Control+6');
      await expect.poll(() => empty.page.getByTestId('study-empty').textContent()).toMatch(/npx ddrl study --scale quick/);
      await empty.screenshot('study-empty');
    } finally {
      await empty.close();
    }
  });
});
