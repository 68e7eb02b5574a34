/**
 * The private directories a restore works in: created next to the target (same file system, so
 * the final rename is atomic), held under a lock for as long as their restore runs, and swept
 * once nobody holds that lock. Liveness is judged by the lock, never by a pid: pids are per PID
 * namespace, and containers that share a volume share these directories.
 *
 * The lock and how it is judged are lockedDir.ts's, shared with build's staging directories.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ioError, SnapshotError } from '../shared/errors.ts';
import { lstatOrUndefined } from '../shared/fileSystem.ts';
import { makeLockedDir, probeLockedDir, removeQuietly } from '../sqlite/lockedDir.ts';

export const RESTORE_DIR_PREFIX = '.sqlite-snapshot-restore-';
/**
 * A directory without a lock file is swept only after this long: its owner may be between mkdtemp
 * and its lock (microseconds), or it was left by an older version.
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
  try {
    const { path, remove } = await makeLockedDir(parent, RESTORE_DIR_PREFIX);
    return { path, remove };
  } catch (error) {
    throw error instanceof SnapshotError ? error : explainDirError(error, parent);
  }
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
    // A directory with no lock file may be a restore between mkdtemp and its lock: judged by age.
    const probe = await probeLockedDir(dir, { takeUnlocked: false });
    if (probe.state === 'live') continue;
    if (probe.state === 'unlocked' && Date.now() - stats.mtimeMs <= UNLOCKED_AGE_MS) continue;
    if (probe.state === 'orphaned') probe.remove();
    else removeQuietly(dir);
    // Another user's leftovers may not be ours to remove: no reason to fail this restore.
    if (!lstatOrUndefined(dir)) removed.push(dir);
  }
  return removed;
}
