/**
 * docs/format.md §4.2: a dump made by the sqlite3 CLI from a database whose TEXT is not UTF-8 holds
 * those bytes raw between quotes. A restore stores exactly those bytes (checked against the source
 * database and against what `sqlite3 new.db < dump` loads), with the checksum over the raw file;
 * invalid UTF-8 anywhere but a row's string literal is refused with its line, the target untouched.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { DUMP_FILE } from '../../../src/core/format/manifest.ts';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { sha256File, tempDir } from '../../helpers.ts';
import {
  assertUntouched,
  expectRefusal,
  loadDumpFile,
  populated,
  restoreDirs,
  snapshotFromDump,
  tree,
} from '../restore/restoreFixtures.ts';

/** The loader reads 64 KiB at a time (dumpReader.ts READ_BYTES). */
const CHUNK = 64 << 10;

/** TEXT values that are not UTF-8, as hex: every way a byte sequence can fail to be. */
const RAW_TEXTS: [string, string][] = [
  ['ff fe 41 c3', 'fffe41c3'],
  ['lone continuation bytes', '80bf41bf'],
  ['a two-byte sequence cut short', '41c3'],
  ['a three-byte sequence cut by ASCII', 'e28241'],
  ['a four-byte sequence cut short', 'f09f98'],
  ['an overlong slash', 'c0af'],
  ['an overlong three-byte form', 'e080af'],
  ['a high surrogate', 'eda080'],
  ['a low surrogate after a high one', 'eda080edbfbf'],
  ['past U+10FFFF', 'f4908080'],
  ['quotes, CR LF and a newline', '27ff0a27270d0a4127'],
  ['valid characters, then not', 'c3a9e282acff'],
  ['semicolons around it', '3bfe3b'],
  ['what looks like comments and names', '2d2dff2f2a22605b'],
];

/** sqlite3 CLI: runs `sql` (or loads `input` bytes) on `db`; returns stdout as text. */
function cli(db: string, sql: string[] = [], input?: Buffer): string {
  return execFileSync('sqlite3', ['-bail', db, ...sql], { input, maxBuffer: 1 << 30 }).toString('latin1');
}

const name = (text: string): string => `"${text.replaceAll('"', '""')}"`;
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Every value of the tables with its type and bytes, and the schema's text: equal listings, same content. */
function contents(db: string, tables: string[]): string {
  const rows = tables.map((table) => {
    const columns = cli(db, [`SELECT name FROM pragma_table_info(${literal(table)})`])
      .trimEnd()
      .split('\n');
    const cells = ['rowid', ...columns].map((column) => `typeof(${name(column)}) || ':' || hex(${name(column)})`);
    return cli(db, [`SELECT ${cells.join(" || ' ' || ")} FROM ${name(table)} ORDER BY rowid`]);
  });
  return [...rows, cli(db, ['SELECT name, hex(sql) FROM sqlite_schema ORDER BY name'])].join('\n');
}

/** Type and hex of every value of t, per row: what the tests compare. */
function hexRows(db: string): string[] {
  return cli(db, ['SELECT id, typeof(v), hex(v) FROM t ORDER BY id']).trimEnd().split('\n');
}

/** What the sqlite3 CLI itself loads from `dump` (the reference for how SQL text maps to bytes). */
function cliLoad(dump: Buffer): string {
  const db = join(tempDir('foreign-cli-'), 'cli.db');
  cli(db, [], dump);
  return db;
}

/** A database made by the CLI: t(id, v TEXT) with the raw texts, a padding row, then `straddler`. */
function sourceDb(padding: number, straddler: string): string {
  const db = join(tempDir('foreign-src-'), 'source.db');
  const rows = RAW_TEXTS.map(([, hex], i) => `INSERT INTO t VALUES(${i + 1}, CAST(X'${hex}' AS TEXT));`);
  cli(db, [
    `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
     CREATE TABLE log (id INTEGER PRIMARY KEY, what TEXT);
     ${rows.join('\n')}
     INSERT INTO t VALUES(100, 'ünïcödé 😀 plain UTF-8');
     INSERT INTO t VALUES(101, '${'x'.repeat(padding)}');
     INSERT INTO t VALUES(102, CAST(X'${straddler}' AS TEXT));
     INSERT INTO t VALUES(103, CAST(X'ff' AS TEXT));
     INSERT INTO t VALUES(104, 'after');
     CREATE INDEX t_v ON t (v);
     CREATE VIEW raw AS SELECT id FROM t WHERE v <> 'it''s; -- no comment';
     CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log (what) VALUES ('row; ''' || new.id); END;`,
  ]);
  return db;
}

