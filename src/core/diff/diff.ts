/**
 * diff: what changed between two snapshots. Each one is verified and loaded by the restore path
 * into a throw-away database (so a diff never reads unverified data, and the same allow-list
 * guards it), then both are compared as SQLite reports them. The renderers are in diffRender.ts
 * (text, JSON) and diffMarkdown.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE, type Manifest } from '../format/manifest.ts';
import type { SnapshotFiles } from '../format/snapshotFiles.ts';
import { restoreToTempDb, type TempRestore } from '../restore/restore.ts';
import { type Check, printableCheck } from '../shared/check.ts';
import { ioError, REFUSAL_KINDS, SnapshotError } from '../shared/errors.ts';
import { loadSqlite } from '../sqlite/sqlite.ts';
import type { VerifyReport } from '../verify/verify.ts';
import { type ComparedSide, compareSnapshots } from './diffCompare.ts';
import { readSnapshotContents } from './diffSchema.ts';
import type { Side, SnapshotDiff } from './diffTypes.ts';

/** Which file a failed check is about; a checksum mismatch is about both, and its hint says so. */
const checkLabel = (name: string): string => {
  if (name === 'manifest') return MANIFEST_FILE;
  if (name === 'size') return `${DUMP_FILE} size`;
  return name === 'checksum' ? name : `${MANIFEST_FILE} ${name}`;
};

/** Says which side failed, and for a failed verification which file and why. */
function sideError(side: Side, dir: string, error: unknown): unknown {
  if (!(error instanceof SnapshotError)) return error;
  const what = `The ${side} snapshot ${dir}`;
  if (error.kind === 'verification' && error.checks) {
    const failed = error.checks.filter((check: Check) => !check.ok);
    // A check's name and values can come from the manifest (an extra key, a bad value): one line each.
    const lines = failed
      .map(printableCheck)
      .map((check) => `  - ${checkLabel(check.name)}: expected ${check.expected}, got ${check.actual}`);
    return new SnapshotError(
      'verification',
      `${what} failed verification, so nothing was compared:\n${lines.join('\n')}`,
      {
        hint: error.hint,
        cause: error,
        checks: error.checks,
      },
    );
  }
  return new SnapshotError(error.kind, `${what}: ${error.message}`, { hint: error.hint, cause: error });
}

/** Both sides' errors as one: a usage or I/O error decides the kind, as it would alone. */
function combine(errors: unknown[]): unknown {
  if (errors.length === 1) return errors[0];
  const typed = errors.filter((error): error is SnapshotError => error instanceof SnapshotError);
  if (typed.length < errors.length) return errors.find((error) => !(error instanceof SnapshotError));
  const kind = (typed.find((error) => !REFUSAL_KINDS.has(error.kind)) ?? typed[0]!).kind;
  return new SnapshotError(kind, typed.map((error) => error.message).join('\n'), {
    hint: typed.find((error) => error.hint)?.hint,
  });
}

async function readSide(
  side: Side,
  snapshot: string | SnapshotFiles,
  scratch: string,
  verified?: VerifyReport,
): Promise<ComparedSide> {
  const dir = resolve(typeof snapshot === 'string' ? snapshot : snapshot.directory);
  let restored: TempRestore;
  try {
    restored = await restoreToTempDb(snapshot, join(scratch, `${side}.db`), {}, { verified });
  } catch (error) {
    throw sideError(side, dir, error);
  }
  try {
    const Sqlite = await loadSqlite();
    const db = new Sqlite(restored.path, { readonly: true, fileMustExist: true });
    try {
      // The schema came from a file: no function with side effects runs from it while reading.
      db.pragma('trusted_schema = OFF');
      // Verification passed, so every field is present with its type.
      return { dir, manifest: restored.report.manifest as Manifest, contents: readSnapshotContents(db) };
    } finally {
      db.close();
    }
  } finally {
    restored.release();
  }
}

function makeScratchDir(parent: string): string {
  try {
    return mkdtempSync(join(parent, 'sqlite-snapshot-diff-'));
  } catch (error) {
    throw ioError(
      `Cannot create a temp directory in ${parent}: ${(error as Error).message}`,
      'diff loads both snapshots into temporary databases; set TMPDIR to a writable directory with room for them.',
      error,
    );
  }
}

/**
 * Compares the snapshot directories `oldDir` and `newSnapshot` (a directory, or files the caller
 * opened and verified). Throws a SnapshotError naming the side when one is missing, fails
 * verification (a checksum mismatch included: the manifest would not describe the content being
 * compared) or holds a statement a dump never contains.
 */
export async function diffSnapshots(
  oldDir: string,
  newSnapshot: string | SnapshotFiles,
  options: {
    /** Where the throw-away databases go (default: the system temp directory). */
    workDir?: string;
    /** A passing report the caller has just made of `newSnapshot`'s files: not verified again. */
    newVerified?: VerifyReport;
  } = {},
): Promise<SnapshotDiff> {
  const scratch = makeScratchDir(options.workDir ?? tmpdir());
  try {
    const sides = await Promise.allSettled([
      readSide('old', oldDir, scratch),
      readSide('new', newSnapshot, scratch, options.newVerified),
    ]);
    const errors = sides.flatMap((side) => (side.status === 'rejected' ? [side.reason] : []));
    if (errors.length > 0) throw combine(errors);
    const [old, next] = sides.map((side) => (side as PromiseFulfilledResult<ComparedSide>).value);
    return compareSnapshots(old!, next!);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
