/**
 * The watcher of runs other processes execute: a real `ddrl run` in another process on the same
 * database file reaches this process's clients as 'run-status', 'progress' and 'log' events, every
 * stored line once; a run the services execute themselves is not reported twice.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '@shared/api/events.ts';
import BetterSqlite3 from 'better-sqlite3';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { appendRunLog, readRunLog } from '../storage/run-log.ts';
import { createExperiment } from '../storage/runs.ts';
import { setFlags, TINY_SETTINGS } from '../pipeline/testing/tiny-run.ts';
import { startServices, type AppServices } from './app-services.ts';
import { OUTSIDE_RUNS_POLL_MS } from './outside-runs.ts';

const REPO = resolve(import.meta.dirname, '../..');

let dir: string;
let services: AppServices;
const events: ApiEvent[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-outside-runs-'));
  services = startServices({ dbPath: join(dir, 'ddrl.sqlite'), runtime: 'node' });
  services.events.subscribe((event) => events.push(event));
});
afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

const statusesOf = (runId: number) => events.flatMap((e) => (e.type === 'run-status' && e.runId === runId ? [e.status] : []));
const logIdsOf = (runId: number) => events.flatMap((e) => (e.type === 'log' && e.runId === runId ? [e.id] : []));
const settle = () => new Promise((done) => setTimeout(done, 2 * OUTSIDE_RUNS_POLL_MS + 500));

describe('runs executed by another process', () => {
  it('reach the clients as status, progress and log events, every stored line once and in order', async () => {
    // A distillation of several seconds: long enough for its stored progress to be seen.
    const settings = setFlags([...TINY_SETTINGS, 'distill.iterations=24', 'distill.snapshotEvery=4']);
    const child = spawn('node', [join(REPO, 'bin/ddrl.js'), 'run', '--preset', 'quick-jumper', ...settings, '--db', services.db.path], {
      cwd: REPO,
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.on('exit', done));
    // While it distils, the CLI in a third process reads the same stored progress.
    for (let i = 0; i < 600 && !events.some((e) => e.type === 'progress' && e.phase === 'distill'); i++) await new Promise((done) => setTimeout(done, 100));
    const distilling = events.find((e) => e.type === 'progress' && e.phase === 'distill')!;
    const cli = (...args: string[]) =>
      spawnSync('node', [join(REPO, 'bin/ddrl.js'), ...args, '--db', services.db.path], { cwd: REPO, encoding: 'utf8' }).stdout;
    expect(cli('runs')).toMatch(/distill \(running \d+\/24\)/);
    expect(cli('show', String(distilling.runId))).toMatch(/distill\s+running\s+-\s+\d+\/24/);
    expect(await exited).toBe(0);
    await settle();
    const runId = services.db.connection.prepare('SELECT max(id) FROM runs').pluck().get() as number;
    // Intermediate states may fall between two looks; the last one always arrives.
    expect(statusesOf(runId).at(-1)).toBe('succeeded');
    const stored = readRunLog(services.db.connection, runId, 10_000).map((line) => line.id);
    expect(stored.length).toBeGreaterThan(5);
    expect(logIdsOf(runId)).toEqual(stored);
    // The progress it stored while distilling, as this process's own runs report theirs.
    const progress = events.flatMap((e) => (e.type === 'progress' && e.runId === runId && e.phase === 'distill' ? [e] : []));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.total === 24 && p.done >= 0 && p.done <= 24)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    // Stored progress is cleared when a stage ends: none is left on a finished run.
    expect(services.db.connection.prepare('SELECT count(*) FROM stages WHERE progress_total IS NOT NULL').pluck().get()).toBe(0);
    // Nothing changed since: a look finds nothing new to say.
    const before = events.length;
    await settle();
    expect(events.length).toBe(before);
  }, 120_000);

  it('but not the runs this process executes, which report themselves', async () => {
    const started = await services.dispatch('runs.start', { preset: 'quick-jumper', set: [...TINY_SETTINGS] });
    if (!started.ok) throw new Error(started.error.message);
    const runId = (started.output as { runIds: number[] }).runIds[0]!;
    for (let i = 0; i < 600 && statusesOf(runId).at(-1) !== 'succeeded'; i++) await new Promise((done) => setTimeout(done, 100));
    await settle();
    expect(statusesOf(runId).filter((s) => s === 'succeeded')).toHaveLength(1);
    const ids = logIdsOf(runId);
    expect(new Set(ids).size).toBe(ids.length);
  }, 120_000);

  it('passes on a burst of more lines than one look carries over the next looks, though nothing else changes', async () => {
    // A second connection, as another process would have: its commits are what the watcher notices.
    const other = new BetterSqlite3(services.db.path);
    try {
      const owner = { id: 'elsewhere:1', pid: process.pid };
      const { runIds } = createExperiment(other, { name: 'burst', preset: null }, [{ label: 'b', config: parseExperimentConfig({ game: 'jumper' }) }], owner);
      const runId = runIds[0]!;
      other.transaction(() => {
        for (let i = 1; i <= 1_200; i++) appendRunLog(other, runId, 'students', 'info', `line ${i}`);
      })();
      await expect.poll(() => logIdsOf(runId).length, { timeout: 10 * OUTSIDE_RUNS_POLL_MS, interval: 200 }).toBe(1_200);
      expect(logIdsOf(runId)).toEqual(readRunLog(services.db.connection, runId, 10_000).map((line) => line.id));
      expect(statusesOf(runId)).toEqual(['queued']);
    } finally {
      other.close();
    }
  }, 60_000);
});
