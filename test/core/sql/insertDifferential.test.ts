/**
 * The restore's fast INSERT path (parsed in JS, bound to a prepared INSERT) must store exactly what
 * SQLite stores when it executes the same statement text: same storage class, same bytes. Seeded
 * random rows mix the literal forms dumps contain with nearby edge cases; each statement is run by
 * SQLite directly and loaded through the real loader, and every value is compared.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDumpInto } from '../../../src/core/load/loadDump.ts';
import { DatabaseTarget, type LoadTarget } from '../../../src/core/load/loadTarget.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, tempDir } from '../../helpers.ts';
import { seededRandom } from '../../random.ts';

const SEED = 20260217;
const STATEMENTS = 4000;
const COLUMNS = ['a', 'b', 'c', 'd', 'e'];
/** No affinity, then each affinity: a value must convert the same way on both paths. */
const TABLE_BODY = '(a, b INTEGER, c REAL, d TEXT, e NUMERIC)';
/** How rows name their table: the fast path reads each of these spellings. */
const TABLE_SPELLINGS: { create: string; insert: string }[] = [
  { create: '"t"', insert: '"t"' },
  { create: '"t"', insert: 't' },
  { create: '"t"', insert: '[t]' },
  { create: '"t"', insert: '`t`' },
  { create: '"we""ird"', insert: '"we""ird"' },
  // A keyword as a bare table name: SQLite refuses most, so the loader must too; some it reads as names.
  { create: '"values"', insert: 'values' },
  { create: '"select"', insert: 'select' },
  { create: '"abort"', insert: 'abort' },
];

class Dice {
  readonly random: () => number;
  constructor(random: () => number) {
    this.random = random;
  }
  below(n: number): number {
    return Math.floor(this.random() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += String(this.below(10));
    return text;
  }
}

const INTEGERS = [
  '0',
  '-0',
  '007',
  '-007',
  '9223372036854775807',
  '-9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '-9223372036854775809',
  '9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999',
  '000000000000000000001',
  '00000000000000000000000009223372036854775807',
  '1000000000000000000000000000000',
  '1'.repeat(400),
  '-',
];
const REALS = [
  '0.0',
  '-0.0',
  '1.',
  '-1.',
  '1.e5',
  '1e5',
  '1E5',
  '1e+5',
  '1e-5',
  '-1e-5',
  '1e',
  '1e+',
  '1..2',
  '--1',
  '1-2',
  '1e5e3',
  '1.5.3',
  '-.5',
  '1e999',
  '-1e999',
  '1e-400',
  '-1e-400',
  '2.2250738585072014e-308',
  '4.9e-324',
  '5e-324',
  '2.4703282292062327e-324',
  '2.4703282292062328e-324',
  '1.7976931348623157e308',
  '1.7976931348623158e308',
  '1.7976931348623159e308',
  '0.1000000000000000055511151231257827',
  '123456789012345678901234567890.5',
  '9007199254740993.0',
  '0.30000000000000004',
  '1e0000000000000000000000000005',
  '1e-0000000000000000000000000005',
];
/** Code points for char(): line breaks, encoding-length edges, surrogates, out of range. */
const CODE_POINTS = [
  10, 13, 0, 1, 9, 32, 39, 127, 128, 0x7ff, 0x800, 0xfffd, 0xfffe, 0xffff, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff,
  0xe000, 0x10000, 0x1f600, 0x10ffff, 0x110000, 0x1fffff, 9999999,
];
const MARKERS = ['\\n', '\\r', '\\012', '\\015', '(\\n0)', '#', 'ab', "''", '', 'é', '😀'];
const TEXT_PIECES = ['a', 'b', '#', ' ', "''", 'é', 'ü', '€', '😀', '\\n', '\\r', '\n', '\r', '\t', '\u0000', '"', ','];

function randomString(dice: Dice): string {
  let body = '';
  for (let i = dice.below(6); i > 0; i--) body += dice.pick(TEXT_PIECES);
  return `'${body}'`;
}

/** The shell's replace('…','marker',char(N)) escapes, nested a few times (sometimes far deeper). */
function randomReplace(dice: Dice): string {
  const depth = dice.chance(0.02) ? dice.pick([9, 40, 1001]) : 1 + dice.below(3);
  let text = randomString(dice);
  if (dice.chance(0.5)) text = `'${dice.pick(['a#b', 'a\\nb', 'x\\ry\\nz', '#', 'abab'])}'`;
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const code = dice.chance(0.7) ? dice.pick(CODE_POINTS) : dice.below(0x110000);
    const char = dice.chance(0.05) ? `char(${String(code).padStart(8, '0')})` : `char(${code})`;
    open += 'replace(';
    close += `,'${dice.pick(MARKERS)}',${char})`;
  }
  return `${open}${text}${close}`;
}

