/**
 * Putting the restored DB at the target's name, and saying clearly why the file system refused:
 * by a hard link where nothing is there yet (so a file that appears meanwhile is not replaced), by
 * the final rename otherwise.
 */
import { linkSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ioError, SnapshotError } from '../shared/errors.ts';
import { fsyncPath } from '../shared/fileSystem.ts';
import { notReplaced } from './replaceRefusal.ts';

/** link() fails if a file appeared at the target meanwhile, where rename() would silently replace it. */
export function placeAtAbsentTarget(tempDbPath: string, targetPath: string): void {
  try {
    linkSync(tempDbPath, targetPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw notReplaced(targetPath, 'was created by another process meanwhile');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')
      throw placeError(error, tempDbPath, targetPath);
    try {
      renameSync(tempDbPath, targetPath); // a filesystem without hard links
    } catch (renameError) {
      throw placeError(renameError, tempDbPath, targetPath);
    }
  }
  try {
    unlinkSync(tempDbPath);
  } catch {
    // The target is in place. A second name left in the restore dir (a virus scanner on Windows may
    // hold the new file a moment) goes with that dir, so it must not make the restore fail.
  }
  fsyncPath(dirname(resolve(targetPath)));
}

/** Runs the final rename, its file-system errors explained; refusals pass as they are. */
export async function place(tempDbPath: string, targetPath: string, rename: () => void | Promise<void>): Promise<void> {
  try {
    await rename();
  } catch (error) {
    throw error instanceof SnapshotError ? error : placeError(error, tempDbPath, targetPath);
  }
}

/** What to do about a failed final rename, by its cause. */
const PLACE_HINTS: Record<string, string> = {
  EXDEV: 'The temp DB must be in a directory made by makeRestoreDir next to the target.',
  // A file bind-mounted over (a container's `-v ./app.db:/data/app.db`) cannot be renamed over.
  EBUSY:
    'The target is a mount point, most often a database file bind-mounted into a container; mount its directory instead of the file, or restore where the file really lives.',
  EPERM:
    'Check the permissions of the target directory, and that the target is not immutable or append-only (lsattr; chattr -i / -a).',
};

function placeError(error: unknown, tempDbPath: string, targetPath: string): Error {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return ioError(
    `Cannot move the restored DB ${basename(tempDbPath)} to ${targetPath}: ${(error as Error).message}; the target was not replaced.`,
    PLACE_HINTS[code] ?? 'Check the permissions of the target directory.',
    error,
  );
}
