/**
 * The replace's hold on the old database: an exclusive SQLite lock, with everything of the old
 * DB in its main file (WAL checkpointed, journal mode DELETE, no -wal/-journal/-shm left), because
 * a stale sidecar beside the path would be replayed into the new file by its next opener.
 */
import { existsSync, fstatSync, lstatSync, unlinkSync } from 'node:fs';
import { ioError } from '../shared/errors.ts';
import { type Database, type DatabaseConstructor, loadSqlite } from '../sqlite/sqlite.ts';
import { hasSqliteMagic, readHeaderAt } from '../sqlite/sqliteFile.ts';
import { type Freshness, judgeOpenDatabase } from './fresh.ts';
import { BUSY_HINT, notReplaced } from './replaceRefusal.ts';

const NOT_SQLITE: Freshness = { fresh: false, reason: 'is not a SQLite database' };

export interface TargetLock {
  /** What the locked target holds (read through the locked connection). */
  judge(): Freshness;
  /**
   * Puts back what lockTarget changed (WAL mode), for a replace that fails before its rename; after
   * `release` too (Windows renames only once the lock is let go of), through a new connection.
   */
  undo(): void;
  /** Lets go of the lock; again is a no-op. */
  release(): void;
}

/** Locks the target exclusively and leaves it with no -wal/-journal/-shm: everything is in the main file. */
export async function lockTarget(targetPath: string, fd: number): Promise<TargetLock> {
  const header = readHeaderAt(fd, 16);
  if (header.length > 0 && !hasSqliteMagic(header)) {
    // Not SQLite (replaced with force): nothing to lock, but a journal beside it would be replayed into the new DB.
    assertNoJournal(targetPath);
    return { judge: () => NOT_SQLITE, undo() {}, release() {} };
  }
  const Database = await loadSqlite();
  let db: Database | undefined;
  let wasWal = false;
  try {
    db = new Database(targetPath, { fileMustExist: true, timeout: 200 });
    db.pragma('user_version'); // the first read recovers a hot journal and finds a WAL
    wasWal = db.pragma('journal_mode', { simple: true }) === 'wal';
    if (wasWal) {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 0) throw notReplaced(targetPath, 'is being read or written by another process');
    }
    // Leaving WAL (persistent, in the header) needs the only connection to the DB.
    if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') {
      throw notReplaced(targetPath, 'stays in WAL mode: another process has it open');
    }
    // Going from PERSIST to MEMORY makes SQLite delete a -journal left by a PERSIST or TRUNCATE writer.
    // And our own journal must never sit on disk: once the new file has this name, a -journal of the old
    // one would look hot and be rolled back into it (locking an empty DB writes page 1, so even BEGIN
    // EXCLUSIVE makes one). Defensive mode forbids journal_mode=OFF; MEMORY keeps it in RAM.
    db.pragma('journal_mode = PERSIST');
    if (db.pragma('journal_mode = MEMORY', { simple: true }) !== 'memory')
      throw new Error('SQLite refused journal_mode=MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    assertNoJournal(targetPath);
    // Unused once the mode is DELETE and nobody else can connect: a stale one must not meet the new file.
    if (existsSync(`${targetPath}-shm`)) unlinkSync(`${targetPath}-shm`);
  } catch (error) {
    restoreWal(db, wasWal);
    db?.close();
    throw explainLockError(error, targetPath);
  }
  const locked = db;
  const ino = fstatSync(fd).ino;
  return {
    judge: () => judgeOpenDatabase(locked),
    undo: () => {
      if (locked.open) restoreWal(locked, wasWal);
      else if (wasWal) reopenInWal(Database, targetPath, ino);
    },
    release: () => {
      if (locked.open) locked.close();
    },
  };
}

function restoreWal(db: Database | undefined, wasWal: boolean): void {
  if (!db?.open || !wasWal) return;
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.pragma('journal_mode = WAL');
  } catch {
    // Best effort: the content is intact either way; the application sets its journal mode on open.
  }
}

/** WAL mode back on the file that was locked (never on another one that took its name meanwhile). */
function reopenInWal(Database: DatabaseConstructor, targetPath: string, ino: number): void {
  let db: Database | undefined;
  try {
    if (lstatSync(targetPath).ino !== ino) return;
    db = new Database(targetPath, { fileMustExist: true, timeout: 200 });
    db.pragma('journal_mode = WAL');
  } catch {
    // Best effort, as in restoreWal.
  } finally {
    db?.close();
  }
}

function assertNoJournal(targetPath: string): void {
  for (const suffix of ['-wal', '-journal']) {
    if (existsSync(`${targetPath}${suffix}`)) {
      throw ioError(
        `${targetPath}${suffix} is still present, and would be replayed into the restored DB; nothing was replaced.`,
        `Open ${targetPath} once with sqlite3 to recover it (or remove the stray file if ${targetPath} is not SQLite), then restore again.`,
      );
    }
  }
}

function explainLockError(error: unknown, targetPath: string): Error {
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return notReplaced(targetPath, `is locked by another process (${(error as Error).message})`, BUSY_HINT, error);
  }
  if (code.startsWith('SQLITE_')) {
    return ioError(
      `SQLite cannot lock restore target ${targetPath}: ${(error as Error).message} (${code}); it was not replaced.`,
      'If the file is damaged, move it aside yourself, then restore again.',
      error,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
