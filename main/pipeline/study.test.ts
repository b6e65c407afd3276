/**
 * The study end to end through the real `ddrl` command at a tiny size: both phases, the
 * report, its numbers against `ddrl results`, and a second `ddrl study` that resumes
 * (nothing finished is run again); a run copied in from another database (`ddrl copy-run`)
 * carries its results, and a study adopts it as its paper run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyInfo } from '@shared/api/study.ts';
import { startServices } from '../services/app-services.ts';
import { findExperimentByName, listExperimentRuns } from '../storage/runs.ts';
import { studyReport } from './study-report.ts';
import { query } from './testing/query.ts';
import { setFlags, TINY_SETTINGS } from './testing/tiny-run.ts';

const REPO = resolve(import.meta.dirname, '../..');
const TINY = setFlags([...TINY_SETTINGS, 'distill.innerSteps=1', 'students.count=2']);

let dir: string;
let db: string;
let report: string;
let firstOut: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-study-'));
  db = join(dir, 'study.sqlite');
  report = join(dir, 'results.md');
  const r = ddrl('study', '--scale', 'quick', '--games', 'jumper', ...TINY, '--db', db, '--out', report);
  expect(r.code, r.err).toBe(0);
  firstOut = r.out;
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ddrl(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('node', [join(REPO, 'bin/ddrl.js'), ...args], { encoding: 'utf8', cwd: REPO, timeout: 600_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** A report but for the file names it mentions. */
const withoutNames = (text: string) => text.replace(/--out \S+/, '').replace(/\]\(\S+-(\w+)\.svg\)/g, '](<file>-$1.svg)');

interface Row {
  method: string;
  split: 'id' | 'ood';
  mean: number;
  ciLow: number;
  ciHigh: number;
}

