/**
 * build: dump a database and write its manifest. Both files are staged complete in a private
 * directory, then replaced as a unit (see buildOutput.ts); on any failure nothing is left in the
 * output directory and the snapshot files already there are untouched.
 */
import { closeSync, existsSync, fsyncSync, openSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  createdAt,
  DUMP_FILE,
  defaultSourceVersion,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_KIND,
  type Manifest,
  serializeManifest,
} from '../format/manifest.ts';
import { detectDbMigrationVersion, resolveControlVersion, type VersionFact } from '../format/versionFacts.ts';
import { ioError, SnapshotError } from '../shared/errors.ts';
import { fsyncPath } from '../shared/fileSystem.ts';
import { HashingFile } from '../shared/hashingFile.ts';
import { explainSqliteError, type OpenedSource, openSource } from '../sqlite/source.ts';
import { type CommitStep, commitSteps, explainWriteError, openStaging } from './buildOutput.ts';
import { refuseDirectoriesInTheWay, refuseOutputOverInput, removeEmptyDirectory } from './buildPaths.ts';
import type { Staging } from './buildStaging.ts';
import { type DumpProgress, writeDump } from './dump.ts';
import { emptyBuildError, holdsNothing } from './emptyBuild.ts';
import { type FixtureOptions, prepareFixture } from './fixture.ts';
import { writeDumpParallel } from './parallelDump.ts';

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
  /** Accept a database that holds nothing (see emptyBuild.ts); by default that is an error. */
  allowEmpty?: boolean;
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

/** A build whose two files are complete in its staging directory, before the commit. */
export interface StagedSnapshot {
  result: BuildResult;
  /** Run in order, they put the pair in place; each is a point a crash may hit. */
  commitSteps: CommitStep[];
  /** Removes the staging directory (and the output directory, when this build made it and it is empty). */
  discard(): void;
  /** Lets go of the staging directory, keeping it for the next run to finish. */
  release(): void;
}

export async function buildSnapshot(options: BuildOptions): Promise<BuildResult> {
  const staged = await stageSnapshot(options);
  let done = 0;
  try {
    for (const step of staged.commitSteps) {
      step.run();
      done++;
    }
  } catch (error) {
    if (done > 0) {
      // The dump is in place beside the old manifest: the staged manifest finishes it next time.
      staged.release();
      throw ioError(
        `Cannot finish putting the snapshot in place in ${dirname(staged.result.dumpPath)}: ${(error as Error).message}`,
        'Run the build again: it completes this one first.',
        error,
      );
    }
    staged.discard();
    throw explainWriteError(error, staged.result.dumpPath);
  }
  return staged.result;
}

/** Everything a build does before its commit: the pair, complete and on disk, in a staging directory. */
export async function stageSnapshot(options: BuildOptions): Promise<StagedSnapshot> {
  const env = options.env ?? process.env;
  // Resolve the version facts first: a bad SOURCE_DATE_EPOCH must fail before any work.
  const timestamp = createdAt(env);
  const outDir = resolve(options.outDir);
  if (options.database !== undefined) refuseOutputOverInput(options.database, outDir);
  refuseDirectoriesInTheWay(outDir);
  const createdOutDir = !existsSync(outDir);
  let staging: Staging;
  try {
    staging = await openStaging(outDir);
  } catch (error) {
    if (createdOutDir) removeEmptyDirectory(outDir);
    throw error;
  }
  const discard = (): void => {
    staging.remove();
    // Leave no trace of a failed build: not even the output directory it created.
    if (createdOutDir) removeEmptyDirectory(outDir);
  };
  try {
    const written = await writeStaged(options, staging, { timestamp, env });
    const result = { ...written, dumpPath: join(outDir, DUMP_FILE), manifestPath: join(outDir, MANIFEST_FILE) };
    return { result, commitSteps: commitSteps(staging, outDir), discard, release: () => staging.release() };
  } catch (error) {
    discard();
    throw error;
  }
}

type Written = Omit<BuildResult, 'dumpPath' | 'manifestPath'>;

async function writeStaged(
  options: BuildOptions,
  staging: Staging,
  { timestamp, env }: { timestamp: string; env: NodeJS.ProcessEnv },
): Promise<Written> {
  const fixture = await prepareFixture(options);
  let source: OpenedSource;
  try {
    source = await openSource(fixture.path);
  } catch (error) {
    fixture.close();
    throw error;
  }
  try {
    if (!options.allowEmpty && holdsNothing(source.db)) {
      throw emptyBuildError(fixture.label, { ...options, seeds: options.seeds?.length ?? 0 });
    }
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
    const { stats, digest } = await writeDumpFile(options, fixture.label, source, staging.dumpPath);
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
      // Complete and on disk before the first rename: it is the record the next run commits by.
      writeFileSync(staging.manifestPath, serializeManifest(manifest), { flag: 'wx', mode: 0o666, flush: true });
      fsyncPath(staging.dir);
    } catch (error) {
      throw explainWriteError(error, join(options.outDir, MANIFEST_FILE));
    }
    return { manifest, facts, dumpBytes: digest.size, ...stats };
  } finally {
    source.close();
    fixture.close();
  }
}

async function writeDumpFile(options: BuildOptions, label: string, source: OpenedSource, path: string) {
  let fd: number;
  try {
    // 'wx': a fresh name of our own; 0o666 so that the umask decides, as for any file a tool creates.
    fd = openSync(path, 'wx', 0o666);
  } catch (error) {
    throw explainWriteError(error, options.outDir);
  }
  try {
    const file = new HashingFile(fd);
    const sink = (chunk: Uint8Array): void => file.write(chunk);
    const threads = options.threads ?? (source.bytes >= PARALLEL_MIN_BYTES ? 2 : 1);
    const stats =
      threads > 1 && source.sharedSnapshot
        ? await writeDumpParallel(source.db, label, source.readPath, threads, sink, options.onProgress)
        : writeDump(source.db, label, sink, options.onProgress);
    const digest = file.finish();
    fsyncSync(fd); // on disk before any name points at it
    return { stats, digest };
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code?.startsWith('E') && !(error instanceof SnapshotError)
      ? explainWriteError(error, join(options.outDir, DUMP_FILE))
      : explainSqliteError(error, label);
  } finally {
    closeSync(fd);
  }
}
