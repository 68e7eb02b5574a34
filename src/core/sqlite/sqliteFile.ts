/** Recognising a SQLite file by its header, before SQLite itself opens (and maybe recovers) it. */
import { closeSync, openSync, readSync } from 'node:fs';
import { ioError } from '../shared/errors.ts';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** The file's first `length` bytes (fewer for a shorter file); `what` names it in the error. */
export function readFileStart(path: string, length: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw ioError(`Cannot read ${what} ${path}: ${(error as Error).message}`, 'Check the file permissions.', error);
  }
  try {
    return readHeaderAt(fd, length);
  } finally {
    closeSync(fd);
  }
}

/** The first `length` bytes of an open file. */
export function readHeaderAt(fd: number, length: number): Buffer {
  const header = Buffer.alloc(length);
  return header.subarray(0, readSync(fd, header, 0, length, 0));
}

/** Whether a non-empty header is SQLite's ("SQLite format 3\0"). */
export const hasSqliteMagic = (header: Buffer): boolean => header.subarray(0, 16).toString('latin1') === SQLITE_MAGIC;
