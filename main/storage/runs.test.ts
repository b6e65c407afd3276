import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { STAGES } from '@shared/config/stages.ts';
import { openDatabase, type AppDatabase } from './database.ts';
import { migrate } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { thisProcess } from './run-owner.ts';
import { appendMetrics, readSeries } from './metrics.ts';
import { listMethodData, saveMethodData } from './methods.ts';
import { findModel, listModels, saveModel } from './models.ts';
import {
  createExperiment,
  finishStage,
  getRun,
  getStages,
  listRuns,
  markStageRunning,
  requeueRun,
  claimRun,
  interruptOrphanedRuns,
  requestCancel,
  whyNotClaimable,
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
    const { runIds } = createExperiment(
      db.connection,
      { name: 'sizes', preset: 'paper-bigfish' },
      [
        { label: 'distill.size=15', config: { ...config, distill: { ...config.distill, size: 15 } } },
        { label: 'distill.size=50', config: { ...config, distill: { ...config.distill, size: 50 } } },
      ],
      thisProcess,
    );
    expect(runIds).toHaveLength(2);
    expect(getRun(db.connection, runIds[1]!).config.distill.size).toBe(50);
    expect(listRuns(db.connection).map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(getStages(db.connection, runIds[0]!).map((s) => [s.stage, s.status])).toEqual(STAGES.map((s) => [s, 'pending']));
  });

  it('requeues an interrupted run, keeping finished stages and the checkpoint of the interrupted one', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], thisProcess);
    const id = runIds[0]!;
    setRunStatus(db.connection, id, 'running');
    markStageRunning(db.connection, id, 'expert');
    finishStage(db.connection, id, 'expert', 'done', 1.5);
    markStageRunning(db.connection, id, 'collect');
    saveStageCheckpoint(db.connection, id, 'collect', { episodes: 40 });
    setRunStatus(db.connection, id, 'interrupted');
    expect(requeueRun(db.connection, id, thisProcess)).toBe(true);
    expect(requeueRun(db.connection, id, thisProcess)).toBe(false);
    const stages = getStages(db.connection, id);
    expect(stages[0]).toMatchObject({ stage: 'expert', status: 'done', seconds: 1.5 });
    expect(stages[1]).toMatchObject({ stage: 'collect', status: 'pending', checkpoint: '{"episodes":40}' });
    expect(getRun(db.connection, id).status).toBe('queued');
  });

  it('names a missing run and how to list the others', () => {
    expect(() => getRun(db.connection, 7)).toThrow(RunNotFoundError);
    expect(() => getRun(db.connection, 7)).toThrow(/No run with id 7\. There are no runs yet/);
    createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], thisProcess);
    expect(() => getRun(db.connection, 7)).toThrow(/List the runs with `ddrl runs`/);
  });
});

describe('metrics and models', () => {
  it('downsamples long series to the requested number of points', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], thisProcess);
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
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], thisProcess);
    const id = runIds[0]!;
    saveModel(db.connection, id, { role: 'student', method: 'synthetic', member: 0 }, 'student', Uint8Array.of(1, 2));
    saveModel(db.connection, id, { role: 'student', method: 'synthetic', member: 0 }, 'student', Uint8Array.of(3));
    expect(listModels(db.connection, id)).toHaveLength(1);
    expect(Array.from(findModel(db.connection, id, { role: 'student', method: 'synthetic', member: 0 })!.weights)).toEqual([3]);
  });
});

describe('run ownership', () => {
  const other = { id: 'other:1', pid: process.ppid };
  const deadPid = 4_194_305; // above Linux's default pid_max: no live process has it

  it('lets exactly one claim win, and only the owner that queued the run', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], thisProcess);
    const id = runIds[0]!;
    expect(claimRun(db.connection, id, other)).toBe(false);
    expect(claimRun(db.connection, id, thisProcess)).toBe(true);
    expect(claimRun(db.connection, id, thisProcess)).toBe(false);
    expect(getRun(db.connection, id)).toMatchObject({ status: 'running', runner: thisProcess.id, runnerPid: process.pid });
    expect(whyNotClaimable(getRun(db.connection, id), other)).toBe(
      `Run ${id} is executing in process ${process.pid}: cancel it first with \`ddrl cancel ${id}\`.`,
    );
  });

  it('never starts a run cancelled while it waited', () => {
    const { runIds } = createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], thisProcess);
    requestCancel(db.connection, runIds[0]!);
    expect(claimRun(db.connection, runIds[0]!, thisProcess)).toBe(false);
    expect(getRun(db.connection, runIds[0]!).status).toBe('cancelled');
  });

  it("marks runs of dead processes 'interrupted' (an earlier process with this pid counts as dead), and leaves live ones", () => {
    const owners = [{ id: 'dead:1', pid: deadPid }, { id: 'earlier-start', pid: process.pid }, other, thisProcess];
    const ids = owners.map((owner) => createExperiment(db.connection, { name: 'x', preset: null }, [{ label: '', config }], owner).runIds[0]!);
    db.connection.prepare("UPDATE runs SET status = 'running' WHERE id IN (?, ?)").run(ids[0], ids[2]);
    markStageRunning(db.connection, ids[0]!, 'expert');
    expect(interruptOrphanedRuns(db.connection, thisProcess)).toEqual([ids[0], ids[1]]);
    expect(ids.map((id) => getRun(db.connection, id).status)).toEqual(['interrupted', 'interrupted', 'running', 'queued']);
    expect(getRun(db.connection, ids[0]!).error).toBe(`interrupted: the process executing it (pid ${deadPid}) ended; \`ddrl resume ${ids[0]}\` continues it`);
    expect(getStages(db.connection, ids[0]!)[0]!.status).toBe('pending');
    expect(interruptOrphanedRuns(db.connection, thisProcess)).toEqual([]);
  });
});

