import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFromPage } from './api-call.ts';
import { openApp, type AppWindow } from './app-window.ts';
import { runDdrl } from './host-process.ts';
import { tinyRunsDatabase } from './tiny-runs.ts';
import { parseNpy } from '../main/pipeline/npy.ts';

// Runs list, run page, new experiment (start, cancel) and compare, on two real tiny runs.
let dir: string;
let dbPath: string;
let app: AppWindow;

interface CliResults {
  rows: {
    method: string;
    split: 'id' | 'ood';
    mean: number;
    ciLow: number | null;
    ciHigh: number | null;
    dataKind: string;
    indistinguishableFromRandom: boolean | null;
  }[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-runs-'));
  dbPath = await tinyRunsDatabase(dir);
  app = await openApp(dbPath);
}, 900_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the runs list', () => {
  it('opens first and lists every run, newest first, with status and finished stages', async () => {
    const { page } = app;
    const rows = page.getByTestId('run-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')))).toEqual(['3', '2', '1']);
    for (const status of await page.getByTestId('run-status').allTextContents()) expect(status).toBe('succeeded');
    expect(await rows.first().textContent()).toContain('e2e tiny, 150 samples');
    expect(await rows.first().textContent()).toContain('seed=1');
    expect(await page.title()).toBe('Runs · DDRL Studio');
    await app.screenshot('runs');
  });

  it('filters in the services by text', async () => {
    const { page } = app;
    await page.getByTestId('runs-search').fill('150 samples');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    expect(await page.getByTestId('run-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')))).toEqual(['3', '2']);
    await page.getByTestId('runs-search').fill('');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(3);
  });
});

