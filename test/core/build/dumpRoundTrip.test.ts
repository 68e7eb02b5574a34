/** docs/format.md §2.3 rules 3-8: the dump restores, through the independent sqlite3 CLI, to exactly the same content. */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { openDatabase, sqlite3, tempDir } from '../../helpers.ts';
import {
  buildRichFixture,
  type Content,
  contentDifferences,
  dumpDatabase,
  HAND_PICKED_REALS,
  RAW_TEXTS,
  readContent,
  restoreWithCli,
} from './dumpFixtures.ts';

let original: Content;
let restored: Content;
let restoredPath: string;
let dumpText: string;
let dumpLines: string[];

before(async () => {
  const source = join(tempDir('dump-rt-'), 'rich.db');
  await buildRichFixture(source);
  const dump = await dumpDatabase(source);
  assert.ok(isUtf8(dump.bytes), 'the dump is valid UTF-8 (rule 1)');
  dumpText = dump.bytes.toString('utf8');
  dumpLines = dumpText.split('\n');
  restoredPath = restoreWithCli(dump.bytes);
  original = await readContent(source);
  restored = await readContent(restoredPath);
});

test('the fixture really holds the tricky values (guards the corpus itself)', () => {
  const reals = original.tables.get('reals')!;
  assert.ok(
    reals.some((row) => row[1]!.type === 'real' && Object.is(row[1]!.value, -0)),
    'SQLite keeps -0.0 in a column without affinity',
  );
  assert.ok(reals.some((row) => row[1]!.value === Number.POSITIVE_INFINITY));
  assert.ok(reals.some((row) => row[1]!.value === Number.NEGATIVE_INFINITY));
  assert.equal(reals.filter((row) => row[1]!.type === 'real').length, HAND_PICKED_REALS.length + 2);
  const texts = original.tables.get('texts')!;
  for (const raw of RAW_TEXTS) {
    assert.ok(
      texts.some((row) => row[1]!.type === 'text' && (row[1]!.value as Buffer).equals(raw)),
      raw.toString('hex'),
    );
  }
  const blobs = original.tables.get('blobs')!;
  assert.ok(blobs.some((row) => row[1]!.type === 'blob' && (row[1]!.value as Buffer).length === 0));
  assert.ok(blobs.some((row) => (row[1]!.value as Buffer | null)?.length === 3 * 1024 * 1024));
  const sequence = original.tables.get('sqlite_sequence')!;
  assert.deepEqual(
    sequence.map((row) => [(row[0]!.value as Buffer).toString(), row[1]!.value]),
    [
      ['auto_one', 5n],
      ['auto_two', 100n],
    ],
  );
  for (const name of ['user_data', 'x_config', 'docs_content', 'données_😀', 'we"ird\'tab', 'wr', 'gen']) {
    assert.ok((original.tables.get(name)?.length ?? 0) > 0, `${name} has rows`);
  }
  assert.deepEqual(original.tables.get('empty_t'), []);
});

test('restored through sqlite3 -safe -bail: every table, row, type and value is identical', () => {
  assert.deepEqual(contentDifferences(original, restored), []);
  assert.deepEqual([...restored.tables.keys()], [...original.tables.keys()]);
});

test('schema (type, name, tbl_name, sql) and user_version are identical', () => {
  assert.deepEqual(restored.schema, original.schema);
  assert.equal(restored.userVersion, 20260127);
  assert.ok(dumpLines.includes('PRAGMA user_version=20260127;'));
  assert.ok(original.schema.some((row) => row.includes('"name":"v_comment"') && row.includes('comment"')));
  assert.ok(original.schema.some((row) => row.includes('"idx_partial"') && row.includes('WHERE t IS NOT NULL')));
});

test('the restored DB is sound and behaves like the original: sequence, triggers, views, generated columns', () => {
  const run = (sql: string): string => sqlite3(restoredPath, sql).trim();
  assert.equal(run('PRAGMA integrity_check;'), 'ok');
  assert.equal(run('PRAGMA foreign_key_check;'), '');
  assert.equal(run("SELECT group_concat(shout, '|') FROM (SELECT shout FROM v_two ORDER BY shout);"), 'ONE|TWO');
  assert.equal(run('SELECT one FROM v_comment;'), '1');
  assert.equal(run('SELECT count(*) FROM log;'), '4', 'trigger fired during the original inserts only');
  run("INSERT INTO log_src (x) VALUES ('third');");
  assert.equal(
    run("SELECT group_concat(msg, '|') FROM (SELECT msg FROM log ORDER BY rowid DESC LIMIT 2);"),
    'third;|inserted; with ; semicolons',
  );
  assert.equal(run('SELECT a, v, b, s, c FROM gen ORDER BY rowid LIMIT 1;'), '21|42|abc|ABC|after');
  assert.equal(run("INSERT INTO auto_one (name) VALUES ('new') RETURNING id;"), '6');
  assert.equal(run("INSERT INTO auto_two (name) VALUES ('new') RETURNING id;"), '101');
  assert.equal(
    run("SELECT count(*) FROM texts INDEXED BY idx_partial WHERE t = 'plain ascii' AND t IS NOT NULL AND t <> '';"),
    '1',
  );
});

