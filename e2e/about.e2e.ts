import { aboutInfo, type AboutInfo } from '@shared/api/about.ts';
import { describeGpuAdapter } from '@shared/api/about-text.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppWindow } from './app-window.ts';
import { repoRoot, runDdrl } from './host-process.ts';

let dir: string;
let dbPath: string;
let app: AppWindow;
let expected: AboutInfo;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-about-'));
  dbPath = join(dir, 'ddrl.sqlite');
  app = await openApp(dbPath);
  // The app opens on Runs; About is a section like the others.
  await app.page.keyboard.press('Control+9');
  await app.page.getByTestId('about-version').waitFor();
  // What the CLI reads from the same database file: the page must show the same facts.
  const cli = await runDdrl(['about', '--json', '--db', dbPath]);
  expect(cli.code, cli.stderr).toBe(0);
  expected = aboutInfo.parse(JSON.parse(cli.stdout));
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the About view', () => {
  it('shows the version, backend and database read from the real services', async () => {
    const { page } = app;
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    await expect.poll(() => page.getByTestId('about-version').textContent()).toBe(version);
    expect(await page.getByTestId('about-backend').textContent()).toBe(expected.tensorflow.backend);
    expect(await page.getByTestId('about-tfjs-version').textContent()).toBe(expected.tensorflow.version);
    expect(await page.getByTestId('about-db-path').textContent()).toBe(dbPath);
    expect(await page.getByTestId('about-schema').textContent()).toBe(`version ${expected.database.schemaVersion} of ${expected.database.latestSchemaVersion}`);
    // The creation time is stored in the file at its first open: the same value proves the page read this database.
    const created = expected.database.createdAt.slice(0, 19).replace('T', ' ');
    expect(await page.getByTestId('about-created').textContent()).toBe(`${created} UTC`);
    const backends = await page.getByTestId('about-backends').textContent();
    for (const fallback of expected.tensorflow.fallbacks) expect(backends).toContain(fallback.reason);
    expect(await page.getByTestId('about-native-kernels').textContent()).toContain(expected.tensorflow.nativeKernels.detail);
    const adapter = expected.tensorflow.gpuAdapter;
    expect(await page.getByTestId('about-gpu-adapter').textContent()).toBe(
      adapter ? describeGpuAdapter(adapter) : `none (the ${expected.tensorflow.backend} backend runs on the CPU)`,
    );
    // Runs execute in a child Node.js (the desktop app's way; the test host runs with --runs-in process), whose backend is the CLI's.
    const runs =
      app.kind === 'electron' ? 'a Node.js child process' : `a Node.js child process (${process.execPath}): TensorFlow.js ${expected.tensorflow.backend}`;
    await expect.poll(() => page.getByTestId('about-runs').textContent()).toContain(runs);
  });

  it('shows the connection, backend and database in the status bar', async () => {
    const { page } = app;
    const transport = app.kind === 'electron' ? 'Electron IPC' : 'WebSocket';
    expect(await page.getByTestId('status-connection').textContent()).toContain(`Connected · ${transport}`);
    const backend = await page.getByTestId('status-backend').textContent();
    expect(backend).toContain(expected.tensorflow.backend);
    expect(backend?.includes('native')).toBe(expected.tensorflow.nativeKernels.active);
    expect(await page.getByTestId('status-database').getAttribute('title')).toBe(dbPath);
    expect(await page.title()).toBe('About · DDRL Studio');
    const path = await app.screenshot('about');
    expect(readFileSync(path).length).toBeGreaterThan(10_000);
  });

  it('opens a section with Ctrl+digit (recorded in the URL hash) and moves focus with Tab', async () => {
    const { page } = app;
    await page.keyboard.press('Control+1');
    expect(new URL(page.url()).hash).toBe('#/runs');
    expect(await page.locator('nav button[aria-current="page"]').textContent()).toContain('Runs');
    await page.keyboard.press('Control+9');
    expect(new URL(page.url()).hash).toBe('#/about');
    expect(await page.locator('nav button[aria-current="page"]').textContent()).toContain('About');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(focused).toContain('Runs');
  });
});
