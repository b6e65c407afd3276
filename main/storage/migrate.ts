import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations/migration.ts';

export function readSchemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Thrown when the file was written by a newer DDRL Studio; the file is left as it is. */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
}

export function assertNotNewer(path: string, version: number, latest: number): void {
  if (version > latest) {
    throw new NewerSchemaError(
      `${path} has schema version ${version}, but this DDRL Studio knows versions up to ${latest}. ` +
        'It was written by a newer DDRL Studio: update the app, or pass another file with --db PATH (or DDRL_DB). The file was not changed.',
    );
  }
}

const GAPS_KEY = 'migration_gaps';

/**
 * Versions skipped because their migration was not in the list yet (two
 * branches each adding one land in either order): kept in app_meta, so the
 * missing one still runs when it arrives.
 */
const hasAppMeta = (db: Database): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_meta'").get() !== undefined;

function readGaps(db: Database): number[] {
  if (!hasAppMeta(db)) return [];
  const value = db.prepare('SELECT value FROM app_meta WHERE key = ?').pluck().get(GAPS_KEY) as string | undefined;
  return value ? (JSON.parse(value) as number[]) : [];
}

/**
 * Brings the database to the latest version: all pending migrations, the gap
 * record and the version bump run in one transaction, so a failure leaves the
 * file as it was. The list is in increasing version order; a missing version
 * is recorded as a gap and applied once it appears.
 */
export function migrate(db: Database, list: readonly Migration[]): { from: number; to: number } {
  list.forEach((migration, index) => {
    const previous = list[index - 1];
    if (migration.version < 1 || (previous && migration.version <= previous.version)) {
      throw new Error(`Migration '${migration.name}' has version ${migration.version}: versions must start at 1 and increase along the list.`);
    }
  });
  const from = readSchemaVersion(db);
  const gaps = readGaps(db);
  const pending = list.filter((m) => m.version > from || gaps.includes(m.version));
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const migration of pending) migration.up(db);
    const to = Math.max(from, ...pending.map((m) => m.version));
    const known = new Set(list.map((m) => m.version));
    const stillMissing = [...new Set([...gaps, ...Array.from({ length: to }, (_, i) => i + 1).filter((v) => v > from)])].filter((v) => !known.has(v));
    if ((stillMissing.length > 0 || gaps.length > 0) && hasAppMeta(db)) {
      db.prepare('INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
        GAPS_KEY,
        JSON.stringify(stillMissing),
      );
    }
    db.pragma(`user_version = ${to}`);
  })();
  return { from, to: readSchemaVersion(db) };
}