describe('the run page', () => {
  it('shows the stages, the results the CLI reports and the overridden config', async () => {
    const { page } = app;
    await page.locator('[data-run-id="1"] button.link').click();
    await page.getByTestId('results-table').waitFor();
    expect(new URL(page.url()).hash).toBe('#/runs/1');
    const stages = await page.getByTestId('stages').textContent();
    for (const stage of ['expert', 'collect', 'baselines', 'distill', 'students', 'evaluate']) expect(stages).toContain(stage);
    expect(await page.locator('[data-testid="stages"] tr.done').count()).toBe(6);

    const cli = await runDdrl(['results', '1', '--json', '--db', dbPath]);
    expect(cli.code, cli.stderr).toBe(0);
    const expected = JSON.parse(cli.stdout) as CliResults;
    const rows = page.getByTestId('results-row');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-method')))).toEqual([...new Set(expected.rows.map((r) => r.method))]);
    for (const row of expected.rows) {
      const cell = page.locator(`[data-testid="results-row"][data-method="${row.method}"] [data-testid="${row.split}-mean"]`);
      expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(row.mean, 9);
    }
    // One error-bar mark per method and split, each with its students' dots.
    expect(await page.getByTestId('result-mark').count()).toBe(expected.rows.length);
    expect(await page.locator('[data-testid="result-mark"][data-method="synthetic"][data-split="id"] circle').count()).toBe(2);

    const config = await page.getByTestId('config-table').textContent();
    expect(config).toContain('distill.size');
    expect(config).toContain('was 150');
    expect(Number(await page.getByTestId('chart-distill').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="chart-distill"] canvas').count()).toBeGreaterThan(0);
    await app.screenshot('run-page');

    // A result mark opens the replay of that method beside the expert, same split, same first level.
    await page.locator('[data-testid="result-mark"][data-method="synthetic"][data-split="ood"]').click();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/replay\/1\?a=e\.\d+\.ood\.0&b=e\.\d+\.ood\.0$/);
    await page.goBack();
    await page.getByTestId('results-table').waitFor();

    // The dataset's episodes, each a link to its replay.
    const run = await callFromPage(page, 'runs.get', { runId: 1 });
    expect(await page.locator('[data-testid="dataset-episodes"] tbody tr').count()).toBe(3);
    await page.locator('[data-testid="dataset-episodes"] tbody tr').nth(1).locator('button').click();
    expect(new URL(page.url()).hash).toBe(`#/replay/1?a=d.${run.datasetId}.1`);
    await page.goBack();
    await page.getByTestId('results-table').waitFor();
  });

  it('comes back on Back from a replay even when the replay rewrites its address as Back begins', async () => {
    const { page } = app;
    const run = await callFromPage(page, 'runs.get', { runId: 1 });
    await page.evaluate(() => (location.hash = '#/runs/1'));
    await page.getByTestId('results-table').waitFor();
    await page.locator('[data-testid="dataset-episodes"] tbody tr').nth(1).locator('button').click();
    await page.getByTestId('pick-episode-A').waitFor();
    // Paused and untouched, the replay leaves its address alone (it once rewrote it every 250 ms).
    const rewrites = await page.evaluate(async () => {
      const replace = history.replaceState.bind(history);
      let count = 0;
      history.replaceState = (...args: Parameters<History['replaceState']>) => (count++, replace(...args));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      history.replaceState = replace;
      return count;
    });
    expect(rewrites).toBe(0);
    // The replay's rewrites of its own address (a step shown 250 ms after a seek, another episode
    // picked) could land between Back's first event and its last: on a loaded machine one did, and
    // pulled the user back to the replay. Here the rewrite comes in the first Back handler after the app's.
    await page.evaluate(() => {
      addEventListener(
        'popstate',
        () => {
          const pick = document.querySelector<HTMLSelectElement>('[data-testid="pick-episode-A"]');
          if (!pick) return;
          pick.value = '2';
          pick.dispatchEvent(new Event('change', { bubbles: true }));
        },
        { once: true },
      );
      history.back();
    });
    await page.getByTestId('results-table').waitFor();
    await page.waitForTimeout(600);
    expect(new URL(page.url()).hash).toBe('#/runs/1');
    await page.goForward();
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/replay/1?a=d.${run.datasetId}.1`);
    await page.goBack();
    await page.getByTestId('results-table').waitFor();
  });
});

describe('the random-policy floor', () => {
  it('shows the random row, its band in the chart, and a warning naming exactly the methods whose interval overlaps it', async () => {
    const { page } = app;
    await page.evaluate(() => (location.hash = '#/runs/1'));
    await page.getByTestId('results-table').waitFor();
    const cli = JSON.parse((await runDdrl(['results', '1', '--json', '--db', dbPath])).stdout) as CliResults;
    expect(await page.locator('[data-testid="results-row"][data-method="random"]').count()).toBe(1);
    // The best constant action, a second floor, right above it, labelled as a floor in the table and the chart.
    const methods = await page.getByTestId('results-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-method')));
    expect(methods.slice(-2)).toEqual(['constant', 'random']);
    expect(await page.locator('[data-testid="results-row"][data-method="constant"] td.floor').textContent()).toMatch(/^constant/);
    expect(await page.locator('[data-testid="results-row"][data-method="constant"] td').last().textContent()).toMatch(
      /^one action always \(.+, the best of 15\)$/,
    );
    expect(await page.locator('[data-testid="results-chart"] text.method.floor').allTextContents()).toEqual(['constant', 'random']);
    expect(await page.getByTestId('random-floor').count()).toBe(2);
    const belowOnSomeSplit = new Set<string>();
    const oneMoveOnSomeSplit = new Set<string>();
    for (const split of ['id', 'ood'] as const) {
      const random = cli.rows.find((r) => r.method === 'random' && r.split === split)!;
      const constant = cli.rows.find((r) => r.method === 'constant' && r.split === split)!;
      const others = cli.rows.filter((r) => r.split === split && r.method !== 'random');
      // The flag is interval overlap, checked here against the intervals themselves.
      for (const r of others) {
        const overlaps = r.ciLow === null || random.ciLow === null || (r.ciLow <= random.ciHigh! && random.ciLow <= r.ciHigh!);
        expect(r.indistinguishableFromRandom, `${r.method} ${split}`).toBe(overlaps);
      }
      // The note names methods; the constant action is a floor, tagged in its row but not named there.
      const named = others.filter((r) => r.method !== 'constant');
      const flagged = named.filter((r) => r.indistinguishableFromRandom).map((r) => r.method);
      const below = named.filter((r) => r.ciHigh !== null && random.ciLow !== null && r.ciHigh < random.ciLow).map((r) => r.method);
      const note = page.locator(`[data-testid="random-floor-note"][data-split="${split}"]`);
      expect(await note.getAttribute('data-noise')).toBe(String(flagged.length + below.length > 0));
      const text = (await note.textContent())!;
      if (flagged.length) expect(/\), (.*) (?:is|are) indistinguishable from a random policy/.exec(text)![1]!.split(/, | and /)).toEqual(flagged);
      else expect(text).toMatch(/every method's 95% interval is clear of the random policy/);
      others.filter((r) => r.ciHigh !== null && random.ciLow !== null && r.ciHigh < random.ciLow).forEach((r) => belowOnSomeSplit.add(r.method));
      if (below.length) expect(/ ([^.:]*) scores? below it/.exec(text)![1]!.split(/, | and /)).toEqual(below);
      else expect(text).not.toMatch(/below it/);
      // Clear above random, with an interval not wholly above the constant action's: one move might score as much.
      const oneMove = named.filter((r) => !r.indistinguishableFromRandom && !below.includes(r.method) && !(constant.ciHigh! < r.ciLow!)).map((r) => r.method);
      oneMove.forEach((m) => oneMoveOnSomeSplit.add(m));
      if (oneMove.length) expect(/ ([^.:]*) clears? it but not the best constant action/.exec(text)![1]!.split(/, | and /)).toEqual(oneMove);
      else expect(text).not.toMatch(/not the best constant action/);
    }
    // Each row flagged on some split carries a tag naming those splits; no other row does.
    const tagged = await page.getByTestId('noise-tag').evaluateAll((els) => els.map((e) => e.closest('tr')!.getAttribute('data-method')));
    expect(tagged).toEqual([...new Set(cli.rows.filter((r) => r.indistinguishableFromRandom).map((r) => r.method))]);
    // Rows under the floor carry their own tag: clear of random is not above it.
    const belowTagged = await page.getByTestId('below-tag').evaluateAll((els) => els.map((e) => e.closest('tr')!.getAttribute('data-method')));
    expect(belowTagged).toEqual([...new Set(cli.rows.map((r) => r.method).filter((m) => belowOnSomeSplit.has(m)))]);
    const oneMoveTagged = await page.getByTestId('constant-tag').evaluateAll((els) => els.map((e) => e.closest('tr')!.getAttribute('data-method')));
    expect(oneMoveTagged).toEqual([...new Set(cli.rows.map((r) => r.method).filter((m) => oneMoveOnSomeSplit.has(m)))]);
    expect(await page.getByTestId('expert-agreement').textContent()).toMatch(
      /^The expert network picks the planner's action on [\d.]+% of (?:the planner's demonstration states|the states it reaches playing itself \(last DAgger round\)); a uniformly random policy would on 6\.7% \(1 in 15\)\.$/,
    );
    await page.getByTestId('results-chart').scrollIntoViewIfNeeded();
    await app.screenshot('run-page-random-floor');

    // The axis fitted to everything draws every mean; fitted to the learners, only teachers' means may be written at the edge.
    const offAxis = () =>
      page
        .locator('[data-testid="results-chart"] [data-testid="off-axis-mean"]')
        .evaluateAll((els) => els.map((e) => e.closest('g')!.getAttribute('data-method')));
    await page.getByTestId('fit-all').click();
    expect(await page.getByTestId('results-chart').getAttribute('data-fit')).toBe('all');
    expect(await offAxis()).toEqual([]);
    expect(await page.locator('[data-testid="result-mark"] rect[transform]').count()).toBe(cli.rows.length);
    await page.getByTestId('fit-learners').click();
    expect(await page.getByTestId('results-chart').getAttribute('data-fit')).toBe('learners');
    const teachers = new Set(cli.rows.filter((r) => r.dataKind === 'expert').map((r) => r.method));
    for (const method of await offAxis()) expect(teachers.has(method!), `${method} is off the learners' axis`).toBe(true);
    expect(await page.locator('[data-testid="result-mark"] rect[transform]').count()).toBe(cli.rows.length - (await offAxis()).length);
  });
});

