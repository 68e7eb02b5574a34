/** Fixture databases and an exact content reader shared by the dump tests. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, sqlite3, tempDir } from '../../helpers.ts';

/**
 * Doubles for the sqlite3 3.40.1 CLI round trip. Each was checked by hand to read back bit-exactly
 * through that CLI's (not always correctly rounded) text-to-double parser; none had to be left out.
 */
// biome-ignore format: a compact table of values reads better than one value per line
export const HAND_PICKED_REALS: number[] = [
  -0, 0, 5e-324, 1e-323, 4.35e-320, 2.225073858507201e-308, 2.2250738585072014e-308, 2.225073858507202e-308,
  2.2250738585072004e-308, 1e-300, 0.1, 1 / 3, 2 / 3, 0.1 + 0.2, 0.5, -1.5, 100, 1e21, 1e22, 1e23, 1e-7, 5e-7,
  1e-5, 1.23e-18, 123456.789, -123.456, Number.EPSILON, 1.0000000000000002, Math.PI, Math.E, 2 ** 53, 2 ** 53 + 2,
  1e16, 2 ** 63, -(2 ** 63), 2 ** 64, 1e300, 8.98846567431158e307, 1.7976931348623157e308, 1.7976931348623155e308,
];

export const TRICKY_TEXTS: Buffer[] = [
  '',
  'plain ascii',
  `it's "quoted" ''twice''`,
  'line1\nline2',
  'crlf\r\nend',
  'lone cr\r',
  '\n',
  'literal backslash-n: \\n and a real newline\n',
  'both markers \\n \\012 and a newline\n',
  'cr markers \\r \\015 and a cr\r',
  'every marker taken: \\n \\012 (\\n0) and a newline\n',
  '\\n only, no newline at all',
  "replace('x','\\n',char(10)) looks like SQL\n",
  '日本語テキスト 😀🎉',
  'controls \t \x01 \x0b \x0c \x1f \x7f',
  '\u2028 line separator, not a newline',
  '\uFFFD a real replacement character',
  'a replacement \uFFFD and\na newline',
  `long ${'x\n'.repeat(50000)}end`,
].map((text) => Buffer.from(text, 'utf8'));

/** TEXT values that are not valid UTF-8 or hold NUL: they only fit a plain literal if the dump cheats. */
export const RAW_TEXTS: Buffer[] = [
  Buffer.from([0x61, 0x00, 0x62]),
  Buffer.from([0x00]),
  Buffer.from([0x0a, 0x00, 0x27]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xff, 0xfe, 0x41]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xc3, 0xa9, 0x80]),
  Buffer.from([0x0a, 0xc3, 0x28]),
  Buffer.concat([Buffer.from('\uFFFD', 'utf8'), Buffer.from([0xff])]),
];

