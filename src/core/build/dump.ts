/**
 * The canonical, lossless, streaming dump (docs/format.md §2). The dump is planned as an ordered list of
 * units: small "static" units (header, schema statements, sqlite_sequence, footer) written by the
 * planning connection, and "rows" units (a table, or a rowid range of a large one) that can be
 * written by this thread or, in parallel, by worker threads reading the same snapshot.
 */
import { DUMP_FOOTER, DUMP_HEADER } from '../format/dumpText.ts';
import { ChunkWriter, reusingSink } from '../shared/chunkWriter.ts';
import { heapKeeper } from '../shared/heap.ts';
import { isCompleteStatement } from '../sql/sqlComplete.ts';
import { quoteIdentifier, taggedValueExpression, writeTaggedValue } from '../sql/sqlLiteral.ts';
import { readSchemaPlan, type SchemaPlan, type TableInfo } from '../sqlite/schema.ts';
import type { Database } from '../sqlite/sqlite.ts';
import { dumpTableRows, type RowRange } from './rowWriter.ts';

/** Large tables are split into rowid ranges of about this many rows. */
const ROWS_PER_UNIT = 16384;

export interface DumpProgress {
  table: string;
  rows: number;
  bytes: number;
}

export interface DumpStats {
  tables: number;
  rows: number;
}

export type DumpUnit =
  | { kind: 'static'; write: (out: ChunkWriter) => void }
  | { kind: 'rows'; table: TableInfo; range: RowRange | undefined };

interface DumpPlan {
  schema: SchemaPlan;
  units: DumpUnit[];
}

/**
 * Appends `;` so that the statement ends even when its stored text ends inside a comment, trying
 * the same terminators as the sqlite3 shell: nothing, a comment close, a newline.
 */
function terminateStatement(sql: string): string {
  if (sql.includes('/*') || sql.includes('--')) {
    for (const terminator of ['', '*/', '\n']) {
      const candidate = `${sql}${terminator};`;
      if (isCompleteStatement(candidate)) return candidate;
    }
  }
  return `${sql};`;
}

function writeSequence(db: Database, out: ChunkWriter): void {
  out.ascii('DELETE FROM sqlite_sequence;\n');
  const prefix = Buffer.from('INSERT INTO "sqlite_sequence" VALUES(');
  const name = taggedValueExpression('name');
  const seq = taggedValueExpression('seq');
  const query = `SELECT ${name}, ${seq} FROM sqlite_sequence ORDER BY name COLLATE BINARY, seq`;
  for (const row of db.prepare(query).raw(true).iterate() as Iterable<unknown[]>) {
    out.bytes(prefix);
    writeTaggedValue(out, row[0]);
    out.byte(0x2c);
    writeTaggedValue(out, row[1]);
    out.ascii(');\n');
  }
}

/** Without a rowid, ranges are positions; skipping to one costs a scan, so only a few. */
const MAX_POSITION_UNITS = 8;

/** Splits a large table into units of about ROWS_PER_UNIT rows, in dump order. */
function rowUnits(db: Database, table: TableInfo): DumpUnit[] {
  const whole: DumpUnit[] = [{ kind: 'rows', table, range: undefined }];
  const name = quoteIdentifier(table.name);
  if (!table.rowidAlias) {
    const count = Number(db.prepare(`SELECT count(*) FROM ${name}`).pluck().get());
    const pieces = Math.min(MAX_POSITION_UNITS, Math.ceil(count / ROWS_PER_UNIT));
    if (pieces <= 1) return whole;
    const size = Math.ceil(count / pieces);
    return Array.from({ length: pieces }, (_, k) => ({
      kind: 'rows' as const,
      table,
      // The last unit takes whatever remains.
      range: { by: 'position' as const, offset: k * size, count: k === pieces - 1 ? -1 : size },
    }));
  }
  const alias = table.rowidAlias;
  const [count, first, last] = db
    .prepare(`SELECT count(*), min(${alias}), max(${alias}) FROM ${name} NOT INDEXED`)
    .raw(true)
    .safeIntegers(true)
    .get() as [bigint, bigint | null, bigint | null];
  const pieces = (count + BigInt(ROWS_PER_UNIT) - 1n) / BigInt(ROWS_PER_UNIT);
  if (first === null || last === null || pieces <= 1n) return whole;
  // Rowids are usually dense; a sparse table only makes some ranges larger than others.
  const span = (last - first) / pieces + 1n;
  const units: DumpUnit[] = [];
  for (let start = first; start <= last; start += span) {
    const end = start + span - 1n < last ? start + span - 1n : last;
    units.push({ kind: 'rows', table, range: { by: 'rowid', first: start, last: end } });
  }
  return units;
}

/** Plans the dump; must run inside the read transaction the static units are written from. */
export function planDump(db: Database, path: string): DumpPlan {
  const schema = readSchemaPlan(db, path);
  const units: DumpUnit[] = [{ kind: 'static', write: (out) => out.ascii(DUMP_HEADER) }];
  for (const table of schema.tables) {
    units.push({ kind: 'static', write: (out) => out.utf8(`${terminateStatement(table.sql)}\n`) });
    units.push(...rowUnits(db, table));
  }
  units.push({
    kind: 'static',
    write: (out) => {
      if (schema.hasSequenceRows) writeSequence(db, out);
      for (const object of schema.objects) out.utf8(`${terminateStatement(object.sql)}\n`);
      if (schema.userVersion !== 0) out.ascii(`PRAGMA user_version=${schema.userVersion};\n`);
      out.ascii(DUMP_FOOTER);
    },
  });
  return { schema, units };
}

/** Runs `body` inside one read transaction, so concurrent writers cannot tear the snapshot. */
function inReadTransaction<T>(db: Database, body: () => T): T {
  db.exec('BEGIN');
  try {
    return body();
  } finally {
    db.exec('COMMIT');
  }
}

/** Writes the whole dump on this thread, handing each chunk to `sink` in order. */
export function writeDump(
  db: Database,
  path: string,
  sink: (bytes: Buffer) => void,
  onProgress?: (progress: DumpProgress) => void,
): DumpStats {
  return inReadTransaction(db, () => {
    const { schema, units } = planDump(db, path);
    const out = new ChunkWriter(reusingSink(sink));
    const keepHeapFlat = heapKeeper();
    let rows = 0;
    const tableRows = new Map<string, number>();
    for (const unit of units) {
      if (unit.kind === 'static') {
        unit.write(out);
        continue;
      }
      const before = tableRows.get(unit.table.name) ?? 0;
      const count = dumpTableRows(db, out, unit.table, unit.range, (done) => {
        keepHeapFlat(out.size);
        onProgress?.({ table: unit.table.name, rows: before + done, bytes: out.size });
      });
      tableRows.set(unit.table.name, before + count);
      rows += count;
    }
    out.end();
    return { tables: schema.tables.length, rows };
  });
}
