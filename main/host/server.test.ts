import type { ServerMessage } from '@shared/api/protocol.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServices, type AppServices } from '../services/app-services.ts';
import { latestSchemaVersion } from '../storage/migrations/index.ts';
import { startHost, type RunningHost } from './server.ts';

let dir: string;
let services: AppServices;
let host: RunningHost;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>DDRL Studio</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  services = startServices({ dbPath: join(dir, 'ddrl.sqlite'), runtime: 'node' });
  host = await startHost({ services, rendererDir, host: '127.0.0.1', port: 0, log: (line) => logged.push(line) });
  base = `http://127.0.0.1:${host.port}`;
});
afterAll(async () => {
  await host.close();
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: 'POST', body, headers });

/** A WebSocket to the host and the messages it receives, in order. */
async function openSocket(query: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws${query}`, { headers });
  const received: ServerMessage[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as ServerMessage);
    waiters.splice(0).forEach((wake) => wake());
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  const next = async (): Promise<ServerMessage> => {
    while (received.length === 0) await new Promise<void>((wake) => waiters.push(wake));
    return received.shift()!;
  };
  return { socket, next };
}

/** The status of a raw WebSocket upgrade request. */
function upgradeStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: host.port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('response', (response) => resolve(response.statusCode ?? 0));
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the headless host over HTTP', () => {
  it('prints a URL that carries the token and serves the page with a strict CSP', async () => {
    expect(host.url).toBe(`${base}/?token=${host.token}`);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses the page without the token or with a wrong one', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect(await (await fetch(`${base}/?token=nope`)).text()).toContain('Wrong token');
  });

  it('answers a call with the token, as Bearer or query parameter', async () => {
    const viaHeader = await post('/api/call/about.get', '{}', { Authorization: `Bearer ${host.token}` });
    expect(viaHeader.status).toBe(200);
    expect(((await viaHeader.json()) as { ok: boolean }).ok).toBe(true);
    expect((await post(`/api/call/about.get?token=${host.token}`, '')).status).toBe(200);
  });

  it('refuses a call without the token, with a wrong token or from another origin', async () => {
    const missing = await post('/api/call/about.get', '{}');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('Missing token') } });
    expect((await post('/api/call/about.get', '{}', { Authorization: 'Bearer forged' })).status).toBe(401);
    const foreign = await post(`/api/call/about.get?token=${host.token}`, '{}', { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
  });

  it('reports a bad body, an unknown call and invalid input with their own statuses', async () => {
    const auth = { Authorization: `Bearer ${host.token}` };
    const notJson = await post('/api/call/about.get', '{oops', auth);
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'bad_message' } });
    expect((await post('/api/call/nothing.here', '{}', auth)).status).toBe(404);
    expect(await (await post('/api/call/about.get', '{"x":1}', auth)).json()).toMatchObject({ error: { code: 'invalid_input' } });
  });

  it('never serves files outside the renderer folder', async () => {
    const escaped = await fetch(`${base}/..%2fsecret.txt`);
    expect(escaped.status).toBe(404);
    expect(await escaped.text()).not.toContain('outside the renderer');
  });
});

describe('the headless host over WebSocket', () => {
  it('refuses an upgrade without the token, with a wrong one or from another origin', async () => {
    expect(await upgradeStatus('/api/ws')).toBe(401);
    expect(await upgradeStatus('/api/ws?token=forged')).toBe(401);
    expect(await upgradeStatus(`/api/ws?token=${host.token}`, { Origin: 'https://evil.example' })).toBe(403);
    expect(await upgradeStatus(`/api/ws?token=${host.token}`, { Origin: base })).toBe(101);
    expect(logged).toContain('refused GET /api/ws from 127.0.0.1: Missing token: open the URL that `ddrl serve` printed (it ends with ?token=...).');
    expect(logged.some((line) => line.startsWith('refused GET /api/ws from 127.0.0.1: Origin https://evil.example is not allowed'))).toBe(true);
    expect(logged.some((line) => line.startsWith('client connected from 127.0.0.1'))).toBe(true);
  });

  it('answers calls by id and pushes events', async () => {
    const { socket, next } = await openSocket(`?token=${host.token}`);
    socket.send(JSON.stringify({ type: 'call', id: 7, call: 'about.get', input: {} }));
    expect(await next()).toMatchObject({ type: 'result', id: 7, output: { database: { schemaVersion: latestSchemaVersion } } });
    services.events.emit({ type: 'run-status', runId: 3, status: 'running' });
    expect(await next()).toEqual({ type: 'event', event: { type: 'run-status', runId: 3, status: 'running' } });
    socket.close();
  });

  it('answers forged messages with an error naming the problem and stays usable', async () => {
    const { socket, next } = await openSocket(`?token=${host.token}`);
    socket.send('not json at all');
    expect(await next()).toMatchObject({ type: 'error', id: null, error: { code: 'bad_message', message: expect.stringContaining('not valid JSON') } });
    socket.send(JSON.stringify({ type: 'call', id: 4, call: 42 }));
    expect(await next()).toMatchObject({ type: 'error', id: 4, error: { code: 'bad_message', message: expect.stringContaining('message.call') } });
    socket.send(JSON.stringify({ type: 'subscribe', id: -1 }));
    expect(await next()).toMatchObject({ type: 'error', id: null, error: { code: 'bad_message' } });
    socket.send(JSON.stringify({ type: 'call', id: 5, call: 'about.get', input: { admin: true } }));
    expect(await next()).toMatchObject({ type: 'error', id: 5, error: { code: 'invalid_input' } });
    socket.send(JSON.stringify({ type: 'call', id: 6, call: 'about.get', input: {} }));
    expect(await next()).toMatchObject({ type: 'result', id: 6 });
    socket.close();
  });
});