describe('a new experiment', () => {
  it('validates fields inline with the schema message, then starts a sweep whose runs appear live and can be cancelled', async () => {
    const { page } = app;
    await page.keyboard.press('Control+2');
    const size = page.locator('[data-testid="field-distill.size"]');
    await size.locator('input').fill('5');
    expect(await size.getByRole('alert').textContent()).toContain('must be at least 15');
    expect(await page.getByTestId('start').isDisabled()).toBe(true);
    await size.locator('input').fill('30');
    expect(await size.getByRole('alert').count()).toBe(0);
    await page.getByTestId('sweep-key').selectOption('seed');
    await page.getByTestId('sweep-values').fill('3,4');
    expect(await page.getByTestId('start').textContent()).toContain('Start 2 runs');
    expect(await page.getByTestId('cli-command').textContent()).toBe('ddrl run --preset quick-bigfish --set distill.size=30 --sweep seed=3,4');
    await app.screenshot('new-experiment');
    await page.getByTestId('start').click();

    // Back on the list: the two queued runs arrived through the services.
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(5);
    const runs = await callFromPage(page, 'runs.page', { limit: 2 });
    expect(runs.runs.map((r) => r.label).sort()).toEqual(['seed=3', 'seed=4']);
    expect(runs.runs.map((r) => r.id).sort()).toEqual([4, 5]);
    for (const run of runs.runs) {
      await page.goto(page.url().replace(/#.*$/, `#/runs/${run.id}`));
      await page.getByTestId('cancel-run').click();
      await expect.poll(() => page.locator('h1 [data-testid="run-status"]').textContent(), { timeout: 30_000 }).toBe('cancelled');
    }
  });
});

describe('duplicate and edit', () => {
  it('opens the form filled from a run; the started copy differs from it only in the edited field', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '#/runs/2'));
    await page.getByTestId('duplicate-run').click();
    await page.getByTestId('copied-from').waitFor();
    expect(await page.getByTestId('copied-from').textContent()).toContain('A copy of run 2');
    const size = page.locator('[data-testid="field-distill.size"] input');
    const original = await callFromPage(page, 'runs.get', { runId: 2 });
    expect(await size.inputValue()).toBe(String((original.config['distill'] as { size: number }).size));
    await size.fill('33');
    await app.screenshot('duplicate-and-edit');
    await page.getByTestId('start').click();
    await expect.poll(async () => (await callFromPage(page, 'runs.page', { limit: 1 })).runs[0]!.id).toBe(6);
    const copy = await callFromPage(page, 'runs.get', { runId: 6 });
    const flat = (value: unknown, prefix = ''): [string, string][] =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => flat(v, prefix ? `${prefix}.${k}` : k))
        : [[prefix, JSON.stringify(value)]];
    const before = new Map(flat(original.config));
    const changed = flat(copy.config).filter(([key, value]) => before.get(key) !== value);
    expect(changed).toEqual([['distill.size', '33']]);
    await page.goto(page.url().replace(/#.*$/, '#/runs/6'));
    await page.getByTestId('cancel-run').click();
    const status = page.locator('h1 [data-testid="run-status"]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('cancelled');
    // Resumed from the UI, the copy runs to its end; its log tells both attempts apart.
    await page.getByTestId('resume-run').click();
    await expect.poll(() => status.textContent(), { timeout: 240_000, interval: 1000 }).toBe('succeeded');
    const stages = (await callFromPage(page, 'runs.get', { runId: 6 })).stages;
    expect(stages.every((stage) => stage.status === 'done')).toBe(true);
    await expect.poll(() => page.getByTestId('run-log').textContent()).toMatch(/run\s*(started|resumed)\b.*run\s*succeeded/s);
  }, 300_000);
});

describe('the runs list as a notebook', () => {
  it('shows key results equal to the results, sorts by a column, and keeps tags and notes (markup as text)', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '#/runs/1'));
    await page.getByTestId('run-tags-input').fill('baseline, <b>bold</b>');
    await page.getByTestId('run-notes-input').fill('<img src=x onerror="window.__hacked=1"> first tiny run');
    await page.getByTestId('save-notes').click();
    await page.getByTestId('notes-saved').waitFor();
    await page.getByTestId('run-tags-input').fill('x'.repeat(41));
    expect(await page.getByTestId('notes-problem').textContent()).toContain('tags take at most 40');
    expect(await page.getByTestId('save-notes').isDisabled()).toBe(true);

    await page.goto(page.url().replace(/#.*$/, '#/runs'));
    const row = page.locator('[data-testid="run-row"][data-run-id="1"]');
    await row.waitFor();
    expect(await row.getByTestId('run-tag').allTextContents()).toEqual(['baseline', '<b>bold</b>']);
    expect(await page.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).toBeUndefined();
    const results = await callFromPage(page, 'runs.results', { runId: 1 });
    const mean = (method: string, split: string) => results.rows.find((r) => r.method === method && r.split === split)!.mean;
    const best = ['synthetic', 'synthetic-soft'].sort((a, b) => mean(b, 'id') - mean(a, 'id'))[0]!;
    await expect.poll(() => row.getByTestId('key-result').textContent()).toContain(`${mean(best, 'id').toFixed(1)}/${mean(best, 'ood').toFixed(1)}`);
    expect(await row.getByTestId('key-result').textContent()).toContain(`bc ${mean('bc-100', 'id').toFixed(1)}/${mean('bc-100', 'ood').toFixed(1)}`);
    // The best row's tag says on which splits it is at a random policy's level, as the run page's table does.
    const atRandom = (['id', 'ood'] as const).filter((split) => results.rows.find((r) => r.method === best && r.split === split)!.indistinguishableFromRandom);
    const tag = row.locator('[data-testid="key-result"] [data-testid="noise-tag"]');
    expect(await tag.count()).toBe(atRandom.length ? 1 : 0);
    if (atRandom.length) expect(await tag.getAttribute('title')).toContain(`on ${atRandom.map((s) => s.toUpperCase()).join(' and ')}:`);
    // Search finds the run by its tag; sorting by id ascending puts run 1 first.
    await page.getByTestId('runs-search').fill('baseline');
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    await page.getByTestId('runs-search').fill('');
    await page.getByTestId('sort-id').click();
    await expect.poll(() => page.getByTestId('run-row').first().getAttribute('data-run-id')).toBe('1');
    await app.screenshot('runs-notebook');
    await page.getByTestId('sort-id').click();
  });
});

