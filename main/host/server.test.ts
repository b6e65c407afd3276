import type { ServerMessage } from '@shared/api/protocol.ts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startServices, type AppServices } from '../services/app-services.ts';
import { latestSchemaVersion } from '../storage/migrations/index.ts';
import { startHost, type RunningHost } from './server.ts';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { presetConfig } from '@shared/config/presets.ts';
import { createExperiment } from '../storage/runs.ts';
import { thisProcess } from '../storage/run-owner.ts';

let dir: string;
let services: AppServices;
let host: RunningHost;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-host-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>DDRL Studio</title></head><body></body></html>');
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

  it("carries the runs list's first page in the page as a data block that no label can break out of", async () => {
    const label = '</script><script>alert(1)</script>';
    createExperiment(services.db.connection, { name: 'e', preset: null }, [{ label, config: parseExperimentConfig({ game: 'jumper' }) }], thisProcess);
    const html = await (await fetch(host.url)).text();
    const block = /<script type="application\/json" id="ddrl-initial-runs">(.*?)<\/script><\/head>/s.exec(html);
    expect(block).not.toBeNull();
    expect(html).not.toContain('<script>alert(1)');
    const page = JSON.parse(block![1]!) as { total: number; runs: { label: string }[] };
    expect(page.runs.map((run) => run.label)).toContain(label);
    const direct = await services.dispatch('runs.page', { offset: 0, limit: 100 });
    expect(direct.ok && direct.output).toEqual(page);
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

/** A raw TCP connection upgraded to a WebSocket by hand, for frames no WebSocket library would send. */
async function rawWebSocket(): Promise<{ socket: Socket; closed: Promise<Buffer> }> {
  const socket = connect(host.port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk) => received.push(chunk));
  const closed = new Promise<Buffer>((resolve) => socket.on('close', () => resolve(Buffer.concat(received))));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET /api/ws?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  );
  while (!Buffer.concat(received).includes('\r\n\r\n')) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
  received.length = 0;
  return { socket, closed };
}

/** A client frame: FIN + opcode, masked with a zero key unless `masked` is false. */
function frame(opcode: number, payload: Buffer, masked = true): Buffer {
  return Buffer.concat([Buffer.of(0x80 | opcode, (masked ? 0x80 : 0) | payload.length), masked ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

describe('the headless host under protocol abuse', () => {
  const badFrames: [string, Buffer, number][] = [
    ['an unmasked frame', Buffer.from('81026869', 'hex'), 1002],
    ['invalid UTF-8 in a text frame', frame(0x1, Buffer.of(0xff, 0xfe, 0xfd)), 1007],
    ['an unknown opcode', frame(0x3, Buffer.alloc(0)), 1002],
    // 9 MiB declared in the 64-bit length: refused from the header, before any payload.
    ['a message over the size limit', Buffer.concat([Buffer.of(0x81, 0xff), Buffer.from('0000000000900000', 'hex'), Buffer.alloc(4)]), 1009],
  ];

  it.each(badFrames)('closes only the client that sends %s, logs it once and keeps serving', async (_what, bytes, code) => {
    const { socket: bystander, next } = await openSocket(`?token=${host.token}`);
    const before = logged.length;
    const { socket, closed } = await rawWebSocket();
    socket.write(bytes);
    const reply = await closed;
    // The host's close frame carries the protocol's status code for the fault.
    expect(reply[0]).toBe(0x88);
    expect(reply.readUInt16BE(2)).toBe(code);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logged.slice(before).filter((line) => line.startsWith('closed the client from 127.0.0.1'))).toHaveLength(1);
    bystander.send(JSON.stringify({ type: 'call', id: 1, call: 'about.get', input: {} }));
    expect(await next()).toMatchObject({ type: 'result', id: 1 });
    bystander.close();
    expect((await post('/api/call/about.get', '{}', { Authorization: `Bearer ${host.token}` })).status).toBe(200);
  });

  it('answers a bad percent-encoding with 400, an oversized body with 413 and a foreign Host header with 403', async () => {
    const auth = { Authorization: `Bearer ${host.token}` };
    const badName = await post('/api/call/%E0%A4%A', '{}', auth);
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ error: { code: 'bad_message', message: expect.stringContaining('not valid percent-encoding') } });
    const huge = await post('/api/call/about.get', 'x'.repeat(9 * 1024 * 1024), auth);
    expect(huge.status).toBe(413);
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { Host: `rebound.example:${host.port}` } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    expect(await upgradeStatus(`/api/ws?token=${host.token}`, { Host: 'rebound.example' })).toBe(403);
  });
});

