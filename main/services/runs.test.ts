import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { appendRunLog } from '../storage/run-log.ts';
import { thisProcess } from '../storage/run-owner.ts';
import { createExperiment } from '../storage/runs.ts';
import { startServices, type AppServices } from './app-services.ts';

let dir: string;
let services: AppServices;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-run-calls-'));
  services = startServices({ dbPath: join(dir, 'ddrl.sqlite'), runtime: 'node' });
});
afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('run calls', () => {
  it('lists runs with their stages and gets one', async () => {
    createExperiment(services.db.connection, { name: 'e', preset: null }, [{ label: 'a', config: parseExperimentConfig({ game: 'starpilot' }) }], thisProcess);
    const list = await services.dispatch('runs.list', {});
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    const [run] = list.output as { id: number; game: string; status: string; stages: { stage: string; status: string }[] }[];
    expect(run).toMatchObject({ id: 1, game: 'starpilot', status: 'queued' });
    expect(run!.stages.map((s) => s.stage)).toEqual(['expert', 'collect', 'baselines', 'distill', 'students', 'evaluate']);
    const got = await services.dispatch('runs.get', { runId: 1 });
    expect(got.ok && (got.output as { label: string }).label).toBe('a');
  });

  it('names a run id that does not exist', async () => {
    const reply = await services.dispatch('runs.get', { runId: 42 });
    expect(reply).toEqual({ ok: false, error: { code: 'invalid_input', message: 'No run with id 42. List the runs with `ddrl runs`.' } });
  });

  it('refuses an unknown preset or a bad override before creating anything', async () => {
    const preset = await services.dispatch('runs.start', { preset: 'paper-pong' });
    expect(preset.ok === false && preset.error.message).toMatch(/Unknown preset 'paper-pong': valid presets are/);
    const bad = await services.dispatch('runs.start', { preset: 'quick-jumper', set: ['distill.size=3'] });
    expect(bad.ok === false && bad.error.message).toMatch(/distill\.size: must be at least 15/);
    const count = services.db.connection.prepare('SELECT count(*) AS n FROM runs').get() as { n: number };
    expect(count.n).toBe(1);
  });

  it('cancels a queued run at once and refuses to cancel it twice', async () => {
    const cancelled = await services.dispatch('runs.cancel', { runId: 1 });
    expect(cancelled.ok && (cancelled.output as { status: string }).status).toBe('cancelled');
    const again = await services.dispatch('runs.cancel', { runId: 1 });
    expect(again.ok === false && again.error.message).toMatch(/Run 1 is cancelled, not queued or running/);
  });

  it("reads a run's stored log oldest first: its newest 1,000 lines, saying older ones were left out; names an unknown run", async () => {
    const db = services.db.connection;
    appendRunLog(db, 1, null, 'info', 'started');
    expect(await services.dispatch('runs.log', { runId: 1 })).toMatchObject({
      ok: true,
      output: { lines: [{ stage: null, level: 'info', message: 'started' }], truncated: false },
    });
    db.transaction(() => {
      for (let i = 1; i <= 1_000; i++) appendRunLog(db, 1, 'students', 'info', `line ${i}`);
    })();
    const reply = await services.dispatch('runs.log', { runId: 1 });
    if (!reply.ok) throw new Error(reply.error.message);
    const { lines, truncated } = reply.output as { lines: { id: number; stage: string | null; message: string }[]; truncated: boolean };
    expect(truncated).toBe(true);
    expect(lines).toHaveLength(1_000);
    expect([lines[0]!.message, lines.at(-1)!.message]).toEqual(['line 1', 'line 1000']);
    expect(lines.every((line, i) => i === 0 || line.id > lines[i - 1]!.id)).toBe(true);
    const unknown = await services.dispatch('runs.log', { runId: 42 });
    expect(unknown.ok === false && unknown.error.message).toBe('No run with id 42. List the runs with `ddrl runs`.');
  });

  it('refuses sweeps that would create more runs than the limit, naming the product', async () => {
    const before = services.db.connection.prepare('SELECT count(*) FROM runs').pluck().get();
    const sweep = ['seed=' + Array.from({ length: 100 }, (_, i) => i).join(','), 'distill.size=' + Array.from({ length: 100 }, (_, i) => 15 + i).join(',')];
    const reply = await services.dispatch('runs.start', { preset: 'quick-jumper', sweep: [...sweep, 'students.count=1,2,3,4,5,6,7,8,9,10'] });
    expect(reply.ok === false && reply.error.message).toMatch(
      /seed \(100\) x distill\.size \(100\) x students\.count \(10\) make 100000 runs; one start may create at most 1000/,
    );
    expect(services.db.connection.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(before);
  });

  it("marks a run of a dead process 'interrupted' and resumes it through the API; a run executing here cannot be resumed twice", async () => {
    const db = services.db.connection;
    const config = parseExperimentConfig({ game: 'starpilot' });
    // A process that queued a run and died: pid 2^22+1 is above Linux's pid_max default, so no live process has it.
    const dead = { id: 'gone:1', pid: 4_194_305 };
    const { runIds } = createExperiment(db, { name: 'orphan', preset: null }, [{ label: 'o', config }], dead);
    db.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runIds[0]);
    const got = await services.dispatch('runs.get', { runId: runIds[0]! });
    expect(got.ok && got.output).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/process executing it \(pid 4194305\) ended/) });
    const cancel = await services.dispatch('runs.cancel', { runId: runIds[0]! });
    expect(cancel.ok === false && cancel.error.message).toMatch(/is interrupted, not queued or running/);
    // Resume queues it here; a second resume while it is queued or executing is refused.
    const resumed = await services.dispatch('runs.resume', { runId: runIds[0]! });
    expect(resumed.ok && (resumed.output as { status: string }).status).toMatch(/queued|running/);
    const twice = await services.dispatch('runs.resume', { runId: runIds[0]! });
    expect(twice.ok === false && twice.error.message).toMatch(new RegExp(`Run ${runIds[0]} is (queued|executing) here`));
    await services.stopRuns(5000);
    expect(db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runIds[0])).toBe('cancelled');
  });
});

describe('cancelling an experiment', () => {
  it("cancels all of a sweep's waiting runs at once, and names an unknown experiment", async () => {
    const config = parseExperimentConfig({ game: 'bigfish' });
    const { experimentId, runIds } = createExperiment(
      services.db.connection,
      { name: 'sweep', preset: null },
      [1, 2, 3].map((seed) => ({ label: `seed=${seed}`, config: { ...config, seed } })),
      thisProcess,
    );
    const reply = await services.dispatch('runs.cancelExperiment', { experimentId });
    expect(reply).toEqual({ ok: true, output: { cancelled: runIds } });
    for (const runId of runIds) expect(services.db.connection.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('cancelled');
    const again = await services.dispatch('runs.cancelExperiment', { experimentId });
    expect(again).toEqual({ ok: true, output: { cancelled: [] } });
    const unknown = await services.dispatch('runs.cancelExperiment', { experimentId: 999 });
    expect(unknown.ok === false && unknown.error.message).toBe('No experiment with id 999: see the runs list.');
  });
});
