import { aboutInfo } from '@shared/api/about.ts';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../storage/migrations/index.ts';
import { runCaptured } from '../run-captured.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const { code, out, err } = await runCaptured(argv);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('ddrl', () => {
  it('lists serve and about in --help', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/serve\s+Serve the app/);
    expect(out).toMatch(/about\s+Show the app version/);
  });

  it('exits 2 on an unknown command, naming it', async () => {
    const { code, err } = await run('frobnicate', '--now');
    expect(code).toBe(2);
    expect(err).toContain("ddrl: unknown command 'frobnicate --now'.");
  });

  it('exits 2 on an unknown option or a bad port, with the usage', async () => {
    const unknown = await run('about', '--colour');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Unknown option '--colour'");
    const port = await run('serve', '--port', 'eighty');
    expect(port.code).toBe(2);
    expect(port.err).toContain('--port eighty is not valid: expected an integer from 0 to 65535.');
    expect(port.err).toContain('Usage: ddrl serve');
    const place = await run('serve', '--runs-in', 'gpu');
    expect(place.code).toBe(2);
    expect(place.err).toContain('--runs-in gpu: expected thread or process.');
  });

  it('about --json reports the real database and backend', async () => {
    const path = join(dir, 'about.sqlite');
    const { code, out } = await run('about', '--json', '--db', path);
    expect(code).toBe(0);
    const info = aboutInfo.parse(JSON.parse(out));
    expect(info.database.path).toBe(path);
    expect(info.database.schemaVersion).toBe(latestSchemaVersion);
  });

  it('exits 1 with a clear message for a folder as --db', async () => {
    const { code, err } = await run('about', '--db', dir);
    expect(code).toBe(1);
    expect(err).toContain(`The database path ${dir} is a folder, not a file.`);
  });

  it('exits 1 for a database from a newer schema and leaves it as it was', async () => {
    const path = join(dir, 'future.sqlite');
    const future = new BetterSqlite3(path);
    future.pragma('user_version = 99');
    future.close();
    const before = readFileSync(path);
    const { code, err } = await run('about', '--db', path);
    expect(code).toBe(1);
    expect(err).toContain('has schema version 99');
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
