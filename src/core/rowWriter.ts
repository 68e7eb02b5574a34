/**
 * Streams one table's rows as INSERT statements. Values cross from SQLite to JS in the cheapest
 * exact form: TEXT as a JS string (fast), BLOB as hex made by SQLite (Buffers are slow to create),
 * INTEGER as bigint, REAL as number. A string is only a lossy view of TEXT when the stored bytes are
 * not valid UTF-8 (the decoder substitutes U+FFFD) or hold NUL, so those rare values are re-read as
 * raw bytes by rowid. Tables without a usable rowid read TEXT as raw bytes throughout.
 */
import type { Statement } from 'better-sqlite3';
import type { HashedWriter } from './hashedWriter.ts';
import type { TableInfo } from './schema.ts';
import type { Database } from './sqlite.ts';
import {
  escapedLineBreaks,
  formatReal,
  quoteIdentifier,
  taggedValueExpression,
  writeTaggedValue,
  writeTextBytes,
} from './sqlLiteral.ts';

const QUOTE = 0x27;
const COMMA = 0x2c;
/** Characters that need more than quoting, or a look at the stored bytes. */
const SPECIAL_TEXT = /[\0\n\r\uFFFD]/;

export type RowCallback = (rows: number) => void;

function writeFastValue(out: HashedWriter, blobHex: unknown, value: unknown, rawText: () => Buffer): void {
  if (blobHex !== null) {
    out.ascii("X'");
    out.ascii(blobHex as string);
    out.byte(QUOTE);
  } else if (typeof value === 'string') {
    if (SPECIAL_TEXT.test(value)) {
      if (value.includes('\0') || value.includes('\uFFFD')) writeTextBytes(out, rawText());
      else out.utf8(escapedLineBreaks(value, value.includes('\n'), value.includes('\r')));
    } else {
      out.byte(QUOTE);
      out.utf8(value.includes("'") ? value.replaceAll("'", "''") : value);
      out.byte(QUOTE);
    }
  } else if (typeof value === 'bigint') out.ascii(value.toString());
  else if (typeof value === 'number') out.ascii(formatReal(value));
  else out.ascii('NULL');
}

/** Rowid tables: `SELECT rowid, blobhex(c1), value(c1), …` in rowid order. */
function dumpByRowid(db: Database, out: HashedWriter, table: TableInfo, prefix: Buffer, onRows: RowCallback): number {
  const alias = table.rowidAlias!;
  const name = quoteIdentifier(table.name);
  const selected = table.columns.map((column) => {
    const c = quoteIdentifier(column);
    return `CASE WHEN typeof(${c}) = 'blob' THEN lower(hex(${c})) END, CASE WHEN typeof(${c}) <> 'blob' THEN ${c} END`;
  });
  // NOT INDEXED: scan the table's own b-tree, never a covering index, so the ORDER BY costs no sort.
  const query = `SELECT ${alias}, ${selected.join(', ')} FROM ${name} NOT INDEXED ORDER BY ${alias}`;
  const statement = db.prepare(query).raw(true).safeIntegers(true);
  const rawReaders: (Statement | undefined)[] = [];
  const rawText = (rowid: unknown, column: number) => (): Buffer => {
    rawReaders[column] ??= db
      .prepare(`SELECT CAST(${quoteIdentifier(table.columns[column]!)} AS BLOB) FROM ${name} WHERE ${alias} = ?`)
      .pluck(true);
    return (rawReaders[column]!.get(rowid) as Buffer | null) ?? Buffer.alloc(0);
  };
  let rows = 0;
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    out.bytes(prefix);
    for (let column = 0, at = 1; at < row.length; column++, at += 2) {
      if (column > 0) out.byte(COMMA);
      writeFastValue(out, row[at], row[at + 1], rawText(row[0], column));
    }
    out.ascii(');\n');
    if (++rows % 65536 === 0) onRows(rows);
  }
  return rows;
}

/** WITHOUT ROWID tables (and rowid tables whose rowid names are all taken by columns). */
function dumpTagged(db: Database, out: HashedWriter, table: TableInfo, prefix: Buffer, onRows: RowCallback): number {
  const values = table.columns.map((column) => taggedValueExpression(quoteIdentifier(column))).join(', ');
  // Without ORDER BY, a NOT INDEXED scan walks the table's b-tree: primary-key (or rowid) order.
  const statement = db.prepare(`SELECT ${values} FROM ${quoteIdentifier(table.name)} NOT INDEXED`).raw(true);
  let rows = 0;
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    out.bytes(prefix);
    writeTaggedValue(out, row[0]);
    for (let i = 1; i < row.length; i++) {
      out.byte(COMMA);
      writeTaggedValue(out, row[i]);
    }
    out.ascii(');\n');
    if (++rows % 65536 === 0) onRows(rows);
  }
  return rows;
}

/** Writes every row of `table` as `INSERT INTO "name" VALUES(...);` lines; returns the row count. */
export function dumpTableRows(db: Database, out: HashedWriter, table: TableInfo, onRows: RowCallback): number {
  const prefix = Buffer.from(`INSERT INTO ${quoteIdentifier(table.name)} VALUES(`, 'utf8');
  return table.rowidAlias ? dumpByRowid(db, out, table, prefix, onRows) : dumpTagged(db, out, table, prefix, onRows);
}
