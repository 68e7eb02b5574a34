/**
 * Decides whether a restore target is "fresh" (docs/format.md §4): absent, zero bytes, or a SQLite DB whose
 * tables hold no rows besides migration bookkeeping. Anything else is populated and is replaced only
 * with `force`, so every doubt (not SQLite, damaged, unreadable table) answers "not fresh".
 */
import { copyFileSync, linkSync, lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ioError, refusal, SnapshotError } from '../shared/errors.ts';
import { lstatOrUndefined } from '../shared/fileSystem.ts';
import { quoted } from '../shared/untrusted.ts';
import { isInternalName } from '../sqlite/schema.ts';
import { type Database, loadSqlite } from '../sqlite/sqlite.ts';
import { hasSqliteMagic, readFileStart } from '../sqlite/sqliteFile.ts';
import { makeRestoreDir } from './restoreDir.ts';

/**
 * Tables that migration tools keep for themselves: rows there say which migrations ran, not that
 * the application stored anything, so a freshly migrated empty DB is still fresh.
 */
export const BOOKKEEPING_TABLES: readonly string[] = [
  // This tool's own runner (docs/format.md §5); SQLite reserves sqlite_* names, hence no prefix.
  'snapshot_migrations',
  'schema_migrations', // golang-migrate, dbmate and Rails
  'goose_db_version', // goose
  'ar_internal_metadata', // Rails (environment name next to schema_migrations)
  'atlas_schema_revisions', // Atlas
  '_prisma_migrations', // Prisma
  '__drizzle_migrations', // Drizzle
  'django_migrations', // Django
  'sqlite_sequence', // AUTOINCREMENT counters survive a DELETE of every row
];

const BOOKKEEPING = new Set(BOOKKEEPING_TABLES.map((name) => name.toLowerCase()));

/** Whether rows in this table are bookkeeping rather than data (SQLite table names are case-insensitive). */
export function isBookkeepingTable(name: string): boolean {
  // SQLite reserves the `sqlite_` prefix (sqlite_schema, sqlite_sequence, sqlite_stat1..4): no user data lives there.
  return isInternalName(name) || BOOKKEEPING.has(name.toLowerCase());
}

export interface Freshness {
  fresh: boolean;
  /** Why, as a phrase to show after the path: `does not exist`, `table "users" holds rows`, … */
  reason: string;
}

const SYMBOLIC_LINK = 'is a symbolic link';
const NOT_A_REGULAR_FILE = 'is not a regular file';

/** A symbolic link or something other than a regular file: no database to replace, forced or not. */
export const isNotAFile = (freshness: Freshness): boolean =>
  freshness.reason === SYMBOLIC_LINK || freshness.reason === NOT_A_REGULAR_FILE;

export async function checkFreshness(path: string): Promise<Freshness> {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    // Never open an absent target with SQLite: that would create it (and maybe a journal) as a side effect.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { fresh: true, reason: 'does not exist' };
    throw ioError(
      `Cannot inspect restore target ${path}: ${(error as Error).message}`,
      'Check the path and its permissions.',
      error,
    );
  }
  if (stats.isSymbolicLink()) return { fresh: false, reason: SYMBOLIC_LINK };
  if (!stats.isFile()) return { fresh: false, reason: NOT_A_REGULAR_FILE };
  // SQLite itself discards a -wal or -journal found next to a zero-byte DB, so nothing beside it matters.
  if (stats.size === 0) return { fresh: true, reason: 'is empty (0 bytes)' };
  // Check the header before SQLite sees the file: recovering a stray -journal would write into a non-SQLite file.
  if (!hasSqliteMagic(readFileStart(path, 16, 'restore target'))) {
    return { fresh: false, reason: 'is not a SQLite database (its first bytes are not "SQLite format 3")' };
  }
  return inspectReadOnly(path);
}

