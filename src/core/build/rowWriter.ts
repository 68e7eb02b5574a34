/**
 * Streams one table's rows as INSERT statements. Values cross from SQLite to JS in the cheapest
 * exact form: TEXT as a JS string (Buffers are several times slower to create), BLOB as hex made by
 * SQLite, INTEGER as bigint, REAL as number. A string is only a lossy view of TEXT when the stored
 * bytes are not valid UTF-8 (the decoder substitutes U+FFFD) or hold NUL; such values are re-read
 * as raw bytes (by rowid), or, in WITHOUT ROWID tables, the rest of the table is read raw.
 */
import type { Statement } from 'better-sqlite3';
import type { ChunkWriter } from '../shared/chunkWriter.ts';
import {
  escapedLineBreaks,
  formatReal,
  quoteIdentifier,
  taggedValueExpression,
  writeTaggedValue,
  writeTextBytes,
} from '../sql/sqlLiteral.ts';
import type { TableInfo } from '../sqlite/schema.ts';
import type { Database } from '../sqlite/sqlite.ts';

const QUOTE = 0x27;
const COMMA = 0x2c;
/** Characters that need more than quoting. */
const SPECIAL_TEXT = /[\0\n\r\uFFFD]/;
/** Characters that mean the string may not be the stored bytes. */
const LOSSY_TEXT = /[\0\uFFFD]/;
/** Rows fetched per page are sized to about this many output bytes, so wide rows stay bounded. */
const PAGE_BYTES = 256 << 10;
const MAX_PAGE_ROWS = 256;

export type RowCallback = (rows: number) => void;

/** Per column: hex of a BLOB (else null), then the value itself when it is not a BLOB. */
const splitColumns = (table: TableInfo): string =>
  table.columns
    .map((column) => {
      const c = quoteIdentifier(column);
      return `CASE WHEN typeof(${c}) = 'blob' THEN lower(hex(${c})) END, CASE WHEN typeof(${c}) <> 'blob' THEN ${c} END`;
    })
    .join(', ');

function writeFastValue(
  out: ChunkWriter,
  blobHex: unknown,
  value: unknown,
  rawText: (column: number) => Buffer,
  column: number,
): void {
  if (blobHex !== null) {
    out.ascii("X'");
    out.ascii(blobHex as string);
    out.byte(QUOTE);
  } else if (typeof value === 'string') {
    if (!SPECIAL_TEXT.test(value)) {
      out.byte(QUOTE);
      out.utf8(value.includes("'") ? value.replaceAll("'", "''") : value);
      out.byte(QUOTE);
    } else if (LOSSY_TEXT.test(value)) writeTextBytes(out, rawText(column));
    else out.utf8(escapedLineBreaks(value, value.includes('\n'), value.includes('\r')));
  } else if (typeof value === 'bigint') out.ascii(value.toString());
  else if (typeof value === 'number') out.ascii(formatReal(value));
  else out.ascii('NULL');
}

/** Writes one row of split columns starting at `first`. */
function writeFastRow(
  out: ChunkWriter,
  prefix: Buffer,
  row: unknown[],
  first: number,
  rawText: (column: number) => Buffer,
): void {
  out.bytes(prefix);
  for (let column = 0, at = first; at < row.length; column++, at += 2) {
    if (column > 0) out.byte(COMMA);
    writeFastValue(out, row[at], row[at + 1], rawText, column);
  }
  out.ascii(');\n');
}

/** An inclusive rowid range: a table is dumped as several ranges when it is large. */
export interface RowidRange {
  first: bigint;
  last: bigint;
}

const FULL_RANGE: RowidRange = { first: -(1n << 63n), last: (1n << 63n) - 1n };

