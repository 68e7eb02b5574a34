/** Flushing what a rename is about to publish, or has just published, to the disk. */
import { closeSync, fsyncSync, openSync, statSync } from 'node:fs';

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