/** Builds a database with every kind of content the dump must carry (see dumpRoundTrip.test.ts). */
export async function buildRichFixture(path: string): Promise<void> {
  const db = await openDatabase(path);
  db.exec(`
    CREATE TABLE ints (id INTEGER PRIMARY KEY, v);
    CREATE TABLE reals (id INTEGER PRIMARY KEY, v);
    CREATE TABLE mixed (id INTEGER PRIMARY KEY, i INTEGER, r REAL, n NUMERIC, t TEXT, b BLOB);
    CREATE TABLE texts (id INTEGER PRIMARY KEY, t TEXT);
    CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB);
    CREATE TABLE "we""ird'tab" ("co""l'1" TEXT, "second 'col'" INTEGER, """" TEXT);
    CREATE TABLE wr (a TEXT NOT NULL, b INTEGER NOT NULL, c, PRIMARY KEY (a, b DESC)) WITHOUT ROWID;
    CREATE TABLE auto_one (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
    CREATE TABLE auto_two (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);
    CREATE TABLE gen (a INTEGER, b TEXT, v INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL,
      s TEXT GENERATED ALWAYS AS (upper(b)) STORED, c TEXT);
    CREATE TABLE log_src (id INTEGER PRIMARY KEY, x TEXT);
    CREATE TABLE log (msg TEXT);
    CREATE TABLE user_data (k TEXT PRIMARY KEY, v TEXT);
    CREATE TABLE x_config (k TEXT, v TEXT);
    CREATE TABLE docs_content (body TEXT);
    CREATE TABLE cmt (a INTEGER, -- the a column; with a semicolon
      b TEXT /* b; */);
    CREATE TABLE "données_😀" ("名前" TEXT, "表" INTEGER);
    CREATE TABLE empty_t (a, b);
    CREATE TABLE shadow ("rowid" TEXT, "_rowid_" TEXT);
    CREATE TABLE shadow_all ("rowid" TEXT, "_rowid_" TEXT, "oid");
    CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
  `);
  const ints = [-9223372036854775808n, 9223372036854775807n, 0n, -1n, 9007199254740993n, -9007199254740993n];
  const run = <T>(sql: string, items: T[], row: (item: T, i: number) => unknown[]): void => {
    const statement = db.prepare(sql);
    for (const [i, item] of items.entries()) statement.run(...row(item, i));
  };
  run('INSERT INTO ints VALUES (?, ?)', ints, (v, i) => [BigInt(ints.length - i) * 7n, v]);
  run('INSERT INTO reals VALUES (?, ?)', HAND_PICKED_REALS, (v, i) => [i + 1, v]);
  db.exec(`INSERT INTO reals VALUES (1000, 1e999), (1001, -1e999), (1002, NULL);
    INSERT INTO mixed VALUES (1, 1.5, -0.0, '12abc', 7, X'01'), (2, 1e20, 100.0, 3.0, 'x', 'text in blob column'),
      (3, 'abc', 'text', 1e300, X'00ff', 5), (4, X'02', 5, -0.0, 2.5, 1e-7);
    INSERT INTO texts VALUES (500, NULL);`);
  const texts = [...TRICKY_TEXTS, ...RAW_TEXTS];
  run('INSERT INTO texts VALUES (?, CAST(? AS TEXT))', texts, (bytes, i) => [i + 1, bytes]);
  const shadowed = texts.filter((_, i) => i < 12 || i >= TRICKY_TEXTS.length);
  run('INSERT INTO shadow_all VALUES (CAST(? AS TEXT), ?, ?)', shadowed, (b, i) => [b, `n${i}`, i / 4]);
  const blobs = [Buffer.alloc(0), Buffer.from([0]), Buffer.from('\n\r\'"'), randomBytes(3 * 1024 * 1024)];
  run('INSERT INTO blobs VALUES (?, ?)', blobs, (b, i) => [i + 1, b]);
  db.exec(`INSERT INTO blobs VALUES (9, NULL);
    INSERT INTO "we""ird'tab" VALUES ('val''ue "one"', 1, '"'), ('two', 2, '''');
    INSERT INTO wr VALUES ('m', 1, 'x'), ('a', 1, 1.5), ('m', 9, NULL), ('a', 7, X'00'), ('', 0, '');
    INSERT INTO auto_one (name) VALUES ('one'), ('two'), ('three'), ('four'), ('five');
    DELETE FROM auto_one WHERE id >= 3;
    INSERT INTO auto_two (id, name) VALUES (100, 'gone');
    DELETE FROM auto_two;
    INSERT INTO gen (a, b, c) VALUES (21, 'abc', 'after'), (NULL, 'x', NULL);
    CREATE VIEW v_one AS SELECT id, name FROM auto_one;
    CREATE VIEW v_two AS SELECT upper(name) AS shout FROM v_one WHERE id > 0;
    CREATE VIEW a_top AS SELECT count(*) AS n FROM v_two;
    CREATE VIEW v_comment AS SELECT 1 AS one -- a view whose stored text ends in a comment
    ;
    CREATE TRIGGER trg_multi AFTER INSERT ON log_src BEGIN
      INSERT INTO log VALUES ('inserted; with ; semicolons');
      INSERT INTO log VALUES (new.x || ';');
      UPDATE log SET msg = msg || '' WHERE msg = ';';
    END;
    INSERT INTO log_src (x) VALUES ('first'), ('sec;ond');
    CREATE INDEX idx_partial ON texts (t) WHERE t IS NOT NULL AND t <> '';
    CREATE INDEX idx_expr ON "we""ird'tab" (lower("co""l'1"));
    CREATE UNIQUE INDEX "idx_ü" ON "données_😀" ("名前");
    INSERT INTO user_data VALUES ('theme', 'dark'), ('lang', 'fr');
    INSERT INTO x_config VALUES ('retries', '3');
    INSERT INTO docs_content VALUES ('kept');
    INSERT INTO cmt VALUES (1, 'one');
    INSERT INTO "données_😀" VALUES ('こんにちは 🌸', 1), ('Ünïcödé', 2);
    INSERT INTO shadow (oid, "rowid", "_rowid_") VALUES (3, 'third', 'c'), (1, 'first', 'a'), (2, 'second', 'b');
    INSERT INTO parent VALUES (1);
    INSERT INTO child VALUES (1, 1);
    PRAGMA user_version = 20260127;
  `);
  db.close();
}

export interface Cell {
  type: string;
  value: bigint | number | Buffer | null;
}

