/**
 * The pipeline end to end through the real `ddrl` command: real SQLite files,
 * real (tiny) training, real child processes killed with SIGKILL.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from './testing/query.ts';
import { setFlags, TINY_SETTINGS } from './testing/tiny-run.ts';
import { verifyDataset } from './stages/collect.ts';
import { encodeNpz, parseNpy } from './npy.ts';
import { openDatabase } from '../storage/database.ts';
import { listDatasetEpisodes, loadDataset } from '../storage/datasets.ts';
import { listMethodData } from '../storage/methods.ts';
import { getRun } from '../storage/runs.ts';
import { listModels } from '../storage/models.ts';
import { actionName } from '@shared/procgen/action-names.ts';
import { chooseRunConstantAction } from './stages/evaluate.ts';

const REPO = resolve(import.meta.dirname, '../..');
const DDRL = join(REPO, 'bin/ddrl.js');

/** Every stage, at a size that runs in seconds. */
const TINY = setFlags([...TINY_SETTINGS, 'distill.size=15']);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-pipeline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ddrl(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('node', [DDRL, ...args], { encoding: 'utf8', cwd: REPO, timeout: 300_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function startDdrl(...args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn('node', [DDRL, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, exited: new Promise((done) => child.on('exit', (code) => done(code))) };
}

/** Polls until `sql` returns a row (the child commits as it goes). */
async function waitFor(db: string, sql: string, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(db)) {
      try {
        if (query(db, sql).length > 0) return;
      } catch {
        // The schema may not exist yet.
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for: ${sql}`);
}

/** The lines of `ddrl show RUN --log`. */
function logOf(out: string): { time: string; level: string; stage: string; message: string }[] {
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [time, level, stage, ...message] = line.split('\t');
      return { time: time!, level: level!, stage: stage!, message: message.join('\t') };
    });
}

/** A row of `ddrl results --json`. */
interface ResultJson {
  method: string;
  split: 'id' | 'ood';
  ciLow: number | null;
  ciHigh: number | null;
  indistinguishableFromRandom: boolean | null;
}

interface StageRecord {
  stage: string;
  status: string;
  finished_at: string | null;
}

describe('a finished run', () => {
  let db: string;
  beforeAll(() => {
    db = join(dir, 'finished.sqlite');
    const allControls = 'distill.controls=["random-frames","random-frames-soft","kcenter-frames","kcenter-frames-soft"]';
    const r = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'distill.softLabels=true', '--set', allControls, '--db', db);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/synthetic\s+1x2/);
  }, 300_000);

  it('stores every stage done, a dataset that re-simulates, and prints results as table, CSV and JSON', () => {
    const stages = query<StageRecord>(db, 'SELECT stage, status FROM stages WHERE run_id = 1 ORDER BY position');
    expect(stages.map((s) => `${s.stage}:${s.status}`)).toEqual([
      'expert:done',
      'collect:done',
      'baselines:done',
      'distill:done',
      'students:done',
      'evaluate:done',
    ]);
    const csv = ddrl('results', '1', '--csv', '--db', db);
    expect(csv.code).toBe(0);
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toMatch(/^method,split,models,/);
    // planner, expert network, bc-100/40/25/10, synthetic, synthetic-soft, four coreset controls, the constant action and the random policy, each ID and OOD.
    expect(lines).toHaveLength(1 + 14 * 2);
    const json = JSON.parse(ddrl('results', '1', '--json', '--db', db).out);
    const row = (method: string) => json.rows.find((r: { method: string; split: string }) => r.method === method && r.split === 'ood');
    expect(row('synthetic')).toMatchObject({ dataKind: 'synthetic', dataSamples: 15, dataUsed: '15 synthetic samples (paper)' });
    expect(row('synthetic-soft')).toMatchObject({ dataKind: 'synthetic', dataSamples: 15, dataUsed: '15 synthetic samples (paper), expert soft labels' });
    expect(row('random-frames')).toMatchObject({ dataKind: 'coreset', dataSamples: 15, dataUsed: '15 random real frames per action' });
    expect(row('kcenter-frames-soft')).toMatchObject({
      dataKind: 'coreset',
      dataSamples: 15,
      dataUsed: '15 k-center real frames per action (expert features), expert soft labels',
    });
  });

  it("keeps a log: its start, what each stage reported before that stage's end, and its end (`ddrl show --log`)", () => {
    const shown = ddrl('show', '1', '--log', '--db', db);
    expect(shown.code).toBe(0);
    const log = logOf(shown.out);
    // Its start names what trained it (the backend, and a GPU adapter where there is one).
    expect(log[0]).toMatchObject({ stage: 'run', message: expect.stringMatching(/^started on TensorFlow\.js (wasm|cpu|node|node-gpu|webgpu)\b/) });
    expect(log.at(-1)).toMatchObject({ stage: 'run', message: 'succeeded' });
    expect(log.map((l) => l.time)).toEqual([...log.map((l) => l.time)].sort());
    const ends = log.filter((l) => /^done after [\d.]+ (s|min|h)$/.test(l.message));
    expect(ends.map((l) => l.stage)).toEqual(['expert', 'collect', 'baselines', 'distill', 'students', 'evaluate']);
    // Each stage's lines sit between the previous stage's end and its own.
    ends.forEach((end, i) => {
      const at = log.flatMap((l, k) => (l.stage === end.stage ? [k] : []));
      expect(Math.min(...at)).toBeGreaterThan(i === 0 ? 0 : log.indexOf(ends[i - 1]!));
      expect(Math.max(...at)).toBe(log.indexOf(end));
    });
    const said = (stage: string) => log.filter((l) => l.stage === stage).map((l) => l.message);
    expect(said('expert')).toContainEqual(expect.stringMatching(/^DAgger round 0: planner demonstrations, mean return [\d.]+; \d+ labelled states in all$/));
    expect(said('collect')).toContainEqual(
      expect.stringMatching(/^\d+ episodes \(\d+ transitions\) collected by the (planner|expert network), mean return -?[\d.]+; every one re-simulates$/),
    );
    expect(said('baselines')).toContainEqual(expect.stringMatching(/^bc-40: \d+ of \d+ episodes kept \(\d+ transitions\)$/));
    expect(said('distill')).toContainEqual(
      expect.stringMatching(/^coreset controls chosen \(15 frames each, .*\): random-frames, random-frames-soft, kcenter-frames, kcenter-frames-soft$/),
    );
    const students = query<{ n: number }>(db, "SELECT count(*) AS n FROM models WHERE run_id = 1 AND role = 'student'")[0]!.n;
    expect(said('students').filter((m) => / student \d+\/\d+: \d+ steps, final loss [\d.]+$/.test(m))).toHaveLength(students);
    expect(said('evaluate')).toContainEqual(expect.stringMatching(/^random: mean return ID -?[\d.]+ \(\d+ ep\.\), OOD -?[\d.]+ \(\d+ ep\.\)$/));
    expect(said('evaluate')).toContainEqual(
      expect.stringMatching(/^constant: action \d+ \(.+\) chosen, mean return -?[\d.]+ on 50 selection episodes \(actions 0-14: (-?[\d.]+ ){14}-?[\d.]+\)$/),
    );
  });

  it("trains coreset controls on real frames with the synthetic set's size and per-action allocation", () => {
    const synthetic = query<{ labels: Buffer }>(db, 'SELECT labels FROM synthetic_snapshots WHERE run_id = 1 AND pixels IS NOT NULL')[0]!;
    const perAction = (actions: ArrayLike<number>) => Array.from({ length: 15 }, (_, a) => Array.from(actions).filter((x) => x === a).length);
    const app = openDatabase({ path: db });
    const run = getRun(app.connection, 1);
    const dataset = loadDataset(app.connection, run.datasetId!);
    const controls = listMethodData(app.connection, 1).filter((m) => m.kind === 'coreset');
    app.close();
    expect(controls.map((c) => c.method)).toEqual(['random-frames', 'random-frames-soft', 'kcenter-frames', 'kcenter-frames-soft']);
    for (const control of controls) {
      const indices = control.stepIndices!;
      expect(perAction(Array.from(indices, (i) => dataset.actions[i]!)), control.method).toEqual(perAction(synthetic.labels));
      if (control.method.endsWith('-soft')) {
        expect(control.targets!.length).toBe(indices.length * 15);
        for (let i = 0; i < indices.length; i++) expect(control.targets!.subarray(i * 15, (i + 1) * 15).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      } else expect(control.targets).toBeNull();
    }
    // The soft control labels the very frames of its hard twin.
    expect(controls[1]!.stepIndices).toEqual(controls[0]!.stepIndices);
    const students = query<{ method: string }>(db, "SELECT DISTINCT method FROM models WHERE role = 'student'").map((r) => r.method);
    for (const control of controls) expect(students).toContain(control.method);
  });

  it('has a random-policy row played on the same level seeds, and flags exactly the methods whose interval overlaps it', () => {
    const rows = JSON.parse(ddrl('results', '1', '--json', '--db', db).out).rows as ResultJson[];
    const table = ddrl('results', '1', '--db', db).out;
    for (const split of ['id', 'ood'] as const) {
      const random = rows.find((r) => r.method === 'random' && r.split === split)!;
      expect(random).toMatchObject({ dataKind: 'random', models: 1, episodesPerModel: 2, indistinguishableFromRandom: null });
      const seeds = (method: string) =>
        query<{ level_seed: number }>(
          db,
          'SELECT level_seed FROM eval_episodes e JOIN models m ON m.id = e.model_id WHERE m.method = ? AND e.split = ? ORDER BY idx',
          method,
          split,
        );
      expect(seeds('random')).toEqual(seeds('expert'));
      const others = rows.filter((r) => r.split === split && r.method !== 'random');
      for (const r of others) {
        const overlaps = r.ciLow === null || random.ciLow === null || (r.ciLow <= random.ciHigh! && random.ciLow <= r.ciHigh!);
        expect(r.indistinguishableFromRandom, `${r.method} ${split}`).toBe(overlaps);
      }
      // The sentence under the table names exactly the flagged methods; the constant action is a floor, not a method.
      expect(others.map((r) => r.method)).toContain('constant');
      others.splice(
        others.findIndex((r) => r.method === 'constant'),
        1,
      );
      const sentence = table.split('\n').find((l) => l.startsWith(split === 'id' ? 'On training levels (ID)' : 'On unseen levels (OOD)'))!;
      const flagged = others.filter((r) => r.indistinguishableFromRandom).map((r) => r.method);
      if (flagged.length === 0) expect(sentence).toMatch(/every method's 95% interval is clear of the random policy/);
      else expect(/\), (.*) (?:is|are) indistinguishable/.exec(sentence)![1]!.split(/, | and /)).toEqual(flagged);
      const below = others.filter((r) => r.ciHigh !== null && random.ciLow !== null && r.ciHigh < random.ciLow).map((r) => r.method);
      if (below.length) expect(/ ([^.:]*) scores? below it/.exec(sentence)![1]!.split(/, | and /)).toEqual(below);
      else expect(sentence).not.toMatch(/below it/);
    }
  });

  it("has a constant-action row above the random row: the selection's best action, played always on every model's level seeds", () => {
    const rows = JSON.parse(ddrl('results', '1', '--json', '--db', db).out).rows as (ResultJson & { mean: number; dataKind: string; dataUsed: string })[];
    expect([...new Set(rows.map((r) => r.method))].slice(-2)).toEqual(['constant', 'random']);
    const app = openDatabase({ path: db });
    const config = getRun(app.connection, 1).config;
    const stored = listModels(app.connection, 1).filter((m) => m.method === 'constant');
    app.close();
    // The stage stored what the selection chooses for this run's config (it is deterministic).
    const chosen = chooseRunConstantAction(config);
    expect(stored.map((m) => m.architecture)).toEqual([chosen.architecture]);
    for (const split of ['id', 'ood'] as const) {
      const row = rows.find((r) => r.method === 'constant' && r.split === split)!;
      expect(row).toMatchObject({
        dataKind: 'constant',
        models: 1,
        episodesPerModel: 2,
        dataUsed: `one action always (${actionName('jumper', chosen.action)}, the best of 15)`,
      });
      const episodes = (method: string) =>
        query<{ level_seed: number; actions: Buffer; return: number }>(
          db,
          'SELECT level_seed, actions, return FROM eval_episodes e JOIN models m ON m.id = e.model_id WHERE m.method = ? AND e.split = ? ORDER BY idx',
          method,
          split,
        );
      const constant = episodes('constant');
      expect(constant.map((e) => e.level_seed)).toEqual(episodes('expert').map((e) => e.level_seed));
      for (const e of constant) expect(new Set(e.actions)).toEqual(new Set([chosen.action]));
      expect(row.mean).toBeCloseTo(constant.reduce((sum, e) => sum + e.return, 0) / constant.length, 9);
    }
    expect(ddrl('results', '1', '--db', db).out).toMatch(/^constant .* one action always \(.+, the best of 15\)$/m);
  });

  it('evaluates the floors (random policy, constant action) on demand for a run stored before they existed, exactly as the stage did, once', () => {
    const old = join(dir, 'before-random.sqlite');
    const app = openDatabase({ path: db });
    app.connection.exec(`VACUUM INTO '${old}'`);
    app.close();
    const stripped = openDatabase({ path: old });
    stripped.connection.prepare("DELETE FROM models WHERE method IN ('random', 'constant')").run();
    expect(
      stripped.connection
        .prepare("SELECT count(*) AS n FROM eval_episodes e JOIN models m ON m.id = e.model_id WHERE m.method IN ('random', 'constant')")
        .get(),
    ).toEqual({ n: 0 });
    stripped.close();
    const floorRows = (file: string) =>
      (JSON.parse(ddrl('results', '1', '--json', '--db', file).out).rows as ResultJson[]).filter((r) => r.method === 'random' || r.method === 'constant');
    expect(floorRows(old)).toEqual(floorRows(db));
    expect(floorRows(old)).toHaveLength(4);
    for (const method of ['random', 'constant'])
      expect(query(old, 'SELECT architecture FROM models WHERE method = ?', method)).toEqual(
        query(db, 'SELECT architecture FROM models WHERE method = ?', method),
      );
  });

  it("stores the expert's soft labels with every synthetic snapshot: one distribution per sample", () => {
    const snapshots = query<{ labels: Buffer; soft_labels: Buffer | null }>(db, 'SELECT labels, soft_labels FROM synthetic_snapshots WHERE run_id = 1');
    expect(snapshots.length).toBeGreaterThan(1);
    for (const { labels, soft_labels } of snapshots) {
      const soft = new Float32Array(soft_labels!.buffer.slice(soft_labels!.byteOffset, soft_labels!.byteOffset + soft_labels!.byteLength));
      expect(soft.length).toBe(labels.length * 15);
      for (let i = 0; i < labels.length; i++) {
        const sum = soft.subarray(i * 15, (i + 1) * 15).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 4);
      }
    }
  });

  it('re-simulates stored episodes from (level seed, actions) and catches a tampered reward', () => {
    const app = openDatabase({ path: db });
    try {
      const datasetId = (app.connection.prepare('SELECT dataset_id FROM runs WHERE id = 1').get() as { dataset_id: number }).dataset_id;
      expect(verifyDataset(app.connection, datasetId)).toEqual([]);
      const copy = join(dir, 'tampered.sqlite');
      app.connection.exec(`VACUUM INTO '${copy}'`);
      const tampered = openDatabase({ path: copy });
      const episode = listDatasetEpisodes(tampered.connection, datasetId)[0]!;
      episode.rewards[0] = episode.rewards[0]! + 1;
      tampered.connection
        .prepare('UPDATE dataset_episodes SET rewards = ? WHERE dataset_id = ? AND idx = 0')
        .run(Buffer.from(episode.rewards.buffer), datasetId);
      expect(verifyDataset(tampered.connection, datasetId)[0]).toMatch(/^episode 0 \(level \d+\): step 0: re-simulated reward/);
      tampered.close();
    } finally {
      app.close();
    }
  });

  it('exports a run and imports its dataset back unchanged (folder and NPZ)', () => {
    const out = join(dir, 'export');
    expect(ddrl('export', '1', '--out', out, '--db', db).code).toBe(0);
    // The synthetic set goes out with its soft labels: one distribution per sample.
    // The results files carry the random policy's rows; it has no weights file (it has no weights).
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toMatch(/^random,id,1,2,episodes,.*,random,0,0,$/m);
    expect(existsSync(join(out, 'models', 'expert-random-0.weights'))).toBe(false);
    expect(existsSync(join(out, 'models', 'expert-expert-0.weights'))).toBe(true);
    const soft = parseNpy(new Uint8Array(readFileSync(join(out, 'synthetic', 'soft_labels.npy'))), 'soft_labels.npy');
    expect(soft.shape).toEqual([15, 15]);
    const imported = ddrl('import', join(out, 'dataset'), '--db', db);
    expect(imported.err).toBe('');
    const id = Number(/Imported dataset (\d+)/.exec(imported.out)![1]);
    const app = openDatabase({ path: db });
    try {
      const originalId = (app.connection.prepare('SELECT dataset_id FROM runs WHERE id = 1').get() as { dataset_id: number }).dataset_id;
      const original = loadDataset(app.connection, originalId);
      const copy = loadDataset(app.connection, id);
      expect(copy.info).toMatchObject({
        game: 'jumper',
        mode: 'easy',
        source: 'imported',
        episodes: original.info.episodes,
        transitions: original.info.transitions,
      });
      expect(Buffer.from(copy.observations).equals(Buffer.from(original.observations))).toBe(true);
      expect(Array.from(copy.actions)).toEqual(Array.from(original.actions));
      expect(copy.levelSeeds).toEqual(original.levelSeeds);
      expect(listDatasetEpisodes(app.connection, id).map((e) => Array.from(e.rewards))).toEqual(
        listDatasetEpisodes(app.connection, originalId).map((e) => Array.from(e.rewards)),
      );
      // The same arrays as one NPZ, episodes given by `dones` instead of lengths.
      const dones = new Uint8Array(original.actions.length);
      for (let e = 1; e < original.episodeStarts.length; e++) dones[original.episodeStarts[e]! - 1] = 1;
      const rewards = Float32Array.from(listDatasetEpisodes(app.connection, originalId).flatMap((e) => Array.from(e.rewards)));
      const npz = join(dir, 'data.npz');
      writeFileSync(
        npz,
        encodeNpz({
          observations: { data: original.observations, shape: [original.actions.length, 64, 64, 3] },
          actions: { data: original.actions, shape: [original.actions.length] },
          rewards: { data: rewards, shape: [rewards.length] },
          dones: { data: dones, shape: [dones.length] },
        }),
      );
      const fromNpz = ddrl('import', '--game', 'jumper', npz, '--db', db);
      expect(fromNpz.code).toBe(0);
      const npzCopy = loadDataset(app.connection, Number(/Imported dataset (\d+)/.exec(fromNpz.out)![1]));
      expect(Array.from(npzCopy.episodeStarts)).toEqual(Array.from(original.episodeStarts));
      expect(Buffer.from(npzCopy.observations).equals(Buffer.from(original.observations))).toBe(true);
    } finally {
      app.close();
    }
  });

  it("reuses an earlier run's expert network, and names a run that has none", () => {
    const reused = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'expert.source=reuse', '--set', 'expert.reuseRunId=1', '--db', db);
    expect(reused.code).toBe(0);
    const runId = Number(/run (\d+) in/.exec(reused.out)![1]);
    const weights = query<{ run_id: number; weights: Buffer }>(
      db,
      "SELECT run_id, weights FROM models WHERE role = 'expert' AND method = 'expert' AND run_id IN (1, ?) ORDER BY run_id",
      runId,
    );
    expect(weights).toHaveLength(2);
    expect(weights[0]!.weights.equals(weights[1]!.weights)).toBe(true);
    const missing = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'expert.source=reuse', '--set', 'expert.reuseRunId=999', '--db', db);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/failed: expert: No run with id 999/);
    // A sweep's own new run cannot be its expert's source.
    const next = runId + 2;
    const itself = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'expert.source=reuse', '--set', `expert.reuseRunId=${next}`, '--db', db);
    expect(itself.err).toMatch(new RegExp(`failed: expert: expert.reuseRunId=${next} is this run itself`));
  });

  it('exports an expert to a file that a run in another database loads, and refuses a wrong or damaged file', () => {
    const file = join(dir, 'jumper.ddrl-expert');
    const exported = ddrl('export-expert', '1', '--out', file, '--db', db);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/Run 1's expert \(jumper easy, .+\) written to/);
    const other = join(dir, 'elsewhere.sqlite');
    const loaded = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'expert.source=file', '--set', `expert.file=${file}`, '--db', other);
    expect(loaded.code).toBe(0);
    const [original] = query<{ weights: Buffer; architecture: string }>(
      db,
      "SELECT weights, architecture FROM models WHERE run_id = 1 AND role = 'expert' AND method = 'expert'",
    );
    const [copy] = query<{ weights: Buffer; architecture: string }>(
      other,
      "SELECT weights, architecture FROM models WHERE role = 'expert' AND method = 'expert'",
    );
    expect(copy!.weights.equals(original!.weights)).toBe(true);
    expect(copy!.architecture).toBe(original!.architecture);
    const log = ddrl('show', '1', '--log', '--db', other);
    expect(log.out).toMatch(/loads the expert network of .+jumper\.ddrl-expert \(sha256 [0-9a-f]{12}.*run 1 \('.+'\) of .+; nothing trained/);

    const runs = () => query<{ n: number }>(other, 'SELECT count(*) AS n FROM runs')[0]!.n;
    const before = runs();
    const wrongGame = ddrl('run', '--preset', 'quick-bigfish', ...TINY, '--set', 'expert.source=file', '--set', `expert.file=${file}`, '--db', other);
    expect(wrongGame.code).toBe(1);
    expect(wrongGame.err).toMatch(/holds a jumper easy expert; this run plays bigfish easy: name an expert of bigfish easy/);
    const damaged = join(dir, 'damaged.ddrl-expert');
    const bytes = readFileSync(file);
    writeFileSync(damaged, bytes.subarray(0, bytes.length - 10));
    const cutOff = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'expert.source=file', '--set', `expert.file=${damaged}`, '--db', other);
    expect(cutOff.err).toMatch(/the weights are damaged or cut off/);
    const absent = ddrl(
      'run',
      '--preset',
      'quick-jumper',
      ...TINY,
      '--set',
      'expert.source=file',
      '--set',
      `expert.file=${join(dir, 'none.ddrl-expert')}`,
      '--db',
      other,
    );
    expect(absent.err).toMatch(/none\.ddrl-expert: no such file\. Write one from a run with `ddrl export-expert RUN --out FILE`/);
    const notOne = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'expert.source=file', '--set', `expert.file=${other}`, '--db', other);
    expect(notOne.err).toMatch(/is not an expert file \(it does not start with DDRL-EXPERT\)/);
    // The four runs that failed in their expert stage are stored as failed; nothing else changed.
    expect(runs()).toBe(before + 4);
    const unnamed = ddrl('run', '--preset', 'quick-jumper', '--set', 'expert.source=file', '--db', other);
    expect(unnamed.code).toBe(2);
    expect(unnamed.err).toMatch(/expert\.file: expert\.source is 'file': name the expert file to load \(expert\.file=PATH/);
    expect(runs()).toBe(before + 4);
    const noExpert = ddrl('export-expert', '999', '--out', file, '--db', db);
    expect(noExpert.code).toBe(1);
    expect(noExpert.err).toMatch(/No run with id 999/);

    // Exporting only reads: a run stored before the constant-action floor existed is not given one.
    const withoutFloor = join(dir, 'without-floor.sqlite');
    const app = openDatabase({ path: db });
    app.connection.exec(`VACUUM INTO '${withoutFloor}'`);
    app.close();
    const floorless = new BetterSqlite3(withoutFloor);
    floorless.exec("DELETE FROM eval_episodes WHERE model_id IN (SELECT id FROM models WHERE run_id = 1 AND method = 'constant')");
    floorless.exec("DELETE FROM models WHERE run_id = 1 AND method = 'constant'");
    floorless.close();
    expect(ddrl('export-expert', '1', '--out', join(dir, 'floorless.ddrl-expert'), '--db', withoutFloor).code).toBe(0);
    expect(query<{ n: number }>(withoutFloor, "SELECT count(*) AS n FROM models WHERE run_id = 1 AND method = 'constant'")[0]!.n).toBe(0);
  });

  it('refuses bad input with a clear error and stores nothing', () => {
    const count = () => query<{ n: number }>(db, 'SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM datasets) AS n')[0]!.n;
    const before = count();
    const unknownPreset = ddrl('run', '--preset', 'paper-pong', '--db', db);
    expect(unknownPreset.code).toBe(2);
    expect(unknownPreset.err).toMatch(/Unknown preset 'paper-pong': valid presets are paper-bigfish/);
    const badKey = ddrl('run', '--preset', 'quick-jumper', '--set', 'distil.size=50', '--db', db);
    expect(badKey.code).toBe(2);
    expect(badKey.err).toMatch(/Unknown setting 'distil\.size'/);
    const badValue = ddrl('run', '--preset', 'quick-jumper', '--set', 'distill.size=5', '--db', db);
    expect(badValue.code).toBe(2);
    expect(badValue.err).toMatch(/distill\.size: must be at least 15/);
    for (const [settings, message] of [
      [['expert.dagger.rounds=0'], /expert\.dagger\.rounds: must be at least 1 \(rounds after the demonstrations/],
      [['expert.planner.targetTemperature=-0.1'], /expert\.planner\.targetTemperature: must be at least 0/],
      [['expert.planner.horizon=0'], /expert\.planner\.horizon: must be at least 1 \(steps looked ahead per decision\)/],
      [['distill.variant=kip'], /distill\.variant: expected one of paper, dc, dsa, dm, mtt/],
      [['distill.variant=mtt', 'distill.mtt.targetSpan=6'], /distill\.mtt\.targetSpan: must be below distill\.mtt\.checkpoints \(6\)/],
      [
        ['distill.augment=["translate","flip"]'],
        /distill\.augment: 'flip' is not defined for bigfish \(a flip turns left into right, a different action\): use any of translate, brightness, contrast/,
      ],
      [
        ['distill.variant=dm', 'distill.learnLabels=true'],
        /distill\.learnLabels: variant 'dm' matches embeddings, its loss has no labels to learn: use variant paper, dc, dsa or mtt/,
      ],
    ] as const) {
      const bad = ddrl('run', '--preset', 'quick-bigfish', ...settings.flatMap((setting) => ['--set', setting]), '--db', db);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(message);
    }
    const missing = ddrl('show', '99', '--db', db);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/No run with id 99\. List the runs with `ddrl runs`/);
    const finished = ddrl('resume', '1', '--db', db);
    expect(finished.code).toBe(1);
    expect(finished.err).toMatch(/Run 1 is already done: nothing to resume/);
    const malformedDir = join(dir, 'malformed');
    mkdirSync(malformedDir, { recursive: true });
    writeFileSync(join(malformedDir, 'observations.npy'), 'not an array');
    const malformed = ddrl('import', '--game', 'jumper', malformedDir, '--db', db);
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/observations\.npy is not a \.npy file.*Nothing was stored/);
    expect(count()).toBe(before);
  });
});

describe('student options', () => {
  it('trains students of the chosen architecture, plays each greedily and each method as an ensemble, each as a row of its own next to its method', () => {
    const db = join(dir, 'extra-rows.sqlite');
    const extra = [
      'students.count=2',
      'students.network=impala',
      'students.channels=[4]',
      'baselines.percentiles=[100]',
      'distill.controls=[]',
      'evaluate.greedyRows=true',
      'evaluate.ensembleRows=true',
    ];
    const r = ddrl('run', '--preset', 'quick-jumper', ...TINY, ...extra.flatMap((s) => ['--set', s]), '--db', db);
    expect(r.err).toBe('');
    const rows = (
      JSON.parse(ddrl('results', '1', '--json', '--db', db).out).rows as (ResultJson & { models: number; intervalOver: string; dataUsed: string })[]
    ).filter((row) => row.split === 'id');
    const methods = rows.map((row) => row.method);
    expect(methods.slice(methods.indexOf('bc-100'), methods.indexOf('bc-100') + 3)).toEqual(['bc-100', 'bc-100 [ensemble of 2]', 'bc-100 [greedy]']);
    const row = (method: string) => rows.find((x) => x.method === method)!;
    expect(row('bc-100 [greedy]')).toMatchObject({ models: 2, intervalOver: 'students', dataUsed: row('bc-100').dataUsed });
    // One ensemble is one policy: its interval is over episodes, and it is never averaged with single students.
    expect(row('synthetic [ensemble of 2]')).toMatchObject({ models: 1, intervalOver: 'episodes', dataUsed: row('synthetic').dataUsed });
    expect(query(db, "SELECT length(weights) AS n FROM models WHERE method = 'bc-100 [ensemble of 2]'")).toEqual([{ n: 0 }]);
    expect(query(db, "SELECT DISTINCT architecture FROM models WHERE role = 'student' AND length(weights) > 0")).toEqual([{ architecture: 'impala[4]' }]);
    // No rate given: an IMPALA student's own (the paper's 0.005 leaves one at a random policy's level).
    expect(query(db, "SELECT message FROM run_log WHERE stage = 'students' AND message LIKE '%students per method%'")).toEqual([
      { message: "2 students per method: IMPALA [4], 3 Adam steps of 16 at 0.001 (the network's own rate), mse loss" },
    ]);
  }, 300_000);
});

describe('a killed run', () => {
  it('loses no finished stage after SIGKILL mid-stage, and `ddrl resume` continues without redoing them', async () => {
    const db = join(dir, 'killed.sqlite');
    const slowStudents = ['--set', 'students.count=3', '--set', 'students.bc.steps=40'];
    const { child, exited } = startDdrl('run', '--preset', 'quick-jumper', ...TINY, ...slowStudents, '--db', db);
    // Killed once the first student of the students stage is stored, before the stage ends.
    await waitFor(db, "SELECT 1 FROM stages WHERE stage = 'students' AND checkpoint IS NOT NULL AND status = 'running'");
    child.kill('SIGKILL');
    await exited;
    expect(query<{ integrity_check: string }>(db, 'PRAGMA integrity_check')[0]!.integrity_check).toBe('ok');
    const before = query<StageRecord>(db, 'SELECT stage, status, finished_at FROM stages WHERE run_id = 1 ORDER BY position');
    expect(before.slice(0, 4).every((s) => s.status === 'done')).toBe(true);
    expect(before[4]).toMatchObject({ stage: 'students', status: 'running' });
    const studentsBefore = query<{ id: number; method: string; member: number }>(db, "SELECT id, method, member FROM models WHERE role = 'student'");
    expect(studentsBefore.length).toBeGreaterThan(0);

    // Its process is gone: the run shows 'interrupted', and there is nothing to cancel.
    expect(ddrl('cancel', '1', '--db', db).err).toMatch(/Run 1 is interrupted, not queued or running: nothing to cancel\. `ddrl resume 1` continues it/);
    const resumed = ddrl('resume', '1', '--db', db);
    expect(resumed.code).toBe(0);
    const after = query<StageRecord>(db, 'SELECT stage, status, finished_at FROM stages WHERE run_id = 1 ORDER BY position');
    expect(after.every((s) => s.status === 'done')).toBe(true);
    // Finished stages were not redone: their finish times are unchanged.
    expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
    // Students trained before the kill were kept, not retrained.
    const studentsAfter = query<{ id: number; method: string; member: number }>(db, "SELECT id, method, member FROM models WHERE role = 'student'");
    for (const s of studentsBefore) expect(studentsAfter).toContainEqual(s);
    // Three students for each of BC 100/40/25/10 %, synthetic, synthetic-soft (quick presets distil soft labels) and the quick presets' control.
    expect(new Set(studentsAfter.map((s) => s.method)).size).toBe(7);
    expect(studentsAfter).toHaveLength(7 * 3);
    expect(query<{ integrity_check: string }>(db, 'PRAGMA integrity_check')[0]!.integrity_check).toBe('ok');
    // The log tells the story: started, (killed: nothing said), resumed after the four finished stages, succeeded;
    // every student logged once, with the stored one.
    const log = logOf(ddrl('show', '1', '--log', '--db', db).out);
    expect(log.filter((l) => l.stage === 'run').map((l) => l.message)).toEqual([
      expect.stringMatching(/^started on TensorFlow\.js /),
      expect.stringMatching(/^resumed on TensorFlow\.js \S+: expert, collect, baselines, distill already done \(kept\); from students$/),
      'succeeded',
    ]);
    const studentLines = log.filter((l) => l.stage === 'students' && / student \d\/3: /.test(l.message)).map((l) => l.message.split(':')[0]);
    expect(new Set(studentLines).size).toBe(7 * 3);
    expect(studentLines).toHaveLength(7 * 3);
  }, 300_000);
});

describe('a run killed during evaluation', () => {
  it('resumes without evaluating the random policy twice or choosing the constant action again', async () => {
    const db = join(dir, 'killed-evaluating.sqlite');
    const { child, exited } = startDdrl('run', '--preset', 'quick-jumper', ...TINY, '--db', db);
    // Killed once the random policy's episodes are stored, while students are still being evaluated (they come after it).
    await waitFor(
      db,
      "SELECT 1 FROM eval_episodes e JOIN models m ON m.id = e.model_id JOIN stages s ON s.run_id = m.run_id AND s.stage = 'evaluate' WHERE m.method = 'random' AND s.status = 'running'",
    );
    child.kill('SIGKILL');
    await exited;
    const randomEpisodes =
      "SELECT m.id, e.split, e.idx, e.return FROM models m JOIN eval_episodes e ON e.model_id = m.id WHERE m.method = 'random' ORDER BY e.split, e.idx";
    const before = query(db, randomEpisodes);
    expect(before).toHaveLength(2 + 2);
    // Stored with the random policy, at the stage's start.
    const constantModel = "SELECT id, architecture FROM models WHERE method = 'constant'";
    const constantBefore = query(db, constantModel);
    expect(constantBefore).toHaveLength(1);
    expect(query<{ status: string }>(db, "SELECT status FROM stages WHERE stage = 'evaluate'")[0]!.status).toBe('running');
    ddrl('cancel', '1', '--db', db);
    expect(ddrl('resume', '1', '--db', db).code).toBe(0);
    // The same model and episodes: not played again, not stored twice.
    expect(query(db, randomEpisodes)).toEqual(before);
    expect(query(db, "SELECT id FROM models WHERE method = 'random'")).toHaveLength(1);
    expect(query(db, constantModel)).toEqual(constantBefore);
    const unevaluated = query(db, 'SELECT id FROM models m WHERE NOT EXISTS (SELECT 1 FROM eval_episodes e WHERE e.model_id = m.id)');
    expect(unevaluated).toEqual([]);
  }, 300_000);
});

describe('cancellation', () => {
  it('`ddrl cancel` from another process stops the run at its next step; resume finishes it', async () => {
    const db = join(dir, 'cancelled.sqlite');
    const slowDistill = ['--set', 'distill.iterations=40'];
    const { exited } = startDdrl('run', '--preset', 'quick-jumper', ...TINY, ...slowDistill, '--db', db);
    await waitFor(db, "SELECT 1 FROM stages WHERE stage = 'distill' AND checkpoint IS NOT NULL");
    const cancel = ddrl('cancel', '1', '--db', db);
    expect(cancel.code).toBe(0);
    expect(cancel.out).toMatch(/asked its process .* to stop/);
    expect(await exited).toBe(130);
    const run = query<{ status: string; error: string }>(db, 'SELECT status, error FROM runs WHERE id = 1')[0]!;
    expect(run.status).toBe('cancelled');
    const distill = query<{ status: string; checkpoint: string }>(db, "SELECT status, checkpoint FROM stages WHERE run_id = 1 AND stage = 'distill'")[0]!;
    expect(distill.status).toBe('cancelled');
    const doneIterations = (JSON.parse(distill.checkpoint) as { iteration: number }).iteration;
    expect(doneIterations).toBeLessThan(40);
    expect(ddrl('cancel', '1', '--db', db).err).toMatch(/Run 1 is cancelled, not queued or running/);
    const resumed = ddrl('resume', '1', '--db', db);
    expect(resumed.code).toBe(0);
    // Distillation continued from its last snapshot: the initial set, then one snapshot per iteration, none repeated.
    const snapshots = query<{ iteration: number }>(db, 'SELECT iteration FROM synthetic_snapshots WHERE run_id = 1 ORDER BY iteration');
    expect(snapshots.map((s) => s.iteration)).toEqual(Array.from({ length: 41 }, (_, i) => i));
  }, 300_000);
});

describe('Ctrl-C', () => {
  it('cancels the run inside a trainer, keeps what finished, and exits with 130', async () => {
    const db = join(dir, 'interrupted.sqlite');
    const { child, exited } = startDdrl(
      'run',
      '--preset',
      'quick-jumper',
      ...TINY,
      '--set',
      'distill.iterations=40',
      '--set',
      'distill.snapshotEvery=0',
      '--db',
      db,
    );
    await waitFor(db, "SELECT 1 FROM stages WHERE stage = 'distill' AND status = 'running'");
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]!.status).toBe('cancelled');
    const stages = query<{ stage: string; status: string }>(db, 'SELECT stage, status FROM stages WHERE run_id = 1 ORDER BY position');
    expect(stages.map((s) => s.status)).toEqual(['done', 'done', 'done', 'cancelled', 'pending', 'pending']);
  }, 300_000);
});

describe('an expert trained by PPO', () => {
  it('feeds the rest of the pipeline like any expert', () => {
    const db = join(dir, 'ppo.sqlite');
    const ppo = ['source=ppo', 'ppo.numEnvs=4', 'ppo.rolloutSteps=8', 'ppo.totalSteps=64', 'ppo.minibatches=2', 'ppo.epochs=1'].flatMap((s) => [
      '--set',
      `expert.${s}`,
    ]);
    const r = ddrl('run', '--preset', 'quick-starpilot', ...TINY, ...ppo, '--db', db);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const curve = query<{ step: number }>(db, "SELECT step FROM metrics WHERE series = 'expert/ppo-return' ORDER BY step");
    // 64 steps in updates of 4 envs x 8 steps.
    expect(curve.map((c) => c.step)).toEqual([32, 64]);
  }, 300_000);

  it('resumes after SIGKILL from its last checkpoint, with one learning curve and no update twice', async () => {
    const db = join(dir, 'ppo-killed.sqlite');
    // 40 updates of 4 envs x 8 steps: checkpoints every 2 updates.
    const ppo = ['source=ppo', 'ppo.numEnvs=4', 'ppo.rolloutSteps=8', 'ppo.totalSteps=1280', 'ppo.minibatches=2', 'ppo.epochs=1', 'channels=[2,4,4]'];
    const { child, exited } = startDdrl('run', '--preset', 'quick-starpilot', ...TINY, ...ppo.flatMap((s) => ['--set', `expert.${s}`]), '--db', db);
    await waitFor(db, "SELECT 1 FROM stages WHERE stage = 'expert' AND checkpoint IS NOT NULL AND status = 'running'");
    child.kill('SIGKILL');
    await exited;
    const stored = JSON.parse(query<{ checkpoint: string }>(db, "SELECT checkpoint FROM stages WHERE stage = 'expert'")[0]!.checkpoint) as { envSteps: number };
    expect(stored.envSteps % 64).toBe(0);
    expect(stored.envSteps).toBeLessThan(1280);
    expect(ddrl('resume', '1', '--db', db).code).toBe(0);
    const curve = query<{ step: number }>(db, "SELECT step FROM metrics WHERE series = 'expert/ppo-return' ORDER BY step").map((c) => c.step);
    expect(curve).toEqual(Array.from({ length: 40 }, (_, i) => (i + 1) * 32));
    expect(query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]!.status).toBe('done');
  }, 300_000);
});

describe('an expert trained by DAgger', () => {
  it('resumes after SIGKILL from its last finished round: no round played or stored twice', async () => {
    const db = join(dir, 'dagger-killed.sqlite');
    const dagger = ['source=dagger', 'dagger.rounds=3', 'dagger.episodesPerRound=1', 'dagger.stepsPerRound=20', 'channels=[2,4,4]'];
    const { child, exited } = startDdrl('run', '--preset', 'quick-jumper', ...TINY, ...dagger.flatMap((s) => ['--set', `expert.${s}`]), '--db', db);
    await waitFor(db, "SELECT 1 FROM stages WHERE stage = 'expert' AND status = 'running' AND json_extract(checkpoint, '$.roundsDone') >= 2");
    child.kill('SIGKILL');
    await exited;
    const stored = JSON.parse(query<{ checkpoint: string }>(db, "SELECT checkpoint FROM stages WHERE stage = 'expert'")[0]!.checkpoint) as {
      roundsDone: number;
    };
    expect(stored.roundsDone).toBeGreaterThanOrEqual(2);
    expect(ddrl('resume', '1', '--db', db).code).toBe(0);
    const names = query<{ name: string }>(db, "SELECT name FROM datasets WHERE name LIKE 'expert %' ORDER BY id").map((d) => d.name);
    expect(names).toEqual(['expert demonstrations (planner)', ...[1, 2, 3].map((r) => `expert DAgger round ${r} (network played, planner labelled)`)]);
    const rounds = query<{ step: number }>(db, "SELECT step FROM metrics WHERE series = 'expert/dagger-return' ORDER BY step").map((m) => m.step);
    expect(rounds).toEqual([0, 1, 2, 3]);
    const logged = logOf(ddrl('show', '1', '--log', '--db', db).out).filter((l) => l.message.startsWith('DAgger round'));
    expect(logged.map((l) => /^DAgger round (\d)/.exec(l.message)![1])).toEqual(['0', '1', '2', '3']);
    const shown = ddrl('show', '1', '--db', db).out;
    expect(shown).toMatch(/DAgger round 0: planner demonstrations, mean return \d/);
    expect(shown).toMatch(/DAgger round 3: network mean return [\d.]+, its own choice one the planner rates best \d+% of the time/);
    // Every stored state keeps the planner's search target: a distribution per state.
    const connection = new BetterSqlite3(db, { readonly: true });
    const round3 = loadDataset(connection, query<{ id: number }>(db, "SELECT id FROM datasets WHERE name LIKE 'expert DAgger round 3%'")[0]!.id);
    connection.close();
    expect(round3.targets!.length).toBe(round3.info.transitions * 15);
    expect(round3.targets!.subarray(0, 15).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = 1')[0]!.status).toBe('done');
  }, 300_000);
});

describe('sweeps', () => {
  it('create one run per value under one experiment (here: who collects, the expert network or the planner)', () => {
    const db = join(dir, 'sweep.sqlite');
    const r = ddrl('run', '--preset', 'quick-jumper', ...TINY, '--set', 'collect.epsilon=0.2', '--sweep', 'collect.actor=expert-network,planner', '--db', db);
    expect(r.code).toBe(0);
    const runs = query<{ experiment_id: number; label: string; config: string; status: string; dataset_id: number }>(
      db,
      'SELECT experiment_id, label, config, status, dataset_id FROM runs ORDER BY id',
    );
    expect(runs.map((x) => [x.experiment_id, x.label, JSON.parse(x.config).collect.actor, x.status])).toEqual([
      [1, 'collect.actor="expert-network"', 'expert-network', 'done'],
      [1, 'collect.actor="planner"', 'planner', 'done'],
    ]);
    const app = openDatabase({ path: db });
    try {
      for (const run of runs) expect(verifyDataset(app.connection, run.dataset_id)).toEqual([]);
    } finally {
      app.close();
    }
  }, 300_000);
});
