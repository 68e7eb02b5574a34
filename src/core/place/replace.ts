/**
 * The last step of a restore (docs/format.md §4): the restored temp DB takes the target's place by one
 * rename, so a kill -9 at any point leaves the target exactly old or exactly new. Before that rename
 * the old DB is locked and its journal/WAL emptied through SQLite, because a stale -wal or -journal
 * left beside the path would be replayed into the new file by the next opener.
 *
 * On Linux and macOS the rename happens under the lock. Windows cannot rename over a file that any
 * process holds open, this one included, so there the lock is let go of first (windowsRename.ts).
 */
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, renameSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ioError, refusal } from '../shared/errors.ts';
import { fsyncPath } from '../shared/fileSystem.ts';
import { option } from '../shared/options.ts';
import { osFamily } from '../shared/platform.ts';
import { copyBackup, discardBackup, keepModeAndOwner } from './backup.ts';
import type { Freshness } from './fresh.ts';
import { findOpenHolders } from './openHolders.ts';
import { place, placeAtAbsentTarget } from './placeDatabase.ts';
import { notReplaced } from './replaceRefusal.ts';
import { lockTarget } from './targetLock.ts';
import { lookThrough, type RenameFile, renameWhenUnheld } from './windowsRename.ts';

const SIDECARS = ['-wal', '-journal', '-shm'] as const;

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
  /** The OS whose rules apply (default: this one's), so a test can run another OS's branch here. */
  platform?: NodeJS.Platform;
  /** The final rename (default: renameSync), so a test can give the errors another OS would. */
  renameFile?: RenameFile;
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
  const family = osFamily(options.platform);
  checkTempDb(tempDbPath);
  const before = lstatOrUndefined(targetPath);
  if (!before) {
    fsyncPath(tempDbPath); // the new content must be on disk before a name points at it
    placeAtAbsentTarget(tempDbPath, targetPath);
    return { replaced: { fresh: true, reason: 'does not exist' } };
  }
  if (before.isSymbolicLink()) throw notReplaced(targetPath, 'is a symbolic link', 'Pass the real database file.');
  if (!before.isFile()) throw notReplaced(targetPath, 'is not a regular file', 'Pass the database file.');
  await refuseIfHeld(targetPath, before, options.platform);
  // Every fd we open on the target stays open until SQLite's connection is closed: closing any fd of a
  // file drops all of this process's POSIX locks on it, including the lock we are about to take.
  const fd = openTarget(targetPath);
  let fdOpen = true;
  const closeTarget = (): void => {
    if (fdOpen) closeSync(fd);
    fdOpen = false;
  };
  try {
    const lock = await lockTarget(targetPath, fd);
    let renamed = false;
    let backupPath: string | undefined;
    try {
      assertSameFile(targetPath, fd);
      const held = fstatSync(fd);
      await refuseIfHeld(targetPath, held, options.platform); // again under the lock, to narrow the window for a new opener
      // Judged again now that no writer can commit: it may have been filled while the snapshot loaded.
      const replaced = lock.judge();
      if (!replaced.fresh && !options.force) throw filledMeanwhile(targetPath, replaced);
      if (!replaced.fresh && options.backup)
        backupPath = copyBackup(fd, targetPath, dirname(tempDbPath), options.now ?? new Date());
      keepModeAndOwner(tempDbPath, targetPath, held);
      fsyncPath(tempDbPath); // the new content must be on disk before a name points at it
      const renameFile = options.renameFile ?? renameSync;
      if (family === 'windows') {
        // Windows renames over no file that is open, ours included: let go, then check and rename.
        const seen = lookThrough(fd);
        lock.release();
        closeTarget();
        await place(tempDbPath, targetPath, () => renameWhenUnheld(tempDbPath, targetPath, seen, renameFile));
      } else await place(tempDbPath, targetPath, () => renameFile(tempDbPath, targetPath));
      renamed = true;
      fsyncPath(dirname(resolve(targetPath)));
      return backupPath ? { replaced, backupPath } : { replaced };
    } catch (error) {
      if (!renamed && backupPath) discardBackup(backupPath);
      throw error;
    } finally {
      if (!renamed) lock.undo();
      lock.release(); // only now may another process lock the (already unlinked) old file
    }
  } finally {
    closeTarget();
  }
}

function openTarget(targetPath: string): number {
  try {
    // O_NOFOLLOW does not exist on Windows; there assertSameFile's lstat under the lock stands alone.
    return openSync(targetPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
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

/** Refuses a target another process holds open; where that cannot be told, the SQLite lock stands alone. */
async function refuseIfHeld(targetPath: string, file: Stats, platform: NodeJS.Platform | undefined): Promise<void> {
  const found = await findOpenHolders(targetPath, file, { platform });
  if (found.known && found.holders.length > 0) {
    throw notReplaced(targetPath, `is open in another process (pid ${found.holders.join(', pid ')})`);
  }
}

function assertSameFile(targetPath: string, fd: number): void {
  const now = lstatOrUndefined(targetPath);
  const held = fstatSync(fd);
  if (!now?.isFile() || now.ino !== held.ino || now.dev !== held.dev) {
    throw notReplaced(targetPath, 'was replaced by another process meanwhile');
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

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError(`Cannot inspect ${path}: ${(error as Error).message}`, 'Check the path and its permissions.', error);
  }
}
