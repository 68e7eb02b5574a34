/**
 * Where the core behaves differently per operating system, decided from one value. Callers take
 * the platform as a parameter (default: this process's), so a test on Linux can run the branch of
 * another OS against real files and processes by naming it.
 */

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
