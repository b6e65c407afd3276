import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { STAGES } from '@shared/config/stages.ts';
import { openDatabase, type AppDatabase } from './database.ts';
import { appendMetrics, readSeries } from './metrics.ts';
import { findModel, listModels, saveModel } from './models.ts';
import {
  createExperiment,
  finishStage,
  getRun,
  getStages,
  listRuns,
  markStageRunning,
  requeueInterrupted,
  RunNotFoundError,
  saveStageCheckpoint,
  setRunStatus,
} from './runs.ts';

let dir: string;
let db: AppDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-runs-'));
  db = openDatabase({ path: join(dir, 'ddrl.sqlite') });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = parseExperimentConfig({ game: 'bigfish' });

describe('runs and stages', () => {
  it('creates one queued run per sweep point with every stage pending', () => {
    const { runIds } = createExperiment(db.connection, { name: 'sizes', preset: 'paper-bigfish' }, [
      { label: 'distill.size=15', config: { ...config, distill: { ...config.distill, size: 15 } } },
      { label: 'distill.size=50', config: { ...config, distill: { ...config.distill, size: 50 } } },
    ]);
    expect(runIds).toHaveLength(2);
    expect(getRun(db.connection, runIds[1]!).config.distill.size).toBe(50);
    expect(listRuns(db.connection).map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(getStages(db.connection, runIds[0]!).map((s) => [s.stage, s.status])).toEqual(STAGES.map((s) => [s, 'pending']));
  });

  it('requeues an interrupted run, keeping finished stages and the checkpoint of the interrupted one', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }]);
    const id = runIds[0]!;
    setRunStatus(db.connection, id, 'running');
    markStageRunning(db.connection, id, 'expert');
    finishStage(db.connection, id, 'expert', 'done', 1.5);
    markStageRunning(db.connection, id, 'collect');
    saveStageCheckpoint(db.connection, id, 'collect', { episodes: 40 });
    requeueInterrupted(db.connection, id);
    const stages = getStages(db.connection, id);
    expect(stages[0]).toMatchObject({ stage: 'expert', status: 'done', seconds: 1.5 });
    expect(stages[1]).toMatchObject({ stage: 'collect', status: 'pending', checkpoint: '{"episodes":40}' });
    expect(getRun(db.connection, id).status).toBe('queued');
  });

  it('names a missing run and how to list the others', () => {
    expect(() => getRun(db.connection, 7)).toThrow(RunNotFoundError);
    expect(() => getRun(db.connection, 7)).toThrow(/No run with id 7\. There are no runs yet/);
    createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }]);
    expect(() => getRun(db.connection, 7)).toThrow(/List the runs with `ddrl runs`/);
  });
});

describe('metrics and models', () => {
  it('downsamples long series to the requested number of points', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }]);
    const id = runIds[0]!;
    appendMetrics(
      db.connection,
      id,
      Array.from({ length: 5000 }, (_, step) => ({ series: 'distill/loss', step, value: step })),
    );
    const points = readSeries(db.connection, id, 'distill/loss', 100);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points[0]!.value).toBeCloseTo(24.5);
    expect(readSeries(db.connection, id, 'distill/loss', 10_000)).toHaveLength(5000);
  });

  it('replaces a model saved again under the same key', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }]);
    const id = runIds[0]!;
    saveModel(db.connection, id, { role: 'student', method: 'synthetic', member: 0 }, 'student', Uint8Array.of(1, 2));
    saveModel(db.connection, id, { role: 'student', method: 'synthetic', member: 0 }, 'student', Uint8Array.of(3));
    expect(listModels(db.connection, id)).toHaveLength(1);
    expect(Array.from(findModel(db.connection, id, { role: 'student', method: 'synthetic', member: 0 })!.weights)).toEqual([3]);
  });
});