test('a sqlite3 CLI dump of TEXT that is not UTF-8 restores byte for byte, one literal across a 64 KiB read', async () => {
  // Row 102: quotes, a newline, valid and invalid characters, long enough to straddle a read.
  const straddler = Buffer.concat([
    Buffer.from("ab''\n", 'latin1'),
    Buffer.from('c3a9ff80e282'.repeat(60), 'hex'),
    Buffer.from("''x", 'latin1'),
  ]).toString('hex');
  const dumpOf = (db: string): Buffer => execFileSync('sqlite3', [db, '.dump'], { maxBuffer: 1 << 30 });
  // Measure where the CLI puts row 102, then pad row 101 so that it starts a little before 64 KiB.
  const probe = dumpOf(sourceDb(1000, straddler));
  const padding = 1000 + CHUNK - 300 - probe.indexOf('INSERT INTO t VALUES(102,');
  const source = sourceDb(padding, straddler);
  const dump = dumpOf(source);
  const at = dump.indexOf('INSERT INTO t VALUES(102,');
  const end = dump.indexOf('\n', at);
  assert.ok(at < CHUNK && end > CHUNK, `row 102 (${at}..${end}) straddles the first read`);
  assert.ok(!isUtf8(dump), 'the CLI wrote the bytes raw');
  assert.ok(dump.includes(Buffer.from('fffe41c3', 'hex')), 'the CLI wrote the bytes raw');

  const snapshot = snapshotFromDump(dump);
  const target = join(tempDir('foreign-target-'), 'app.db');
  const result = await restoreSnapshot({ snapshotDir: snapshot, target });
  assert.equal(result.stats.checksum, sha256File(join(snapshot, DUMP_FILE)), 'the checksum is of the raw bytes');

  const expected = hexRows(source);
  assert.equal(expected.length, RAW_TEXTS.length + 5);
  assert.deepEqual(hexRows(target), expected);
  assert.deepEqual(hexRows(cliLoad(dump)), expected, 'the CLI loads the same');
  for (const [i, [name, hex]] of RAW_TEXTS.entries()) {
    assert.equal(hexRows(target)[i], `${i + 1}|text|${hex.toUpperCase()}`, name);
  }
  assert.deepEqual(contents(target, ['t', 'log']), contents(source, ['t', 'log']), 'schema and every table');
  assert.equal(cli(target, ['PRAGMA integrity_check']).trim(), 'ok');
});

/** A dump by hand: the header, then `body` lines, then COMMIT. */
const handDump = (body: (string | Buffer)[]): Buffer =>
  Buffer.concat(
    [
      'PRAGMA foreign_keys=OFF;',
      'BEGIN TRANSACTION;',
      'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);',
      ...body,
      'COMMIT;',
      '',
    ].flatMap((line, i, all) => [
      typeof line === 'string' ? Buffer.from(line, 'utf8') : line,
      Buffer.from(i < all.length - 1 ? '\n' : ''),
    ]),
  );

/** Loads `dump` with our loader into a new database; returns its path. */
async function ourLoad(dump: Buffer): Promise<string> {
  const path = join(snapshotFromDump(dump), DUMP_FILE);
  const db = join(tempDir('foreign-load-'), 'new.db');
  const stats = await loadDumpFile(path, db, sha256File(path));
  assert.equal(stats.checksum, sha256File(path));
  return db;
}

test('a read may end anywhere in a literal that is not UTF-8: at each of its bytes, the same bytes are stored', async () => {
  // Doubled quotes, a raw newline (schollz/sqlite3dump style), a CR, a valid é, a cut euro sign.
  const literal = Buffer.concat([
    Buffer.from("'a''", 'latin1'),
    Buffer.from('ff0a27270d', 'hex'),
    Buffer.from('é', 'utf8'),
    Buffer.from('e282', 'hex'),
    Buffer.from("''b'", 'latin1'),
  ]);
  const stored = '6127FF0A270DC3A9E2822762';
  // One dump, one copy of the literal per 64 KiB read: read k ends `cut` = k - 1 bytes into it.
  const lines: Buffer[] = [];
  let length = handDump([]).indexOf('COMMIT;');
  const line = (text: string | Buffer): void => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    lines.push(bytes);
    length += bytes.length + 1;
  };
  const cuts = literal.length + 3;
  for (let cut = 0; cut < cuts; cut++) {
    const head = `INSERT INTO t VALUES(${2 * cut + 2},`;
    const empty = `INSERT INTO t VALUES(${2 * cut + 1},'');`;
    line(
      `INSERT INTO t VALUES(${2 * cut + 1},'${'p'.repeat((cut + 1) * CHUNK - cut - length - empty.length - 1 - head.length)}');`,
    );
    assert.equal(length + head.length, (cut + 1) * CHUNK - cut);
    line(Buffer.concat([Buffer.from(head, 'latin1'), literal, Buffer.from(');', 'latin1')]));
  }
  const dump = handDump([...lines, "INSERT INTO t VALUES(1000,'after; -- it''s');"]);
  for (let cut = 0; cut < cuts; cut++) {
    assert.ok(
      dump
        .subarray((cut + 1) * CHUNK - cut)
        .subarray(0, literal.length)
        .equals(literal),
      `cut ${cut}`,
    );
  }
  const ours = hexRows(await ourLoad(dump));
  assert.deepEqual(ours, hexRows(cliLoad(dump)));
  assert.deepEqual(
    ours.filter((row) => Number(row.split('|')[0]) % 2 === 0 && Number(row.split('|')[0]) < 1000),
    Array.from({ length: cuts }, (_, cut) => `${2 * cut + 2}|text|${stored}`),
  );
});

