import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.js';
import { MIGRATIONS_DIR } from '../paths.js';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

/** The catalog's connection: drizzle for ordinary queries, the raw handle for hot prepared statements. */
export interface Database {
  db: Db;
  sqlite: BetterSqlite3.Database;
  path: string;
  close(): void;
}

/** Opens (creating if needed) and migrates the SQLite catalog. `:memory:` works for tests. */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  // A second process (CLI import while the bot runs) waits for the writer instead of failing.
  sqlite.pragma('busy_timeout = 10000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db,
    sqlite,
    path,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
