import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { openDatabase } from '../../storage/database.ts';
import { thisProcess } from '../../storage/run-owner.ts';
import { createExperiment, getRun } from '../../storage/runs.ts';
import { runCaptured } from '../run-captured.ts';

let dir: string;
let dbPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-cancel-'));
  dbPath = join(dir, 'ddrl.sqlite');
  const db = openDatabase({ path: dbPath });
  const config = parseExperimentConfig({ game: 'jumper' });
  createExperiment(
    db.connection,
    { name: 'sweep', preset: null },
    [0, 1].map((seed) => ({ label: `seed=${seed}`, config: { ...config, seed } })),
    thisProcess,
  );
  db.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ddrl cancel --experiment', () => {
  it('cancels every waiting run of the experiment, and says when there is nothing left', async () => {
    const first = await runCaptured(['cancel', '--experiment', '1', '--db', dbPath]);
    expect(first.code).toBe(0);
    expect(first.out.join('\n')).toContain('Experiment 1: cancelled runs 1, 2');
    const db = openDatabase({ path: dbPath });
    expect([1, 2].map((id) => getRun(db.connection, id).status)).toEqual(['cancelled', 'cancelled']);
    db.close();
    expect((await runCaptured(['cancel', '--experiment', '1', '--db', dbPath])).out.join('\n')).toContain('Experiment 1 has no queued or executing runs');
    expect((await runCaptured(['cancel', '--experiment', '7', '--db', dbPath])).err.join('\n')).toContain('No experiment with id 7');
    expect((await runCaptured(['cancel', '1', '--experiment', '1', '--db', dbPath])).code).toBe(2);
  });
});
