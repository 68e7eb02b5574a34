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
 * fsync a file or a directory. Directories cannot be opened for fsync on Windows, where a rename
 * is durable enough without it.
 */
export function fsyncPath(path: string): void {
  if (process.platform === 'win32' && statSync(path).isDirectory()) return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