export interface Content {
  schema: string[];
  userVersion: number;
  tables: Map<string, Cell[][]>;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function readTable(db: Database, table: string): Cell[][] {
  const columns = db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden <> 1').all(table) as {
    name: string;
  }[];
  const names = new Set(columns.map((column) => column.name.toLowerCase()));
  const listed = db.prepare('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table) as {
    wr: number;
  };
  const alias = ['_rowid_', 'rowid', 'oid'].find((candidate) => !names.has(candidate));
  // All of rowid/_rowid_/oid shadowed: a NOT INDEXED scan of a rowid table still walks the rowid b-tree.
  let order = alias ? ` ORDER BY ${alias}` : '';
  if (listed.wr === 1) {
    // Primary-key order spelled out: NOT INDEXED does not keep SQLite off a covering secondary index here.
    const pk = db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'").pluck().get(table) as string;
    const keys = db.prepare('SELECT name, desc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno').all(pk);
    const terms = (keys as { name: string; desc: number; coll: string }[]).map(
      (key) => `${quote(key.name)} COLLATE ${quote(key.coll)} ${key.desc ? 'DESC' : 'ASC'}`,
    );
    order = ` ORDER BY ${terms.join(', ')}`;
  }
  const select = columns.map(({ name }) => `typeof(${quote(name)}), ${quote(name)}, CAST(${quote(name)} AS BLOB)`);
  const rows = db
    .prepare(`SELECT ${select.join(', ')} FROM ${quote(table)} NOT INDEXED${order}`)
    .safeIntegers(true)
    .raw(true)
    .all() as unknown[][];
  return rows.map((row) =>
    columns.map((_, i) => {
      const type = row[i * 3] as string;
      const value = type === 'text' || type === 'blob' ? row[i * 3 + 2] : row[i * 3 + 1];
      return { type, value: value as Cell['value'] };
    }),
  );
}

/** Reads everything a restore must reproduce: schema, user_version, every stored and generated value. */
export async function readContent(path: string): Promise<Content> {
  const db = await openDatabase(path, { readonly: true });
  try {
    const schema = (
      db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema').all() as Record<string, unknown>[]
    ).map((row) => JSON.stringify(row));
    schema.sort();
    const tables = new Map<string, Cell[][]>();
    const names = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name")
      .pluck()
      .all() as string[];
    for (const name of names) tables.set(name, readTable(db, name));
    return { schema, userVersion: db.pragma('user_version', { simple: true }) as number, tables };
  } finally {
    db.close();
  }
}

function sameCell(a: Cell, b: Cell): boolean {
  if (a.type !== b.type) return false;
  if (Buffer.isBuffer(a.value) && Buffer.isBuffer(b.value)) return a.value.equals(b.value);
  return Object.is(a.value, b.value);
}

const show = (cell: Cell | undefined): string =>
  cell === undefined
    ? 'missing'
    : `${cell.type}:${Buffer.isBuffer(cell.value) ? cell.value.subarray(0, 40).toString('hex') : String(cell.value)}`;

/** Lists every difference (bounded) between two contents; empty when they are exactly equal. */
export function contentDifferences(expected: Content, actual: Content): string[] {
  const diffs: string[] = [];
  if (expected.userVersion !== actual.userVersion)
    diffs.push(`user_version ${expected.userVersion} != ${actual.userVersion}`);
  const schemaA = expected.schema.join('\n');
  const schemaB = actual.schema.join('\n');
  if (schemaA !== schemaB) diffs.push(`schema differs:\n${schemaA}\n---\n${schemaB}`);
  const tableNames = [...new Set([...expected.tables.keys(), ...actual.tables.keys()])];
  for (const name of tableNames) {
    const a = expected.tables.get(name) ?? [];
    const b = actual.tables.get(name);
    if (!b) {
      diffs.push(`table ${name} missing`);
      continue;
    }
    if (a.length !== b.length) diffs.push(`table ${name}: ${a.length} rows != ${b.length} rows`);
    for (let r = 0; r < Math.min(a.length, b.length) && diffs.length < 40; r++) {
      a[r]!.forEach((cell, c) => {
        const other = b[r]![c];
        if (!other || !sameCell(cell, other)) diffs.push(`${name} row ${r} col ${c}: ${show(cell)} != ${show(other)}`);
      });
    }
  }
  return diffs;
}

/** Builds a snapshot of `database` into a fresh directory and returns the dump's path and bytes. */
export async function dumpDatabase(database: string): Promise<{ path: string; bytes: Buffer }> {
  const outDir = tempDir('dump-out-');
  const result = await buildSnapshot({ database, outDir });
  return { path: result.dumpPath, bytes: readFileSync(result.dumpPath) };
}

/** Restores a dump with the independent reader: `sqlite3 -safe -bail new.db < dump`. */
export function restoreWithCli(dump: Buffer): string {
  const target = join(tempDir('dump-restore-'), 'restored.db');
  sqlite3(target, dump.toString('utf8'));
  return target;
}