test('the first invalid byte in a later read, in a literal begun in an earlier one: rewritten whole, lines right', async () => {
  // ' a \n b ' ' c _ é(C3 A9) FF ': the read ends after the quote, between the doubled quotes,
  // inside the é (the decoder holds C3 back) and right before the FF.
  const literal = Buffer.concat([Buffer.from("'a\nb''c ", 'latin1'), Buffer.from('c3a9ff27', 'hex')]);
  for (const cut of [1, 4, 9, 10]) {
    const head = 'INSERT INTO t VALUES(2,';
    const start = handDump([]).indexOf('COMMIT;');
    const pad = CHUNK - cut - start - head.length - "INSERT INTO t VALUES(1,'');\n".length;
    const body = [
      `INSERT INTO t VALUES(1,'${'p'.repeat(pad)}');`,
      Buffer.concat([Buffer.from(head, 'latin1'), literal, Buffer.from(');', 'latin1')]),
    ];
    const dump = handDump(body);
    assert.equal(dump.indexOf(literal), CHUNK - cut);
    const ours = hexRows(await ourLoad(dump));
    assert.deepEqual(ours, hexRows(cliLoad(dump)), `cut ${cut}`);
    assert.equal(ours[1], '2|text|610A62276320C3A9FF', `cut ${cut}`);
    // Line 6 holds the rest of the literal; the refused statement is on line 7.
    const broken = handDump([...body, `INSERT INTO "nope" VALUES(1,'a');`]);
    const path = join(snapshotFromDump(broken), DUMP_FILE);
    const db = join(tempDir('foreign-later-'), 'new.db');
    await expectRefusal(loadDumpFile(path, db, sha256File(path)), 'invalid', /snapshot\.sql line 7: /);
  }
});

test('after a rewritten literal, quotes in comments, names, blobs and trigger bodies are read as SQL', async () => {
  const dump = handDump([
    Buffer.from("INSERT INTO t VALUES(1,'\xff turns the byte scanner on');", 'latin1'),
    `CREATE TABLE "we'ird" (id INTEGER PRIMARY KEY, "v'" TEXT, [o'dd] TEXT, \`b'q\` TEXT); -- it's a comment`,
    `/* a 'block' comment; with "quotes" */ INSERT INTO "we'ird" VALUES(1,'a;b -- c','/* no */','-');`,
    "-- don't",
    Buffer.from("INSERT INTO t VALUES(2,'x''\xfe;''');", 'latin1'),
    `CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO "we'ird" VALUES(new.id + 100, 'in; trigger', 'it''s', 'x'); END;`,
    "INSERT INTO t VALUES(3,X'ff00');",
    Buffer.from("INSERT INTO t VALUES(4,replace('\xfe\\n-\xfe','\\n',char(10)));", 'latin1'),
    Buffer.from("INSERT INTO t VALUES(5,'\xe9t\xe9\n\nthree lines');", 'latin1'),
    "INSERT INTO t VALUES(6,'plain');",
    Buffer.from("/* one * it's */ INSERT INTO t VALUES(7,'\xfe');", 'latin1'),
  ]);
  const ours = await ourLoad(dump);
  const reference = cliLoad(dump);
  assert.deepEqual(contents(ours, ['t', "we'ird"]), contents(reference, ['t', "we'ird"]));
  assert.deepEqual(hexRows(ours), [
    `1|text|${Buffer.from('\xff turns the byte scanner on', 'latin1').toString('hex').toUpperCase()}`,
    '2|text|7827FE3B27',
    '3|blob|FF00',
    '4|text|FE0A2DFE',
    '5|text|E974E90A0A7468726565206C696E6573',
    '6|text|706C61696E',
    '7|text|FE',
  ]);
});

test('line numbers after a rewritten multi-line literal stay those of the file', async () => {
  const body = [
    Buffer.from("INSERT INTO t VALUES(1,'\xff\ntwo\nthree');", 'latin1'),
    "INSERT INTO t VALUES(2,'ok');",
    `INSERT INTO "nope" VALUES(1,'a');`,
  ];
  const dump = handDump(body);
  const line = dump.subarray(0, dump.indexOf('INSERT INTO "nope"')).toString('latin1').split('\n').length;
  assert.equal(line, 8);
  const path = join(snapshotFromDump(dump), DUMP_FILE);
  const db = join(tempDir('foreign-lines-'), 'new.db');
  await expectRefusal(loadDumpFile(path, db, sha256File(path)), 'invalid', new RegExp(`snapshot\\.sql line ${line}: `));
});