/** Rowid tables: pages of `SELECT rowid, split columns` in rowid order, fetched in bulk. */
function dumpByRowid(
  db: Database,
  out: ChunkWriter,
  table: TableInfo,
  prefix: Buffer,
  range: RowidRange,
  onRows: RowCallback,
): number {
  const alias = table.rowidAlias!;
  const name = quoteIdentifier(table.name);
  // NOT INDEXED: read the table's own b-tree, never a covering index, so the ORDER BY costs no sort.
  const select = `SELECT ${alias}, ${splitColumns(table)} FROM ${name} NOT INDEXED`;
  const firstPage = db
    .prepare(`${select} WHERE ${alias} BETWEEN ? AND ? ORDER BY ${alias} LIMIT ?`)
    .raw(true)
    .safeIntegers(true);
  const nextPage = db
    .prepare(`${select} WHERE ${alias} > ? AND ${alias} <= ? ORDER BY ${alias} LIMIT ?`)
    .raw(true)
    .safeIntegers(true);
  const rawReaders: Statement[] = [];
  let rowid: unknown;
  const rawText = (column: number): Buffer => {
    rawReaders[column] ??= db
      .prepare(`SELECT CAST(${quoteIdentifier(table.columns[column]!)} AS BLOB) FROM ${name} WHERE ${alias} = ?`)
      .pluck(true);
    return (rawReaders[column]!.get(rowid) as Buffer | null) ?? Buffer.alloc(0);
  };
  let rows = 0;
  let pageRows = 64;
  for (;;) {
    const page = (
      rows === 0 ? firstPage.all(range.first, range.last, pageRows) : nextPage.all(rowid, range.last, pageRows)
    ) as unknown[][];
    const startBytes = out.size;
    for (const row of page) {
      rowid = row[0];
      writeFastRow(out, prefix, row, 1, rawText);
    }
    rows += page.length;
    onRows(rows);
    if (page.length < pageRows) return rows;
    const bytesPerRow = Math.max(1, (out.size - startBytes) / page.length);
    pageRows = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.floor(PAGE_BYTES / bytesPerRow)));
  }
}

const hasLossyText = (row: unknown[]): boolean =>
  row.some((value) => typeof value === 'string' && LOSSY_TEXT.test(value));

/** FROM clause reading a table in its b-tree order (see TableInfo.orderBy). */
const scanClause = (table: TableInfo): string =>
  `${quoteIdentifier(table.name)} NOT INDEXED${table.orderBy ? ` ORDER BY ${table.orderBy}` : ''}`;

/** Rows by position in scan order: `count` rows (-1: all the rest) after skipping `offset`. */
export interface PositionRange {
  offset: number;
  count: number;
}

const WHOLE_TABLE: PositionRange = { offset: 0, count: -1 };
/** The scan path's raw-text reader: rows with lossy text leave that path before they are written. */
const NO_RAW_TEXT = (): Buffer => Buffer.alloc(0);

/** Writes rows on the exact path (TEXT as raw bytes); returns how many. */
function dumpTagged(db: Database, out: ChunkWriter, table: TableInfo, prefix: Buffer, range: PositionRange): number {
  const values = table.columns.map((column) => taggedValueExpression(quoteIdentifier(column))).join(', ');
  const query = `SELECT ${values} FROM ${scanClause(table)} LIMIT ? OFFSET ?`;
  let rows = 0;
  for (const row of db.prepare(query).raw(true).iterate(range.count, range.offset) as Iterable<unknown[]>) {
    out.bytes(prefix);
    for (let i = 0; i < row.length; i++) {
      if (i > 0) out.byte(COMMA);
      writeTaggedValue(out, row[i]);
    }
    out.ascii(');\n');
    rows++;
  }
  return rows;
}

/** WITHOUT ROWID tables (or rowid tables whose rowid names are all taken by columns). */
function dumpByScan(
  db: Database,
  out: ChunkWriter,
  table: TableInfo,
  prefix: Buffer,
  range: PositionRange,
  onRows: RowCallback,
): number {
  const query = `SELECT ${splitColumns(table)} FROM ${scanClause(table)} LIMIT ? OFFSET ?`;
  const statement = db.prepare(query).raw(true).safeIntegers(true);
  const iterator = (statement.iterate(range.count, range.offset) as IterableIterator<unknown[]>)[Symbol.iterator]();
  let rows = 0;
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    if (hasLossyText(next.value)) {
      // No rowid to re-read one value by: continue on the exact path from this row.
      iterator.return?.();
      const rest = { offset: range.offset + rows, count: range.count < 0 ? -1 : range.count - rows };
      return rows + dumpTagged(db, out, table, prefix, rest);
    }
    writeFastRow(out, prefix, next.value, 0, NO_RAW_TEXT);
    if (++rows % 4096 === 0) onRows(rows);
  }
  return rows;
}

/** Which rows of a table a dump unit covers; undefined: all of them. */
export type RowRange = ({ by: 'rowid' } & RowidRange) | ({ by: 'position' } & PositionRange);

/**
 * Writes the rows of `table` (those in `range`, or all) as `INSERT INTO "name" VALUES(...);`
 * lines; returns the row count.
 */
export function dumpTableRows(
  db: Database,
  out: ChunkWriter,
  table: TableInfo,
  range: RowRange | undefined,
  onRows: RowCallback,
): number {
  const prefix = Buffer.from(`INSERT INTO ${quoteIdentifier(table.name)} VALUES(`, 'utf8');
  if (table.rowidAlias) {
    return dumpByRowid(db, out, table, prefix, range?.by === 'rowid' ? range : FULL_RANGE, onRows);
  }
  return dumpByScan(db, out, table, prefix, range?.by === 'position' ? range : WHOLE_TABLE, onRows);
}
