/**
 * What a replace leaves of the old database and how the new one is owned: a backup copied from the
 * locked old file, published only once whole, and the target's mode and owner carried over.
 */
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ioError } from '../shared/errors.ts';
import { lstatOrUndefined } from '../shared/fileSystem.ts';
import { option } from '../shared/options.ts';

/**
 * `<name>.bak-20260102T030405Z`, copied from the locked fd (see replaceDatabase) with the target's
 * mode and owner: written under a temp name in `workDir` (the restore dir, same file system) and
 * fsynced, then linked to its name, so a backup name never holds a partial copy and never replaces
 * an older backup.
 */
export function copyBackup(fd: number, targetPath: string, workDir: string, now: Date): string {
  const stamp = `${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  const base = `${targetPath}.bak-${stamp}`;
  const temp = join(workDir, 'backup.db');
  const target = fstatSync(fd);
  let out: number | undefined;
  try {
    out = openSync(temp, 'wx', target.mode & 0o777);
    const buffer = Buffer.alloc(1 << 20);
    for (let position = 0; ; ) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      if (read === 0) break;
      for (let written = 0; written < read; ) written += writeSync(out, buffer, written, read - written);
      position += read;
    }
    giveOwnership(out, target);
    fsyncSync(out);
    closeSync(out);
    out = undefined;
    for (let attempt = 1; ; attempt++) {
      const backupPath = attempt === 1 ? base : `${base}-${attempt}`;
      if (publishBackup(temp, backupPath)) return backupPath;
      if (attempt >= 100) throw Object.assign(new Error(`${backupPath} and 99 others exist`), { code: 'EEXIST' });
    }
  } catch (error) {
    if (out !== undefined) closeSync(out);
    rmSync(temp, { force: true });
    const full = (error as NodeJS.ErrnoException).code === 'ENOSPC';
    throw ioError(
      full
        ? `No space left on the device for the backup ${base}; nothing was replaced.`
        : `Cannot write the backup ${base}: ${(error as Error).message}; nothing was replaced.`,
      `Free space or fix permissions in the target directory, or restore without a backup (${option('no-backup')}).`,
      error,
    );
  }
}

/** Links the finished backup to its name; false when that name is taken (an older backup stays). */
function publishBackup(temp: string, backupPath: string): boolean {
  try {
    linkSync(temp, backupPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  // A file system without hard links: rename, after making sure the name is free.
  if (lstatOrUndefined(backupPath)) return false;
  renameSync(temp, backupPath);
  return true;
}

/** The target's owner and group for a file we made (only root, or the owner, can do this). */
function giveOwnership(fd: number, target: Stats): void {
  if (process.platform === 'win32') return;
  const mine = fstatSync(fd);
  if (mine.uid !== target.uid || mine.gid !== target.gid) fchownSync(fd, target.uid, target.gid);
  // chown clears set-id bits, and the file was created through the umask: set the mode last.
  fchmodSync(fd, target.mode & 0o7777);
}

/** The restored DB takes the target's mode and owner, so the service that owns it can still write it. */
export function keepModeAndOwner(tempDbPath: string, targetPath: string, target: Stats): void {
  const fd = openSync(tempDbPath, 'r');
  try {
    giveOwnership(fd, target);
  } catch (error) {
    throw ioError(
      `Cannot give the restored DB the owner (uid ${target.uid}, gid ${target.gid}) and mode ${(target.mode & 0o7777).toString(8)} of ${targetPath}: ${(error as Error).message}; it was not replaced.`,
      'Run the restore as the user that owns the database, or as root.',
      error,
    );
  } finally {
    closeSync(fd);
  }
}

/** A backup made for a replace that then failed: the old database is still in place, a copy is clutter. */
export function discardBackup(backupPath: string): void {
  try {
    rmSync(backupPath, { force: true });
  } catch {
    // Left as it is: it is a whole copy, and the failure that matters is the one being thrown.
  }
}
