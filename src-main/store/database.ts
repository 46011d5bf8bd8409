/**
 * Opening the one Heapscope database: refuse files this version cannot read before touching them,
 * then set the pragmas every connection needs and apply pending migrations in one transaction.
 */
import { existsSync, mkdirSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Db = Database.Database;

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Rejects a file that exists but is not SQLite, naming what was expected. */
function assertSqliteFile(path: string): void {
  const header = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return; // an empty file is a new database
  if (read < header.length || header.toString('latin1') !== SQLITE_MAGIC) {
    throw new StoreError(`${path} is not a Heapscope database (expected an SQLite 3 file)`);
  }
}

/** Reads user_version without writing anything (no WAL switch, no migration). */
function readSchemaVersion(path: string, nativeBinding: string | undefined): number {
  const db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

export interface OpenOptions {
  /** Open for reading only: no migration, no WAL switch (for inspecting a file). */
  readonly?: boolean;
  /**
   * better-sqlite3's compiled addon to load instead of the default one. The desktop app passes an
   * Electron-ABI build here, so the default (Node-ABI) build keeps serving the CLI and tests.
   */
  nativeBinding?: string;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') {
    if (existsSync(path)) {
      assertSqliteFile(path);
      const version = readSchemaVersion(path, options.nativeBinding);
      if (version > SCHEMA_VERSION) {
        throw new StoreError(
          `${path} was written by a newer Heapscope (schema version ${version}; this version reads up to ${SCHEMA_VERSION}). ` +
            'Upgrade Heapscope to open it; the file was left untouched.',
        );
      }
    } else if (options.readonly) {
      throw new StoreError(`${path} does not exist`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
    }
  }

  const db = new Database(path, {
    readonly: options.readonly ?? false,
    nativeBinding: options.nativeBinding,
  });
  if (options.readonly) return db;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // Concurrent recorders and readers share the file; wait for a writer instead of failing.
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies every migration newer than the file's user_version, all or nothing. */
export function migrate(db: Db, targetVersion: number = SCHEMA_VERSION): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of MIGRATIONS) {
      if (migration.version <= current || migration.version > targetVersion) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  apply.immediate();
}
