/**
 * A small file system of its own for the disk-full tests: a tmpfs of `size` mounted (as root) on
 * a fresh directory, unmounted and removed when the test file ends. Without root the mount fails
 * and `mounted` stays false: the tests fall back to a file size limit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

export interface SmallDisk {
  path: string;
  mounted: boolean;
}

export function mountSmallDisk(prefix: string, size: string): SmallDisk {
  const disk: SmallDisk = { path: mkdtempSync(join(tmpdir(), prefix)), mounted: false };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk.path], { stdio: 'pipe' });
    disk.mounted = true;
  } catch {
    // not root, or no mount in this sandbox
  }
  after(() => {
    if (disk.mounted) execFileSync('umount', [disk.path]);
    rmSync(disk.path, { recursive: true, force: true });
  });
  return disk;
}

/** Bytes an unprivileged writer may still use in the file system holding `dir`. */
export const freeBytes = (dir: string): number => {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
};
