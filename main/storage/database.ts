import BetterSqlite3, { type Database } from 'better-sqlite3';
import { accessSync, constants, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { assertNotNewer, migrate, readSchemaVersion } from './migrate.ts';
import { latestSchemaVersion, migrations } from './migrations/index.ts';

/** The open database of the app. Storage modules take `connection`; nothing else runs SQL. */
export interface AppDatabase {
  readonly path: string;
  readonly connection: Database;
  close(): void;
}

export interface OpenDatabaseOptions {
  readonly path: string;
  /** A better-sqlite3 addon built for another ABI (Electron's); defaults to the Node build. */
  readonly nativeBinding?: string;
}

/** The file cannot be used as the database: the message says why and how to fix it. */
export class DatabaseOpenError extends Error {
  override readonly name = 'DatabaseOpenError';
}

const howToChoose = 'Choose another file with --db PATH (or the DDRL_DB environment variable).';

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  // SQLite's own wording when the file cannot be created, e.g. on a read-only or virtual file system.
  if (error instanceof Error && /unable to open database file/.test(error.message)) return 'the file cannot be created or opened there (read-only place?)';
  return error instanceof Error ? error.message : String(error);
}

/** Kernel file systems whose "files" are not storage (Linux statfs magic numbers: proc, sysfs). */
const VIRTUAL_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572]);

function onVirtualFileSystem(folder: string): boolean {
  try {
    return VIRTUAL_FILE_SYSTEMS.has(statfsSync(folder).type);
  } catch {
    return false;
  }
}

/** Checks the place before SQLite sees it, so the errors name the real problem. */
function checkPlace(path: string): boolean {
  let exists = false;
  try {
    const stats = statSync(path);
    if (stats.isDirectory())
      throw new DatabaseOpenError(`The database path ${path} is a folder, not a file. Pass a file path such as ${resolve(path, 'ddrl.sqlite')}.`);
    // SQLite would write its journal beside a device (/dev/null-journal) or block reading a pipe.
    if (!stats.isFile()) throw new DatabaseOpenError(`The database path ${path} is a device, pipe or socket, not a regular file. ${howToChoose}`);
    if (onVirtualFileSystem(dirname(path)))
      throw new DatabaseOpenError(`The database path ${path} is a kernel file (/proc, /sys), not storage. ${howToChoose}`);
    exists = true;
  } catch (error) {
    if (error instanceof DatabaseOpenError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DatabaseOpenError(`Cannot use ${path} as the database: ${reason(error)}. ${howToChoose}`);
  }
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(exists ? path : folder, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new DatabaseOpenError(`Cannot write the database at ${path}: ${reason(error)}. ${howToChoose}`);
  }
  return exists;
}

function connect(path: string, options: OpenDatabaseOptions, readonly: boolean): Database {
  try {
    return new BetterSqlite3(path, {
      readonly,
      fileMustExist: readonly,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (error) {
    throw new DatabaseOpenError(`Cannot open the database at ${path}: ${reason(error)}. ${howToChoose}`);
  }
}

/**
 * Opens (creating when absent) the database, refusing one from a newer app
 * without writing to it, then applies pending migrations in one transaction.
 */
export function openDatabase(options: OpenDatabaseOptions): AppDatabase {
  const path = resolve(options.path);
  const exists = checkPlace(path);
  if (exists) {
    // Read the version through a read-only connection: a newer file must stay byte-identical.
    const probe = connect(path, options, true);
    try {
      assertNotNewer(path, readSchemaVersion(probe), latestSchemaVersion);
    } catch (error) {
      if (error instanceof Error && /not a database/i.test(error.message)) {
        throw new DatabaseOpenError(`${path} is not a SQLite database (SQLite said: ${error.message}). ${howToChoose}`);
      }
      throw error;
    } finally {
      probe.close();
    }
  }
  const connection = connect(path, options, false);
  try {
    connection.pragma('journal_mode = WAL');
    connection.pragma('busy_timeout = 5000');
    // Migrations run with foreign keys off, as SQLite's table-rebuild procedure needs
    // (dropping a rebuilt table must not cascade); each rebuild checks the keys itself.
    connection.pragma('foreign_keys = OFF');
    migrate(connection, migrations);
    connection.pragma('foreign_keys = ON');
  } catch (error) {
    connection.close();
    throw error;
  }
  return { path, connection, close: () => connection.close() };
}