describe('ddrl study', () => {
  it('runs one run per method, then the size sweep, in one experiment', () => {
    expect(firstOut).toMatch(/phase 1, 5 of 5 runs to execute/);
    expect(firstOut).toMatch(/Phase 2 \(size sweep\): 3 of 3 runs to execute/);
    const runs = ddrl('runs', '--db', db).out;
    for (const label of ['jumper paper', 'jumper dc', 'jumper dsa', 'jumper dm', 'jumper mtt', 'jumper size 15', 'jumper size 50', 'jumper size 500'])
      expect(runs).toContain(label);
  });

  it("writes a report whose numbers are `ddrl results`' numbers", () => {
    const markdown = readFileSync(report, 'utf8');
    const fixed = (v: number) => v.toFixed(2);
    const cell = (r: Row) => `${fixed(r.mean)} [${fixed(r.ciLow)}, ${fixed(r.ciHigh)}]`;
    const checks: [number, string, string][] = [
      [1, 'bc-100', 'bc-100'],
      [1, 'random-frames', 'random-frames'],
      [1, 'kcenter-frames-soft', 'kcenter-frames-soft'],
      [1, 'constant', 'constant'],
      [1, 'random', 'random'],
      [1, 'synthetic', 'synthetic (paper)'],
      [2, 'synthetic', 'synthetic (dc)'],
      [3, 'synthetic-soft', 'synthetic-soft (dsa)'],
      [4, 'synthetic', 'synthetic (dm)'],
      [5, 'synthetic-soft', 'synthetic-soft (mtt)'],
    ];
    for (const [runId, method, name] of checks) {
      const rows = JSON.parse(ddrl('results', String(runId), '--json', '--db', db).out).rows as Row[];
      const line = markdown.split('\n').find((l) => l.startsWith(`| ${name} |`));
      expect(line, name).toBeDefined();
      for (const split of ['id', 'ood'] as const) expect(line, `${name} ${split}`).toContain(cell(rows.find((r) => r.method === method && r.split === split)!));
    }
    // The student-recipe line stands exactly where the floor note says the same of the paper run.
    const paperRows = JSON.parse(ddrl('results', '1', '--json', '--db', db).out).rows as (Row & { indistinguishableFromRandom: boolean })[];
    const limited = (['id', 'ood'] as const).filter((split) => {
      const verdict = (m: string) => paperRows.find((r) => r.method === m && r.split === split)?.indistinguishableFromRandom;
      return verdict('expert') === false && verdict('bc-100') === true;
    });
    const recipeLine = /BC on all data is itself indistinguishable from a random policy \((.*)\) while the expert is not/.exec(markdown);
    expect(recipeLine?.[1] ?? '').toBe(limited.map((s) => s.toUpperCase()).join(' and '));
    // The target's verdict follows from the two shares of the expert's return the line states ('-': the expert scored 0).
    const best =
      /Best distilled \(ID\): \*\*.+?\*\*, (-?\d+%|-) of the expert's return ID and (-?\d+%|-) OOD \(target >= 50% on both: (met|missed|not measured)\); (-?\d+%|-) and (-?\d+%|-) of the expert's margin over a random policy/.exec(
        markdown,
      );
    expect(best, 'the best distilled line').not.toBeNull();
    const shares = [best![1]!, best![2]!];
    expect(best![3]).toBe(shares.includes('-') ? 'not measured' : shares.every((p) => parseInt(p) >= 50) ? 'met' : 'missed');
    // A significant difference is qualified exactly when neither row is clear above the random policy (its cells' tags).
    const bestName = /Best distilled \(ID\): \*\*(.+?)\*\*/.exec(markdown)![1]!;
    const tableCell = (name: string, split: 'ID' | 'OOD') =>
      markdown
        .split('\n')
        .find((l) => l.startsWith(`| ${name} |`))!
        .split('|')[split === 'ID' ? 4 : 5]!;
    const above = (name: string, split: 'ID' | 'OOD') => !/~random|below random/.test(tableCell(name, split));
    for (const m of markdown.matchAll(/(ID|OOD) [+-]\d+\.\d+ vs (\S+) \((?:better|worse), significant(, but neither is above a random policy)?\)/g)) {
      const split = m[1] as 'ID' | 'OOD';
      expect(Boolean(m[3]), m[0]).toBe(!above(bestName, split) && !above(m[2]!, split));
    }
    // The floors close the table, the constant action above the random policy.
    const names = markdown
      .split('\n')
      .filter((l) => /^\| \S/.test(l) && !l.startsWith('| method') && !l.startsWith('| samples'))
      .map((l) => l.split('|')[1]!.trim());
    expect(names.indexOf('random')).toBe(names.indexOf('constant') + 1);
    expect(names.filter((n) => !/^\d+$/.test(n)).slice(-2)).toEqual(['constant', 'random']);
    // The best distilled row against the constant action: '≤ constant' exactly on the splits where its interval does not lie wholly above it.
    const bounds = (name: string, split: 'ID' | 'OOD') => /(-?\d+\.\d+) \[(-?\d+\.\d+|-), (-?\d+\.\d+|-)\]/.exec(tableCell(name, split))!.slice(2).map(Number);
    const notClear = (['ID', 'OOD'] as const).filter((split) => !(bounds('constant', split)[1]! < bounds(bestName, split)[0]!));
    const constantLine = markdown.split('\n').find((l) => l.startsWith('- against the best constant action, one action always ('))!;
    expect(constantLine).toBeDefined();
    expect(/≤ constant ([A-Z ]+?):/.exec(constantLine)?.[1] ?? '').toBe(notClear.join(' and '));
    // The best control of the size sweep is a coreset control, never a floor.
    expect(markdown).toMatch(/Size sweep: .* and (random|kcenter)-frames(-soft)?, the best distilled method and the best control at 150 samples/);
    expect(readFileSync(join(dir, 'results-jumper.svg'), 'utf8')).toMatch(/^<svg /);
    // The size sweep's chart: a point per size (15, 50, 150, 500) on each of its four lines (method and control, ID and OOD).
    expect(markdown).toContain('](results-jumper-sweep.svg)');
    expect(readFileSync(join(dir, 'results-jumper-sweep.svg'), 'utf8').match(/<circle /g)).toHaveLength(4 * 4);
  });

  it('resumes: a second study runs nothing again, and `ddrl report` regenerates the same report', () => {
    const before = readFileSync(report, 'utf8');
    const again = ddrl('study', '--scale', 'quick', '--games', 'jumper', ...TINY, '--db', db, '--out', report);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/phase 1, 0 of 5 runs to execute/);
    expect(again.out).toMatch(/Phase 2 \(size sweep\): 0 of 3 runs to execute/);
    // Into a folder that does not exist yet: it is made.
    const regenerated = join(dir, 'regenerated', 'again.md');
    expect(ddrl('report', '--experiment', 'study-quick', '--out', regenerated, '--db', db).code).toBe(0);
    expect(withoutNames(readFileSync(regenerated, 'utf8'))).toBe(withoutNames(before));
  });

  it("serves the app's Study view the report's reading (study.get): its rows, the best line and the size sweep", async () => {
    const services = startServices({ dbPath: db, runtime: 'node' });
    try {
      const reply = await services.dispatch('study.get', {});
      if (!reply.ok) throw new Error(reply.error.message);
      const study = reply.output as StudyInfo;
      expect(study).toMatchObject({ scales: ['quick'], scale: 'quick' });
      expect(study.commands.map((c) => c.command)).toEqual([expect.stringMatching(/^npx ddrl study --scale quick --games jumper /)]);
      expect(study.games.map((g) => g.game)).toEqual(['jumper']);
      const game = study.games[0]!;
      const markdown = readFileSync(report, 'utf8');
      const fixed = (v: number | null) => (v === null ? '-' : v.toFixed(2));
      const cell = (r: { mean: number; ciLow: number | null; ciHigh: number | null } | undefined) =>
        r ? `${fixed(r.mean)} [${fixed(r.ciLow)}, ${fixed(r.ciHigh)}]` : '-';
      // The report's table, row for row and interval for interval.
      const lineOf = (name: string) => markdown.split('\n').find((l) => l.startsWith(`| ${name} |`));
      const tableNames = markdown
        .split('\n')
        .filter((l) => /^\| \S/.test(l) && !l.startsWith('| method') && !l.startsWith('| samples') && !/^\| \d+ \|/.test(l))
        .map((l) => l.split('|')[1]!.trim());
      expect(game.rows.map((r) => r.name)).toEqual(tableNames);
      for (const row of game.rows) for (const split of ['id', 'ood'] as const) expect(lineOf(row.name), `${row.name} ${split}`).toContain(cell(row[split]));
      expect(game.best).not.toBeNull();
      expect(markdown).toContain(`Best distilled (ID): **${game.best!.name}**, ${game.best!.summary}`);
      expect(game.best!.summary).toContain(`target >= 50% on both: ${game.best!.target})`);
      for (const line of game.best!.against) expect(markdown).toContain(`- ${line}`);
      // The sweep: every size, each point the report's sweep row.
      const sweep = game.sweep!.result!;
      expect(sweep.points.map((p) => p.size)).toEqual([15, 50, 150, 500]);
      expect(markdown).toContain(`Size sweep: ${sweep.method} and ${sweep.control},`);
      for (const p of sweep.points)
        for (const row of [p.method?.id, p.method?.ood, p.control?.id, p.control?.ood]) expect(lineOf(String(p.size)), `${p.size}`).toContain(cell(row));
      // A scale with no study in this database: named, and empty.
      const paper = await services.dispatch('study.get', { scale: 'paper' });
      expect(paper.ok && paper.output).toMatchObject({ scales: ['quick'], scale: 'paper', experimentId: null, games: [] });
    } finally {
      services.close();
    }
  });

  it('shows how far the study is (study.get progress): each run it makes, what a running one is doing, and a cancelled one stopped', async () => {
    const live = join(dir, 'progress.sqlite');
    copyFileSync(db, live);
    const services = startServices({ dbPath: live, runtime: 'node' });
    const progressOf = async (game: string) => {
      const reply = await services.dispatch('study.get', {});
      if (!reply.ok) throw new Error(reply.error.message);
      return (reply.output as StudyInfo).progress.find((g) => g.game === game);
    };
    try {
      // The finished study: every run it makes, in its order, each done with its stages.
      const jumper = (await progressOf('jumper'))!;
      expect(jumper.steps.map((s) => [s.name, s.phase, s.run?.status])).toEqual([
        ...['paper', 'dc', 'dsa', 'dm', 'mtt'].map((m) => [m, 'methods', 'done']),
        ...['15 samples', '50 samples', '500 samples'].map((m) => [m, 'sweep', 'done']),
      ]);
      const c = services.db.connection;
      const labels = new Map(listExperimentRuns(c, findExperimentByName(c, 'study-quick')!.id).map((r) => [r.id, r.label]));
      expect(jumper.steps.map((s) => labels.get(s.run!.id))).toEqual([
        ...['paper', 'dc', 'dsa', 'dm', 'mtt'].map((m) => `jumper ${m}`),
        ...['15', '50', '500'].map((size) => `jumper size ${size}`),
      ]);
      expect(jumper.steps.every((s) => s.run!.stages.every((st) => st.status === 'done') && s.run!.latest === null)).toBe(true);
      expect(await progressOf('bigfish')).toBeUndefined();
      // Another process starts bigfish's runs: the first shows running with its newest log line, the rest not made yet.
      const study = spawn('node', [join(REPO, 'bin/ddrl.js'), 'study', '--scale', 'quick', '--games', 'bigfish', ...TINY, '--db', live], { cwd: REPO });
      const exited = new Promise<number | null>((done) => study.on('exit', done));
      let running: NonNullable<Awaited<ReturnType<typeof progressOf>>>['steps'][number] | undefined;
      for (let i = 0; i < 600 && !running; i++) {
        running = (await progressOf('bigfish'))?.steps.find((s) => s.run?.status === 'running' && s.run.latest !== null);
        if (!running) await new Promise((wait) => setTimeout(wait, 100));
      }
      expect(running?.name).toBe('paper');
      expect(running!.run!.stages.some((st) => st.status === 'running' || st.status === 'done')).toBe(true);
      expect(running!.run!.latest!.message.length).toBeGreaterThan(0);
      const cancel = ddrl('cancel', '--experiment', String(findExperimentByName(c, 'study-quick')!.id), '--db', live);
      expect(cancel.code, cancel.err).toBe(0);
      expect(await exited).not.toBe(0);
      const bigfish = (await progressOf('bigfish'))!;
      expect(bigfish.steps[0]!.run).toMatchObject({ id: running!.run!.id, status: 'cancelled', latest: null });
      // Runs of the sweep wait for the methods: not made while the methods are stopped.
      expect(bigfish.steps.filter((s) => s.phase === 'sweep').map((s) => s.run)).toEqual([null, null, null]);
    } finally {
      services.close();
    }
  }, 120_000);

  it("stands another phase-1 run's expert, bc-100 and floor rows in while the paper run is not done", () => {
    const connection = new BetterSqlite3(db, { readonly: true });
    try {
      const runs = listExperimentRuns(connection, findExperimentByName(connection, 'study-quick')!.id).filter((r) => r.label !== 'jumper paper');
      const { markdown } = studyReport(connection, runs, 'partial-', 'npx ddrl report', { commands: [{ command: 'npx ddrl study', runIds: [] }], adopted: [] });
      expect(markdown).toMatch(/Not finished: paper\. The expert, bc-100 and floor rows are run 2's \(dc\) until the paper run/);
      for (const name of ['expert', 'bc-100', 'constant', 'random', 'synthetic (dc)']) expect(markdown, name).toContain(`| ${name} |`);
      // Only the paper run has the other BC baselines and the coreset controls.
      expect(markdown).not.toContain('| bc-40 |');
      expect(markdown).not.toContain('| random-frames |');
    } finally {
      connection.close();
    }
  });

  it('archives the finished runs into a small database that reports the same numbers and resumes the study', () => {
    const archive = join(dir, 'archive.sqlite');
    const made = ddrl('archive', '--experiment', 'study-quick', '--out', archive, '--db', db);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toMatch(/Archived 8 finished runs of 'study-quick' to .+ \(\d+\.\d MB\)\./);
    expect(statSync(archive).size).toBeLessThan(statSync(db).size / 4);
    const fromArchive = join(dir, 'archived.md');
    expect(ddrl('report', '--experiment', 'study-quick', '--out', fromArchive, '--db', archive).code).toBe(0);
    expect(withoutNames(readFileSync(fromArchive, 'utf8'))).toBe(withoutNames(readFileSync(report, 'utf8')));
    for (const runId of ['1', '6']) expect(ddrl('results', runId, '--json', '--db', archive).out).toBe(ddrl('results', runId, '--json', '--db', db).out);
    // Frames, synthetic sets, student weights and episode actions are gone; the paper run's expert stays, for new runs to reuse.
    const one = (path: string, sql: string) => query<{ n: number }>(path, sql)[0]!.n;
    expect(one(archive, 'SELECT (SELECT count(*) FROM datasets) + (SELECT count(*) FROM synthetic_snapshots) AS n')).toBe(0);
    expect(one(archive, 'SELECT count(*) AS n FROM eval_episodes WHERE length(actions) > 0')).toBe(0);
    expect(one(archive, "SELECT count(*) AS n FROM models WHERE role = 'student' AND length(weights) > 0")).toBe(0);
    const expertSql = "SELECT hex(weights) AS n FROM models WHERE run_id = 1 AND role = 'expert' AND method = 'expert'";
    expect(query<{ n: string }>(archive, expertSql)[0]!.n).toBe(query<{ n: string }>(db, expertSql)[0]!.n);
    expect(one(archive, 'SELECT count(*) AS n FROM eval_episodes')).toBe(one(db, 'SELECT count(*) AS n FROM eval_episodes'));
    const resumed = ddrl('study', '--scale', 'quick', '--games', 'jumper', ...TINY, '--db', archive, '--out', join(dir, 'resumed.md'));
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/phase 1, 0 of 5 runs to execute/);
    expect(resumed.out).toMatch(/Phase 2 \(size sweep\): 0 of 3 runs to execute/);
    // An episode keeps its return, not its actions, and says so when asked to replay.
    const replay = ddrl('policy', '1', '--model', 'synthetic', '--episode', 'id:0', '--db', archive);
    expect(replay.err).toMatch(/kept its return \(.+\) but not its actions: this database is a results archive \(ddrl archive\)/);
    // Exporting an archived run writes the expert's weights and no empty files for the students whose weights were dropped.
    const exported = join(dir, 'archived-export');
    expect(ddrl('export', '1', '--out', exported, '--db', archive).code).toBe(0);
    expect(readdirSync(join(exported, 'models')).filter((f) => f.startsWith('student-'))).toEqual([]);
    expect(existsSync(join(exported, 'models', 'expert-expert-0.weights'))).toBe(true);
    // The file says what it is (the About view and the status bar read the same record).
    expect(ddrl('about', '--db', archive).out).toMatch(
      /a results archive of 'study-quick' \(from .+study\.sqlite, .+\): results, configs, logs and experts, without frames/,
    );
    expect(ddrl('about', '--db', db).out).not.toMatch(/results archive/);
    expect(ddrl('archive', '--experiment', 'nope', '--out', join(dir, 'none.sqlite'), '--db', db).err).toMatch(/No experiment named 'nope'/);
    expect(ddrl('archive', '--experiment', 'study-quick', '--out', db, '--db', db).err).toMatch(/is the database itself: name another file/);
    expect(existsSync(join(dir, 'none.sqlite'))).toBe(false);
  });

  it('refuses an unknown scale or game and a missing experiment, naming the choices', () => {
    expect(ddrl('study', '--scale', 'huge', '--db', db).err).toMatch(/--scale 'huge' is not valid: use one of paper, quick/);
    expect(ddrl('study', '--games', 'pong', '--db', db).err).toMatch(/--games: 'pong' is not a game: use bigfish, starpilot, jumper/);
    expect(ddrl('report', '--experiment', 'nope', '--db', db).err).toMatch(/No experiment named 'nope'/);
  });

  describe('copy-run', () => {
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    const results = (runId: number, path: string) => {
      const { rows } = JSON.parse(ddrl('results', String(runId), '--json', '--db', path).out) as { rows: unknown[] };
      return rows;
    };

    it('copies a finished run with everything it made: the same results, a note of where it came from, the source untouched', () => {
      const target = join(dir, 'copies.sqlite');
      const before = sha(db);
      const r = ddrl('copy-run', '1', '--from', db, '--experiment', 'study-quick', '--label', 'jumper paper', '--db', target);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/Copied run 1 of .* as run 1 \('jumper paper', done\)/);
      expect(sha(db)).toBe(before);
      expect(results(1, target)).toEqual(results(1, db));
      const show = ddrl('show', '1', '--db', target).out;
      expect(show).toContain(`copied from run 1 of ${db}`);
      // Its datasets (the collected one, DAgger's labelled states), synthetic set and episodes came along.
      const count = (path: string, sql: string) => {
        const c = new BetterSqlite3(path, { readonly: true });
        try {
          return c.prepare(sql).pluck().get();
        } finally {
          c.close();
        }
      };
      for (const table of ['dataset_episodes', 'synthetic_snapshots', 'eval_episodes', 'method_data', 'models'])
        expect(count(target, `SELECT count(*) FROM ${table}`), table).toBe(
          count(
            db,
            table === 'dataset_episodes'
              ? 'SELECT count(*) FROM dataset_episodes WHERE dataset_id IN (SELECT id FROM datasets WHERE run_id = 1 OR id = (SELECT dataset_id FROM runs WHERE id = 1))'
              : table === 'eval_episodes'
                ? 'SELECT count(*) FROM eval_episodes WHERE model_id IN (SELECT id FROM models WHERE run_id = 1)'
                : `SELECT count(*) FROM ${table} WHERE run_id = 1`,
          ),
        );
    });

    it("refuses a run that reuses another's expert or is not done, a missing run or file, an older file, and copies nothing", () => {
      const target = join(dir, 'refusals.sqlite');
      expect(ddrl('runs', '--db', target).code).toBe(0);
      const older = join(dir, 'older.sqlite');
      copyFileSync(db, older);
      const c = new BetterSqlite3(older);
      c.pragma('user_version = 3');
      c.close();
      const interrupted = join(dir, 'interrupted.sqlite');
      copyFileSync(db, interrupted);
      const i = new BetterSqlite3(interrupted);
      i.prepare("UPDATE runs SET status = 'interrupted' WHERE id = 1").run();
      i.close();
      const cases: [string[], RegExp][] = [
        [['2', '--from', db], /reuses run 1's expert, a run of that file: copy run 1 instead/],
        [['99', '--from', db], /has no run 99: list its runs with `ddrl runs --db/],
        [['1', '--from', join(dir, 'nope.sqlite')], /no such file/],
        [['1', '--from', interrupted], /is interrupted, not done: copy it once it has finished \(ddrl resume 1 --db /],
        [['1', '--from', older], /has schema version 3, this DDRL Studio \d+: open it once with this version to upgrade it/],
        [['1'], /--from FILE is required/],
        [['1', '--from', target], /is this database itself/],
      ];
      for (const [args, message] of cases) {
        const r = ddrl('copy-run', ...args, '--db', target);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.err, args.join(' ')).toMatch(message);
      }
      expect(ddrl('runs', '--db', target).out).not.toMatch(/jumper/);
    });

    it('a study adopts a copied paper run, makes only the rest, and its report names where the copy came from', () => {
      const target = join(dir, 'adopted.sqlite');
      expect(ddrl('copy-run', '1', '--from', db, '--experiment', 'study-quick', '--label', 'jumper paper', '--db', target).code).toBe(0);
      const adoptedReport = join(dir, 'adopted.md');
      const r = ddrl('study', '--scale', 'quick', '--games', 'jumper', ...TINY, '--db', target, '--out', adoptedReport);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/phase 1, 4 of 5 runs to execute/);
      const markdown = readFileSync(adoptedReport, 'utf8');
      expect(markdown).toContain(`- jumper paper (run 1): run 1 of ${db}`);
      expect(markdown).toMatch(/Runs made by `npx ddrl study --scale quick --games jumper --set /);
    }, 600_000);
  });
});
