/**
 * The SQLite bindings as the bundle ships them: each platform's prebuilt better-sqlite3 addon
 * brotli-compressed in dist/prebuilds/<platform>.node.br, with its sha256 in
 * dist/prebuilds/index.json (the eight addons as they are would be most of the Action's download).
 * On first use the one this machine needs is unpacked next to its packed file, checked against the
 * recorded digest, and loaded from there; a later run (or worker thread) finds it unpacked and
 * checks it again. Where the bundle's folder cannot be written (a read-only install), it is
 * unpacked into a private temporary folder for this process instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { brotliDecompressSync } from 'node:zlib';
import { sha256Of } from '../shared/checksum.ts';
import { ioError } from '../shared/errors.ts';

export const PACKED_INDEX = 'index.json';
export const packedName = (key: string): string => `${key}.node.br`;
export const unpackedName = (key: string): string => `${key}.node`;

/** dist/prebuilds/index.json: the sha256 (hex) of each unpacked addon, by platform key. */
export type PackedIndex = Record<string, { sha256: string }>;

/** The folder of packed bindings next to the bundle this module is part of; undefined from source. */
export function packedBindingDir(moduleUrl: string): string | undefined {
  const dir = fileURLToPath(new URL('./prebuilds/', moduleUrl));
  return existsSync(join(dir, PACKED_INDEX)) ? dir : undefined;
}

/** A file's bytes, or undefined when it cannot be read. */
function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes `bytes` as `path` whole or not at all: a concurrent run sees the old file or the new one. */
function writeWhole(path: string, bytes: Buffer): void {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, bytes, { flag: 'wx', mode: 0o755 });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Where this process unpacked the addon when the bundle's folder was read-only. Worker threads
 * start with a copy of the main thread's environment, so they find it there instead of unpacking
 * their own.
 */
const PRIVATE_COPY = 'SQLITE_SNAPSHOT_PRIVATE_BINDING';

/** Unpacks `bytes` into a folder only this process writes, removed when it exits. */
function privateCopy(key: string, bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-snapshot-binding-'));
  const path = join(dir, unpackedName(key));
  writeWhole(path, bytes);
  if (isMainThread) {
    process.env[PRIVATE_COPY] = path;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return path;
}

/**
 * The path of this platform's addon, unpacked and matching its recorded digest; undefined when
 * the bundle has no addon for `key`.
 */
export function unpackedBinding(dir: string, key: string): string | undefined {
  const index = JSON.parse(readFileSync(join(dir, PACKED_INDEX), 'utf8')) as PackedIndex;
  const expected = index[key]?.sha256;
  if (expected === undefined) return undefined;
  const target = join(dir, unpackedName(key));
  for (const candidate of [target, process.env[PRIVATE_COPY]]) {
    const present = candidate === undefined ? undefined : readOrUndefined(candidate);
    if (present && sha256Of(present) === `sha256:${expected}`) return candidate;
  }
  let bytes: Buffer;
  try {
    bytes = brotliDecompressSync(readFileSync(join(dir, packedName(key))));
  } catch (error) {
    throw ioError(
      `Could not unpack the SQLite binding ${join(dir, packedName(key))}: ${(error as Error).message}`,
      'Reinstall sqlite-snapshot (for the Action, check out its dist/ folder whole).',
      error,
    );
  }
  if (sha256Of(bytes) !== `sha256:${expected}`) {
    throw ioError(
      `The SQLite binding ${join(dir, packedName(key))} does not match its recorded digest, so it was not loaded.`,
      'Reinstall sqlite-snapshot (for the Action, check out its dist/ folder whole).',
    );
  }
  try {
    writeWhole(target, bytes);
    return target;
  } catch {
    // A read-only install, or the old file held open (Windows): unpack for this process alone.
    return privateCopy(key, bytes);
  }
}
