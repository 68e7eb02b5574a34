/**
 * The private directories a restore works in: created next to the target (same file system, so
 * the final rename is atomic), held under a lock for as long as their restore runs, and swept
 * once nobody holds that lock. Liveness is judged by the lock, never by a pid: pids are per PID
 * namespace, and containers that share a volume share these directories.
 *
 * The lock is a small SQLite file in EXCLUSIVE locking mode: SQLite's file locks (POSIX advisory
 * locks, LockFileEx on Windows) are seen by every process on the host, are dropped by the kernel
 * when their process dies, however it dies, and are tracked by SQLite across the connections of one
 * process, so a sweep in the same process sees them too.
 */
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ioError } from './errors.ts';
import { type Database, loadSqlite } from './sqlite.ts';

export const RESTORE_DIR_PREFIX = '.sqlite-snapshot-restore-';
const LOCK_FILE = 'lock.db';
/**
 * A directory whose lock file was never written is swept only after this long: its owner may be
 * between mkdtemp and its first write (microseconds), or it was left by an older version.
 */
const UNLOCKED_AGE_MS = 15 * 60 * 1000;

export interface RestoreDir {
  path: string;
  /** Gives up the lock and removes the directory with everything in it. */
  remove(): void;
}

function explainDirError(error: unknown, parent: string): Error {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'ENOENT') {
    return ioError(
      `The directory ${parent} of the restore target does not exist.`,
      'Create it first (mkdir -p), or restore to a path in an existing directory.',
      error,
    );
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) {
    return ioError(
      `No space left on the device in ${parent}, where the restore makes its temporary copy.`,
      'Free some space next to the target database (the restore needs room for a full copy of it), then run again.',
      error,
    );
  }
  return ioError(
    `Cannot create a temp directory in ${parent}: ${(error as Error).message}`,
    'The restore needs write access to the directory that holds the target database.',
    error,
  );
}

/** A private 0700 directory next to the target, locked until `remove()`. */
export async function makeRestoreDir(targetPath: string): Promise<RestoreDir> {
  const parent = dirname(resolve(targetPath));
  const Sqlite = await loadSqlite();
  let path: string;
  try {
    path = mkdtempSync(join(parent, RESTORE_DIR_PREFIX));
  } catch (error) {
    throw explainDirError(error, parent);
  }
  let lock: Database | undefined;
  try {
    chmodSync(path, 0o700); // mkdtemp already uses 0700 on POSIX; say it, so no platform default widens it
    lock = new Sqlite(join(path, LOCK_FILE));
    lock.pragma('journal_mode = MEMORY');
    // In EXCLUSIVE locking mode the first write takes the file's exclusive lock and keeps it until
    // close: the lock file is never written and unlocked at once while its owner lives.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.pragma('user_version = 1');
  } catch (error) {
    lock?.close();
    rmSync(path, { recursive: true, force: true });
    throw explainDirError(error, parent);
  }
  const held = lock;
  return {
    path,
    remove() {
      if (held.open) held.close();
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Removes restore dirs left next to the target by crashed runs; never one whose lock is held. */
export async function sweepRestoreDirs(targetPath: string): Promise<string[]> {
  const parent = dirname(resolve(targetPath));
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter((entry) => entry.startsWith(RESTORE_DIR_PREFIX))) {
    const dir = join(parent, name);
    const stats = lstatOrUndefined(dir);
    if (!stats?.isDirectory()) continue; // never follow a symlink out of this directory
    if (!(await isAbandoned(dir, stats))) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another user's leftovers: not ours to remove, and no reason to fail this restore.
    }
  }
  return removed;
}

/** Whether nobody holds the directory's lock (a lock file never written counts only once old). */
async function isAbandoned(dir: string, stats: Stats): Promise<boolean> {
  const lockPath = join(dir, LOCK_FILE);
  const lockStats = lstatOrUndefined(lockPath);
  if (!lockStats?.isFile() || lockStats.size === 0) return Date.now() - stats.mtimeMs > UNLOCKED_AGE_MS;
  const Sqlite = await loadSqlite();
  let db: Database | undefined;
  try {
    db = new Sqlite(lockPath, { fileMustExist: true, readonly: true, timeout: 0 });
    db.pragma('user_version'); // needs a shared lock: busy while the owner holds its exclusive one
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    // Busy: a live restore. Anything else (damaged, unreadable lock file): its owner is gone.
    return !(code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || code === 'SQLITE_CANTOPEN');
  } finally {
    db?.close();
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
