/**
 * Runs executed in a Node.js child process, as the Electron app executes them (where
 * the WebGPU backend works): through the real services, with real tiny runs. A
 * wrapper stands in for `node` so the tests see which process executed the run.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AboutInfo } from '@shared/api/about.ts';
import type { ApiEvent } from '@shared/api/events.ts';
import { startServices, type AppServices } from '../services/app-services.ts';
import { processAlive } from '../storage/run-owner.ts';
import { vulkanEnvironment } from '../learning/testing/vulkan-driver.ts';
import { query } from './testing/query.ts';
import { TINY_SETTINGS } from './testing/tiny-run.ts';

const REPO = resolve(import.meta.dirname, '../..');
const SETTINGS = [...TINY_SETTINGS, 'distill.size=15'];

let dir: string;
/** A `node` that writes its pid to `pids` and then is Node.js. */
let node: string;
const pids = () => readFileSync(join(dir, 'pids'), 'utf8').trim().split('\n').filter(Boolean).map(Number);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-run-process-'));
  node = join(dir, 'node');
  writeFileSync(join(dir, 'pids'), '');
  writeFileSync(node, `#!/bin/sh\necho $$ >> ${JSON.stringify(join(dir, 'pids'))}\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
  chmodSync(node, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Services whose runs execute in a child process of `runNode`, and every event they emit. */
function servicesWith(runNode: string, name: string): { services: AppServices; events: ApiEvent[]; status(runId: number): Promise<ApiEvent> } {
  const services = startServices({ dbPath: join(dir, `${name}.sqlite`), runtime: 'node', runPlace: { kind: 'process', node: runNode, sourceRoot: REPO } });
  const events: ApiEvent[] = [];
  const waiting: ((event: ApiEvent) => void)[] = [];
  services.events.subscribe((event) => {
    events.push(event);
    waiting.forEach((w) => w(event));
  });
  const status = (runId: number) =>
    new Promise<ApiEvent>((done) => waiting.push((e) => e.type === 'run-status' && e.runId === runId && !['queued', 'running'].includes(e.status) && done(e)));
  return { services, events, status };
}

async function start(services: AppServices): Promise<number> {
  const reply = await services.dispatch('runs.start', { preset: 'quick-bigfish', set: SETTINGS });
  if (!reply.ok) throw new Error(reply.error.message);
  return (reply.output as { runIds: number[] }).runIds[0]!;
}

describe('runs executed in a Node.js child process', () => {
  it('executes every stage there, its progress and log reaching the services', async () => {
    const { services, events, status } = servicesWith(node, 'done');
    const runId = await start(services);
    const end = await status(runId);
    expect(end).toMatchObject({ type: 'run-status', status: 'succeeded' });
    expect(pids()).toHaveLength(1);
    expect(pids()[0]).not.toBe(process.pid);
    expect(query<{ status: string }>(services.db.path, 'SELECT status FROM stages WHERE run_id = ?', runId).map((s) => s.status)).toEqual(
      Array(6).fill('done'),
    );
    expect(events.some((e) => e.type === 'progress' && e.runId === runId)).toBe(true);
    expect(events.some((e) => e.type === 'log' && e.runId === runId && e.message === 'succeeded')).toBe(true);
    // The About view says where runs execute, and on the backend that Node.js loads (here the same as this process's).
    const about = await services.dispatch('about.get', {});
    const info = about.ok ? (about.output as AboutInfo) : null;
    expect(info?.runs).toMatchObject({ place: 'process', node, probeError: null, tensorflow: { backend: info?.tensorflow.backend } });
    services.close();
  }, 300_000);

  it('cancels it there, keeping what it finished', async () => {
    const { services, events, status } = servicesWith(node, 'cancel');
    const runId = await start(services);
    await new Promise<void>((done) => {
      const poll = setInterval(() => events.some((e) => e.type === 'progress' && e.runId === runId) && (clearInterval(poll), done()), 20);
    });
    await services.dispatch('runs.cancel', { runId });
    expect(await status(runId)).toMatchObject({ status: 'cancelled' });
    services.close();
  }, 300_000);

  it('fails the run with a message naming a Node.js that cannot start', async () => {
    const { services, status } = servicesWith(join(dir, 'no-such-node'), 'missing');
    const runId = await start(services);
    const end = await status(runId);
    expect(end).toMatchObject({ status: 'failed' });
    expect(end.type === 'run-status' && end.message).toContain(`could not start the run's Node.js process (${join(dir, 'no-such-node')})`);
    services.close();
  }, 60_000);

  it('stops the run when the process that started it dies, leaving no process behind', async () => {
    const before = pids().length;
    const db = join(dir, 'orphan.sqlite');
    const parent = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'main/pipeline/testing/queue-in-child.ts'), db, node, ...SETTINGS], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const runId = await new Promise<number>((done, fail) => {
      parent.stdout!.on('data', (chunk: Buffer) => {
        const match = /progress (\d+)/.exec(chunk.toString());
        if (match) done(Number(match[1]));
      });
      parent.on('exit', (code) => fail(new Error(`the parent exited (${code}) before its run reported progress`)));
    });
    const child = pids()[before]!;
    expect(processAlive(child)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 60_000;
    while (processAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(processAlive(child)).toBe(false);
    // It recorded its own end: cancelled (resumable), not left 'running'.
    expect(query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = ?', runId)[0]?.status).toBe('cancelled');
  }, 300_000);
});

describe('a run on the webgpu backend in a Node.js child process', () => {
  const vulkan = vulkanEnvironment();
  // Only its start: a whole tiny run takes over 15 minutes on a software rasteriser (every shader compiled on
  // the CPU). That the webgpu backend trains like wasm is webgpu.test.ts's; here, that it starts where runs execute.
  it.skipIf(!('env' in vulkan))(
    `starts training there on ${'driver' in vulkan ? vulkan.driver : 'no Vulkan driver'}, its log naming the adapter`,
    async () => {
      if (!('env' in vulkan)) return;
      // The Vulkan driver's environment must be there when the process starts (the linker reads it then): the wrapper sets it.
      const gpuNode = join(dir, 'gpu-node');
      const exports = ['VK_ICD_FILENAMES', 'LD_LIBRARY_PATH']
        .filter((name) => vulkan.env[name])
        .map((name) => `export ${name}=${JSON.stringify(vulkan.env[name])}\n`)
        .join('');
      writeFileSync(gpuNode, `#!/bin/sh\n${exports}export DDRL_BACKEND=webgpu\nexec ${JSON.stringify(process.execPath)} "$@"\n`);
      chmodSync(gpuNode, 0o755);
      const { services, events, status } = servicesWith(gpuNode, 'webgpu');
      const runId = await start(services);
      const ended = status(runId);
      await new Promise<void>((done) => {
        const poll = setInterval(() => events.some((e) => e.type === 'progress' && e.runId === runId) && (clearInterval(poll), done()), 20);
      });
      const started = events.find((e) => e.type === 'log' && e.runId === runId && e.stage === null);
      expect(started?.type === 'log' && started.message).toMatch(/^started on TensorFlow\.js webgpu \(.+\)$/);
      const about = await services.dispatch('about.get', {});
      expect(about.ok && (about.output as AboutInfo).runs).toMatchObject({
        place: 'process',
        tensorflow: { backend: 'webgpu', gpuAdapter: { fallback: !vulkan.driver.includes('system') } },
      });
      await services.dispatch('runs.cancel', { runId });
      expect(await ended).toMatchObject({ status: 'cancelled' });
      services.close();
    },
    300_000,
  );
});
