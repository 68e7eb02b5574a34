/**
 * The private directory a build writes its two files in before it moves them into the output
 * directory: made with mkdtemp inside that directory (same file system, so the moves are renames;
 * 0700, so nobody reads a half-written file), and marked live by a lock, not a pid — pids are per
 * PID namespace, and containers share volumes. The lock is a small SQLite file held with
 * BEGIN EXCLUSIVE: SQLite's POSIX locks are seen by every process on the host, the kernel drops
 * them when the holder dies (kill -9 too), and SQLite keeps them right between connections of one
 * process. Only SQLite ever opens the lock file: a plain open and close of it by this process
 * would drop the locks this process holds on it.
 */
import { lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from './manifest.ts';
import { type Database, loadSqlite } from './sqlite.ts';

export const STAGING_PREFIX = '.sqlite-snapshot-build-';
/** Our prefix and mkdtemp's six characters, exactly: the sweep touches nothing else. */
export const STAGING_NAME = /^\.sqlite-snapshot-build-[A-Za-z0-9]{6}$/;
const LOCK_FILE = 'lock';
/**
 * Written once the lock is held, removed before it is let go: a sweeper tries the lock only where
 * this mark is, so it never takes the lock of a build that has created the file but not locked it.
 */
const LOCKED_MARK = 'locked';

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
  /** Its build is gone and the probe now holds its lock until `remove` or `release`. */
  | { state: 'orphaned'; remove(): void; release(): void }
  /** No lock to judge by (the build died before taking it, or the file system has none): judge by age. */
  | { state: 'unlocked' };

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Left for the next sweep: cleanup never hides the outcome of the build.
  }
}

/** Removes the mark while the lock is still held, then lets go of it, then removes the directory. */
function handOver(dir: string, lock: Database | undefined, removeDir: boolean): void {
  if (removeDir) removeQuietly(join(dir, LOCKED_MARK));
  if (lock?.open) lock.close();
  if (removeDir) removeQuietly(dir);
}

async function takeLock(dir: string): Promise<Database | undefined> {
  const Sqlite = await loadSqlite();
  let lock: Database | undefined;
  try {
    lock = new Sqlite(join(dir, LOCK_FILE), { timeout: 0 });
    lock.pragma('journal_mode = MEMORY'); // no -journal file beside it
    lock.exec('BEGIN EXCLUSIVE');
  } catch {
    // A file system without working locks: the directory is then judged by its age, like one left
    // by a build killed before it could lock.
    lock?.close();
    return undefined;
  }
  writeFileSync(join(dir, LOCKED_MARK), '', { flag: 'wx', mode: 0o600 });
  return lock;
}

/** A new, locked staging directory in `outDir` (which must exist). */
export async function createStaging(outDir: string): Promise<Staging> {
  const dir = mkdtempSync(join(outDir, STAGING_PREFIX));
  let lock: Database | undefined;
  try {
    lock = await takeLock(dir);
  } catch (error) {
    handOver(dir, lock, true);
    throw error;
  }
  return {
    dir,
    dumpPath: join(dir, DUMP_FILE),
    manifestPath: join(dir, MANIFEST_FILE),
    remove: () => handOver(dir, lock, true),
    release: () => handOver(dir, lock, false),
  };
}

/** Tries the lock of another build's staging directory, without waiting. */
export async function probeStaging(dir: string): Promise<StagingProbe> {
  try {
    if (!lstatSync(join(dir, LOCKED_MARK)).isFile()) return { state: 'unlocked' };
  } catch {
    return { state: 'unlocked' };
  }
  const Sqlite = await loadSqlite();
  let lock: Database;
  try {
    lock = new Sqlite(join(dir, LOCK_FILE), { timeout: 0, fileMustExist: true });
  } catch {
    return { state: 'unlocked' };
  }
  try {
    lock.exec('BEGIN IMMEDIATE');
  } catch (error) {
    lock.close();
    const busy = String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');
    return busy ? { state: 'live' } : { state: 'unlocked' };
  }
  return { state: 'orphaned', remove: () => handOver(dir, lock, true), release: () => handOver(dir, lock, false) };
}
