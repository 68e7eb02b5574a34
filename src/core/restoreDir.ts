/**
 * The private directories a restore works in: created next to the target (same file system, so
 * the final rename is atomic), marked with the owner's pid, and swept when their owner is gone.
 */
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ioError } from './errors.ts';

const ORPHAN_AGE_MS = 60 * 60 * 1000;
export const RESTORE_DIR_PREFIX = '.sqlite-snapshot-restore-';
/** A restore dir without a readable pid file is only swept once nobody could still be filling it. */

/** A private 0700 directory next to the target (same filesystem, so the final rename is atomic). */
export function makeRestoreDir(targetPath: string): string {
  const parent = dirname(resolve(targetPath));
  try {
    const dir = mkdtempSync(join(parent, RESTORE_DIR_PREFIX));
    chmodSync(dir, 0o700); // mkdtemp already uses 0700 on POSIX; say it, so no platform default widens it
    writeFileSync(join(dir, 'pid'), `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
    return dir;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw ioError(
        `The directory ${parent} of the restore target does not exist.`,
        'Create it first (mkdir -p), or restore to a path in an existing directory.',
        error,
      );
    }
    throw ioError(
      `Cannot create a temp directory in ${parent}: ${(error as Error).message}`,
      'The restore needs write access to the directory that holds the target database.',
      error,
    );
  }
}

/** Removes restore dirs left next to the target by crashed runs; never one whose process still runs. */
export function sweepRestoreDirs(targetPath: string): string[] {
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
    const pid = readPid(dir);
    const orphaned = pid === undefined ? Date.now() - stats.mtimeMs > ORPHAN_AGE_MS : !isRunning(pid);
    if (!orphaned) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Another user's leftovers: not ours to remove, and no reason to fail this restore.
    }
  }
  return removed;
}

function readPid(dir: string): number | undefined {
  try {
    const text = readFileSync(join(dir, 'pid'), 'utf8').trim();
    return /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
  } catch {
    return undefined;
  }
}

/** A reused pid counts as running: the dir then waits for a later sweep rather than risk a live one. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
