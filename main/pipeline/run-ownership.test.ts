/**
 * Run ownership across real processes on one SQLite file: a run executes in
 * exactly one process, cancel is honoured wherever the run waits, runs of a
 * killed process show 'interrupted' and resume, and SIGTERM stops a run as
 * cancelled within seconds. The runs never need to finish: each test stops
 * them once the point is made.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from './testing/query.ts';

const REPO = resolve(import.meta.dirname, '../..');
const DDRL = join(REPO, 'bin/ddrl.js');

let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-ownership-'));
});
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  readonly output: { out: string; err: string };
  readonly exited: Promise<number | null>;
}

function start(...args: string[]): Started {
  const child = spawn('node', [DDRL, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const output = { out: '', err: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.err += chunk.toString()));
  return { child, output, exited: new Promise((done) => child.on('exit', (code) => done(code))) };
}

function ddrl(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('node', [DDRL, ...args], { encoding: 'utf8', cwd: REPO, timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const statusOf = (db: string, runId: number) => query<{ status: string }>(db, 'SELECT status FROM runs WHERE id = ?', runId)[0]?.status;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch {
      // Not there yet (the file or its schema may not exist).
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const running = (db: string, runId: number) => until(`run ${runId} to execute`, () => existsSync(db) && statusOf(db, runId) === 'running');

describe('runs between processes', () => {
  it('of two `ddrl resume` of one run, exactly one executes it; SIGTERM then stops it as cancelled within seconds', async () => {
    const db = join(dir, 'cli.sqlite');
    const first = start('run', '--preset', 'paper-jumper', '--db', db);
    await running(db, 1);
    first.child.kill('SIGKILL');
    await first.exited;
    // Its process is gone: every reader sees 'interrupted', never 'running' without a runner.
    expect(ddrl('runs', '--db', db).out).toMatch(/paper-jumper\s+interrupted/);
    expect(ddrl('cancel', '1', '--db', db).err).toMatch(/Run 1 is interrupted, not queued or running: nothing to cancel\. `ddrl resume 1` continues it/);

    const resumes = [start('resume', '1', '--db', db), start('resume', '1', '--db', db)];
    const loser = await Promise.race(resumes.map((r) => r.exited.then(() => r)));
    const winner = resumes.find((r) => r !== loser)!;
    expect(await loser.exited).toBe(1);
    expect(loser.output.err).toMatch(new RegExp(`Run 1 is (queued|executing) in process ${winner.child.pid}: cancel it first`));
    await running(db, 1);
    expect(query(db, 'SELECT runner_pid FROM runs WHERE id = 1')).toEqual([{ runner_pid: winner.child.pid }]);

    const signalled = Date.now();
    winner.child.kill('SIGTERM');
    expect(await winner.exited).toBe(130);
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(statusOf(db, 1)).toBe('cancelled');
    expect(query<{ n: number }>(db, 'SELECT count(*) AS n FROM datasets')[0]!.n).toBeLessThanOrEqual(1);
    expect(query<{ integrity_check: string }>(db, 'PRAGMA integrity_check')[0]!.integrity_check).toBe('ok');
  }, 120_000);

  it('a host honours `ddrl cancel` of a run it has queued, marks its runs interrupted after a kill -9, resumes them over the API, and stops on SIGTERM', async () => {
    const db = join(dir, 'host.sqlite');
    const serve = async () => {
      const host = start('serve', '--port', '0', '--db', db);
      const url = new URL(
        await until('the host URL', () => /Open: (\S+)/.exec(host.output.out)?.[1]).catch((error: Error) => {
          throw new Error(`${error.message}; the host said: ${host.output.out}${host.output.err}`);
        }),
      );
      const token = url.searchParams.get('token')!;
      const call = async (name: string, input: unknown) => {
        const response = await fetch(`${url.origin}/api/call/${name}`, {
          method: 'POST',
          body: JSON.stringify(input),
          headers: { Authorization: `Bearer ${token}` },
        });
        return (await response.json()) as { ok: boolean; output?: { status: string; runIds?: number[] }; error?: { message: string } };
      };
      return { host, call };
    };

    const first = await serve();
    const started = await first.call('runs.start', { preset: 'paper-jumper', sweep: ['seed=1,2'] });
    expect(started.output?.runIds).toEqual([1, 2]);
    await running(db, 1);
    // Run 2 waits in the host's queue; another process cancels it.
    expect(ddrl('cancel', '2', '--db', db).out).toMatch(new RegExp(`Run 2 cancelled before it started \\(it was queued in process ${first.host.child.pid}\\)`));
    expect((await first.call('runs.cancel', { runId: 1 })).ok).toBe(true);
    await until('run 1 to stop', () => statusOf(db, 1) === 'cancelled');
    await new Promise((r) => setTimeout(r, 1000));
    // The host's queue re-read run 2 before starting it: never started.
    expect(statusOf(db, 2)).toBe('cancelled');
    expect(query<{ status: string }>(db, 'SELECT status FROM stages WHERE run_id = 2').every((s) => s.status === 'pending')).toBe(true);

    expect((await first.call('runs.resume', { runId: 2 })).ok).toBe(true);
    await running(db, 2);
    first.host.child.kill('SIGKILL');
    await first.host.exited;

    const second = await serve();
    expect((await second.call('runs.get', { runId: 2 })).output?.status).toBe('interrupted');
    const resumed = await second.call('runs.resume', { runId: 2 });
    expect(resumed.ok).toBe(true);
    await running(db, 2);
    expect((await second.call('runs.resume', { runId: 2 })).error?.message).toMatch(/Run 2 is executing here/);
    const signalled = Date.now();
    second.host.child.kill('SIGTERM');
    expect(await second.host.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(statusOf(db, 2)).toBe('cancelled');
    expect(query<{ integrity_check: string }>(db, 'PRAGMA integrity_check')[0]!.integrity_check).toBe('ok');
  }, 180_000);
});
