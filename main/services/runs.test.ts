import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
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
    createExperiment(services.db.connection, { name: 'e', preset: null }, [{ label: 'a', config: parseExperimentConfig({ game: 'starpilot' }) }]);
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
});
