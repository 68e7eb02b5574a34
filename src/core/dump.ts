/**
 * The canonical, lossless, streaming dump (DESIGN §3). One read transaction, rows streamed from
 * SQLite into a hashed file writer; memory stays flat whatever the database size.
 */

import type { HashedWriter } from './hashedWriter.ts';
import { dumpTableRows } from './rowWriter.ts';
import { readSchemaPlan, type SchemaPlan, type TableInfo } from './schema.ts';
import { isCompleteStatement } from './sqlComplete.ts';
import type { Database } from './sqlite.ts';
import { taggedValueExpression, writeTaggedValue } from './sqlLiteral.ts';

export const DUMP_HEADER = 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n';
export const DUMP_FOOTER = 'COMMIT;\n';

export interface DumpProgress {
  table: string;
  rows: number;
  bytes: number;
}

export interface DumpStats {
  tables: number;
  rows: number;
}

/**
 * Appends `;` so that the statement ends even when its stored text ends inside a comment, trying
 * the same terminators as the sqlite3 shell: nothing, a comment close, a newline.
 */
export function terminateStatement(sql: string): string {
  if (sql.includes('/*') || sql.includes('--')) {
    for (const terminator of ['', '*/', '\n']) {
      const candidate = `${sql}${terminator};`;
      if (isCompleteStatement(candidate)) return candidate;
    }
  }
  return `${sql};`;
}

function dumpSequence(db: Database, out: HashedWriter): void {
  out.ascii('DELETE FROM sqlite_sequence;\n');
  const prefix = Buffer.from('INSERT INTO "sqlite_sequence" VALUES(');
  const query = `SELECT ${taggedValueExpression('name')}, ${taggedValueExpression('seq')} FROM sqlite_sequence ORDER BY name COLLATE BINARY, seq`;
  for (const row of db.prepare(query).raw(true).iterate() as Iterable<unknown[]>) {
    out.bytes(prefix);
    writeTaggedValue(out, row[0]);
    out.byte(0x2c);
    writeTaggedValue(out, row[1]);
    out.ascii(');\n');
  }
}

/**
 * Writes the dump of an open database into `out`. The caller owns the connection; this runs the
 * whole read inside one transaction so concurrent writers cannot tear the snapshot.
 */
export function writeDump(
  db: Database,
  path: string,
  out: HashedWriter,
  onProgress?: (progress: DumpProgress) => void,
): DumpStats {
  db.exec('BEGIN');
  try {
    const plan: SchemaPlan = readSchemaPlan(db, path);
    let rows = 0;
    out.ascii(DUMP_HEADER);
    for (const table of plan.tables) {
      out.utf8(`${terminateStatement(table.sql)}\n`);
      rows += dumpTableRows(db, out, table, (count) =>
        onProgress?.({ table: table.name, rows: count, bytes: out.size }),
      );
    }
    if (plan.hasSequenceRows) dumpSequence(db, out);
    for (const object of plan.objects) out.utf8(`${terminateStatement(object.sql)}\n`);
    if (plan.userVersion !== 0) out.ascii(`PRAGMA user_version=${plan.userVersion};\n`);
    out.ascii(DUMP_FOOTER);
    return { tables: plan.tables.length, rows };
  } finally {
    db.exec('COMMIT');
  }
}