function randomBlob(dice: Dice, odd: boolean): string {
  const bytes = Buffer.alloc(dice.below(6));
  for (let i = 0; i < bytes.length; i++) bytes[i] = dice.below(256);
  let hex = bytes.toString('hex');
  if (dice.chance(0.5)) hex = hex.toUpperCase();
  if (odd && dice.chance(0.1)) hex += dice.pick(['a', 'zz', 'g0', ' ']);
  return `${dice.pick(['X', 'x'])}'${hex}'`;
}

function randomReal(dice: Dice): string {
  if (dice.chance(0.5)) return dice.pick(REALS);
  const value = (dice.random() - 0.5) * 10 ** (dice.below(40) - 20);
  const text = dice.chance(0.5) ? String(value) : value.toExponential(dice.below(20));
  return text.includes('.') || text.includes('e') ? text : `${text}.0`;
}

function randomInteger(dice: Dice): string {
  if (dice.chance(0.4)) return dice.pick(INTEGERS);
  const length = 1 + dice.below(21);
  return `${dice.chance(0.5) ? '-' : ''}${dice.chance(0.9) ? String(1 + dice.below(9)) : '0'}${dice.digits(length - 1)}`;
}

/**
 * One value as a dump could write it, or (when `odd`) also a nearby form a dump never writes, which
 * the fast path must leave to SQLite.
 */
function randomValue(dice: Dice, odd: boolean): string {
  const form = dice.below(odd ? 100 : 95);
  if (form < 8) return odd ? dice.pick(['NULL', 'null', 'TRUE', 'FALSE']) : 'NULL';
  if (form < 28) return randomInteger(dice);
  if (form < 46)
    return odd ? randomReal(dice) : randomReal(dice).replace(/^(1e|1e\+|1\.\.2|--1|1-2|1e5e3|1\.5\.3)$/, '1.5');
  if (form < 62) return randomString(dice);
  if (form < 82) return randomReplace(dice);
  if (form < 95) return randomBlob(dice, odd);
  return `CAST(${randomBlob(dice, odd)} AS ${dice.pick(['TEXT', 'BLOB'])})`;
}

/**
 * A value of a schollz/sqlite3dump row, whose infinities are written `Inf`: not SQL, so the loader
 * reads them only in rows of plain literals (its fast path), as the infinity SQLite reads `1e999` as.
 */
function schollzValue(dice: Dice): { dump: string; sqlite: string } {
  const inf = dice.pick(['Inf', '-Inf']);
  const plain = [
    () => ({ dump: inf, sqlite: inf.replace('Inf', '1e999') }),
    () => 'NULL',
    () => String(dice.below(1000) - 500),
    () => String((dice.random() - 0.5) * 1e6),
    () => `'${dice.pick(['a', "it''s", 'é', ''])}'`,
    () => `X'${dice.pick(['', '00ff', 'abcd'])}'`,
  ];
  const value = dice.pick(plain)();
  return typeof value === 'string' ? { dump: value, sqlite: value } : value;
}
/** replace() nested `depth` deep around 'a#b', each level a plain code point. */
const nestedReplace = (depth: number): string => `${'replace('.repeat(depth)}'a#b'${",'#',char(35))".repeat(depth)}`;

