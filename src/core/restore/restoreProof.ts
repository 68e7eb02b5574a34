/**
 * A restore proof: verify, then restore the snapshot into a throw-away database, migrate it with
 * the code's migrations and run the sanity checks. It answers the PR check's question — does the
 * shipped snapshot still fit this code? — without touching any real database.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SnapshotFiles, withSnapshotFiles } from '../format/snapshotFiles.ts';
import type { MigrateOptions } from '../migrate/migrate.ts';
import type { Check } from '../shared/check.ts';
import { REFUSAL_KINDS, SnapshotError } from '../shared/errors.ts';
import { counted } from '../shared/plural.ts';
import { type VerifyExpectations, type VerifyReport, verifySnapshot } from '../verify/verify.ts';
import { type LoadOptions, migrateAndCheck, restoreToTempDb } from './restore.ts';
import type { IntegrityChoice, SanityOptions } from './sanity.ts';

export interface RestoreProofOptions extends MigrateOptions, SanityOptions, Pick<LoadOptions, 'onProgress'> {
  /** Where the throw-away database is made (default: the system temp directory). */
  workDir?: string;
}

/** Whether any option asks for a proof (choosing its integrity check does too): a verify without them only checks the files. */
export const wantsRestoreProof = (options: RestoreProofOptions): boolean =>
  options.migrations !== undefined ||
  options.migrateCommand !== undefined ||
  (options.requireTables?.length ?? 0) > 0 ||
  options.checkSql !== undefined ||
  options.integrity !== undefined;

const EXPECTED = 'restores into a new database, migrates and passes the sanity checks';

/**
 * What the proof runs when not told (see IntegrityChoice): quick, as restore does. The proof asks
 * whether the snapshot still restores and migrates under this code; the mismatches only the full
 * check finds (an index that disagrees with its table) are not made by SQLite's own index builds,
 * and the full check costs a lookup per row and index: measured on 2M rows with three indexes, it
 * took 22 s after a 10 s restore, so it is an opt-in (`integrity: full`).
 */
export const DEFAULT_PROOF_INTEGRITY: IntegrityChoice = 'quick';

/**
 * Verifies `dir`; when that passes, adds a `restore` check with the proof's outcome. A refusal
 * (a failing migration, a hostile statement, a failed sanity check) fails the check; a usage or
 * I/O error (a missing migrations directory) is thrown, as it says nothing about the snapshot.
 */
export function verifyWithRestoreProof(
  snapshot: string | SnapshotFiles,
  expect: VerifyExpectations,
  options: RestoreProofOptions,
): Promise<VerifyReport> {
  // Opened once: the proof loads the very bytes verify just passed.
  return withSnapshotFiles(snapshot, (files) => proveFiles(files, expect, options));
}

async function proveFiles(
  files: SnapshotFiles,
  expect: VerifyExpectations,
  options: RestoreProofOptions,
): Promise<VerifyReport> {
  const report = await verifySnapshot(files, expect);
  if (!report.ok) return report;
  const target = join(options.workDir ?? tmpdir(), 'sqlite-snapshot-proof.db');
  let check: Check;
  try {
    // Verified just now: the loader's re-hash still proves it loads exactly those bytes.
    const restored = await restoreToTempDb(files, target, expect, { verified: report, onProgress: options.onProgress });
    try {
      await migrateAndCheck(
        restored.path,
        { ...options, integrity: options.integrity ?? DEFAULT_PROOF_INTEGRITY },
        {
          lead: 'The snapshot, restored and migrated, failed its sanity checks',
          hint: 'Fix the snapshot or the migrations (or the required tables / check query) so that the restored database passes.',
        },
      );
      check = {
        name: 'restore',
        ok: true,
        expected: EXPECTED,
        actual: `${counted(restored.stats.rows, 'row')} restored, migrated and checked`,
      };
    } finally {
      restored.release();
    }
  } catch (error) {
    if (!(error instanceof SnapshotError) || !REFUSAL_KINDS.has(error.kind)) throw error;
    check = {
      name: 'restore',
      ok: false,
      expected: EXPECTED,
      actual: error.message,
      hint: error.hint ?? 'Fix the migration or the snapshot so that the restored database passes.',
    };
  }
  return { ...report, ok: check.ok, checks: [...report.checks, check] };
}
