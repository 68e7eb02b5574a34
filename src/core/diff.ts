/**
 * diff: what changed between two snapshots. Each one is verified and loaded by the restore path
 * into a throw-away database (so a diff never reads unverified data, and the same allow-list
 * guards it), then both are compared as SQLite reports them. The renderers are in diffRender.ts
 * (text, JSON) and diffMarkdown.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ComparedSide, compareSnapshots } from './diffCompare.ts';
import {
  type ColumnSchema,
  type DefinitionSchema,
  type IndexSchema,
  readSnapshotContents,
  type TableSchema,
} from './diffSchema.ts';
import { ioError, REFUSAL_KINDS, SnapshotError } from './errors.ts';
import { DUMP_FILE, MANIFEST_FILE, type Manifest, type ManifestField } from './manifest.ts';
import { restoreToTempDb, type TempRestore } from './restore.ts';
import type { SnapshotFiles } from './snapshotFiles.ts';
import { loadSqlite } from './sqlite.ts';
import { type Check, printableCheck, type VerifyReport } from './verify.ts';

export type { ColumnSchema, DefinitionSchema, IndexSchema, TableSchema };

export type Change = 'added' | 'removed' | 'changed';

/** One object on either side: `old` is null when added, `new` is null when removed. */
export interface ObjectChange<T> {
  name: string;
  change: Change;
  old: T | null;
  new: T | null;
}

export type ColumnAttribute = 'type' | 'notNull' | 'default' | 'primaryKey' | 'generated' | 'hidden';

export interface ColumnChange extends ObjectChange<ColumnSchema> {
  /** What differs in a changed column; empty for an added or removed one. */
  attributes: ColumnAttribute[];
}

export interface TableChange extends ObjectChange<TableSchema> {
  /**
   * Column by column, for a changed table. A table can change with no column changing (a
   * constraint, WITHOUT ROWID, formatting): compare `old.sql` and `new.sql` then.
   */
  columns: ColumnChange[];
}

export interface FieldChange {
  field: ManifestField;
  old: string | bigint;
  new: string | bigint;
}

/** A table's row count on each side; null where the table does not exist. */
export interface RowCount {
  table: string;
  old: number | null;
  new: number | null;
}

export interface SnapshotDiff {
  oldDir: string;
  newDir: string;
  /** Manifest fields whose values differ, in manifest order (created_at included). */
  manifest: FieldChange[];
  tables: TableChange[];
  indexes: ObjectChange<IndexSchema>[];
  views: ObjectChange<DefinitionSchema>[];
  triggers: ObjectChange<DefinitionSchema>[];
  /** PRAGMA user_version, when it differs. */
  userVersion: { old: number; new: number } | null;
  /** Every table of either side, by name, changed or not. */
  rowCounts: RowCount[];
}

export const rowCountChanged = (count: RowCount): boolean => count.old !== count.new;

export const schemaChanged = (diff: SnapshotDiff): boolean =>
  diff.tables.length + diff.indexes.length + diff.views.length + diff.triggers.length > 0 || diff.userVersion !== null;

/** Any difference at all: a manifest field (created_at too), the schema, or a row count. */
export const hasDifferences = (diff: SnapshotDiff): boolean =>
  diff.manifest.length > 0 || schemaChanged(diff) || diff.rowCounts.some(rowCountChanged);

/** Manifest fields that say when and from which commit a snapshot was built, not what it holds. */
export const PROVENANCE_FIELDS: readonly ManifestField[] = ['created_at', 'source_chassis_version'];

/**
 * A difference in what the snapshot holds or declares: its bytes, schema, row counts or versions.
 * Two builds of the same content from different commits or times do not count.
 */
export const contentChanged = (diff: SnapshotDiff): boolean =>
  diff.manifest.some((change) => !PROVENANCE_FIELDS.includes(change.field)) ||
  schemaChanged(diff) ||
  diff.rowCounts.some(rowCountChanged);

export type Side = 'old' | 'new';

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
