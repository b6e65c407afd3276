import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './app-window.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';

let dir: string;
let host: HostProcess;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-connection-'));
  host = await startHostProcess(join(dir, 'ddrl.sqlite'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('losing the host', () => {
  it('tells the user the connection dropped and what to do', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}#/about`);
    await page.getByTestId('about-version').waitFor();
    await host.stop();
    const banner = page.getByRole('alert');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('open the new URL it printed');
    expect(await page.getByTestId('status-connection').textContent()).toContain('Reconnecting');
    // What was already read stays on screen.
    expect(await page.getByTestId('about-version').isVisible()).toBe(true);
  });
});