describe('a client flooding the host with calls', () => {
  it('has at most its limit of calls dispatched at once, and every call answered', async () => {
    // The real services, with the number of calls being dispatched at once counted around them.
    let dispatching = 0;
    let most = 0;
    const counted: AppServices = {
      ...services,
      dispatch: async (call, input, signal) => {
        most = Math.max(most, ++dispatching);
        try {
          return await services.dispatch(call, input, signal);
        } finally {
          dispatching--;
        }
      },
    };
    const limits = { callsInFlight: 2, unsentBytes: 1024 * 1024, dropAfterBytes: 64 * 1024 * 1024 };
    const limited = await startHost({ services: counted, rendererDir: dir, host: '127.0.0.1', port: 0, clientLimits: limits });
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${limited.port}/api/ws?token=${limited.token}`);
      const answered = new Set<number>();
      const all = new Promise<void>((resolve) =>
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as ServerMessage;
          if (message.type === 'result') answered.add(message.id);
          if (answered.size === 40) resolve();
        }),
      );
      await new Promise((resolve) => socket.once('open', resolve));
      for (let id = 0; id < 40; id++) socket.send(JSON.stringify({ type: 'call', id, call: 'runs.list', input: {} }));
      await all;
      expect(most).toBe(2);
      socket.close();
    } finally {
      await limited.close();
    }
  });
});

describe('a client that never reads its replies', () => {
  it('is no longer read once its replies back up (the host stops dispatching its calls), and gets every reply when it reads again', async () => {
    // 1000 runs make every runs.list reply about a megabyte: a few fill the loopback's socket buffers.
    const own = startServices({ dbPath: join(dir, 'never-reads.sqlite'), runtime: 'node' });
    const config = parseExperimentConfig(presetConfig('quick-bigfish'));
    createExperiment(
      own.db.connection,
      { name: 'many', preset: null },
      Array.from({ length: 1000 }, (_, i) => ({ label: `run ${i}`, config })),
      thisProcess,
    );
    let dispatched = 0;
    const counted: AppServices = {
      ...own,
      dispatch: (call, input, signal) => {
        dispatched++;
        return own.dispatch(call, input, signal);
      },
    };
    const limits = { callsInFlight: 2, unsentBytes: 1024 * 1024, dropAfterBytes: 1024 * 1024 * 1024 };
    const limited = await startHost({ services: counted, rendererDir: dir, host: '127.0.0.1', port: 0, clientLimits: limits });
    const calls = 80;
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${limited.port}/api/ws?token=${limited.token}`);
      let answered = 0;
      const all = new Promise<void>((resolve) =>
        socket.on('message', (data) => {
          if ((JSON.parse(String(data)) as ServerMessage).type === 'result' && ++answered === calls) resolve();
        }),
      );
      await new Promise((resolve) => socket.once('open', resolve));
      socket.pause();
      for (let id = 0; id < calls; id++) socket.send(JSON.stringify({ type: 'call', id, call: 'runs.list', input: {} }));
      // Wait until the host stops dispatching: it has stopped reading this client.
      let before = -1;
      while (before !== dispatched) {
        before = dispatched;
        await new Promise((r) => setTimeout(r, 1500));
      }
      expect(dispatched).toBeLessThan(calls / 2);
      socket.resume();
      await all;
      expect(dispatched).toBe(calls);
      socket.close();
    } finally {
      await limited.close();
      own.close();
    }
  }, 120_000);
});
