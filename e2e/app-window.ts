import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, chromium, type Browser, type Page } from 'playwright-core';
import { electronAvailability } from '../scripts/electron-binary.ts';
import { buildElectronSqlite } from '../scripts/electron-native.ts';
import { repoRoot, startHostProcess, type HostProcess } from './host-process.ts';

export const screenshotDir = join(repoRoot, 'e2e', 'screenshots');
const viewport = { width: 1280, height: 800 };

const chromiumPath = '/usr/bin/chromium';

/** Debian's Chromium, never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's Chromium as root (apt-get update && apt-get install -y chromium), or run .ci/run.`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The app under test: an Electron window when its binary exists, else the headless host in Chromium. */
export interface AppWindow {
  readonly kind: 'electron' | 'chromium';
  readonly page: Page;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

async function screenshotOf(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Opens the app on a database file. The same specs run against Electron through
 * Playwright's `_electron` on a machine where its binary installed.
 */
export async function openApp(dbPath: string, log: (line: string) => void = console.log): Promise<AppWindow> {
  const electron = electronAvailability();
  if (electron.available && process.env.DDRL_E2E_SURFACE !== 'chromium') {
    await buildElectronSqlite(electron.version);
    const app = await _electron.launch({ executablePath: electron.executable, args: [repoRoot, `--db=${dbPath}`], cwd: repoRoot });
    const page = await app.firstWindow();
    await page.setViewportSize(viewport);
    return { kind: 'electron', page, screenshot: (name) => screenshotOf(page, name), close: () => app.close() };
  }
  if (!electron.available) log(`e2e: Electron not available (${electron.reason}); running in Chromium against the headless host.`);
  let host: HostProcess | undefined;
  let browser: Browser | undefined;
  try {
    host = await startHostProcess(dbPath);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport });
    await page.goto(host.url);
    const [openedHost, openedBrowser] = [host, browser];
    return {
      kind: 'chromium',
      page,
      screenshot: (name) => screenshotOf(page, name),
      close: async () => {
        await openedBrowser.close();
        await openedHost.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await host?.stop();
    throw error;
  }
}
