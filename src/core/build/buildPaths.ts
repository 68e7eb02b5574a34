/** The paths of a build: its output directory, made step by step, and never the file it reads. */
import { type BigIntStats, existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from '../format/manifest.ts';
import { ioError, usageError } from '../shared/errors.ts';
import { lstatOrUndefined } from '../shared/fileSystem.ts';
import { option } from '../shared/options.ts';

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns on some pseudo file systems
 * (/proc), and a plain file in the way deserves its own message.
 */
export function makeDirectory(path: string): void {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) {
      throw ioError(
        `The output directory ${path} is a file, not a directory.`,
        'Pass a directory (it is created if missing).',
      );
    }
    return;
  }
  const parent = dirname(path);
  if (parent !== path) makeDirectory(parent);
  mkdirSync(path);
}

/** rmdir only succeeds on an empty directory: anything someone else put there stays. */
export function removeEmptyDirectory(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Not empty or already gone: nothing of ours is left in it either way.
  }
}

/** Follows links: what matters is the file a name reaches. Exact (bigint) inode numbers. */
function fileIdentity(path: string): BigIntStats | undefined {
  try {
    return statSync(path, { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, EACCES…: the database's own checks word these
  }
}

/**
 * Refuses a database that is the build's own output file, by whatever name it is reached (a
 * relative spelling, a link, a hard link): the build would replace the file it reads.
 */
export function refuseOutputOverInput(database: string, outDir: string): void {
  const input = fileIdentity(database);
  if (!input) return; // missing: opening it says so
  for (const name of [DUMP_FILE, MANIFEST_FILE]) {
    const output = join(outDir, name);
    const existing = fileIdentity(output);
    if (existing && existing.dev === input.dev && existing.ino === input.ino) {
      throw usageError(
        `The database ${database} is the file ${output} this build writes: it would replace its own input.`,
        `Pass another ${option('out')} directory, or move the database out of ${outDir}.`,
      );
    }
  }
}

/** A directory where a snapshot file goes would stop the commit half-way, after the dump has moved. */
export function refuseDirectoriesInTheWay(outDir: string): void {
  for (const name of [DUMP_FILE, MANIFEST_FILE]) {
    const path = join(outDir, name);
    if (lstatOrUndefined(path)?.isDirectory()) {
      throw ioError(
        `${path} is a directory; the build writes a file there.`,
        `Remove it, or choose another ${option('out')} directory.`,
      );
    }
  }
}