describe('migration 4 (run owners, the interrupted status)', () => {
  it('rebuilds the runs table of an older file keeping every run, stage and metric', () => {
    const path = join(dir, 'v3.sqlite');
    const old = new BetterSqlite3(path);
    old.pragma('foreign_keys = ON');
    migrate(
      old,
      migrations.filter((m) => m.version <= 3),
    );
    old.prepare("INSERT INTO experiments (id, name, created_at) VALUES (1, 'e', 'now')").run();
    old
      .prepare("INSERT INTO runs (id, experiment_id, label, config, status, created_at, runner_pid) VALUES (1, 1, 'l', ?, 'running', 'now', 7)")
      .run(JSON.stringify(config));
    old.prepare("INSERT INTO stages (run_id, stage, position, status) VALUES (1, 'expert', 0, 'done')").run();
    old.prepare("INSERT INTO metrics (run_id, series, step, value) VALUES (1, 's', 0, 1.5)").run();
    old.close();
    const upgraded = openDatabase({ path });
    try {
      const c = upgraded.connection;
      expect(getRun(c, 1)).toMatchObject({ status: 'running', runnerPid: 7, runner: null });
      expect(getStages(c, 1)).toHaveLength(1);
      expect(c.prepare('SELECT count(*) FROM metrics').pluck().get()).toBe(1);
      setRunStatus(c, 1, 'interrupted');
      expect(getRun(c, 1).status).toBe('interrupted');
      expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(c.pragma('foreign_keys', { simple: true })).toBe(1);
      // Foreign keys still cascade after the rebuild.
      c.prepare('DELETE FROM runs WHERE id = 1').run();
      expect(c.prepare('SELECT count(*) FROM stages').pluck().get()).toBe(0);
    } finally {
      upgraded.close();
    }
  });
});

describe('migration 7 (coreset controls)', () => {
  it("keeps every method's data of an older file, in order, and accepts coreset methods with their own labels", () => {
    const path = join(dir, 'v6.sqlite');
    const old = new BetterSqlite3(path);
    old.pragma('foreign_keys = ON');
    migrate(
      old,
      migrations.filter((m) => m.version <= 6),
    );
    old.prepare("INSERT INTO experiments (id, name, created_at) VALUES (1, 'e', 'now')").run();
    old.prepare("INSERT INTO runs (id, experiment_id, label, config, status, created_at) VALUES (1, 1, 'l', ?, 'done', 'now')").run(JSON.stringify(config));
    const indices = Int32Array.from([3, 1, 2]);
    old.prepare("INSERT INTO method_data VALUES (1, 'expert', 'expert', 0, 10, NULL)").run();
    old.prepare("INSERT INTO method_data VALUES (1, 'bc-100', 'bc', 2, 3, ?)").run(Buffer.from(indices.buffer));
    old.close();
    const upgraded = openDatabase({ path });
    try {
      const c = upgraded.connection;
      expect(listMethodData(c, 1)).toEqual([
        { method: 'expert', kind: 'expert', episodes: 0, samples: 10, stepIndices: null, targets: null },
        { method: 'bc-100', kind: 'bc', episodes: 2, samples: 3, stepIndices: indices, targets: null },
      ]);
      const targets = new Float32Array(2 * 15).fill(1 / 15);
      saveMethodData(c, 1, { method: 'random-frames-soft', kind: 'coreset', episodes: 1, samples: 2, stepIndices: Int32Array.from([0, 1]), targets });
      expect(listMethodData(c, 1)[2]).toEqual({
        method: 'random-frames-soft',
        kind: 'coreset',
        episodes: 1,
        samples: 2,
        stepIndices: Int32Array.from([0, 1]),
        targets,
      });
      expect(() => c.prepare("INSERT INTO method_data (run_id, method, kind, episodes, samples) VALUES (1, 'x', 'nonsense', 0, 0)").run()).toThrow(/CHECK/);
      expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
      // Foreign keys still cascade after the rebuild.
      c.prepare('DELETE FROM runs WHERE id = 1').run();
      expect(c.prepare('SELECT count(*) FROM method_data').pluck().get()).toBe(0);
    } finally {
      upgraded.close();
    }
  });
});
