import { aboutInfo } from '@shared/api/about.ts';
import { callNames } from '@shared/api/contract.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServices, type AppServices } from './app-services.ts';
import { createDispatcher } from './dispatcher.ts';
import { handlers } from './handlers.ts';

let dir: string;
let services: AppServices;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-services-'));
  services = startServices({ dbPath: join(dir, 'ddrl.sqlite'), runtime: 'node' });
});
afterAll(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the service dispatcher', () => {
  it('answers about.get from the real database and backend', async () => {
    const reply = await services.dispatch('about.get', {});
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    const info = aboutInfo.parse(reply.output);
    expect(info.database.path).toBe(join(dir, 'ddrl.sqlite'));
    expect(info.database.schemaVersion).toBe(info.database.latestSchemaVersion);
    expect(info.database.journalMode).toBe('wal');
    expect(['node-gpu', 'node', 'wasm', 'cpu']).toContain(info.tensorflow.backend);
    expect(info.app.runtime).toBe('node');
    // Runs execute in this process's worker threads, on the backend above.
    expect(info.runs).toEqual({ place: 'thread', node: null, tensorflow: null, probeError: null });
  });

  it('names an unknown call and lists the valid ones', async () => {
    expect(await services.dispatch('runs.delete', {})).toEqual({
      ok: false,
      error: { code: 'unknown_call', message: `Unknown call 'runs.delete'. Valid calls: ${callNames.join(', ')}.` },
    });
  });

  it('refuses input that does not match the schema, naming the field', async () => {
    const reply = await services.dispatch('about.get', { verbose: true });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid_input');
    expect(reply.error.message).toMatch(/^Invalid input for 'about\.get': input: .*verbose/);
  });

  it('refuses a non-object input', async () => {
    const reply = await services.dispatch('about.get', 'hello');
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('turns a service failure into a failed reply with its message', async () => {
    const failing = createDispatcher(
      {
        ...handlers,
        'about.get': async () => {
          throw new Error('disk on fire');
        },
      },
      { db: services.db, events: services.events, runtime: 'node', backend: services.backend },
    );
    expect(await failing('about.get', {})).toEqual({ ok: false, error: { code: 'failed', message: 'disk on fire' } });
  });
});
