import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedComparison } from '@shared/api/comparisons.ts';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { startServices, type AppServices } from './app-services.ts';

let dir: string;
let dbPath: string;
let services: AppServices;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-comparisons-'));
  dbPath = join(dir, 'ddrl.sqlite');
  services = startServices({ dbPath, runtime: 'node' });
  // Three bare run rows: saved comparisons only need their ids to exist.
  const db = services.db.connection;
  const config = JSON.stringify(parseExperimentConfig({ game: 'bigfish' }));
  db.prepare("INSERT INTO experiments (id, name, preset, created_at) VALUES (1, 'e', NULL, '2026-01-01')").run();
  for (const label of ['a', 'b', 'c'])
    db.prepare("INSERT INTO runs (experiment_id, label, config, status, created_at) VALUES (1, ?, ?, 'done', '2026-01-01')").run(label, config);
});
afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call<T>(name: Parameters<AppServices['dispatch']>[0], input: unknown): Promise<T> {
  const reply = await services.dispatch(name, input);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.output as T;
}

describe('saved comparisons', () => {
  it('saves under a name, replaces one of the same name, lists them by name and survives reopening the file', async () => {
    const first = await call<SavedComparison>('comparisons.save', { name: ' sizes ', runIds: [1, 2], options: { scale: 'raw', hiddenMethods: ['expert'] } });
    expect(first).toMatchObject({ name: 'sizes', runIds: [1, 2], options: { scale: 'raw', hiddenMethods: ['expert'] }, missingRunIds: [] });
    await call('comparisons.save', { name: 'seeds', runIds: [2, 3] });
    const replaced = await call<SavedComparison>('comparisons.save', { name: 'sizes', runIds: [1, 2, 3] });
    expect(replaced.id).toBe(first.id);
    services.close();
    services = startServices({ dbPath, runtime: 'node' });
    const list = await call<SavedComparison[]>('comparisons.list', {});
    expect(list.map((c) => [c.name, c.runIds])).toEqual([
      ['seeds', [2, 3]],
      ['sizes', [1, 2, 3]],
    ]);
  });

  it('refuses a blank or too long name, an unknown option and a run that does not exist, saving nothing', async () => {
    const blank = await services.dispatch('comparisons.save', { name: '  ', runIds: [1] });
    expect(blank.ok === false && blank.error.message).toContain('Give the comparison a name.');
    const long = await services.dispatch('comparisons.save', { name: 'x'.repeat(81), runIds: [1] });
    expect(long.ok === false && long.error.message).toContain('at most 80 characters');
    const option = await services.dispatch('comparisons.save', { name: 'o', runIds: [1], options: { colour: 'red' } });
    expect(option.ok === false && option.error.code).toBe('invalid_input');
    const missing = await services.dispatch('comparisons.save', { name: 'gone', runIds: [1, 99] });
    expect(missing.ok === false && missing.error.message).toBe('No run with id 99: remove it from the comparison before saving.');
    expect((await call<SavedComparison[]>('comparisons.list', {})).map((c) => c.name)).toEqual(['seeds', 'sizes']);
  });

  it('names the runs a saved comparison refers to that were deleted since, and deletes a comparison', async () => {
    services.db.connection.prepare('DELETE FROM runs WHERE id = 3').run();
    const list = await call<SavedComparison[]>('comparisons.list', {});
    expect(list.find((c) => c.name === 'seeds')!.missingRunIds).toEqual([3]);
    const sizes = list.find((c) => c.name === 'sizes')!;
    expect(sizes.missingRunIds).toEqual([3]);
    expect(await call('comparisons.delete', { id: sizes.id })).toEqual({ deleted: true });
    expect(await call('comparisons.delete', { id: sizes.id })).toEqual({ deleted: false });
    expect((await call<SavedComparison[]>('comparisons.list', {})).map((c) => c.name)).toEqual(['seeds']);
  });
});
