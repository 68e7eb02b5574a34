/**
 * What a diff reports: the changes between two snapshots' manifests, schemas and row counts, and
 * the questions every renderer and face asks of them.
 */
import type { ManifestField } from '../format/manifest.ts';
import type { ColumnSchema, DefinitionSchema, IndexSchema, TableSchema } from './diffSchema.ts';

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
