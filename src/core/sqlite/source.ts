/**
 * Opens a source database for reading without changing anything next to it: read-only, and a WAL
 * database that has no -wal file is read from a private copy, because SQLite would otherwise create
 * -wal and -shm files beside it even on a read-only connection.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, type Stats, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ioError, SnapshotError, usageError } from '../shared/errors.ts';
import { option } from '../shared/options.ts';
import { type Database, loadSqlite } from './sqlite.ts';
import { hasSqliteMagic, readFileStart } from './sqliteFile.ts';

/** Sequential scans gain nothing from a large page cache; a small one keeps memory flat. */
export const SCAN_CACHE_PRAGMA = 'cache_size = -1024';

export interface OpenedSource {
  db: Database;
  /** The file actually read: the source itself, or a private copy of it. */
  readPath: string;
  /**
   * Whether other connections opened on readPath during a read transaction of `db` see the same
   * snapshot: true for a rollback-journal database (a writer cannot commit while a reader holds
   * its SHARED lock) and for a private copy; false for a live WAL database.
   */
  sharedSnapshot: boolean;
  /** Size of the database file in bytes. */
  bytes: number;
  /** Closes the connection and removes any private copy. */
  close(): void;
}

/** Separators a path may end with here: Windows takes both. */
export const TRAILING_SEPARATORS = process.platform === 'win32' ? /[\\/]+$/ : /\/+$/;

/**
 * A path ending in a separator names a directory. Where the name without it is a file, the user
 * typed one character too many: say so, rather than read the file or blame permissions.
 */
function refuseFileWithTrailingSeparator(path: string): void {
  const file = path.replace(TRAILING_SEPARATORS, '');
  if (file === path || file === '' || !statSafe(file)?.isFile()) return;
  throw usageError(
    `The database path ${path} ends with a path separator, which names a directory, but ${file} is a file.`,
    `Pass ${option('db')} without the trailing separator: ${file}`,
  );
}

function statSource(path: string): Stats {
  refuseFileWithTrailingSeparator(path);
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw ioError(
        code === 'ENOENT'
          ? `Database not found: ${path}`
          : `Database not found: ${path} (a part of it is a file, not a directory)`,
        `Check the ${option('db')} path (relative paths start at the working directory).`,
        error,
      );
    throw ioError(`Cannot read database ${path}: ${(error as Error).message}`, 'Check the file permissions.', error);
  }
}

const sameFile = (a: Stats, b: Stats): boolean =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/** Turns SQLite's terse errors into ones that name the file and say what to do. */
export function explainSqliteError(error: unknown, path: string): Error {
  if (error instanceof SnapshotError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB')
    return ioError(`${path} is not a SQLite database.`, 'Pass the fixture .db file itself.', error);
  if (code.startsWith('SQLITE_CORRUPT')) {
    return ioError(
      `${path} is corrupt (${message}).`,
      `Check it with: sqlite3 ${path} "PRAGMA integrity_check"`,
      error,
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return ioError(
      `${path} is locked by another process.`,
      'Let the writer finish (or close it), then run again.',
      error,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
    return ioError(
      `Cannot read ${path}: ${message}.`,
      'If a crashed writer left a -journal or -wal file, open the database once with sqlite3 (as its owner) to recover it.',
      error,
    );
  }
  if (code.startsWith('SQLITE_')) return ioError(`SQLite failed on ${path}: ${message} (${code}).`, undefined, error);
  return error instanceof Error ? error : new Error(String(error));
}

export async function openSource(path: string): Promise<OpenedSource> {
  const Database = await loadSqlite();
  const before = statSource(path);
  if (before.isDirectory())
    throw ioError(`${path} is a directory, not a SQLite database file.`, 'Pass the .db file itself.');
  const header = readFileStart(path, 100, 'database');
  if (header.length > 0 && !hasSqliteMagic(header)) {
    throw ioError(
      `${path} is not a SQLite database (its first bytes are not "SQLite format 3").`,
      'Pass the fixture .db file itself.',
    );
  }
  // Header bytes 18 and 19 are 2 in WAL mode.
  const walMode = header.length >= 20 && header[18] === 2 && header[19] === 2;
  let readPath = path;
  let copyDir: string | undefined;
  if (walMode && !statSafe(`${path}-wal`)) {
    copyDir = mkdtempSync(join(tmpdir(), 'sqlite-snapshot-src-'));
    readPath = join(copyDir, `source-${randomBytes(4).toString('hex')}.db`);
    copyFileSync(path, readPath);
    // A writer that started meanwhile creates -wal first and only then changes the main file.
    const after = statSafe(path);
    if (statSafe(`${path}-wal`) || !after || !sameFile(before, after)) {
      rmSync(copyDir, { recursive: true, force: true });
      copyDir = undefined;
      readPath = path;
    }
  }
  let db: Database;
  try {
    db = new Database(readPath, { readonly: true, fileMustExist: true, timeout: 10000 });
    db.pragma(SCAN_CACHE_PRAGMA);
  } catch (error) {
    if (copyDir) rmSync(copyDir, { recursive: true, force: true });
    throw explainSqliteError(error, path);
  }
  return {
    db,
    readPath,
    sharedSnapshot: !walMode || copyDir !== undefined,
    bytes: before.size,
    close() {
      if (db.open) db.close();
      if (copyDir) rmSync(copyDir, { recursive: true, force: true });
    },
  };
}

function statSafe(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
