/**
 * A snapshot directory, opened once (docs/format.md §6): manifest.json is read into memory and
 * snapshot.sql is held open, so verify and load read the very same bytes, whatever happens to the
 * paths meanwhile (a directory swapped for another, a file replaced by a link). Only regular files
 * that are not symbolic links are read: a link to /etc/passwd or to a secret is refused, not
 * hashed or quoted.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { join } from 'node:path';
import { ioError, SnapshotError } from '../shared/errors.ts';
import { DUMP_FILE, MANIFEST_FILE } from './manifest.ts';
import { MANIFEST_MAX_BYTES } from './manifestParse.ts';

export interface SnapshotFiles {
  directory: string;
  dumpPath: string;
  manifestPath: string;
  /** manifest.json as read at open (at most MANIFEST_MAX_BYTES + 1 bytes). */
  manifestBytes: Buffer;
  /** snapshot.sql, open for reading; every reader passes its own positions, never the fd's offset. */
  dumpFd: number;
  /** snapshot.sql's size when it was opened. */
  dumpBytes: number;
  close(): void;
}

const WHERE_HINT = 'Point at the directory that holds snapshot.sql and manifest.json (download the artifact first).';

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows; there the lstat check below stands alone.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function fileError(error: unknown, path: string, what: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return ioError(`${what} not found: ${path}`, WHERE_HINT, error);
  if (code === 'ELOOP') return symlinkError(path, what);
  if (code === 'EACCES' || code === 'EPERM') {
    return ioError(
      `Cannot read ${what} ${path}: permission denied.`,
      'Run as a user that can read the artifact, or fix its permissions (chmod a+r).',
      error,
    );
  }
  return ioError(`Cannot read ${what} ${path}: ${(error as Error).message}`, WHERE_HINT, error);
}

const symlinkError = (path: string, what: string): Error =>
  ioError(
    `${what} ${path} is a symbolic link; snapshot files must be regular files in the snapshot directory.`,
    'Copy the file itself into the snapshot directory (an artifact download never makes links).',
  );

/**
 * Opens `path` for reading without following a link, and only if it is a regular file (a FIFO is
 * not waited on); `what` names it in the errors.
 */
export function openRegularFile(path: string, what: string): { fd: number; stats: Stats } {
  let fd: number;
  try {
    if (lstatSync(path).isSymbolicLink()) throw symlinkError(path, what);
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw error instanceof SnapshotError ? error : fileError(error, path, what);
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw ioError(`${what} ${path} is not a regular file.`, WHERE_HINT);
  }
  return { fd, stats };
}

function readAtMost(fd: number, limit: number, path: string): Buffer {
  const buffer = Buffer.alloc(limit);
  let length = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, length, limit - length, length);
      if (read === 0 || length + read === limit) return buffer.subarray(0, length + read);
      length += read;
    }
  } catch (error) {
    throw fileError(error, path, 'Manifest');
  }
}

export function openSnapshotFiles(directory: string): SnapshotFiles {
  let stats: Stats;
  try {
    stats = statSync(directory);
  } catch (error) {
    throw fileError(error, directory, 'Snapshot directory');
  }
  if (!stats.isDirectory()) throw ioError(`Snapshot directory ${directory} is not a directory.`, WHERE_HINT);
  const manifestPath = join(directory, MANIFEST_FILE);
  const dumpPath = join(directory, DUMP_FILE);
  const manifest = openRegularFile(manifestPath, 'Manifest');
  let manifestBytes: Buffer;
  try {
    manifestBytes = readAtMost(manifest.fd, MANIFEST_MAX_BYTES + 1, manifestPath);
  } finally {
    closeSync(manifest.fd);
  }
  const dump = openRegularFile(dumpPath, 'Dump');
  let open = true;
  return {
    directory,
    dumpPath,
    manifestPath,
    manifestBytes,
    dumpFd: dump.fd,
    dumpBytes: dump.stats.size,
    close() {
      if (open) closeSync(dump.fd);
      open = false;
    },
  };
}

/** Runs `work` on `snapshot`: files the caller already opened, or a directory opened (and closed) here. */
export async function withSnapshotFiles<T>(
  snapshot: string | SnapshotFiles,
  work: (files: SnapshotFiles) => Promise<T>,
): Promise<T> {
  if (typeof snapshot !== 'string') return work(snapshot);
  const files = openSnapshotFiles(snapshot);
  try {
    return await work(files);
  } finally {
    files.close();
  }
}