/** Hand-picked statements every corpus holds, whatever the seed draws. */
const FIXED: string[] = [
  `INSERT INTO "t" VALUES(replace('a#b','#',char(55296)),replace('a#b','#',char(56320)),replace('a#b','#',char(0)),replace('a#b','#',char(1114112)),NULL);`,
  `INSERT INTO "t" VALUES(${nestedReplace(2)},${nestedReplace(4)},${nestedReplace(5)},${nestedReplace(999)},NULL);`,
  `INSERT INTO "t" VALUES(${nestedReplace(1001)},NULL,NULL,NULL,NULL);`,
  `INSERT INTO "t" VALUES('a\u0000b',NULL,NULL,NULL,NULL);`,
  `INSERT INTO "t" VALUES(-9223372036854775808,9223372036854775807,-9223372036854775809,9223372036854775808,-0);`,
  `INSERT INTO "t" VALUES(1e999,-1e999,-0.0,X'',x'');`,
  `INSERT INTO values VALUES(1,2,3,4,5);`,
  `INSERT INTO abort VALUES(1,2,3,4,5);`,
];

interface Generated {
  dump: string;
  sqlite: string;
  /** The name the table was created with. */
  table: string;
}

function generate(seed: number, count: number): Generated[] {
  const dice = new Dice(seededRandom(seed));
  const statements: Generated[] = FIXED.map((text) => ({
    dump: text,
    sqlite: text,
    table: /^INSERT INTO abort /.test(text) ? '"abort"' : '"t"',
  }));
  for (let i = 0; i < count; i++) {
    // schollz/sqlite3dump quotes every table name.
    const schollz = dice.chance(0.05);
    const table = schollz || dice.chance(0.9) ? TABLE_SPELLINGS[0]! : dice.pick(TABLE_SPELLINGS);
    const odd = dice.chance(0.5);
    const values = schollz
      ? COLUMNS.map(() => schollzValue(dice))
      : COLUMNS.map(() => {
          const value = randomValue(dice, odd);
          return { dump: value, sqlite: value };
        });
    const prefix = `INSERT INTO ${table.insert} VALUES(`;
    statements.push({
      dump: `${prefix}${values.map((value) => value.dump).join(',')});`,
      sqlite: `${prefix}${values.map((value) => value.sqlite).join(',')});`,
      table: table.create,
    });
  }
  return statements;
}

/** Each table's values in insertion order: storage class, bytes, and the value as read back. */
function contents(db: Database): string[] {
  const rows: string[] = [];
  const creates = new Set(TABLE_SPELLINGS.map((spelling) => spelling.create));
  for (const table of creates) {
    const select = COLUMNS.map((c) => `typeof(${c}), hex(${c}), ${c}`).join(', ');
    for (const row of db.prepare(`SELECT ${select} FROM ${table} ORDER BY rowid`).raw().safeIntegers().all()) {
      const shown = (row as unknown[]).map((value) =>
        typeof value === 'number' && Object.is(value, -0) ? '-0' : String(value),
      );
      rows.push(`${table}: ${shown.join(' | ')}`);
    }
  }
  return rows;
}

const schema = (): string =>
  [...new Set(TABLE_SPELLINGS.map((spelling) => spelling.create))]
    .map((name) => `CREATE TABLE ${name}${TABLE_BODY};`)
    .join('\n');

/** A LoadTarget that counts which path each row statement took. */
class CountingTarget implements LoadTarget {
  fastRows = 0;
  private readonly inner: DatabaseTarget;
  constructor(inner: DatabaseTarget) {
    this.inner = inner;
  }
  begin(): void {
    this.inner.begin();
  }
  row(table: string, values: unknown[], line: number): void {
    this.fastRows++;
    this.inner.row(table, values, line);
  }
  execute(sql: string, where: string): void {
    this.inner.execute(sql, where);
  }
  commit(): void {
    this.inner.commit();
  }
  pace(): undefined {
    return undefined;
  }
  abandon(): void {
    this.inner.abandon();
  }
}

/** Loads `statements` as the body of a dump through the real loader into a new in-memory database. */
async function loadThroughLoader(
  statements: string[],
): Promise<{ db: Database; dump: string; fastRows: number; error?: SnapshotError }> {
  const path = join(tempDir('differential-'), 'snapshot.sql');
  const dump = `PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n${schema()}\n${statements.join('\n')}\nCOMMIT;\n`;
  writeFileSync(path, dump);
  const db = await openDatabase(':memory:');
  const target = new CountingTarget(new DatabaseTarget(db, path));
  const fd = openSync(path, 'r');
  try {
    await loadDumpInto(target, fd, path);
    return { db, dump, fastRows: target.fastRows };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    return { db, dump, fastRows: target.fastRows, error };
  } finally {
    closeSync(fd);
  }
}

