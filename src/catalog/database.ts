import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../../db/schema.js';
import { DatabaseOpenError, NoCatalogError } from '../errors.js';
import { MIGRATIONS_DIR } from '../paths.js';
import { restoreDeferredIndexes } from './deferredIndex.js';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

/** The catalog's connection: drizzle for ordinary queries, the raw handle for hot prepared statements. */
export interface Database {
  db: Db;
  sqlite: BetterSqlite3.Database;
  path: string;
  close(): void;
}

/** How much memory SQLite may hold for this connection. */
export interface DatabaseMemory {
  /** Page cache, in KiB. */
  cacheKib: number;
  /** Memory-mapped reads, in bytes (0: none). */
  mmapBytes: number;
  /**
   * Temporary storage (statement journals, sorts) in memory rather than in files. Each multi-row
   * INSERT keeps a statement journal, to undo itself alone on a constraint failure: in a file,
   * that was a tenth of a million-row import's time.
   */
  tempInMemory: boolean;
}

/** Short-lived processes (CLI, imports, the re-cluster child): fast scans over the whole file. */
export const BULK_MEMORY: DatabaseMemory = { cacheKib: 65_536, mmapBytes: 268_435_456, tempInMemory: true };

/**
 * The long-running bot. Memory-mapped pages count in the process's RSS once touched, and the
 * bot touches the whole mapped range (the index load and the catalog counts scan every table):
 * at a million tracks that was 256 MB of its 620 MB. Read through SQLite's own page cache instead
 * (the kernel still caches the file, outside the process): the search's title scans read from a
 * covering index and a pick looks up a few dozen rows, so serving costs about the same CPU.
 */
export const SERVING_MEMORY: DatabaseMemory = { cacheKib: 65_536, mmapBytes: 0, tempInMemory: false };

/**
 * How long a writer waits for another connection's write transaction before SQLITE_BUSY. The
 * longest writes are an import batch (well under a second) and a re-cluster's model save (a few
 * seconds at a million tracks); 30 s rides those out with room, and still ends a real deadlock.
 */
export const BUSY_TIMEOUT_MS = 30_000;

/**
 * Runs `fn` in one write transaction begun with BEGIN IMMEDIATE, which takes SQLite's write lock
 * first (waiting up to busy_timeout for another writer). A deferred BEGIN would take it only at
 * the first write; a transaction that read before that, while another process committed, fails
 * at once with SQLITE_BUSY_SNAPSHOT ("database is locked"), and no timeout helps. Nested inside
 * another transaction it is a savepoint.
 */
export function writeTransaction<T>(sqlite: BetterSqlite3.Database, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}

/**
 * Opens (creating if needed, unless `create` is false) and migrates the SQLite catalog. `:memory:`
 * works for tests. A file that cannot be made or written there is a DatabaseOpenError naming why.
 */
export function openDatabase(path: string, memory: DatabaseMemory = BULK_MEMORY, options: { create?: boolean } = {}): Database {
  const file = path === ':memory:' ? path : resolve(path);
  // Read commands must not leave an empty catalog behind at a mistyped path.
  if (options.create === false && file !== ':memory:' && !existsSync(file)) throw new NoCatalogError(file);
  let sqlite: BetterSqlite3.Database | null = null;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`cache_size = -${memory.cacheKib}`);
    sqlite.pragma(`mmap_size = ${memory.mmapBytes}`);
    if (memory.tempInMemory) sqlite.pragma('temp_store = MEMORY');
    // A second process (CLI import while the bot runs) waits for the writer instead of failing;
    // writeTransaction() makes that true of transactions that read before they write.
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(drizzle(sqlite, { schema }), { migrationsFolder: MIGRATIONS_DIR });
    restoreDeferredIndexes(sqlite);
  } catch (error) {
    sqlite?.close();
    // The file system's and SQLite's own refusals carry a code; anything else is a bug, kept as it is.
    throw typeof (error as { code?: unknown }).code === 'string' ? new DatabaseOpenError(file, error) : error;
  }
  const handle = sqlite;
  return {
    db: drizzle(handle, { schema }),
    sqlite: handle,
    path,
    close: () => {
      if (handle.open) handle.close();
    },
  };
}