test('values are written the way rule 5 states', () => {
  assert.ok(!dumpText.includes('unistr('), 'never unistr');
  assert.ok(!/\bInf\b|\bNaN\b/.test(dumpText), 'no unparseable Inf/NaN');
  assert.ok(dumpLines.includes('INSERT INTO "reals" VALUES(1,-0.0);'));
  assert.ok(dumpLines.includes('INSERT INTO "reals" VALUES(1000,1e999);'));
  assert.ok(dumpLines.includes('INSERT INTO "reals" VALUES(1001,-1e999);'));
  assert.ok(dumpLines.includes('INSERT INTO "reals" VALUES(1002,NULL);'));
  assert.ok(dumpLines.includes('INSERT INTO "ints" VALUES(42,-9223372036854775808);'));
  assert.ok(dumpLines.includes('INSERT INTO "ints" VALUES(35,9223372036854775807);'));
  assert.ok(dumpText.includes(",CAST(X'c328' AS TEXT));"));
  assert.ok(dumpText.includes(",CAST(X'610062' AS TEXT));"));
  assert.ok(dumpLines.includes('INSERT INTO "blobs" VALUES(3,X\'0a0d2722\');'));
  assert.ok(dumpLines.includes('INSERT INTO "blobs" VALUES(1,X\'\');'));
  assert.ok(dumpLines.includes('INSERT INTO "texts" VALUES(1,\'\');'), 'empty TEXT is not NULL');
  assert.ok(dumpLines.includes("INSERT INTO \"texts\" VALUES(4,replace('line1\\nline2','\\n',char(10)));"));
  assert.ok(dumpLines.includes("INSERT INTO \"gen\" VALUES(21,'abc','after');"), 'generated columns not dumped');
  assert.ok(dumpLines.includes('INSERT INTO "we""ird\'tab" VALUES(\'val\'\'ue "one"\',1,\'"\');'));
  assert.ok(dumpLines.includes("INSERT INTO \"user_data\" VALUES('theme','dark');"));
  assert.ok(dumpLines.includes("INSERT INTO \"x_config\" VALUES('retries','3');"));
  for (const line of dumpLines.filter((l) => l.startsWith('INSERT INTO "reals" VALUES('))) {
    const literal = line.slice(line.indexOf(',') + 1, -2);
    assert.ok(literal === 'NULL' || /[.e]/.test(literal), `REAL literal ${literal} has a . or e`);
  }
});

/** Significant digits of a decimal literal (sign, point, exponent and padding zeros removed). */
function significantDigits(literal: string): number {
  const mantissa = literal.replace(/^-/, '').split(/e/i)[0]!.replace('.', '');
  return mantissa.replace(/^0+/, '').replace(/0+$/, '').length || 1;
}

test('20,000 random doubles (incl. subnormals) round-trip bit-exactly through the shortest text', async () => {
  const dir = tempDir('dump-doubles-');
  const source = join(dir, 'doubles.db');
  const bits = randomBytes(8 * 20000);
  const values: number[] = [];
  for (let i = 0; i < 20000; i++) {
    if (i % 10 === 0) bits[i * 8 + 6]! &= 0x0f; // with the next line: exponent 0, a subnormal
    if (i % 10 === 0) bits[i * 8 + 7]! &= 0x80;
    const value = bits.readDoubleLE(i * 8);
    if (Number.isFinite(value)) values.push(value);
  }
  assert.ok(values.filter((v) => v !== 0 && Math.abs(v) < 2.2250738585072014e-308).length >= 1900);
  const db = await openDatabase(source);
  db.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, v)');
  const insert = db.prepare('INSERT INTO r VALUES (?, ?)');
  db.transaction(() => {
    for (const [i, v] of values.entries()) insert.run(i, v);
  })();
  db.close();

  const dump = await dumpDatabase(source);
  const text = dump.bytes.toString('utf8');
  const fresh = await openDatabase(join(dir, 'fresh.db'));
  fresh.exec(text);
  const rows = fresh.prepare('SELECT id, typeof(v) AS t, v FROM r ORDER BY id').raw(true).all() as [
    number,
    string,
    number,
  ][];
  fresh.close();
  assert.equal(rows.length, values.length);
  const wrong = rows.filter(([id, type, v]) => type !== 'real' || !Object.is(v, values[id]));
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} doubles did not round-trip`);

  const literals = text.split('\n').filter((line) => line.startsWith('INSERT INTO "r" VALUES('));
  assert.equal(literals.length, values.length);
  for (const line of literals) {
    const comma = line.indexOf(',');
    const value = values[Number(line.slice(23, comma))]!;
    const literal = line.slice(comma + 1, -2);
    assert.ok(/[.e]/.test(literal), `${literal} reads back as REAL`);
    // ECMAScript's Number::toString is the shortest round-tripping text: ours must be no longer.
    assert.ok(significantDigits(literal) <= significantDigits(String(value)), `${literal} vs ${value}`);
  }
});