/**
 * Judges the target without writing to it or beside it, as its application would see it once
 * recovered: SQLite reads it through a hard link (or a copy) in a private directory, so no
 * -wal/-shm appears next to it and nothing is replayed into it. A -wal is copied beside the link
 * and read (read-only: never checkpointed); a -journal, which only a writer can roll back, is
 * rolled back in a private copy of the file.
 */
async function inspectReadOnly(path: string): Promise<Freshness> {
  const scratch = await makeRestoreDir(path);
  try {
    const [wal, journal] = SIDECARS.map((suffix) => (lstatOrUndefined(`${path}${suffix}`)?.size ?? 0) > 0);
    const view = join(scratch.path, 'view.db');
    if (journal) copyFileSync(path, view);
    else linkOrCopy(path, view);
    if (journal) copyFileSync(`${path}-journal`, `${view}-journal`);
    if (wal) copyFileSync(`${path}-wal`, `${view}-wal`);
    return await judgeFile(view, path, { readonly: !journal });
  } catch (error) {
    throw error instanceof SnapshotError
      ? error
      : ioError(`Cannot read restore target ${path}: ${(error as Error).message}`, undefined, error);
  } finally {
    scratch.remove();
  }
}

/** The sidecars whose content SQLite would replay into the main file. */
const SIDECARS = ['-wal', '-journal'] as const;

/** A hard link shares the file without its name's sidecars; a copy stands in where links are not allowed. */
function linkOrCopy(path: string, privatePath: string): void {
  try {
    linkSync(path, privatePath);
  } catch {
    copyFileSync(path, privatePath);
  }
}

async function judgeFile(file: string, path: string, options: { readonly: boolean }): Promise<Freshness> {
  const Database = await loadSqlite();
  let db: Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, readonly: options.readonly, timeout: 2000 });
    return judgeOpenDatabase(db);
  } catch (error) {
    return explainFailure(error, path);
  } finally {
    db?.close();
  }
}

/** Whether an open database holds rows besides bookkeeping; used again under the replace lock. */
export function judgeOpenDatabase(db: Database): Freshness {
  // Reading a table runs no schema code, but a foreign file should not get to run any.
  db.pragma('trusted_schema = OFF');
  return findRows(db);
}

function findRows(db: Database): Freshness {
  const tables = (db.pragma('main.table_list') as { name: string; type: string }[])
    // Shadow tables (fts5 `_data`, `_config`) hold rows even when their virtual table is empty.
    .filter((table) => (table.type === 'table' || table.type === 'virtual') && !isBookkeepingTable(table.name))
    .map((table) => table.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of tables) {
    let hasRow: boolean;
    try {
      hasRow = db.prepare(`SELECT 1 FROM "${name.replaceAll('"', '""')}" LIMIT 1`).get() !== undefined;
    } catch (error) {
      // A virtual table whose module is not loaded cannot be read: it may hold anything.
      return { fresh: false, reason: `table ${quoted(name)} cannot be read (${(error as Error).message})` };
    }
    if (hasRow) return { fresh: false, reason: `table ${quoted(name)} holds rows` };
  }
  return { fresh: true, reason: 'holds no rows besides migration bookkeeping' };
}

function explainFailure(error: unknown, path: string): Freshness {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB') return { fresh: false, reason: `is not a SQLite database (SQLite: ${message})` };
  if (code.startsWith('SQLITE_CORRUPT')) return { fresh: false, reason: `is a damaged SQLite database (${message})` };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    throw refusal(
      'busy',
      `Restore target ${path} is locked by another process, so whether it holds data cannot be read.`,
      'Stop the application using it, then run the restore again.',
      error,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    throw ioError(
      `Cannot open restore target ${path} (${message}).`,
      'Run the restore as the user that owns the database and its directory.',
      error,
    );
  }
  throw ioError(`Cannot read restore target ${path}: ${message}${code ? ` (${code})` : ''}.`, undefined, error);
}
