import { statSync } from 'node:fs';
import type { AppDatabase } from './database.ts';
import { readSchemaVersion } from './migrate.ts';
import { latestSchemaVersion } from './migrations/index.ts';

export interface DatabaseInfo {
  path: string;
  schemaVersion: number;
  latestSchemaVersion: number;
  sqliteVersion: string;
  journalMode: string;
  sizeBytes: number;
  createdAt: string;
}

/** Facts about the open database for the About view and `ddrl about`. */
export function readDatabaseInfo(db: AppDatabase): DatabaseInfo {
  const { connection } = db;
  const sqlite = connection.prepare('SELECT sqlite_version() AS version').get() as { version: string };
  const created = connection.prepare("SELECT value FROM app_meta WHERE key = 'created_at'").get() as { value: string } | undefined;
  return {
    path: db.path,
    schemaVersion: readSchemaVersion(connection),
    latestSchemaVersion,
    sqliteVersion: sqlite.version,
    journalMode: String(connection.pragma('journal_mode', { simple: true })),
    sizeBytes: statSync(db.path).size,
    createdAt: created?.value ?? 'unknown',
  };
}
