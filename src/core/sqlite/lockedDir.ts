/**
 * Private working directories marked live by a lock, not a pid: a build's staging directory and a
 * restore's temp directory. Pids are per PID namespace, and containers share volumes; a lock is
 * seen by every process on the host, and the kernel drops it when its holder dies (kill -9 too).
 *
 * The lock is a small SQLite file, `lock`, in EXCLUSIVE locking mode: its first write takes the
 * file's exclusive lock and keeps it until close. SQLite's locks (POSIX advisory locks, LockFileEx
 * on Windows) are tracked by SQLite across the connections of one process, so a sweep in the same
 * process sees them too; only SQLite ever opens the file, since a plain open and close of it by
 * this process would drop the locks this process holds on it.
 *
 * A directory exists a moment before its lock is held. A sweeper that takes the lock of such a
 * directory deletes it while holding it; its maker notices (its own write is refused, or its lock
 * file no longer has that name) and starts over in a new one.
 */
import { chmodSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ioError } from '../shared/errors.ts';
import { type Database, type DatabaseConstructor, loadSqlite } from './sqlite.ts';

const LOCK_FILE = 'lock';
/** Each retry means a sweeper took the lock of a directory just made: more than a few is not a race. */
const ATTEMPTS = 5;

export interface LockedDir {
  path: string;
  /** Lets go of the lock and removes the directory with whatever is still in it. */
  remove(): void;
  /** Lets go of the lock and keeps the directory, for a later run to finish what it holds. */
  release(): void;
}

/** What a sweeper finds in another process's directory. */
export type DirProbe =
  | { state: 'live' }
  /** Nobody held its lock; the probe does now, until `remove` or `release`. */
  | ({ state: 'orphaned' } & Omit<LockedDir, 'path'>)
  /** No lock to judge it by (none made yet, or none that can be locked): judge by its age. */
  | { state: 'unlocked' };

/** rm -rf that never throws: what cannot be removed is left for a later sweep. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next sweep: cleanup never hides the outcome of the work.
  }
}

/**
 * Removes the directory while the lock is still held, so that no one can take the lock in between
 * and think the directory its own; Windows refuses to delete an open file, so there the lock file
 * goes after closing.
 */
function letGo(dir: string, lock: Database, removeDir: boolean): void {
  if (removeDir) removeQuietly(dir);
  if (lock.open) lock.close();
  if (removeDir) removeQuietly(dir);
}

const handle = (dir: string, lock: Database): Omit<LockedDir, 'path'> => ({
  remove: () => letGo(dir, lock, true),
  release: () => letGo(dir, lock, false),
});

const isBusy = (error: unknown): boolean => {
  const code = String((error as { code?: unknown }).code);
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
};

function inode(path: string): number | undefined {
  try {
    return lstatSync(path).ino;
  } catch {
    return undefined;
  }
}

/** Locks a directory just made; undefined when a sweeper got there first. Other failures throw. */
function lockNewDirectory(Sqlite: DatabaseConstructor, dir: string): Database | undefined {
  const path = join(dir, LOCK_FILE);
  let lock: Database | undefined;
  let opened: number | undefined;
  try {
    lock = new Sqlite(path, { timeout: 0 });
    opened = inode(path);
    lock.pragma('journal_mode = MEMORY'); // no -journal file beside it
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('user_version = 1'); // the write that takes the exclusive lock, kept until close
  } catch (error) {
    if (lock?.open) lock.close();
    if (isBusy(error) || inode(dir) === undefined) return undefined;
    removeQuietly(dir);
    throw error;
  }
  // A sweeper that took the lock first removed the directory before letting go: we then hold the
  // lock of a file that no longer has this name.
  if (opened === undefined || inode(path) !== opened) {
    letGo(dir, lock, true);
    return undefined;
  }
  return lock;
}

/**
 * A new 0700 directory `<prefix>XXXXXX` in `parent`, locked until `remove` or `release`. Errors of
 * the file system (no such parent, no space) are thrown as they are, for the caller to explain.
 */
export async function makeLockedDir(parent: string, prefix: string): Promise<LockedDir> {
  // Loaded first, so that the moment between making the directory and locking it stays short.
  const Sqlite = await loadSqlite();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const path = mkdtempSync(join(parent, prefix));
    try {
      chmodSync(path, 0o700); // mkdtemp already uses 0700 on POSIX; say it, so no platform default widens it
    } catch (error) {
      removeQuietly(path);
      throw error;
    }
    const lock = lockNewDirectory(Sqlite, path);
    if (lock) return { path, ...handle(path, lock) };
  }
  throw ioError(
    `Could not lock a working directory in ${parent}: other runs kept sweeping it.`,
    'Run one build or restore at a time in this directory.',
  );
}

/**
 * Tries, without waiting, to take the lock of another process's directory. With `takeUnlocked`, a
 * directory without a lock file gets one, so that a directory killed before its lock goes at once;
 * without it, such a directory is `unlocked`, left to be judged by its age.
 */
export async function probeLockedDir(dir: string, options: { takeUnlocked: boolean }): Promise<DirProbe> {
  const Sqlite = await loadSqlite();
  let lock: Database | undefined;
  try {
    lock = new Sqlite(join(dir, LOCK_FILE), { timeout: 0, fileMustExist: !options.takeUnlocked });
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN IMMEDIATE'); // refused while the owner holds its exclusive lock
  } catch (error) {
    if (lock?.open) lock.close();
    return isBusy(error) ? { state: 'live' } : { state: 'unlocked' };
  }
  return { state: 'orphaned', ...handle(dir, lock) };
}
