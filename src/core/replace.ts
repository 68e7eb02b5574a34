/**
 * The last step of a restore (DESIGN §5): the restored temp DB takes the target's place by one
 * rename, so a kill -9 at any point leaves the target exactly old or exactly new. Before that rename
 * the old DB is locked and its journal/WAL emptied through SQLite, because a stale -wal or -journal
 * left beside the path would be replayed into the new file by the next opener.
 */
import {
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ioError, refusal } from './errors.ts';
import { type Freshness, judgeOpenDatabase } from './fresh.ts';
import { findOpenHolders } from './openHolders.ts';
import { option } from './options.ts';
import { type Database, loadSqlite } from './sqlite.ts';
import { hasSqliteMagic, readHeaderAt } from './sqliteFile.ts';

const SIDECARS = ['-wal', '-journal', '-shm'] as const;
const NOT_SQLITE: Freshness = { fresh: false, reason: 'is not a SQLite database' };
const BUSY_HINT = 'Stop the application using the database (or let it finish), then run the restore again.';

export interface ReplaceOptions {
  /**
   * Replace a target that holds data. Without it, a target found populated under the lock (filled
   * by its application while the snapshot was loading) is refused and left as it is.
   */
  force: boolean;
  /** Keep a populated target as `<name>.bak-<YYYYMMDDTHHMMSSZ>` next to it. */
  backup: boolean;
  /** Time for the backup name; defaults to now. */
  now?: Date;
}

export interface ReplaceResult {
  /** What the target held, judged under the lock just before the rename. */
  replaced: Freshness;
  backupPath?: string;
}

/**
 * Moves `tempDbPath` (closed, no sidecars, in a dir next to the target) onto `targetPath`, with the
 * target's mode and owner. Refuses ('busy') a symlinked or in-use target, and ('not-fresh') one
 * that holds data without `force`; before the rename nothing of the target's content changes.
 */
export async function replaceDatabase(
  tempDbPath: string,
  targetPath: string,
  options: ReplaceOptions,
): Promise<ReplaceResult> {
  checkTempDb(tempDbPath);
  const before = lstatOrUndefined(targetPath);
  if (!before) {
    fsyncPath(tempDbPath); // the new content must be on disk before a name points at it
    placeAtAbsentTarget(tempDbPath, targetPath);
    return { replaced: { fresh: true, reason: 'does not exist' } };
  }
  if (before.isSymbolicLink()) throw notReplaced(targetPath, 'is a symbolic link', 'Pass the real database file.');
  if (!before.isFile()) throw notReplaced(targetPath, 'is not a regular file', 'Pass the database file.');
  refuseIfHeld(targetPath, before);
  // Every fd we open on the target stays open until SQLite's connection is closed: closing any fd of a
  // file drops all of this process's POSIX locks on it, including the lock we are about to take.
  const fd = openTarget(targetPath);
  try {
    const lock = await lockTarget(targetPath, fd);
    let renamed = false;
    try {
      assertSameFile(targetPath, fd);
      const held = fstatSync(fd);
      refuseIfHeld(targetPath, held); // again under the lock, to narrow the window for a new opener
      // Judged again now that no writer can commit: it may have been filled while the snapshot loaded.
      const replaced = lock.judge();
      if (!replaced.fresh && !options.force) throw filledMeanwhile(targetPath, replaced);
      const backupPath =
        !replaced.fresh && options.backup
          ? copyBackup(fd, targetPath, dirname(tempDbPath), options.now ?? new Date())
          : undefined;
      keepModeAndOwner(tempDbPath, targetPath, held);
      fsyncPath(tempDbPath); // the new content must be on disk before a name points at it
      rename(tempDbPath, targetPath);
      renamed = true;
      fsyncPath(dirname(resolve(targetPath)));
      return backupPath ? { replaced, backupPath } : { replaced };
    } finally {
      if (!renamed) lock.undo();
      lock.release(); // only now may another process lock the (already unlinked) old file
    }
  } finally {
    closeSync(fd);
  }
}

