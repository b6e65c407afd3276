import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { openDatabase } from '../main/storage/database.ts';
import { createExperiment, setRunStatus } from '../main/storage/runs.ts';
import { openApp, type AppWindow } from './app-window.ts';

// A run whose process died shows 'interrupted' on its page, and Resume continues it in the host.
let dir: string;
let app: AppWindow;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-interrupted-'));
  const dbPath = join(dir, 'ddrl.sqlite');
  const db = openDatabase({ path: dbPath });
  // Executing under a process that no longer exists (a pid above Linux's default pid_max), as after kill -9.
  const { runIds } = createExperiment(
    db.connection,
    { name: 'killed host', preset: 'paper-jumper' },
    [{ label: 'paper-jumper', config: parseExperimentConfig(presetConfig('paper-jumper')) }],
    { id: 'gone:1', pid: 4_194_305 },
  );
  setRunStatus(db.connection, runIds[0]!, 'running');
  db.close();
  app = await openApp(dbPath);
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an interrupted run', () => {
  it('shows its status, resumes from the run page and can be cancelled again', async () => {
    const { page } = app;
    await page.evaluate(() => (location.hash = '#/runs/1'));
    const badge = page.locator('h1 [data-testid="run-status"]');
    await expect.poll(() => badge.textContent()).toBe('interrupted');
    expect(await page.getByTestId('cancel-run').count()).toBe(0);
    await app.screenshot('run-interrupted');

    await page.getByTestId('resume-run').click();
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe('running');
    await app.screenshot('run-resumed');

    await page.getByTestId('cancel-run').click();
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe('cancelled');
    expect(await page.getByTestId('resume-run').count()).toBe(1);
  });

  it('resumes, cancels and duplicates from its row in the runs list', async () => {
    const { page } = app;
    await page.evaluate(() => (location.hash = '#/runs'));
    const row = page.locator('[data-testid="run-row"][data-run-id="1"]');
    const badge = row.getByTestId('run-status');
    await expect.poll(() => badge.textContent()).toBe('cancelled');
    expect(await row.getByTestId('row-cancel').count()).toBe(0);
    await row.getByTestId('row-resume').click();
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toMatch(/^(queued|running)$/);
    await app.screenshot('runs-row-actions');
    await page.emulateMedia({ colorScheme: 'dark' });
    await app.screenshot('runs-row-actions-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await row.getByTestId('row-cancel').click();
    await expect.poll(() => badge.textContent(), { timeout: 30_000 }).toBe('cancelled');
    await row.getByTestId('row-duplicate').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#\/new\?(.*&)?from=1(&|$)/);
    await page.getByTestId('copied-from').waitFor();
    expect(await page.getByTestId('copied-from').textContent()).toContain('A copy of run 1');
    expect(await page.getByTestId('preset').inputValue()).toBe('paper-jumper');
  });
});
