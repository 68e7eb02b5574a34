/**
 * The private directory a build writes its two files in before it moves them into the output
 * directory: made inside that directory (same file system, so the moves are renames; 0700, so
 * nobody reads a half-written file), and marked live by a lock (lockedDir.ts).
 */
import { join } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from '../format/manifest.ts';
import { type DirProbe, type LockedDir, makeLockedDir, probeLockedDir } from '../sqlite/lockedDir.ts';

export const STAGING_PREFIX = '.sqlite-snapshot-build-';
/** Our prefix and mkdtemp's six characters, exactly: the sweep touches nothing else. */
export const STAGING_NAME = /^\.sqlite-snapshot-build-[A-Za-z0-9]{6}$/;

export interface Staging extends Omit<LockedDir, 'path'> {
  dir: string;
  dumpPath: string;
  manifestPath: string;
}

/** A new, locked staging directory in `outDir` (which must exist). */
export async function createStaging(outDir: string): Promise<Staging> {
  const { path, remove, release } = await makeLockedDir(outDir, STAGING_PREFIX);
  return { dir: path, dumpPath: join(path, DUMP_FILE), manifestPath: join(path, MANIFEST_FILE), remove, release };
}

/**
 * What another build's staging directory is. One killed before it locked its directory holds no
 * lock file yet: the probe makes one and takes it, so that directory goes at once.
 */
export const probeStaging = (dir: string): Promise<DirProbe> => probeLockedDir(dir, { takeUnlocked: true });
