import BetterSqlite3 from 'better-sqlite3';

/** Rows of one query on a database file, through a read-only connection of its own (another process may be writing). */
export function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const c = new BetterSqlite3(db, { readonly: true });
  try {
    return c.prepare(sql).all(...params) as T[];
  } finally {
    c.close();
  }
}
