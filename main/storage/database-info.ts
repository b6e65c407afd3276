import { statSync } from 'node:fs';
import type { AppDatabase } from './database.ts';
import { ARCHIVE_META_KEY } from './archive.ts';
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
  archive: { experiment: string; from: string; at: string } | null;
}

/** Facts about the open database for the About view and `ddrl about`. */
export function readDatabaseInfo(db: AppDatabase): DatabaseInfo {
  const { connection } = db;
  const sqlite = connection.prepare('SELECT sqlite_version() AS version').get() as { version: string };
  const meta = connection.prepare('SELECT value FROM app_meta WHERE key = ?');
  const created = meta.get('created_at') as { value: string } | undefined;
  const archive = meta.get(ARCHIVE_META_KEY) as { value: string } | undefined;
  return {
    path: db.path,
    schemaVersion: readSchemaVersion(connection),
    latestSchemaVersion,
    sqliteVersion: sqlite.version,
    journalMode: String(connection.pragma('journal_mode', { simple: true })),
    sizeBytes: statSync(db.path).size,
    createdAt: created?.value ?? 'unknown',
    archive: archive ? (JSON.parse(archive.value) as DatabaseInfo['archive']) : null,
  };
}
