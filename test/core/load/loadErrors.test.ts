/**
 * docs/format.md §4.2: when SQLite cannot carry out a statement of a dump, the restore stops with
 * one line naming the dump, the line where the statement starts and SQLite's reason, plus a hint,
 * as a refusal (CLI exit 1) — never a stack trace. On the fast path rows are parsed on one thread
 * and inserted in batches on another, so the line must survive both.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DUMP_FILE } from '../../../src/core/format/manifest.ts';
import { runCliProcess, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { expectRefusal, loadDumpFile, snapshotFromDump } from '../restore/restoreFixtures.ts';

/** Lines 1-3 of every dump here; the rows of `t` start on line 4. */
const HEAD = ['PRAGMA foreign_keys=OFF;', 'BEGIN TRANSACTION;', 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);'];

const dumpOf = (body: string[]): string => [...HEAD, ...body, 'COMMIT;', ''].join('\n');

/** Rows of `t` with ids from..from+count-1, padded so that a few thousand cross a 64 KiB read. */
const rows = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `INSERT INTO "t" VALUES(${from + i},'row ${from + i} ${'x'.repeat(20)}');`);

/** The 1-based line of the first line of `body` that starts with `statement`, in dumpOf(body). */
function lineOf(body: string[], statement: string): number {
  const lines = dumpOf(body).split('\n');
  const index = lines.findIndex((line) => line.startsWith(statement));
  assert.ok(index >= 0, statement);
  return index + 1;
}

/** Loads `dump` as restore does (worker thread included); returns the refusal after checking its shape. */
async function refusalOf(dump: string, message: RegExp) {
  const snapshot = snapshotFromDump(dump);
  const path = join(snapshot, DUMP_FILE);
  const db = join(tempDir('load-errors-'), 'new.db');
  const error = await expectRefusal(loadDumpFile(path, db, sha256File(path)), ['invalid', 'hostile'], message);
  assert.ok(error.message.startsWith(`${path} line `), error.message);
  assert.ok(!/[\r\n]/.test(error.message), `one line: ${error.message}`);
  assert.ok(error.hint && error.hint.length > 20, `a hint: ${error.message}`);
  return { error, snapshot };
}

/** Rows whose text spans lines (schollz/sqlite3dump writes newlines raw), so lines and rows differ. */
const MULTILINE = [`INSERT INTO "t" VALUES(100001,'a\nb\nc');`, `INSERT INTO "t" VALUES(100002,'d\ne');`];

interface Broken {
  name: string;
  body: string[];
  /** Where the refused statement starts. */
  culprit: string;
  reason: RegExp;
}

const BROKEN: Broken[] = [
  {
    name: 'a row for a table that does not exist, after 3,000 rows',
    body: [...MULTILINE, ...rows(1, 3000), `INSERT INTO "nope" VALUES(1,'a');`, ...rows(3001, 10)],
    culprit: 'INSERT INTO "nope"',
    reason: /SQLite refused the row of "nope": no such table: nope$/,
  },
  {
    name: 'a row with too many values, first of its batch',
    body: [...MULTILINE, ...rows(1, 700), `INSERT INTO "t" VALUES(701,'a',3);`, ...rows(702, 10)],
    culprit: 'INSERT INTO "t" VALUES(701,',
    reason: /SQLite refused the row of "t": table t has 2 columns but 3 values were supplied$/,
  },
  {
    name: 'a duplicate key in the middle of a 256-row batch and of a worker message',
    body: [...MULTILINE, ...rows(1, 5000), `INSERT INTO "t" VALUES(17,'again');`, ...rows(5001, 300)],
    culprit: `INSERT INTO "t" VALUES(17,'again')`,
    reason: /SQLite refused the row of "t": UNIQUE constraint failed: t\.id$/,
  },
  {
    name: 'a trigger that does not compile, met by the first row',
    body: [
      'CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO missing_log VALUES (new.id); END;',
      ...MULTILINE,
      ...rows(1, 400),
    ],
    culprit: 'INSERT INTO "t" VALUES(100001,',
    reason: /SQLite refused the row of "t": no such table: main\.missing_log$/,
  },
  {
    name: 'replace() nested 20,000 deep on the fast form',
    body: [
      ...rows(1, 30),
      `INSERT INTO "t" VALUES(31,${'replace('.repeat(20_000)}'a'${",'x',char(10))".repeat(20_000)});`,
    ],
    culprit: 'INSERT INTO "t" VALUES(31,',
    reason: /SQLite refused the statement: .*(too large|Recursion limit)/i,
  },
  {
    name: 'parentheses nested 20,000 deep',
    body: [...rows(1, 30), `INSERT INTO "t" VALUES(31,${'('.repeat(20_000)}'a'${')'.repeat(20_000)});`],
    culprit: 'INSERT INTO "t" VALUES(31,',
    reason: /SQLite refused the statement: .*(too large|Recursion limit)/i,
  },
  {
    name: 'a statement SQLite refuses on the general path',
    body: [...MULTILINE, ...rows(1, 30), `INSERT INTO "nope"  VALUES(1,'a');`],
    culprit: 'INSERT INTO "nope"',
    reason: /SQLite refused the statement: no such table: nope$/,
  },
];

