/**
 * What a diff compares, read from a database restored from a snapshot: the schema as SQLite itself
 * reports it (pragmas, not a parse of the CREATE text), the row count of every table, and the
 * user_version the dump carries.
 */

import { quoteIdentifier } from '../sql/sqlLiteral.ts';
import {
  byName,
  type IndexKeyRow,
  isInternalName,
  readColumnRows,
  readIndexKeys,
  readTableShape,
} from '../sqlite/schema.ts';
import type { Database } from '../sqlite/sqlite.ts';

export interface ColumnSchema {
  name: string;
  /** The declared type as written; '' when the column has none. */
  type: string;
  notNull: boolean;
  /** The DEFAULT expression as written, or null. */
  default: string | null;
  /** Position in the primary key, from 1; 0 when the column is not part of it. */
  primaryKey: number;
  /** A generated column's storage; null for a column that holds stored values. */
  generated: 'virtual' | 'stored' | null;
  /** A hidden column (only virtual tables have them, and snapshots hold none). */
  hidden: boolean;
}

export interface TableSchema {
  name: string;
  /** CREATE TABLE exactly as stored. */
  sql: string;
  withoutRowid: boolean;
  strict: boolean;
  columns: ColumnSchema[];
}

export interface IndexSchema {
  name: string;
  table: string;
  unique: boolean;
  /** Has a WHERE clause. */
  partial: boolean;
  /** Key terms in order: a column name, `rowid` or `<expression>`, with DESC and a non-BINARY COLLATE. */
  columns: string[];
  sql: string;
}

/** A view or a trigger: its definition is its SQL. */
export interface DefinitionSchema {
  name: string;
  /** The table a trigger fires on; for a view, the view itself. */
  table: string;
  sql: string;
}

export interface TableRowCount {
  name: string;
  rows: number;
}

export interface SnapshotContents {
  /** Every user table (not sqlite_*), by name. */
  tables: TableSchema[];
  /** Indexes made by CREATE INDEX; those SQLite makes for UNIQUE and PRIMARY KEY belong to their table. */
  indexes: IndexSchema[];
  views: DefinitionSchema[];
  triggers: DefinitionSchema[];
  /** Every table of `tables` with its row count, in the same order. */
  rowCounts: TableRowCount[];
  userVersion: number;
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

const GENERATED: Record<number, ColumnSchema['generated']> = { 2: 'virtual', 3: 'stored' };

function readColumns(db: Database, table: string): ColumnSchema[] {
  return readColumnRows(db, table).map((row) => ({
    name: row.name,
    type: row.type,
    notNull: row.not_null === 1,
    default: row.dflt_value,
    primaryKey: row.pk,
    generated: GENERATED[row.hidden] ?? null,
    hidden: row.hidden === 1,
  }));
}

function readTable(db: Database, row: SchemaRow): TableSchema {
  const { withoutRowid, strict } = readTableShape(db, row.name);
  return { name: row.name, sql: row.sql, withoutRowid, strict, columns: readColumns(db, row.name) };
}

function keyTerm(term: IndexKeyRow): string {
  const column = term.cid === -2 ? '<expression>' : term.cid === -1 ? 'rowid' : (term.name ?? '?');
  return `${column}${term.coll !== 'BINARY' ? ` COLLATE ${term.coll}` : ''}${term.desc ? ' DESC' : ''}`;
}

function readIndex(db: Database, row: SchemaRow): IndexSchema {
  const listed = db
    .prepare('SELECT "unique", partial FROM pragma_index_list(?) WHERE name = ?')
    .get(row.tbl_name, row.name) as { unique: number; partial: number } | undefined;
  return {
    name: row.name,
    table: row.tbl_name,
    unique: listed?.unique === 1,
    partial: listed?.partial === 1,
    columns: readIndexKeys(db, row.name).map(keyTerm),
    sql: row.sql,
  };
}

export function readSnapshotContents(db: Database): SnapshotContents {
  const rows = (
    db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL').all() as SchemaRow[]
  ).sort(byName);
  const user = (type: string): SchemaRow[] => rows.filter((row) => row.type === type && !isInternalName(row.name));
  const definition = (row: SchemaRow): DefinitionSchema => ({ name: row.name, table: row.tbl_name, sql: row.sql });
  const tables = user('table').map((row) => readTable(db, row));
  const rowCounts = tables.map(({ name }) => ({
    name,
    rows: db
      .prepare(`SELECT count(*) FROM ${quoteIdentifier(name)}`)
      .pluck()
      .get() as number,
  }));
  return {
    tables,
    indexes: user('index').map((row) => readIndex(db, row)),
    views: user('view').map(definition),
    triggers: user('trigger').map(definition),
    rowCounts,
    userVersion: db.pragma('user_version', { simple: true }) as number,
  };
}
