/**
 * The comparison itself, pure: two snapshots' manifests and contents in, their differences out.
 * Objects are matched by name, so a rename shows as one object removed and another added.
 */

import { MANIFEST_FIELDS, type Manifest } from '../format/manifest.ts';
import { byName } from '../sqlite/schema.ts';
import type {
  ColumnSchema,
  DefinitionSchema,
  IndexSchema,
  SnapshotContents,
  TableRowCount,
  TableSchema,
} from './diffSchema.ts';
import type {
  ColumnAttribute,
  ColumnChange,
  FieldChange,
  ObjectChange,
  RowCount,
  SnapshotDiff,
  TableChange,
} from './diffTypes.ts';

/** Pairs two name-sorted lists by name, in name order. */
function pairByName<T extends { name: string }>(before: T[], after: T[]): [string, T | null, T | null][] {
  const old = new Map(before.map((item) => [item.name, item]));
  const next = new Map(after.map((item) => [item.name, item]));
  const names = [...new Set([...old.keys(), ...next.keys()])].map((name) => ({ name })).sort(byName);
  return names.map(({ name }) => [name, old.get(name) ?? null, next.get(name) ?? null]);
}

/** Added, removed, and changed (per `same`) objects, in name order; unchanged ones are left out. */
function compareObjects<T extends { name: string }>(
  before: T[],
  after: T[],
  same: (old: T, next: T) => boolean,
): ObjectChange<T>[] {
  const changes: ObjectChange<T>[] = [];
  for (const [name, old, next] of pairByName(before, after)) {
    if (old === null) changes.push({ name, change: 'added', old: null, new: next });
    else if (next === null) changes.push({ name, change: 'removed', old, new: null });
    else if (!same(old, next)) changes.push({ name, change: 'changed', old, new: next });
  }
  return changes;
}

const COLUMN_ATTRIBUTES: ColumnAttribute[] = ['type', 'notNull', 'default', 'primaryKey', 'generated', 'hidden'];

const changedAttributes = (old: ColumnSchema, next: ColumnSchema): ColumnAttribute[] =>
  COLUMN_ATTRIBUTES.filter((attribute) => old[attribute] !== next[attribute]);

function compareColumns(before: ColumnSchema[], after: ColumnSchema[]): ColumnChange[] {
  return compareObjects(before, after, (old, next) => changedAttributes(old, next).length === 0).map((change) => ({
    ...change,
    attributes: change.old && change.new ? changedAttributes(change.old, change.new) : [],
  }));
}

function compareTables(before: TableSchema[], after: TableSchema[]): TableChange[] {
  // Any change of the stored CREATE text counts: constraints and formatting are part of the dump too.
  return compareObjects(before, after, (old, next) => old.sql === next.sql).map((change) => ({
    ...change,
    columns: change.old && change.new ? compareColumns(change.old.columns, change.new.columns) : [],
  }));
}

/** Views, triggers and indexes: their SQL is their whole definition. */
const compareDefinitions = <T extends DefinitionSchema | IndexSchema>(before: T[], after: T[]): ObjectChange<T>[] =>
  compareObjects(before, after, (old, next) => old.sql === next.sql);

function compareManifests(before: Manifest, after: Manifest): FieldChange[] {
  return MANIFEST_FIELDS.filter((field) => before[field] !== after[field]).map((field) => ({
    field,
    old: before[field],
    new: after[field],
  }));
}

function compareRowCounts(before: TableRowCount[], after: TableRowCount[]): RowCount[] {
  return pairByName(before, after).map(([table, old, next]) => ({
    table,
    old: old?.rows ?? null,
    new: next?.rows ?? null,
  }));
}

export interface ComparedSide {
  dir: string;
  manifest: Manifest;
  contents: SnapshotContents;
}

export function compareSnapshots(old: ComparedSide, next: ComparedSide): SnapshotDiff {
  const userVersion = old.contents.userVersion;
  return {
    oldDir: old.dir,
    newDir: next.dir,
    manifest: compareManifests(old.manifest, next.manifest),
    tables: compareTables(old.contents.tables, next.contents.tables),
    indexes: compareDefinitions(old.contents.indexes, next.contents.indexes),
    views: compareDefinitions(old.contents.views, next.contents.views),
    triggers: compareDefinitions(old.contents.triggers, next.contents.triggers),
    userVersion:
      userVersion === next.contents.userVersion ? null : { old: userVersion, new: next.contents.userVersion },
    rowCounts: compareRowCounts(old.contents.rowCounts, next.contents.rowCounts),
  };
}
