/**
 * build: dump a database and write its manifest. Both files appear only when both are complete
 * (written under temporary names, then renamed); on any failure nothing is left in the output
 * directory and existing snapshot files there are untouched.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type DumpProgress, writeDump } from './dump.ts';
import { ioError, SnapshotError } from './errors.ts';
import { type FixtureOptions, prepareFixture } from './fixture.ts';
import { HashingFile } from './hashingFile.ts';
import {
  createdAt,
  DUMP_FILE,
  defaultSourceVersion,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_KIND,
  type Manifest,
  serializeManifest,
} from './manifest.ts';
import { option } from './options.ts';
import { writeDumpParallel } from './parallelDump.ts';
import { explainSqliteError, type OpenedSource, openSource } from './source.ts';
import { detectDbMigrationVersion, resolveControlVersion, type VersionFact } from './versionFacts.ts';

export interface BuildOptions extends FixtureOptions {
  outDir: string;
  controlModelVersion?: bigint;
  cacheSchemaVersion?: bigint;
  /** Explicit control_version; else `controlVersionQuery`; else 0. */
  controlVersion?: bigint;
  controlVersionQuery?: string;
  /** Explicit db_migration_version; else `dbMigrationVersionQuery`; else detected. */
  dbMigrationVersion?: string;
  dbMigrationVersionQuery?: string;
  sourceVersion?: string;
  env?: NodeJS.ProcessEnv;
  onProgress?: (progress: DumpProgress) => void;
  /**
   * Threads that read rows: 1 dumps on this thread; more read in parallel where the source allows
   * it. Default: 2 for databases of PARALLEL_MIN_BYTES or more, else 1.
   */
  threads?: number;
}

/** Below this size, starting worker threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 << 20;

export interface BuildResult {
  manifest: Manifest;
  /** Where db_migration_version and control_version came from. */
  facts: { dbMigrationVersion: VersionFact<string>; controlVersion: VersionFact<bigint> };
  dumpPath: string;
  manifestPath: string;
  dumpBytes: number;
  tables: number;
  rows: number;
}

function explainWriteError(error: unknown, path: string): Error {
  if (error instanceof SnapshotError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC') {
    return ioError(
      `No space left on the device while writing ${path}.`,
      `Free some space or choose another ${option('out')} directory.`,
      error,
    );
  }
  if (/^E[A-Z]+$/.test(code)) {
    return ioError(
      `Cannot write ${path}: ${(error as Error).message}`,
      `Choose an ${option('out')} directory you can write to.`,
      error,
    );
  }
  return explainSqliteError(error, path);
}

/** Removes a temp file of ours if it exists; cleanup must never hide the error being reported. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was created there (e.g. --out is a file): nothing to remove.
  }
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns on some pseudo file systems
 * (/proc), and a plain file in the way deserves its own message.
 */
function makeDirectory(path: string): void {
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) {
      throw ioError(
        `The output directory ${path} is a file, not a directory.`,
        'Pass a directory (it is created if missing).',
      );
    }
    return;
  }
  const parent = dirname(path);
  if (parent !== path) makeDirectory(parent);
  mkdirSync(path);
}

/** rmdir only succeeds on an empty directory: anything someone else put there stays. */
function removeEmptyDirectory(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Not empty or already gone: nothing of ours is left in it either way.
  }
}

export async function buildSnapshot(options: BuildOptions): Promise<BuildResult> {
  const env = options.env ?? process.env;
  // Resolve the version facts first: a bad SOURCE_DATE_EPOCH must fail before any work.
  const timestamp = createdAt(env);
  const outDir = resolve(options.outDir);
  const dumpPath = join(outDir, DUMP_FILE);
  const manifestPath = join(outDir, MANIFEST_FILE);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const dumpTemp = join(outDir, `.${DUMP_FILE}.${suffix}`);
  const manifestTemp = join(outDir, `.${MANIFEST_FILE}.${suffix}`);

  const fixture = await prepareFixture(options);
  let source: OpenedSource;
  try {
    source = await openSource(fixture.path);
  } catch (error) {
    fixture.close();
    throw error;
  }
  const createdOutDir = !existsSync(outDir);
  let fd: number | undefined;
  try {
    const facts = {
      dbMigrationVersion: detectDbMigrationVersion(source.db, {
        explicit: options.dbMigrationVersion,
        query: options.dbMigrationVersionQuery,
      }),
      controlVersion: resolveControlVersion(source.db, {
        explicit: options.controlVersion,
        query: options.controlVersionQuery,
      }),
    };
    try {
      makeDirectory(outDir);
      // 'wx': a fresh name of our own; never write through an existing file or link.
      fd = openSync(dumpTemp, 'wx', 0o644);
    } catch (error) {
      throw explainWriteError(error, outDir);
    }
    let stats: { tables: number; rows: number };
    let digest: { sha256: string; size: number };
    try {
      const file = new HashingFile(fd);
      const sink = (chunk: Uint8Array): void => file.write(chunk);
      const threads = options.threads ?? (source.bytes >= PARALLEL_MIN_BYTES ? 2 : 1);
      stats =
        threads > 1 && source.sharedSnapshot
          ? await writeDumpParallel(source.db, fixture.label, source.readPath, threads, sink, options.onProgress)
          : writeDump(source.db, fixture.label, sink, options.onProgress);
      digest = file.finish();
      closeSync(fd);
      fd = undefined;
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code?.startsWith('E') && !(error instanceof SnapshotError)
        ? explainWriteError(error, dumpPath)
        : explainSqliteError(error, fixture.label);
    }
    const manifest: Manifest = {
      kind: MANIFEST_KIND,
      format: MANIFEST_FORMAT,
      checksum: `sha256:${digest.sha256}`,
      control_model_version: options.controlModelVersion ?? 0n,
      cache_schema_version: options.cacheSchemaVersion ?? 0n,
      control_version: facts.controlVersion.value,
      created_at: timestamp,
      source_chassis_version: options.sourceVersion ?? defaultSourceVersion(env),
      db_migration_version: facts.dbMigrationVersion.value,
    };
    try {
      writeFileSync(manifestTemp, serializeManifest(manifest), { flag: 'wx' });
      renameSync(dumpTemp, dumpPath);
      renameSync(manifestTemp, manifestPath);
    } catch (error) {
      throw explainWriteError(error, manifestPath);
    }
    return { manifest, facts, dumpPath, manifestPath, dumpBytes: digest.size, ...stats };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(dumpTemp);
    removeQuietly(manifestTemp);
    // Leave no trace of a failed build: not even the output directory it created.
    if (createdOutDir) removeEmptyDirectory(outDir);
    throw error;
  } finally {
    source.close();
    fixture.close();
  }
}