for (const broken of BROKEN) {
  test(`${broken.name}: refused with the line of the statement and SQLite's reason`, async () => {
    const line = lineOf(broken.body, broken.culprit);
    const { error } = await refusalOf(dumpOf(broken.body), new RegExp(`snapshot\\.sql line ${line}: `));
    assert.match(error.message, broken.reason);
    assert.ok(error.message.length < 700, 'a nested statement is not shown whole');
  });
}

test('the CLI shows a refused row as one message and a hint: exit 1, the line, no stack trace', async () => {
  const body = [...MULTILINE, ...rows(1, 3000), `INSERT INTO "nope" VALUES(1,'a');`];
  const line = lineOf(body, 'INSERT INTO "nope"');
  const snapshot = snapshotFromDump(dumpOf(body));
  const target = join(tempDir('load-errors-cli-'), 'app.db');
  const run = runCliProcess(['restore', snapshot, '--db', target]);
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack frames');
  const [message, hint, ...rest] = run.stderr.trimEnd().split('\n');
  assert.deepEqual(rest, [], run.stderr);
  assert.match(message!, new RegExp(`^error: .*snapshot\\.sql line ${line}: SQLite refused the row of "nope": `));
  assert.match(hint!, /^ {2}hint: .*rebuild the snapshot/);
});

test('names in the message are escaped: a table name cannot break the line or drive a terminal', async () => {
  const name = 'x\u001b[2J\n::error::forged';
  const { error } = await refusalOf(dumpOf([`INSERT INTO "${name}" VALUES(1,'a');`]), /snapshot\.sql line 4: /);
  assert.ok(error.message.includes('\\u001b[2J\\n::error::forged'), error.message);
});

test('a refused statement quotes its names escaped too: one line, whatever the name holds', async () => {
  const name = 'x\u001b[2J\n::error::forged';
  for (const statement of [`PRAGMA "${name}"=1;`, `INSERT INTO "t" VALUES("${name}");`, `"${name}" x;`]) {
    const { error } = await refusalOf(dumpOf([statement]), /snapshot\.sql line 4: refused /);
    assert.ok(error.message.includes('\\u001b[2J\\n::error::forged'), error.message);
  }
});

test('a dump with Windows (CRLF) line endings is refused on its first line, saying why and how to fix it', async () => {
  const { error } = await refusalOf(dumpOf(rows(1, 3)).replaceAll('\n', '\r\n'), /snapshot\.sql line 1: /);
  assert.match(error.message, /Windows \(CRLF\) line endings/);
  assert.match(error.message, /checksum/);
  assert.match(error.hint!, /core\.autocrlf false/);
  assert.match(error.hint!, /dos2unix/);
  // Converted part-way (some lines only): refused where the first CR ends a line.
  const lines = dumpOf(rows(1, 3000)).split('\n');
  lines[2000] += '\r';
  await refusalOf(lines.join('\n'), /snapshot\.sql line 2001: .*CRLF/);
});

test('CRs inside a schema statement or a string are content, not line endings: the dump loads as written', async () => {
  // A table created from a migration file saved with CRLF keeps them in its CREATE text.
  const dump = [
    'PRAGMA foreign_keys=OFF;',
    'BEGIN TRANSACTION;',
    'CREATE TABLE t (\r\n  id INTEGER PRIMARY KEY,\r\n  v TEXT\r\n);',
    `INSERT INTO "t" VALUES(1,'a\r\nb');`,
    'COMMIT;',
    '',
  ].join('\n');
  const snapshot = snapshotFromDump(dump);
  const path = join(snapshot, DUMP_FILE);
  const db = join(tempDir('load-errors-'), 'new.db');
  await loadDumpFile(path, db, sha256File(path));
  assert.equal(sqlite3(db, 'SELECT hex(v) FROM t;').trim(), '610D0A62');
  assert.match(sqlite3(db, "SELECT hex(sql) FROM sqlite_schema WHERE name = 't';"), /0D0A/);
});
