/** Small file-system steps the core repeats: looking at a name without following it, flushing. */
import { closeSync, fsyncSync, lstatSync, openSync, type Stats, statSync } from 'node:fs';

/** What is at `path` itself (a link is not followed), or undefined when nothing can be seen there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * fsync a file or a directory. On Windows a directory cannot be opened for it (a rename is durable
 * enough there without), and FlushFileBuffers needs a handle with write access (a read-only one
 * fails with EPERM). Elsewhere a read-only descriptor is enough, and the only one we may get once a
 * file has taken a read-only mode of the target.
 */
export function fsyncPath(path: string): void {
  const windows = process.platform === 'win32';
  if (windows && statSync(path).isDirectory()) return;
  const fd = openSync(path, windows ? 'r+' : 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
