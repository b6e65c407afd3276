import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseOpenError, openDatabase } from './database.ts';
import { migrate, NewerSchemaError, readSchemaVersion } from './migrate.ts';
import { latestSchemaVersion } from './migrations/index.ts';
import { appMeta } from './migrations/001-app-meta.ts';
import type { Migration } from './migrations/migration.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('creates the file with WAL, foreign keys, the latest schema and its creation time', () => {
    const db = openDatabase({ path: join(dir, 'nested', 'ddrl.sqlite') });
    try {
      expect(db.connection.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.connection.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.connection.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(readSchemaVersion(db.connection)).toBe(latestSchemaVersion);
      const created = db.connection.prepare("SELECT value FROM app_meta WHERE key = 'created_at'").get() as { value: string };
      expect(Date.now() - Date.parse(created.value)).toBeLessThan(60_000);
    } finally {
      db.close();
    }
  });

  it('reopens an up-to-date file without migrating again', () => {
    const path = join(dir, 'ddrl.sqlite');
    openDatabase({ path }).close();
    const db = openDatabase({ path });
    try {
      expect(db.connection.prepare("SELECT count(*) AS n FROM app_meta WHERE key = 'created_at'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('refuses a database from a newer schema and leaves its bytes untouched', () => {
    const path = join(dir, 'newer.sqlite');
    const newer = new BetterSqlite3(path);
    newer.exec('CREATE TABLE future (x INTEGER)');
    newer.pragma(`user_version = ${latestSchemaVersion + 1}`);
    newer.close();
    const before = readFileSync(path);
    expect(() => openDatabase({ path })).toThrow(NewerSchemaError);
    expect(() => openDatabase({ path })).toThrow(`schema version ${latestSchemaVersion + 1}, but this DDRL Studio knows versions up to ${latestSchemaVersion}`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a folder, naming it and suggesting a file inside it', () => {
    expect(() => openDatabase({ path: dir })).toThrow(DatabaseOpenError);
    expect(() => openDatabase({ path: dir })).toThrow(
      `The database path ${dir} is a folder, not a file. Pass a file path such as ${join(dir, 'ddrl.sqlite')}.`,
    );
  });

  it('refuses a path below a regular file (an unwritable place)', () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    expect(() => openDatabase({ path: join(file, 'ddrl.sqlite') })).toThrow(/a part of the path is a file, not a folder.*--db PATH/);
  });

  // /proc refuses new files even to root, so this holds whoever runs the tests.
  it.runIf(process.platform === 'linux')('refuses a place where no file can be created', () => {
    expect(() => openDatabase({ path: '/proc/ddrl-test.sqlite' })).toThrow(
      /^(Cannot write the database at \/proc\/ddrl-test.sqlite: permission denied|Cannot open the database at \/proc\/ddrl-test.sqlite: the file cannot be created or opened there)/,
    );
  });

  it.runIf(process.platform === 'linux')('refuses a device (/dev/null) and a kernel file (/proc) without touching them', () => {
    expect(() => openDatabase({ path: '/dev/null' })).toThrow(/The database path \/dev\/null is a device, pipe or socket, not a regular file/);
    expect(existsSync('/dev/null-journal') || existsSync('/dev/null-wal')).toBe(false);
    expect(() => openDatabase({ path: '/proc/self/status' })).toThrow(/The database path \/proc\/self\/status is a kernel file \(\/proc, \/sys\), not storage/);
  });

  it('refuses a file that is not SQLite and does not change it', () => {
    const path = join(dir, 'notes.sqlite');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(50));
    const before = readFileSync(path);
    expect(() => openDatabase({ path })).toThrow(/is not a SQLite database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('migrate', () => {
  const table = (name: string, version: number): Migration => ({ version, name, up: (db) => db.exec(`CREATE TABLE ${name} (id INTEGER PRIMARY KEY)`) });

  it('applies pending migrations in order and records the version', () => {
    const db = new BetterSqlite3(':memory:');
    expect(migrate(db, [table('a', 1), table('b', 2)])).toEqual({ from: 0, to: 2 });
    expect(migrate(db, [table('a', 1), table('b', 2), table('c', 3)])).toEqual({ from: 2, to: 3 });
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(names).toEqual(['a', 'b', 'c']);
  });

  it('rolls back every step when one fails', () => {
    const db = new BetterSqlite3(':memory:');
    const broken: Migration = { version: 2, name: 'broken', up: (d) => d.exec('CREATE TABLE oops (') };
    expect(() => migrate(db, [table('a', 1), broken])).toThrow();
    expect(readSchemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
  });

  it('rejects a list whose versions do not increase', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [table('a', 2), table('b', 2)])).toThrow("Migration 'b' has version 2: versions must start at 1 and increase along the list.");
    expect(() => migrate(db, [table('a', 0)])).toThrow("Migration 'a' has version 0");
  });

  it('applies a migration that lands after a higher-numbered one (parallel work merged in either order)', () => {
    const db = new BetterSqlite3(':memory:');
    expect(migrate(db, [appMeta, table('b', 2), table('d', 4)])).toEqual({ from: 0, to: 4 });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'd'").pluck().get()).toBe(1);
    // Version 3 arrives later: it still runs, once, and the version stays 4.
    expect(migrate(db, [appMeta, table('b', 2), table('c', 3), table('d', 4)])).toEqual({ from: 4, to: 4 });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'c'").pluck().get()).toBe(1);
    expect(migrate(db, [appMeta, table('b', 2), table('c', 3), table('d', 4)])).toEqual({ from: 4, to: 4 });
    expect(db.prepare("SELECT value FROM app_meta WHERE key = 'migration_gaps'").pluck().get()).toBe('[]');
  });
});