describe('distributions', () => {
  it("draws the dataset's and the synthetic set's action counts as ddrl export has them, and lists the episodes a percentile keeps", async () => {
    const { page } = app;
    const exported = await runDdrl(['export', '1', '--out', join(dir, 'export-1'), '--db', dbPath]);
    expect(exported.code, exported.stderr).toBe(0);
    const counts = (values: ArrayLike<number>) => {
      const c = new Array<number>(15).fill(0);
      for (const v of Array.from(values)) c[v]!++;
      return c;
    };
    const datasetActions = counts(parseNpy(readFileSync(join(dir, 'export-1', 'dataset', 'actions.npy')), 'actions.npy').data as Int32Array);
    const syntheticLabels = counts(parseNpy(readFileSync(join(dir, 'export-1', 'synthetic', 'labels.npy')), 'labels.npy').data as Uint8Array);
    await page.goto(page.url().replace(/#.*$/, '#/runs/1'));
    await page.getByTestId('toggle-distributions').click();
    await page.getByTestId('action-histogram').waitFor();
    const drawn = async (series: string) => {
      const bars = await page
        .locator(`[data-testid="action-histogram"] rect[data-series="${series}"]`)
        .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-action')), Number(e.getAttribute('data-count'))] as const));
      const c = new Array<number>(15).fill(0);
      for (const [a, n] of bars) c[a] = n;
      return c;
    };
    // Every drawn count equals the export's (actions no series takes are not drawn: 0 both ways).
    expect(await drawn('dataset (transitions)')).toEqual(datasetActions);
    expect(await drawn('synthetic labels')).toEqual(syntheticLabels);
    const distributions = await callFromPage(page, 'runs.distributions', { runId: 1 });
    const cut = distributions.percentileCuts.find((c) => c.percentile === 50)!;
    await page.getByTestId('dist-percentile').selectOption('50');
    await expect.poll(() => page.getByTestId('dist-episode').count()).toBe(cut.episodes.length);
    await page.getByTestId('distributions').scrollIntoViewIfNeeded();
    await app.screenshot('run-page-distributions');
  });
});

describe('comparing runs', () => {
  it('shows both runs results side by side and only the config keys that differ', async () => {
    const { page } = app;
    await page.keyboard.press('Control+1');
    await page.locator('[data-run-id="1"] input[type="checkbox"]').check();
    await page.locator('[data-run-id="2"] input[type="checkbox"]').check();
    await page.getByTestId('compare-selected').click();
    await page.getByTestId('config-diff').waitFor();
    expect(await page.getByTestId('compared-run').count()).toBe(2);
    const keys = await page.locator('[data-testid="config-diff-row"] td.key').allTextContents();
    expect(keys).toEqual(expect.arrayContaining(['distill.size', 'expert.source', 'expert.reuseRunId', 'collect.datasetId']));
    expect(keys).not.toContain('game');
    const [one, two] = await Promise.all([callFromPage(page, 'runs.results', { runId: 1 }), callFromPage(page, 'runs.results', { runId: 2 })]);
    expect(await page.getByTestId('result-mark').count()).toBe(one.rows.length + two.rows.length);
    // The runs differ in one swept number: return against it, one point per run and method
    // (run 1 also has the planner's row: run 2 reuses its expert network and has no planner).
    expect(await page.getByTestId('sweep-key').inputValue()).toBe('distill.size');
    const idRows = [...one.rows, ...two.rows].filter((r) => r.split === 'id').length;
    expect(await page.locator('[data-testid="sweep-chart"]').first().locator('circle').count()).toBe(idRows);
    await app.screenshot('compare');
  });

  it('pools runs that differ only in seed into one mark per method with the interval over runs', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '#/compare?runs=2,3'));
    await page.getByTestId('pool-seeds').waitFor();
    const [two, three] = await Promise.all([callFromPage(page, 'runs.results', { runId: 2 }), callFromPage(page, 'runs.results', { runId: 3 })]);
    await expect.poll(() => page.getByTestId('result-mark').count()).toBe(two.rows.length + three.rows.length);
    expect(await page.locator('[data-testid="config-diff-row"] td.key').allTextContents()).toEqual(['seed']);
    await page.getByTestId('pool-seeds').check();
    await expect.poll(() => page.getByTestId('result-mark').count()).toBe(two.rows.length);
    const synthetic = (r: typeof two) => r.rows.find((row) => row.method === 'synthetic' && row.split === 'id')!.mean;
    const pooled = page.locator('[data-testid="results-row"][data-method="synthetic"] [data-testid="id-mean"]');
    expect(Number(await pooled.getAttribute('data-value'))).toBeCloseTo((synthetic(two) + synthetic(three)) / 2, 9);
    expect(await page.locator('[data-testid="results-row"][data-method="synthetic"]').textContent()).toContain('#2 #3 (2 seeds)');
    await app.screenshot('compare-seeds');
  });
});
