/**
 * The rename of a replace on Windows. There a file cannot be renamed over while any process holds
 * it open: SQLite opens without FILE_SHARE_DELETE, and Node's rename is MoveFileExW without POSIX
 * semantics. That includes this process, so the lock must be let go of before the rename, and the
 * OS then does the open-holder check itself, in the rename: a process that has the file open makes
 * it fail with EPERM, EBUSY or EACCES, and the target stays as it was.
 *
 * What letting go costs is a window (microseconds) in which a process could open, write and close
 * the target before the rename: each attempt first checks the file is still the one judged under the
 * lock, with its size, no journal, and its 100-byte header byte for byte: every commit in rollback
 * mode bumps the header's change counter, and going to WAL changes its mode bytes. Not its time: NTFS
 * may stamp the writes of our own connection only when that connection closes.
 */
import { closeSync, existsSync, fstatSync, lstatSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readHeaderAt } from '../sqlite/sqliteFile.ts';
import { notReplaced } from './replaceRefusal.ts';

/** What Windows answers a rename over a file another process holds open with. */
const HELD_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
/**
 * Waits between attempts, about 1.5 s in all: long enough for a virus scanner or the search
 * indexer to let go of a file it opened for a moment, short enough that an application holding the
 * database is reported at once.
 */
export const RETRY_DELAYS_MS = [50, 100, 200, 400, 800] as const;

export const HELD_HINT =
  'Stop the process holding it (the application, a database browser, a backup or virus scan), then run the restore again.';

/** The target as seen through an open handle: which file, how long, and its header. */
export interface TargetLook {
  ino: bigint;
  size: bigint;
  header: Buffer;
}

export function lookThrough(fd: number): TargetLook {
  const stats = fstatSync(fd, { bigint: true });
  return { ino: stats.ino, size: stats.size, header: readHeaderAt(fd, 100) };
}

export type RenameFile = (from: string, to: string) => void;

/**
 * Renames `tempDbPath` over `targetPath`, which this process no longer holds, once it is found as
 * `seen`. A rename refused as held is tried again after each of RETRY_DELAYS_MS, then refused
 * ('busy'); other errors are thrown as they are.
 */
export async function renameWhenUnheld(
  tempDbPath: string,
  targetPath: string,
  seen: TargetLook,
  rename: RenameFile,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    assertAsSeen(targetPath, seen);
    try {
      rename(tempDbPath, targetPath);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!HELD_CODES.has(code)) throw error;
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        throw notReplaced(
          targetPath,
          `is open in another process: Windows refused to rename over it (${code})`,
          HELD_HINT,
          error,
        );
      }
      await sleep(delay);
    }
  }
}

function assertAsSeen(targetPath: string, seen: TargetLook): void {
  let now: TargetLook | undefined;
  try {
    if (lstatSync(targetPath).isFile()) {
      const fd = openSync(targetPath, 'r');
      try {
        now = lookThrough(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch {
    now = undefined;
  }
  if (!now || now.ino !== seen.ino) throw notReplaced(targetPath, 'was replaced by another process meanwhile');
  const journal = ['-wal', '-journal'].find((suffix) => existsSync(`${targetPath}${suffix}`));
  if (journal || now.size !== seen.size || !now.header.equals(seen.header)) {
    throw notReplaced(targetPath, 'was written by another process after it was checked');
  }
}
