import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './app-window.ts';
import { startHostProcess, type HostProcess } from './host-process.ts';

// These specs are about the headless host, so they always run in Chromium.
let dir: string;
let host: HostProcess;
let browser: Browser;
let page: Page;
let foreignSite: Server;
let foreignOrigin: string;

/** Opens a WebSocket from the page; resolves to what happened first. */
function tryWebSocket(target: Page, url: string): Promise<string> {
  return target.evaluate(
    (endpoint) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(endpoint);
        socket.onopen = () => {
          socket.close();
          resolve('open');
        };
        socket.onclose = () => resolve('refused');
      }),
    url,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-security-'));
  host = await startHostProcess(join(dir, 'ddrl.sqlite'));
  browser = await launchChromium();
  page = await browser.newPage();
  // Another site on the same machine, as a malicious page in the user's browser would be.
  foreignSite = createServer((_request, response) => response.end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((resolve) => foreignSite.listen(0, '127.0.0.1', resolve));
  foreignOrigin = `http://127.0.0.1:${(foreignSite.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  foreignSite?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the host token and origin checks', () => {
  it('refuses the page without the token and explains where to find it', async () => {
    const response = await page.goto(host.origin + '/');
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('Missing token: open the URL that `ddrl serve` printed');
  });

  it('refuses API calls without the token from the app page itself', async () => {
    await page.goto(`${host.url}#/about`);
    await page.getByTestId('about-version').waitFor();
    const statuses = await page.evaluate(async (token) => {
      const call = (headers: Record<string, string>) => fetch('/api/call/about.get', { method: 'POST', body: '{}', headers }).then((r) => r.status);
      return { without: await call({}), wrong: await call({ Authorization: 'Bearer forged' }), right: await call({ Authorization: `Bearer ${token}` }) };
    }, host.token);
    expect(statuses).toEqual({ without: 401, wrong: 401, right: 200 });
  });

  it('refuses a WebSocket without the right token', async () => {
    const ws = host.origin.replace('http', 'ws') + '/api/ws';
    expect(await tryWebSocket(page, ws)).toBe('refused');
    expect(await tryWebSocket(page, `${ws}?token=forged`)).toBe('refused');
    expect(await tryWebSocket(page, `${ws}?token=${host.token}`)).toBe('open');
  });

  it('refuses a WebSocket from another origin even with the token', async () => {
    const foreign = await browser.newPage();
    await foreign.goto(foreignOrigin);
    expect(await tryWebSocket(foreign, `${host.origin.replace('http', 'ws')}/api/ws?token=${host.token}`)).toBe('refused');
    await foreign.close();
  });

  it('answers a forged WebSocket message with an error and keeps serving', async () => {
    await page.goto(host.url);
    const replies = await page.evaluate(
      (endpoint) =>
        new Promise<unknown[]>((resolve) => {
          const socket = new WebSocket(endpoint);
          const received: unknown[] = [];
          socket.onmessage = (message) => {
            received.push(JSON.parse(String(message.data)));
            if (received.length === 2) resolve(received);
          };
          socket.onopen = () => {
            socket.send(JSON.stringify({ type: 'call', id: 'one', call: ['about.get'] }));
            socket.send(JSON.stringify({ type: 'call', id: 2, call: 'about.get', input: {} }));
          };
        }),
      `${host.origin.replace('http', 'ws')}/api/ws?token=${host.token}`,
    );
    expect(replies[0]).toMatchObject({ type: 'error', id: null, error: { code: 'bad_message', message: expect.stringMatching(/message\.id.*message\.call/) } });
    expect(replies[1]).toMatchObject({ type: 'result', id: 2 });
  });
});
