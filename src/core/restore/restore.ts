/**
 * Restore (docs/format.md §4): verify → restore into a brand-new temp DB next to the target → migrate it →
 * sanity-check it → replace the target. The target is untouched until the final rename, and on any
 * failure the temp directory is removed; temp directories of crashed runs are swept first.
 */
import { basename, join, resolve } from 'node:path';
import { parseManifestBytes } from '../format/manifestParse.ts';
import { type SnapshotFiles, withSnapshotFiles } from '../format/snapshotFiles.ts';
import type { LoadProgress, LoadStats } from '../load/loadDump.ts';
import { loadDumpIntoNewDatabase } from '../load/restoreLoad.ts';
import { type MigrateOptions, migrateDatabaseFile } from '../migrate/migrate.ts';
import { checkFreshness, type Freshness, isNotAFile } from '../place/fresh.ts';
import { replaceDatabase } from '../place/replace.ts';
import { makeRestoreDir, sweepRestoreDirs } from '../place/restoreDir.ts';
import { describeFailedCheck } from '../shared/check.ts';
import { refusal, SnapshotError, usageError } from '../shared/errors.ts';
import { option } from '../shared/options.ts';
import { SCAN_CACHE_PRAGMA, TRAILING_SEPARATORS } from '../sqlite/source.ts';
import { loadSqlite } from '../sqlite/sqlite.ts';
import { type VerifyExpectations, type VerifyReport, verifySnapshot } from '../verify/verify.ts';
import {
  checkLoadedRows,
  checkSanity,
  DEFAULT_RESTORE_INTEGRITY,
  listProblems,
  SanityError,
  type SanityOptions,
} from './sanity.ts';

export interface LoadOptions {
  /** A passing report the caller has just made of this directory: it is not verified a second time. */
  verified?: VerifyReport;
  /** Hears how far the load has come, every few hundred statements. */
  onProgress?: (progress: LoadProgress) => void;
}

export interface TempRestore {
  /** The new database file, closed, with no sidecars. */
  path: string;
  /** Removes its private directory (0700, next to the target, locked meanwhile): call once done with the temp DB. */
  release(): void;
  stats: LoadStats;
  report: VerifyReport;
}

/** Turns a failed verification into an error that lists what failed. */
function verificationError(report: VerifyReport): Error {
  const failed = report.checks.filter((check) => !check.ok);
  const lines = failed.map((check) => `  - ${describeFailedCheck(check)}`);
  return new SnapshotError(
    'verification',
    `${report.dumpPath} failed verification, so nothing was restored:\n${lines.join('\n')}`,
    { hint: failed[0]?.hint, checks: report.checks },
  );
}

/** The manifest's checksum when it can be read at all; verification judges everything else. */
function declaredChecksum(files: SnapshotFiles): string | undefined {
  const checksum = parseManifestBytes(files.manifestBytes).object?.checksum;
  return typeof checksum === 'string' ? checksum : undefined;
}

/**
 * Verifies the snapshot (a directory, or files the caller opened and verified with `verified`) and
 * loads it into a new DB in a temp dir next to `target`. Both read the same open files: the
 * manifest as read once, the dump through one descriptor. The load starts while verification
 * still runs (on another thread: it only writes the temp DB, which is discarded unless
 * verification passes), and re-hashes what it loads against the checksum of that one manifest,
 * so the result is exactly the verified content, whatever happens to the paths meanwhile.
 */
export function restoreToTempDb(
  snapshot: string | SnapshotFiles,
  target: string,
  expect: VerifyExpectations = {},
  options: LoadOptions = {},
): Promise<TempRestore> {
  return withSnapshotFiles(snapshot, (files) => restoreFiles(files, target, expect, options));
}

async function restoreFiles(
  files: SnapshotFiles,
  target: string,
  expect: VerifyExpectations,
  options: LoadOptions,
): Promise<TempRestore> {
  const { verified, onProgress } = options;
  const checksum = verified?.ok ? verified.computedChecksum : declaredChecksum(files);
  if (checksum === undefined) {
    // Nothing to load against: let verification say what is wrong.
    throw verificationError(await verifySnapshot(files, expect));
  }
  const targetPath = resolve(target);
  await sweepRestoreDirs(targetPath);
  const restoreDir = await makeRestoreDir(targetPath);
  const path = join(restoreDir.path, 'restore.db');
  const cancel = new AbortController();
  const loading = loadDumpIntoNewDatabase(files.dumpFd, files.dumpPath, path, checksum, cancel.signal, onProgress);
  // Settled below; a rejection that comes after a verification failure is not news.
  loading.catch(() => {});
  try {
    let report: VerifyReport;
    try {
      report = verified?.ok ? verified : await verifySnapshot(files, expect);
      if (!report.ok) throw verificationError(report);
    } catch (error) {
      cancel.abort(error);
      await loading.catch(() => {});
      throw error;
    }
    const stats = await loading;
    // Before a migration can change them: the new database holds exactly the rows of the dump.
    await checkLoadedRows(path, files.dumpPath, stats.rowsByTable);
    return { path, release: restoreDir.remove, stats, report };
  } catch (error) {
    restoreDir.remove();
    throw error;
  }
}