test(`${STATEMENTS} seeded random rows: the loader stores what SQLite stores, value for value (seed ${SEED})`, async () => {
  const generated = generate(SEED, STATEMENTS);
  const reference = await openDatabase(':memory:');
  reference.exec(schema());
  const accepted: Generated[] = [];
  const refused: Generated[] = [];
  for (const statement of generated) {
    try {
      reference.exec(statement.sqlite);
      accepted.push(statement);
    } catch {
      refused.push(statement);
    }
  }
  assert.ok(accepted.length > STATEMENTS * 0.6 && refused.length > 50, `${accepted.length} accepted`);

  // Everything SQLite accepts loads; a statement the loader refuses is named by its line.
  const loaded = await loadThroughLoader(accepted.map((statement) => statement.dump));
  const culprit = Number(/ line (\d+)/.exec(loaded.error?.message ?? '')?.[1]);
  assert.equal(loaded.error, undefined, `refused ${loaded.dump.split('\n')[culprit - 1]}: ${loaded.error?.message}`);
  assert.ok(
    loaded.fastRows > accepted.length * 0.4,
    `only ${loaded.fastRows} of ${accepted.length} rows took the fast path`,
  );

  // contents() lists table by table: the statements in the same order, to name a differing one.
  const byTable = [...new Set(TABLE_SPELLINGS.map((spelling) => spelling.create))].flatMap((create) =>
    accepted.filter((statement) => statement.table === create),
  );
  const expected = contents(reference);
  const actual = contents(loaded.db);
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.equal(actual[i], expected[i], `seed ${SEED}: ${byTable[i]?.dump}`);
  }

  // Everything SQLite refuses, the loader refuses too (rather than storing something).
  const storedAnyway: string[] = [];
  for (const statement of refused) {
    const outcome = await loadThroughLoader([statement.dump]);
    if (!outcome.error) storedAnyway.push(`${statement.dump} → ${contents(outcome.db).join(' ; ')}`);
  }
  assert.deepEqual(storedAnyway, []);
});

/**
 * The loader reads the dump in 64 KiB pieces (DumpReader), so a row can stop anywhere in what was
 * read so far. Wherever the cut falls, a dump's row must take the fast path, and a schollz Inf
 * (which only the fast path reads) must load.
 */
test('a row cut at every offset by the read boundary still takes the fast path, with the same values', async () => {
  const row = `INSERT INTO "t" VALUES(-Inf,Inf,NULL,X'00ff',replace(replace('a\\nb\\rc','\\n',char(10)),'\\r',char(13)));`;
  const reference = await openDatabase(':memory:');
  reference.exec(schema());
  reference.exec(row.replaceAll('Inf', '1e999'));
  const expected = contents(reference);
  const before = `PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n${schema()}\n`;
  const READ_BYTES = 64 << 10;
  const wrong: string[] = [];
  for (let cut = 0; cut <= row.length; cut++) {
    // A padding row that ends so that `row` starts `cut` characters before the boundary.
    const create = 'CREATE TABLE pad(p);\n';
    const padding = READ_BYTES - cut - before.length - create.length - `INSERT INTO "pad" VALUES('');\n`.length;
    const pad = `INSERT INTO "pad" VALUES('${'p'.repeat(padding)}');`;
    const loaded = await loadThroughLoader([create.trimEnd(), pad, row]);
    assert.equal(loaded.dump.indexOf(row), READ_BYTES - cut);
    const stored = loaded.error ? [] : contents(loaded.db);
    if (loaded.error || loaded.fastRows !== 2 || stored.join() !== expected.join())
      wrong.push(`cut ${cut}: ${loaded.error?.message ?? `${loaded.fastRows} fast rows, ${stored.join()}`}`);
  }
  assert.deepEqual(wrong, []);
});
