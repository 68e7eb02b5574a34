/**
 * Reads what a dump must contain from sqlite_schema, and refuses what it cannot carry losslessly.
 */
import { unsupportedError } from '../shared/errors.ts';
import { quoteIdentifier } from '../sql/sqlLiteral.ts';
import type { Database } from './sqlite.ts';

export interface TableInfo {
  name: string;
  /** CREATE statement exactly as stored. */
  sql: string;
  withoutRowid: boolean;
  /** Columns that hold stored values, in declaration order (generated columns excluded). */
  columns: string[];
  /** An unshadowed name for the rowid, when the table has one. */
  rowidAlias: string | undefined;
  /**
   * ORDER BY terms that walk the table's own b-tree: the rowid, or the primary key with its
   * declared collations and directions (WITHOUT ROWID). Empty when no rowid name is free; then a
   * NOT INDEXED scan, which SQLite does on the rowid b-tree, gives the order.
   */
  orderBy: string;
}

export interface SchemaObject {
  type: 'index' | 'trigger' | 'view';
  name: string;
  sql: string;
}

export interface SchemaPlan {
  tables: TableInfo[];
  /** Views and triggers in creation order (dependencies and firing order hold), then indexes by name. */
  objects: SchemaObject[];
  hasSequenceRows: boolean;
  userVersion: number;
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** Tables whose names SQLite reserves; they are handled separately or left out. */
export const isInternalName = (name: string): boolean => name.toLowerCase().startsWith('sqlite_');

/** Byte order of the UTF-8 names, as the dump orders tables, whatever the JS string order says. */
export const byName = (a: { name: string }, b: { name: string }): number =>
  Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));

/** A column as pragma_table_xinfo reports it. */
export interface ColumnRow {
  name: string;
  /** The declared type as written; '' when the column has none. */
  type: string;
  not_null: number;
  dflt_value: string | null;
  pk: number;
  /** 0 ordinary, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED. */
  hidden: number;
}

/** Every column of `table`, generated and hidden ones included, in declaration order. */
export function readColumnRows(db: Database, table: string): ColumnRow[] {
  return db
    .prepare('SELECT name, type, "notnull" AS not_null, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid')
    .all(table) as ColumnRow[];
}

/** Whether `table` is WITHOUT ROWID and STRICT. */
export function readTableShape(db: Database, table: string): { withoutRowid: boolean; strict: boolean } {
  // pragma_table_list (SQLite ≥ 3.37) reports it directly, instead of parsing the CREATE text.
  const row = db.prepare('SELECT wr, strict FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table) as
    | { wr: number; strict: number }
    | undefined;
  return { withoutRowid: row?.wr === 1, strict: row?.strict === 1 };
}

/** A key term of an index as pragma_index_xinfo reports it. */
export interface IndexKeyRow {
  /** -1: the rowid; -2: an expression (then `name` is null). */
  cid: number;
  name: string | null;
  desc: number;
  coll: string;
}

/** The key terms of `index` in order (not the rowid SQLite appends to every index). */
export function readIndexKeys(db: Database, index: string): IndexKeyRow[] {
  return db
    .prepare('SELECT cid, name, desc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno')
    .all(index) as IndexKeyRow[];
}

function readColumns(db: Database, table: string): { columns: string[]; names: Set<string> } {
  const rows = readColumnRows(db, table);
  return {
    columns: rows.filter((row) => row.hidden === 0).map((row) => row.name),
    names: new Set(rows.map((row) => row.name.toLowerCase())),
  };
}

/**
 * A WITHOUT ROWID table's primary-key order. Spelled out because SQLite may otherwise scan such a
 * table through a covering secondary index (even with NOT INDEXED), in that index's order.
 */
function primaryKeyOrder(db: Database, table: string): string {
  const index = db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'").pluck().get(table) as string;
  return readIndexKeys(db, index)
    .map((key) => `${quoteIdentifier(key.name!)} COLLATE ${quoteIdentifier(key.coll)}${key.desc ? ' DESC' : ''}`)
    .join(', ');
}

export function readSchemaPlan(db: Database, path: string): SchemaPlan {
  const encoding = db.pragma('encoding', { simple: true }) as string;
  if (encoding !== 'UTF-8') {
    throw unsupportedError(
      `${path} uses the ${encoding} text encoding; sqlite-snapshot supports UTF-8 databases only.`,
      `Convert it: sqlite3 ${path} .dump | sqlite3 -cmd "PRAGMA encoding='UTF-8'" converted.db`,
    );
  }
  const rows = db
    .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid')
    .all() as SchemaRow[];

  const virtualTables = rows.filter((row) => row.type === 'table' && /^\s*CREATE\s+VIRTUAL\s/i.test(row.sql ?? ''));
  if (virtualTables.length > 0) {
    const names = virtualTables.map((row) => `"${row.name}"`).join(', ');
    throw unsupportedError(
      `${path} holds virtual table ${names}; a virtual table's content lives in its module and cannot be dumped losslessly.`,
      'Build the snapshot from a fixture without virtual tables, or create them in a migration run after restore.',
    );
  }

  const tableRows = db
    .prepare(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL ORDER BY name COLLATE BINARY",
    )
    .all() as { name: string; sql: string }[];
  const tables: TableInfo[] = [];
  for (const row of tableRows) {
    // sqlite_sequence is dumped after all tables; sqlite_stat* are statistics, not content.
    if (isInternalName(row.name)) continue;
    const { columns, names } = readColumns(db, row.name);
    const { withoutRowid } = readTableShape(db, row.name);
    const rowidAlias = withoutRowid ? undefined : ['_rowid_', 'rowid', 'oid'].find((alias) => !names.has(alias));
    const orderBy = withoutRowid ? primaryKeyOrder(db, row.name) : (rowidAlias ?? '');
    tables.push({ name: row.name, sql: row.sql, withoutRowid, columns, rowidAlias, orderBy });
  }

  const viewsAndTriggers = rows.filter((row) => row.type === 'view' || row.type === 'trigger');
  const indexes = rows.filter((row) => row.type === 'index').sort(byName);
  const objects = [...viewsAndTriggers, ...indexes].map((row) => ({
    type: row.type as SchemaObject['type'],
    name: row.name,
    sql: row.sql as string,
  }));

  const hasSequence = rows.some((row) => row.type === 'table' && row.name === 'sqlite_sequence');
  const hasSequenceRows = hasSequence && db.prepare('SELECT 1 FROM sqlite_sequence LIMIT 1').get() !== undefined;
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  return { tables, objects, hasSequenceRows, userVersion };
}