/** What a failed sanity check means to the caller: the sentence before the problems, and the advice. */
export interface SanityWording {
  lead: string;
  hint: string;
}

/**
 * Brings a restored temp DB to the code's migration level and sanity-checks it: what must hold
 * before it may replace a target, and what a restore proof (verify with migrations) shows.
 */
export async function migrateAndCheck(
  path: string,
  options: MigrateOptions & SanityOptions & { migrate?: (dbPath: string) => Promise<void> | void },
  wording: SanityWording,
): Promise<void> {
  await migrateDatabaseFile(path, options);
  if (options.migrate) await options.migrate(path);
  const Sqlite = await loadSqlite();
  const db = new Sqlite(path, { fileMustExist: true });
  db.pragma(SCAN_CACHE_PRAGMA);
  try {
    try {
      await checkSanity(db, options);
    } catch (error) {
      if (!(error instanceof SanityError)) throw error;
      throw refusal('sanity', `${wording.lead}:\n${listProblems(error.problems)}`, wording.hint);
    }
    // A migrator may have switched journal modes; the file must go into place without sidecars.
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

export interface RestoreSnapshotOptions extends SanityOptions, MigrateOptions, Pick<LoadOptions, 'onProgress'> {
  snapshotDir: string;
  target: string;
  /** Replace a populated target (refused otherwise). */
  force?: boolean;
  /** With force, keep the replaced DB as `<name>.bak-<UTC time>` (default true). */
  backup?: boolean;
  expect?: VerifyExpectations;
  /** In-process migrator for the temp DB, run after migrateCommand. */
  migrate?: (dbPath: string) => Promise<void> | void;
  env?: NodeJS.ProcessEnv;
}

export interface RestoreSnapshotResult {
  target: string;
  /** What the target held when it was replaced (judged under the replace lock). */
  freshness: Freshness;
  backupPath: string | undefined;
  stats: LoadStats;
  report: VerifyReport;
}

export async function restoreSnapshot(options: RestoreSnapshotOptions): Promise<RestoreSnapshotResult> {
  // `app.db/` names a directory: resolve() would quietly drop the slash and replace (or create) app.db.
  if (TRAILING_SEPARATORS.test(options.target) && options.target.replace(TRAILING_SEPARATORS, '') !== '') {
    throw usageError(
      `The restore target ${options.target} ends with a path separator, which names a directory, not a database file.`,
      `Pass ${option('db')} without the trailing separator: ${options.target.replace(TRAILING_SEPARATORS, '')}`,
    );
  }
  const target = resolve(options.target);
  const freshness = await checkFreshness(target);
  if (isNotAFile(freshness)) {
    // Not a database file at all: --force would not make replacing it right.
    throw refusal(
      'busy',
      `Restore target ${target} ${freshness.reason}, so it was not replaced.`,
      'Pass the path of the database file itself.',
    );
  }
  if (!freshness.fresh && !options.force) {
    throw refusal(
      'not-fresh',
      `Restore target ${target} ${freshness.reason}, so it was not replaced.`,
      `Pass ${option('force')} to replace it (the old database is kept as a .bak file unless ${option('no-backup')}).`,
    );
  }
  const restored = await restoreToTempDb(options.snapshotDir, target, options.expect, {
    onProgress: options.onProgress,
  });
  try {
    await migrateAndCheck(
      restored.path,
      { ...options, integrity: options.integrity ?? DEFAULT_RESTORE_INTEGRITY },
      {
        lead: `The restored database ${basename(restored.path)} failed its sanity checks, so it did not replace the target`,
        hint: 'Fix the snapshot or the migrations (or the required tables / check query) and restore again; the target is unchanged.',
      },
    );
    // Freshness is judged again under the replace lock: the target may have been filled meanwhile.
    const replaced = await replaceDatabase(restored.path, target, {
      force: options.force === true,
      backup: options.backup !== false,
    });
    return {
      target,
      freshness: replaced.replaced,
      backupPath: replaced.backupPath,
      stats: restored.stats,
      report: restored.report,
    };
  } finally {
    restored.release();
  }
}
