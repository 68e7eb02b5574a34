/**
 * What a diff compares, read from a database restored from a snapshot: the schema as SQLite itself
 * reports it (pragmas, not a parse of the CREATE text), the row count of every table, and the
 * user_version the dump carries.
 */
import type { Database } from './sqlite.ts';
import { quoteIdentifier } from './sqlLiteral.ts';

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

export interface SnapshotContents {
  /** Every user table (not sqlite_*), by name. */
  tables: TableSchema[];
  /** Indexes made by CREATE INDEX; those SQLite makes for UNIQUE and PRIMARY KEY belong to their table. */
  indexes: IndexSchema[];
  views: DefinitionSchema[];
  triggers: DefinitionSchema[];
  rowCounts: Map<string, number>;
  userVersion: number;
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string;
}

/** Byte order of the UTF-8 names, as the dump orders tables, whatever the JS string order says. */
export const byName = (a: { name: string }, b: { name: string }): number =>
  Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

const isInternalName = (name: string): boolean => name.toLowerCase().startsWith('sqlite_');

const GENERATED: Record<number, ColumnSchema['generated']> = { 2: 'virtual', 3: 'stored' };

function readColumns(db: Database, table: string): ColumnSchema[] {
  const rows = db
    .prepare('SELECT name, type, "notnull" AS not_null, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid')
    .all(table) as {
    name: string;
    type: string;
    not_null: number;
    dflt_value: string | null;
    pk: number;
    hidden: number;
  }[];
  // hidden: 0 ordinary, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED.
  return rows.map((row) => ({
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
  const shape = db
    .prepare('SELECT wr, strict FROM pragma_table_list WHERE schema = ? AND name = ?')
    .get('main', row.name) as { wr: number; strict: number } | undefined;
  return {
    name: row.name,
    sql: row.sql,
    withoutRowid: shape?.wr === 1,
    strict: shape?.strict === 1,
    columns: readColumns(db, row.name),
  };
}

function keyTerm(term: { cid: number; name: string | null; desc: number; coll: string }): string {
  const column = term.cid === -2 ? '<expression>' : term.cid === -1 ? 'rowid' : (term.name ?? '?');
  return `${column}${term.coll !== 'BINARY' ? ` COLLATE ${term.coll}` : ''}${term.desc ? ' DESC' : ''}`;
}

function readIndex(db: Database, row: SchemaRow): IndexSchema {
  const listed = db
    .prepare('SELECT "unique", partial FROM pragma_index_list(?) WHERE name = ?')
    .get(row.tbl_name, row.name) as { unique: number; partial: number } | undefined;
  const terms = db
    .prepare('SELECT cid, name, desc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno')
    .all(row.name) as { cid: number; name: string | null; desc: number; coll: string }[];
  return {
    name: row.name,
    table: row.tbl_name,
    unique: listed?.unique === 1,
    partial: listed?.partial === 1,
    columns: terms.map(keyTerm),
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
  const rowCounts = new Map<string, number>();
  for (const table of tables) {
    rowCounts.set(
      table.name,
      db
        .prepare(`SELECT count(*) FROM ${quoteIdentifier(table.name)}`)
        .pluck()
        .get() as number,
    );
  }
  return {
    tables,
    indexes: user('index').map((row) => readIndex(db, row)),
    views: user('view').map(definition),
    triggers: user('trigger').map(definition),
    rowCounts,
    userVersion: db.pragma('user_version', { simple: true }) as number,
  };
}
