/**
 * The output directory of a build. Its pair is replaced as a unit: both files are staged complete
 * and fsynced in a staging directory, then moved into place, dump first. The staged manifest is the
 * commit record: a build killed between the two moves leaves its manifest staged, and the next run
 * moves it into place — only over the dump it names by checksum, so a dump put there since by
 * another build (or by hand) is never paired with a manifest that is not its own. A kill before the
 * first move leaves the old pair; the next run drops the staging directory.
 */
import { closeSync, readdirSync, readFileSync, renameSync, rmSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from '../format/manifest.ts';
import { parseManifestBytes } from '../format/manifestParse.ts';
import { openRegularFile } from '../format/snapshotFiles.ts';
import { digestDescriptor } from '../shared/checksum.ts';
import { ioError, SnapshotError } from '../shared/errors.ts';
import { fsyncPath, lstatOrUndefined } from '../shared/fileSystem.ts';
import { option } from '../shared/options.ts';
import type { DirProbe } from '../sqlite/lockedDir.ts';
import { explainSqliteError } from '../sqlite/source.ts';
import { makeDirectory } from './buildPaths.ts';
import { createStaging, probeStaging, STAGING_NAME, type Staging } from './buildStaging.ts';

/** What has no lock to judge it by is left alone this long: nobody still writes to it after that. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;
/** The temp files of versions before staging directories, `.snapshot.sql.<pid>-<8 hex>.tmp`: history, so spelled out. */
const LEGACY_TEMP = /^\.(?:snapshot\.sql|manifest\.json)\.\d+-[0-9a-f]{8}\.tmp$/;

export interface CommitStep {
  name: string;
  run(): void;
}

export function explainWriteError(error: unknown, path: string): Error {
  if (error instanceof SnapshotError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC') {
    return ioError(
      `No space left on the device while writing ${path}.`,
      `Free some space or choose another ${option('out')} directory.`,
      error,
    );
  }
  if (/^E[A-Z]+$/.test(code)) {
    return ioError(
      `Cannot write ${path}: ${(error as Error).message}`,
      `Choose an ${option('out')} directory you can write to.`,
      error,
    );
  }
  return explainSqliteError(error, path);
}

/**
 * Makes `outDir` and a locked staging directory in it, after sweeping what killed builds left
 * there. Refuses while another build writes into `outDir`: two commits at once would pair one
 * build's dump with the other's manifest.
 */
export async function openStaging(outDir: string): Promise<Staging> {
  let staging: Staging;
  try {
    makeDirectory(outDir);
    staging = await createStaging(outDir);
  } catch (error) {
    throw explainWriteError(error, outDir);
  }
  // Swept after our own lock is taken: of two builds starting together, the later one sees the other.
  const { live } = await sweepBuildLeftovers(outDir, staging.dir);
  if (live.length > 0) {
    staging.remove();
    throw ioError(
      `Another build is writing into ${outDir} (its staging directory ${live[0]} is locked).`,
      `Wait for it to finish, or give each build its own ${option('out')} directory.`,
    );
  }
  return staging;
}

/** The commit, step by step: a crash between any two steps is what the sweep is made for. */
export function commitSteps(staging: Staging, outDir: string): CommitStep[] {
  return [
    { name: 'move the dump into place', run: () => renameSync(staging.dumpPath, join(outDir, DUMP_FILE)) },
    { name: 'move the manifest into place', run: () => renameSync(staging.manifestPath, join(outDir, MANIFEST_FILE)) },
    { name: 'flush the output directory', run: () => fsyncPath(outDir) },
    { name: 'remove the staging directory', run: () => staging.remove() },
  ];
}

interface Leftover {
  path: string;
  /** The lock of an orphaned staging directory, held until it is dealt with. */
  probe?: DirProbe & { state: 'orphaned' };
}

/**
 * Removes what killed builds left in `outDir`, finishing a commit one of them had begun, and returns
 * the staging directories of builds still running (other than `own`), which it leaves alone.
 */
export async function sweepBuildLeftovers(outDir: string, own?: string): Promise<{ live: string[] }> {
  let names: string[];
  try {
    names = readdirSync(outDir);
  } catch {
    return { live: [] };
  }
  const live: string[] = [];
  const stagings: Leftover[] = [];
  const legacy: string[] = [];
  for (const name of names) {
    const path = join(outDir, name);
    if (STAGING_NAME.test(name) && path !== own) {
      const stats = lstatOrUndefined(path);
      if (!stats?.isDirectory()) continue; // never follow a link out of this directory
      const probe = await probeStaging(path);
      if (probe.state === 'live') live.push(name);
      else if (probe.state === 'orphaned') stagings.push({ path, probe });
      else if (isOld(stats)) stagings.push({ path });
    } else if (LEGACY_TEMP.test(name)) {
      const stats = lstatOrUndefined(path);
      if (stats?.isFile() && isOld(stats)) legacy.push(path);
    }
  }
  for (const path of legacy) removeLeftover(path);
  if (live.length > 0) {
    // Finishing a dead build's commit now could undo the live one's: leave them for a later run.
    for (const staging of stagings) staging.probe?.release();
    return { live };
  }
  for (const staging of stagings) {
    try {
      await rollForward(staging.path, outDir);
    } catch {
      // Kept, to try again next time: without it, a dump that has moved would stay unpaired.
      staging.probe?.release();
      continue;
    }
    if (staging.probe) staging.probe.remove();
    else removeLeftover(staging.path);
  }
  return { live };
}

/** Moves a staged manifest into place when its build died after moving its dump, and only over that dump. */
async function rollForward(dir: string, outDir: string): Promise<void> {
  const manifest = join(dir, MANIFEST_FILE);
  // The dump still staged: the commit had not begun, and the old pair is whole.
  if (lstatOrUndefined(join(dir, DUMP_FILE)) || !lstatOrUndefined(manifest)?.isFile()) return;
  const checksum = parseManifestBytes(readFileSync(manifest)).object?.checksum;
  if (typeof checksum !== 'string' || (await checksumOf(join(outDir, DUMP_FILE))) !== checksum) return;
  renameSync(manifest, join(outDir, MANIFEST_FILE));
  fsyncPath(outDir);
}

/** The checksum of a regular file, never through a link or into a FIFO; undefined for anything else. */
async function checksumOf(path: string): Promise<string | undefined> {
  let fd: number;
  try {
    fd = openRegularFile(path, 'Dump').fd;
  } catch {
    return undefined;
  }
  try {
    return (await digestDescriptor(fd)).checksum;
  } finally {
    closeSync(fd);
  }
}

const isOld = (stats: Stats): boolean => Date.now() - stats.mtimeMs > ORPHAN_AGE_MS;

function removeLeftover(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Another user's leftovers: not ours to remove, and no reason to fail this build.
  }
}
