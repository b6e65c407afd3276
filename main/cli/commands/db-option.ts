import { resolveDatabasePath } from '../../storage/database-path.ts';

/** The `--db` option every command that opens the database shares. */
export const dbOption = { db: { type: 'string' } } as const;

export const dbUsage = '  --db PATH       the SQLite database file (default: $DDRL_DB, else the user data folder)';

export function databasePathFrom(values: { db?: string | boolean }): string {
  return resolveDatabasePath(typeof values.db === 'string' ? values.db : undefined);
}
