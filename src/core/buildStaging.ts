/**
 * The private directory a build writes its two files in before it moves them into the output
 * directory: made with mkdtemp inside that directory (same file system, so the moves are renames;
 * 0700, so nobody reads a half-written file), and marked live by a lock, not a pid — pids are per
 * PID namespace, and containers share volumes. The lock is a small SQLite file held with
 * BEGIN EXCLUSIVE: SQLite's POSIX locks are seen by every process on the host, the kernel drops
 * them when the holder dies (kill -9 too), and SQLite keeps them right between connections of one
 * process. Only SQLite ever opens the lock file: a plain open and close of it by this process
 * would drop the locks this process holds on it.
 *
 * A directory exists for a moment before its lock is held, so a sweeper judges it by taking the
 * lock itself (creating the file if need be) and deletes it only while holding it. A build that
 * finds its lock taken, or its directory gone once it holds the lock, starts over in a new one.
 */
import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ioError } from './errors.ts';
import { DUMP_FILE, MANIFEST_FILE } from './manifest.ts';
import { type Database, type DatabaseConstructor, loadSqlite } from './sqlite.ts';

export const STAGING_PREFIX = '.sqlite-snapshot-build-';
/** Our prefix and mkdtemp's six characters, exactly: the sweep touches nothing else. */
export const STAGING_NAME = /^\.sqlite-snapshot-build-[A-Za-z0-9]{6}$/;
const LOCK_FILE = 'lock';
/** Each retry means a sweeper took the lock of a directory just made: more than a few is not a race. */
const ATTEMPTS = 5;

export interface Staging {
  dir: string;
  dumpPath: string;
  manifestPath: string;
  /** Lets go of the lock and removes the directory with whatever is still in it. */
  remove(): void;
  /** Lets go of the lock and keeps the directory, for the next run to finish what it holds. */
  release(): void;
}

/** What a sweeper finds in a staging directory of another build. */
export type StagingProbe =
  | { state: 'live' }
  /** Nobody holds its lock; the probe does now, until `remove` or `release`. */
  | { state: 'orphaned'; remove(): void; release(): void }
  /** No lock to judge by (a file system without working locks): judge by age. */
  | { state: 'unlocked' };

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next sweep: cleanup never hides the outcome of the build.
  }
}

/**
 * Removes the directory while the lock is still held, so that no build can take the lock in
 * between and think the directory its own; Windows refuses to delete an open file, so there the
 * lock file goes after closing.
 */
function letGo(dir: string, lock: Database | undefined, removeDir: boolean): void {
  if (removeDir) removeQuietly(dir);
  if (lock?.open) lock.close();
  if (removeDir) removeQuietly(dir);
}

const isBusy = (error: unknown): boolean => String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');

function inode(path: string): number | undefined {
  try {
    return lstatSync(path).ino;
  } catch {
    return undefined;
  }
}

type LockAttempt =
  | { outcome: 'held'; lock: Database }
  /** Another holds it, or the directory was swept before we held it: start over. */
  | { outcome: 'lost' }
  /** A file system without working locks: the directory is then judged by its age. */
  | { outcome: 'unusable' };

function lockNewDirectory(Sqlite: DatabaseConstructor, dir: string): LockAttempt {
  const path = join(dir, LOCK_FILE);
  let lock: Database | undefined;
  let opened: number | undefined;
  try {
    lock = new Sqlite(path, { timeout: 0 });
    opened = inode(path);
    lock.pragma('journal_mode = MEMORY'); // no -journal file beside it
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    if (lock?.open) lock.close();
    return isBusy(error) || inode(dir) === undefined ? { outcome: 'lost' } : { outcome: 'unusable' };
  }
  // A sweeper that took the lock first removed the directory before letting go: we then hold the
  // lock of a file that no longer has this name.
  if (opened === undefined || inode(path) !== opened) {
    letGo(dir, lock, true);
    return { outcome: 'lost' };
  }
  return { outcome: 'held', lock };
}

/** A new, locked staging directory in `outDir` (which must exist). */
export async function createStaging(outDir: string): Promise<Staging> {
  // Loaded first, so that the moment between making the directory and locking it stays short.
  const Sqlite = await loadSqlite();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const dir = mkdtempSync(join(outDir, STAGING_PREFIX));
    const attempted = lockNewDirectory(Sqlite, dir);
    if (attempted.outcome === 'lost') continue;
    const lock = attempted.outcome === 'held' ? attempted.lock : undefined;
    return {
      dir,
      dumpPath: join(dir, DUMP_FILE),
      manifestPath: join(dir, MANIFEST_FILE),
      remove: () => letGo(dir, lock, true),
      release: () => letGo(dir, lock, false),
    };
  }
  throw ioError(
    `Could not lock a staging directory in ${outDir}: other builds kept sweeping it.`,
    'Run one build at a time into this directory.',
  );
}

/** Takes the lock of another build's staging directory (creating the file if need be) without waiting. */
export async function probeStaging(dir: string): Promise<StagingProbe> {
  const Sqlite = await loadSqlite();
  let lock: Database | undefined;
  try {
    lock = new Sqlite(join(dir, LOCK_FILE), { timeout: 0 });
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if (lock?.open) lock.close();
    return isBusy(error) ? { state: 'live' } : { state: 'unlocked' };
  }
  const held = lock;
  return { state: 'orphaned', remove: () => letGo(dir, held, true), release: () => letGo(dir, held, false) };
}
