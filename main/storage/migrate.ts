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

/**
 * Brings the database to the latest version: all pending migrations and the
 * version bump run in one transaction, so a failure leaves the file as it was.
 */
export function migrate(db: Database, list: readonly Migration[]): { from: number; to: number } {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration '${migration.name}' has version ${migration.version} but sits at position ${index + 1}.`);
    }
  });
  const from = readSchemaVersion(db);
  const pending = list.slice(from);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  })();
  return { from, to: readSchemaVersion(db) };
}