function openTarget(targetPath: string): number {
  try {
    return openSync(targetPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      throw notReplaced(targetPath, 'became a symbolic link meanwhile', 'Pass the real database file.');
    throw ioError(
      `Cannot open restore target ${targetPath}: ${(error as Error).message}; it was not replaced.`,
      'Run the restore as the user that owns the database.',
      error,
    );
  }
}

function checkTempDb(tempDbPath: string): void {
  const stats = lstatOrUndefined(tempDbPath);
  if (!stats?.isFile()) throw ioError(`The restored temp DB ${tempDbPath} is missing or not a regular file.`);
  for (const suffix of SIDECARS) {
    if (existsSync(`${tempDbPath}${suffix}`)) {
      throw ioError(
        `The restored temp DB ${tempDbPath} still has a ${suffix} file, which would not move with it.`,
        'Close every connection to the temp DB, in journal_mode=DELETE, before replacing.',
      );
    }
  }
}

function refuseIfHeld(targetPath: string, file: Stats): void {
  const holders = findOpenHolders(file);
  if (holders.length > 0) {
    throw notReplaced(targetPath, `is open in another process (pid ${holders.join(', pid ')})`);
  }
}

function assertSameFile(targetPath: string, fd: number): void {
  const now = lstatOrUndefined(targetPath);
  const held = fstatSync(fd);
  if (!now?.isFile() || now.ino !== held.ino || now.dev !== held.dev) {
    throw notReplaced(targetPath, 'was replaced by another process meanwhile');
  }
}

interface TargetLock {
  /** What the locked target holds (read through the locked connection). */
  judge(): Freshness;
  /** Puts back what lockTarget changed (WAL mode), for a replace that fails before its rename. */
  undo(): void;
  release(): void;
}

/** Locks the target exclusively and leaves it with no -wal/-journal/-shm: everything is in the main file. */
async function lockTarget(targetPath: string, fd: number): Promise<TargetLock> {
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
  return {
    judge: () => judgeOpenDatabase(locked),
    undo: () => restoreWal(locked, wasWal),
    release: () => locked.close(),
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

/**
 * `<name>.bak-20260102T030405Z`, copied from the locked fd (see replaceDatabase) with the target's
 * mode and owner: written under a temp name in `workDir` (the restore dir, same file system) and
 * fsynced, then linked to its name, so a backup name never holds a partial copy and never replaces
 * an older backup.
 */
function copyBackup(fd: number, targetPath: string, workDir: string, now: Date): string {
  const stamp = `${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  const base = `${targetPath}.bak-${stamp}`;
  const temp = join(workDir, 'backup.db');
  const target = fstatSync(fd);
  let out: number | undefined;
  try {
    out = openSync(temp, 'wx', target.mode & 0o777);
    const buffer = Buffer.alloc(1 << 20);
    for (let position = 0; ; ) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      for (let written = 0; written < read; ) written += writeSync(out, buffer, written, read - written);
      position += read;
    }
    giveOwnership(out, target);
    fsyncSync(out);
    closeSync(out);
    out = undefined;
    for (let attempt = 1; ; attempt++) {
      const backupPath = attempt === 1 ? base : `${base}-${attempt}`;
      if (publishBackup(temp, backupPath)) return backupPath;
      if (attempt >= 100) throw Object.assign(new Error(`${backupPath} and 99 others exist`), { code: 'EEXIST' });
    }
  } catch (error) {
    if (out !== undefined) closeSync(out);
    rmSync(temp, { force: true });
    const full = (error as NodeJS.ErrnoException).code === 'ENOSPC';
    throw ioError(
      full
        ? `No space left on the device for the backup ${base}; nothing was replaced.`
        : `Cannot write the backup ${base}: ${(error as Error).message}; nothing was replaced.`,
      `Free space or fix permissions in the target directory, or restore without a backup (${option('no-backup')}).`,
      error,
    );
  }
}

/** Links the finished backup to its name; false when that name is taken (an older backup stays). */
function publishBackup(temp: string, backupPath: string): boolean {
  try {
    linkSync(temp, backupPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  // A file system without hard links: rename, after making sure the name is free.
  if (lstatOrUndefined(backupPath)) return false;
  renameSync(temp, backupPath);
  return true;
}

/** The target's owner and group for a file we made (only root, or the owner, can do this). */
function giveOwnership(fd: number, target: Stats): void {
  if (process.platform === 'win32') return;
  const mine = fstatSync(fd);
  if (mine.uid !== target.uid || mine.gid !== target.gid) fchownSync(fd, target.uid, target.gid);
  // chown clears set-id bits, and the file was created through the umask: set the mode last.
  fchmodSync(fd, target.mode & 0o7777);
}

/** The restored DB takes the target's mode and owner, so the service that owns it can still write it. */
function keepModeAndOwner(tempDbPath: string, targetPath: string, target: Stats): void {
  const fd = openSync(tempDbPath, 'r');
  try {
    giveOwnership(fd, target);
  } catch (error) {
    throw ioError(
      `Cannot give the restored DB the owner (uid ${target.uid}, gid ${target.gid}) and mode ${(target.mode & 0o7777).toString(8)} of ${targetPath}: ${(error as Error).message}; it was not replaced.`,
      'Run the restore as the user that owns the database, or as root.',
      error,
    );
  } finally {
    closeSync(fd);
  }
}

/** The 'not-fresh' refusal for a target filled while the snapshot was loading. */
function filledMeanwhile(targetPath: string, found: Freshness): Error {
  return refusal(
    'not-fresh',
    `Restore target ${targetPath} ${found.reason}: it was filled while the snapshot was loading, so it was not replaced.`,
    `Stop the application before restoring, or pass ${option('force')} to replace it (the old database is kept as a .bak file unless ${option('no-backup')}).`,
  );
}

/** link() fails if a file appeared at the target meanwhile, where rename() would silently replace it. */
function placeAtAbsentTarget(tempDbPath: string, targetPath: string): void {
  try {
    linkSync(tempDbPath, targetPath);
    unlinkSync(tempDbPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw notReplaced(targetPath, 'was created by another process meanwhile');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')
      throw placeError(error, tempDbPath, targetPath);
    rename(tempDbPath, targetPath); // a filesystem without hard links
  }
  fsyncPath(dirname(resolve(targetPath)));
}

function rename(tempDbPath: string, targetPath: string): void {
  try {
    renameSync(tempDbPath, targetPath);
  } catch (error) {
    throw placeError(error, tempDbPath, targetPath);
  }
}

function placeError(error: unknown, tempDbPath: string, targetPath: string): Error {
  const hint =
    (error as NodeJS.ErrnoException).code === 'EXDEV'
      ? 'The temp DB must be in a directory made by makeRestoreDir next to the target.'
      : 'Check the permissions of the target directory.';
  return ioError(
    `Cannot move the restored DB ${basename(tempDbPath)} to ${targetPath}: ${(error as Error).message}`,
    hint,
    error,
  );
}

/** fsync a file or directory; directories cannot be opened for fsync on Windows, where rename is durable enough. */
function fsyncPath(path: string): void {
  if (process.platform === 'win32' && statSync(path).isDirectory()) return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The 'busy' refusal: the target is in use or not a plain file, and stays exactly as it was. */
function notReplaced(targetPath: string, what: string, hint = BUSY_HINT, cause?: unknown): Error {
  return refusal('busy', `Restore target ${targetPath} ${what}; it was not replaced.`, hint, cause);
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(`Cannot inspect ${path}: ${(error as Error).message}`, 'Check the path and its permissions.', error);
  }
}