/** Dumps whose invalid UTF-8 is not in a row's string literal; `bad` marks the line it is on. */
const REFUSED: { name: string; body: (string | Buffer)[] }[] = [
  { name: 'a table name', body: [Buffer.from('CREATE TABLE "t\xff" (v TEXT);', 'latin1')] },
  { name: 'the name in an INSERT', body: [Buffer.from('INSERT INTO "t\xff" VALUES(1,\'a\');', 'latin1')] },
  { name: 'a bare byte among the values', body: [Buffer.from('INSERT INTO t VALUES(1,\xff);', 'latin1')] },
  { name: 'a keyword position', body: [Buffer.from("INSERT\xff INTO t VALUES(1,'a');", 'latin1')] },
  { name: 'a line comment between statements', body: [Buffer.from('-- caf\xe9', 'latin1')] },
  { name: 'a block comment', body: [Buffer.from("/* \xff */ INSERT INTO t VALUES(1,'a');", 'latin1')] },
  {
    name: 'a comment inside a row',
    body: [Buffer.from("INSERT INTO t VALUES(1, /* \xff */ 'a');", 'latin1')],
  },
  {
    name: "a CREATE TABLE's DEFAULT (SQLite keeps schema text as written)",
    body: [Buffer.from("CREATE TABLE d (v TEXT DEFAULT '\xff');", 'latin1')],
  },
  {
    name: 'a literal in a trigger body (part of its CREATE)',
    body: [Buffer.from("CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t VALUES(9,'\xff'); END;", 'latin1')],
  },
  { name: 'a blob literal', body: [Buffer.from("INSERT INTO t VALUES(1,X'\xff');", 'latin1')] },
  {
    name: 'a literal that also holds a NUL (SQLite stops reading there)',
    body: [Buffer.from("INSERT INTO t VALUES(1,'a\x00\xff');", 'latin1')],
  },
];

for (const { name, body } of REFUSED) {
  for (const where of ['first', 'after rewritten rows, past the first read']) {
    test(`invalid UTF-8 in ${name} (${where}): refused in one line naming it, the target untouched`, async () => {
      const before =
        where === 'first'
          ? []
          : [
              Buffer.from("INSERT INTO t VALUES(1000,'\xff\n\xfe');", 'latin1'),
              `INSERT INTO t VALUES(1001,'${'y'.repeat(CHUNK)}');`,
              Buffer.from("INSERT INTO t VALUES(1002,'\xc3\nmulti\nline');", 'latin1'),
            ];
      const dump = handDump([...before, ...body, "INSERT INTO t VALUES(2000,'after');"]);
      const marker = dump.indexOf(body[0]!);
      const bad = marker + [...(body[0] as Buffer)].findIndex((byte) => byte >= 0x80);
      const line = dump.subarray(0, bad).toString('latin1').split('\n').length;
      const snapshot = snapshotFromDump(dump);
      const { dir, target, bytes } = await populated();
      const listing = tree(dir);
      const error = await expectRefusal(
        restoreSnapshot({ snapshotDir: snapshot, target, force: true }),
        'hostile',
        new RegExp(`snapshot\\.sql line ${line}: not valid UTF-8`),
      );
      assert.ok(!/[\r\n]/.test(error.message), `one line: ${error.message}`);
      assert.ok(error.hint?.includes('VALUES'), 'the hint says where such bytes may be');
      assertUntouched(target, bytes);
      assert.deepEqual(tree(dir), listing);
      assert.deepEqual(restoreDirs(dir), []);
    });
  }
}

test('a dump cut inside a literal that is not UTF-8 is refused as truncated', async () => {
  const dump = handDump([Buffer.from("INSERT INTO t VALUES(1,'\xff and the rest');", 'latin1')]);
  const cut = dump.subarray(0, dump.indexOf(' and the rest'));
  const path = join(snapshotFromDump(cut), DUMP_FILE);
  const db = join(tempDir('foreign-cut-'), 'new.db');
  await expectRefusal(loadDumpFile(path, db, sha256File(path)), 'truncated', /ends inside a statement/);
});

test('a UTF-8 dump holding the escaped forms is read on the common path and stores the same', async () => {
  // The form our own dumps use: the loader needs no rewriting for it.
  const dump = handDump(["INSERT INTO t VALUES(1,CAST(X'fffe41c3' AS TEXT));"]);
  assert.ok(isUtf8(dump));
  assert.deepEqual(hexRows(await ourLoad(dump)), ['1|text|FFFE41C3']);
});
