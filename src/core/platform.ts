/**
 * Where the core behaves differently per operating system, decided from one value. Callers take
 * the platform as a parameter (default: this process's), so a test on Linux can run the branch of
 * another OS against real files and processes by naming it.
 */
import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * - `linux`: /proc lists every process's open files;
 * - `posix`: macOS, the BSDs and other Unixes: no /proc with fds, `lsof` instead; /bin/sh runs commands;
 * - `windows`: cmd.exe runs commands, and a file open in any process cannot be renamed over.
 */
export type OsFamily = 'linux' | 'posix' | 'windows';

export function osFamily(platform: NodeJS.Platform = process.platform): OsFamily {
  if (platform === 'win32') return 'windows';
  if (platform === 'linux' || platform === 'android') return 'linux';
  return 'posix';
}

/**
 * fsync of a file this process wrote and may still write. Windows' FlushFileBuffers needs a handle
 * with write access (a read-only one fails with EPERM); elsewhere a read-only fd is enough, and the
 * only one we may get once the file has taken a read-only mode of the target. A requirement of the
 * OS this runs on, so a test naming another OS does not pass its family here.
 */
export function flushFile(path: string, family: OsFamily = osFamily()): void {
  const fd = openSync(path, family === 'windows' ? 'r+' : 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
