/** docs/format.md §2.2 and §2.3 rules 1-3, 6, 7, 10 and 2: the dump is canonical, well-formed and a consistent snapshot. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, REPO_ROOT, sqlite3, tempDir } from '../../helpers.ts';
import { buildRichFixture, contentDifferences, dumpDatabase, readContent, restoreWithCli } from './dumpFixtures.ts';

const ROWS = 300;
/** BINARY (UTF-8 byte) order; JavaScript's UTF-16 sort would put '😀' before 'Ａ'. */
const TABLES_IN_NAME_ORDER = ['B', 'a', 'seq_b', 'é', 'Ａ', '😀'];
const TABLE_DDL: Record<string, string[]> = {
  B: ['CREATE TABLE "B" (id INTEGER PRIMARY KEY, v TEXT)', 'CREATE INDEX "idx_B" ON "B" (v)'],
  a: ['CREATE TABLE a (k TEXT, n INTEGER, PRIMARY KEY (k DESC)) WITHOUT ROWID', 'CREATE INDEX idx_a ON a (n)'],
  seq_b: ['CREATE TABLE seq_b (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT)'],
  é: ['CREATE TABLE "é" (id INTEGER PRIMARY KEY AUTOINCREMENT, r REAL)', 'CREATE INDEX "idx_é" ON "é" (r)'],
  Ａ: ['CREATE TABLE "Ａ" (x INTEGER PRIMARY KEY, b BLOB)'],
  '😀': ['CREATE TABLE "😀" (id INTEGER PRIMARY KEY, t TEXT, g TEXT AS (t || \'!\') STORED)'],
};

interface Variant {
  reverseTables?: boolean;
  reverseRows?: boolean;
  pageSize?: number;
  wal?: boolean;
  keepOpen?: boolean;
}

/** The same content, built in different ways. Returns the still-open connection when asked to keep it. */
async function buildCanonical(path: string, variant: Variant = {}): Promise<Database | undefined> {
  const db = await openDatabase(path);
  if (variant.pageSize) db.pragma(`page_size = ${variant.pageSize}`);
  if (variant.wal) db.pragma('journal_mode = WAL');
  if (variant.keepOpen) db.pragma('wal_autocheckpoint = 0');
  const names = variant.reverseTables ? [...TABLES_IN_NAME_ORDER].reverse() : TABLES_IN_NAME_ORDER;
  for (const name of names) for (const ddl of TABLE_DDL[name]!) db.exec(ddl);
  const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
  if (variant.reverseRows) ids.reverse();
  const statements = [
    db.prepare('INSERT INTO "B" VALUES (?, ?)'),
    db.prepare('INSERT INTO a VALUES (?, ?)'),
    db.prepare('INSERT INTO seq_b VALUES (?, ?)'),
    db.prepare('INSERT INTO "é" VALUES (?, ?)'),
    db.prepare('INSERT INTO "Ａ" VALUES (?, ?)'),
    db.prepare('INSERT INTO "😀" (id, t) VALUES (?, ?)'),
  ] as const;
  db.transaction(() => {
    for (const i of ids) {
      statements[0].run(i, i % 7 === 0 ? null : `row ${i}\nsecond line\r\nwith 'quote'`);
      statements[1].run(`key ${String(i).padStart(4, '0')}`, BigInt(i) * 1000000007n);
      statements[2].run(i * 3, `note ${i}`);
      statements[3].run(i, i / 7 - 20);
      statements[4].run(-i, Buffer.from([i & 255, (i * 7) & 255, 0]));
      statements[5].run(i, `絵文字 ${i} 😀`);
    }
  })();
  db.exec(`DELETE FROM seq_b WHERE id > ${(ROWS - 10) * 3}; DELETE FROM "é" WHERE id > ${ROWS - 5};
    CREATE VIEW v_mid AS SELECT id, v FROM "B" WHERE id BETWEEN 10 AND 20;
    CREATE TRIGGER trg_b AFTER DELETE ON "B" BEGIN DELETE FROM "😀" WHERE id = old.id; END;
    CREATE VIEW v_top AS SELECT count(*) AS c FROM v_mid;
    PRAGMA user_version = 7;`);
  if (variant.keepOpen) return db;
  db.close();
  return undefined;
}

async function canonicalDump(variant: Variant, prepare?: (path: string) => Promise<void>): Promise<Buffer> {
  const path = join(tempDir('dump-canon-'), 'canon.db');
  const open = await buildCanonical(path, variant);
  try {
    if (prepare) await prepare(path);
    return (await dumpDatabase(path)).bytes;
  } finally {
    open?.close();
  }
}

let baseDump: Buffer | undefined;
const base = async (): Promise<Buffer> => {
  baseDump ??= await canonicalDump({});
  return baseDump;
};

test('same content gives byte-identical dumps: creation order, insert order, page size', async () => {
  const reordered = await canonicalDump({ reverseTables: true, reverseRows: true, pageSize: 1024 }, async (path) => {
    assert.equal(readFileSync(path).readUInt16BE(16), 1024, 'the variant really has 1 KiB pages');
  });
  assert.ok(reordered.equals(await base()));
  const bigPages = await canonicalDump({ pageSize: 65536 }, async (path) => {
    assert.equal(readFileSync(path).readUInt16BE(16), 1, 'a 64 KiB page size is stored as 1');
  });
  assert.ok(bigPages.equals(await base()));
});

test('same content gives byte-identical dumps: VACUUM and ANALYZE history', async () => {
  const vacuumed = await canonicalDump({}, async (path) => {
    const db = await openDatabase(path);
    db.exec(`CREATE TABLE junk (x); INSERT INTO junk SELECT randomblob(500) FROM "B";
      CREATE TEMP TABLE keep AS SELECT * FROM "Ａ"; DELETE FROM "Ａ";
      INSERT INTO "Ａ" SELECT * FROM keep ORDER BY x DESC; DROP TABLE junk; ANALYZE;`);
    assert.ok(db.prepare('SELECT count(*) FROM sqlite_stat1').pluck().get(), 'statistics (rule 8: not dumped)');
    assert.ok((db.pragma('freelist_count', { simple: true }) as number) > 0, 'free pages before VACUUM');
    db.exec('VACUUM');
    assert.equal(db.pragma('freelist_count', { simple: true }), 0);
    db.close();
  });
  assert.ok(vacuumed.equals(await base()));
});

test('same content gives byte-identical dumps: WAL (checkpointed, and live in the -wal) vs rollback journal', async () => {
  const walClosed = await canonicalDump({ wal: true }, async (path) => {
    assert.equal(readFileSync(path)[18], 2, 'WAL mode in the header');
  });
  assert.ok(walClosed.equals(await base()));
  const walLive = await canonicalDump({ wal: true, keepOpen: true }, async (path) => {
    assert.ok(statSync(`${path}-wal`).size > 100000, 'the content sits in the -wal file');
  });
  assert.ok(walLive.equals(await base()));
});

test('layout: header, footer, one statement per line, name order, sequence then views/triggers/indexes', async () => {
  const dump = await base();
  const text = dump.toString('utf8');
  assert.ok(text.startsWith('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n'));
  assert.ok(text.endsWith('\nPRAGMA user_version=7;\nCOMMIT;\n'));
  assert.ok(!dump.includes(0x0d), 'no CR bytes: line endings are \\n and CRs in text are escaped');
  const lines = text.slice(0, -1).split('\n');
  // header 2 + 6 CREATE TABLE + rows + DELETE + 2 sequence rows + 2 views + trigger + 3 indexes + pragma + COMMIT
  const rows = ROWS * 6 - 10 - 5;
  assert.equal(lines.length, 2 + 6 + rows + 1 + 2 + 3 + 3 + 1 + 1);
  const creates = lines.filter((line) => line.startsWith('CREATE TABLE'));
  assert.deepEqual(
    creates.map((line) => TABLES_IN_NAME_ORDER.find((name) => TABLE_DDL[name]![0] === line.slice(0, -1))),
    TABLES_IN_NAME_ORDER,
  );
  const sequenceAt = lines.indexOf('DELETE FROM sqlite_sequence;');
  const lastInsert = lines.findLastIndex((line) => line.startsWith('INSERT INTO "😀"'));
  assert.equal(sequenceAt, lastInsert + 1, 'sqlite_sequence right after the last table');
  assert.deepEqual(lines.slice(sequenceAt + 1, sequenceAt + 3), [
    `INSERT INTO "sqlite_sequence" VALUES('seq_b',${ROWS * 3});`,
    `INSERT INTO "sqlite_sequence" VALUES('é',${ROWS});`,
  ]);
  const objects = lines.slice(sequenceAt + 3, -2).map((line) => line.split(' ').slice(0, 3).join(' '));
  assert.deepEqual(objects.slice(0, 3), ['CREATE VIEW v_mid', 'CREATE TRIGGER trg_b', 'CREATE VIEW v_top']);
  assert.deepEqual(objects.slice(3).sort(), ['CREATE INDEX "idx_B"', 'CREATE INDEX "idx_é"', 'CREATE INDEX idx_a']);
  const rowsOf = (table: string): string[] => lines.filter((l) => l.startsWith(`INSERT INTO "${table}" VALUES(`));
  assert.ok(
    rowsOf('😀').every((l) => !l.includes('!')),
    'generated columns are not dumped',
  );
  const ids = rowsOf('Ａ').map((l) => Number(/VALUES\((-?\d+),/.exec(l)![1]));
  assert.deepEqual(
    ids,
    Array.from({ length: ROWS }, (_, i) => i - ROWS),
    'rowid tables in rowid order',
  );

  // Every line on its own is one complete statement: executing the dump line by line rebuilds the DB.
  const dir = tempDir('dump-lines-');
  const db = await openDatabase(join(dir, 'lines.db'));
  for (const line of lines) db.exec(line);
  db.close();
  const source = join(dir, 'source.db');
  await buildCanonical(source);
  assert.deepEqual(contentDifferences(await readContent(source), await readContent(join(dir, 'lines.db'))), []);
  const keys = rowsOf('a').map((l) => l.split("'")[1]);
  assert.equal(keys[0], 'key 0300', 'WITHOUT ROWID rows in primary-key order (k DESC)');
  assert.deepEqual(keys, keys.toSorted().reverse());
});

test('WITHOUT ROWID rows come in primary-key order, whatever covering indexes exist and their creation order', async () => {
  const up = 'CREATE INDEX w_up ON w (a)';
  const down = 'CREATE INDEX w_down ON w (a DESC)';
  const inserts: string[] = [];
  for (const indexes of [[], [up, down], [down, up]]) {
    const path = join(tempDir('dump-wr-'), 'w.db');
    const db = await openDatabase(path);
    db.exec('CREATE TABLE w (k INTEGER PRIMARY KEY, a INTEGER) WITHOUT ROWID');
    for (const sql of indexes) db.exec(sql);
    db.exec('INSERT INTO w VALUES (1, 3), (2, 1), (3, 2)');
    db.close();
    const lines = (await dumpDatabase(path)).bytes.toString('utf8').split('\n');
    inserts.push(lines.filter((line) => line.startsWith('INSERT')).join(' '));
  }
  const expected = 'INSERT INTO "w" VALUES(1,3); INSERT INTO "w" VALUES(2,1); INSERT INTO "w" VALUES(3,2);';
  assert.deepEqual(inserts, [expected, expected, expected]);
});

test('dump → restore with the sqlite3 CLI → dump gives the same bytes', async () => {
  const first = await base();
  const second = (await dumpDatabase(restoreWithCli(first))).bytes;
  assert.ok(second.equals(first));
  const rich = join(tempDir('dump-rich-'), 'rich.db');
  await buildRichFixture(rich);
  const richFirst = (await dumpDatabase(rich)).bytes;
  const richSecond = (await dumpDatabase(restoreWithCli(richFirst))).bytes;
  assert.equal(richSecond.length, richFirst.length);
  assert.ok(richSecond.equals(richFirst));
});

let writer: ChildProcess | undefined;
after(() => {
  if (writer && writer.exitCode === null && writer.signalCode === null) writer.kill('SIGKILL');
});

const WRITER_SCRIPT = `
import { loadSqlite } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'src/core/sqlite/sqlite.ts')).href)};
const Database = await loadSqlite();
const db = new Database(process.argv[2]);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = OFF');
const take = db.prepare('UPDATE a_acct SET bal = bal - 1 WHERE id = 1');
const note = db.prepare('INSERT INTO m_journal (note) VALUES (?)');
const give = db.prepare('UPDATE z_acct SET bal = bal + 1 WHERE id = 1');
const move = db.transaction((i) => { take.run(); note.run('move ' + i); give.run(); });
const deadline = Date.now() + 6000;
for (let i = 0; i < 500000 && Date.now() < deadline; i++) {
  move.immediate(i);
  if (i === 0) process.stdout.write('ready\\n');
}
db.close();
`;

test('a DB being written while dumped gives a consistent snapshot (one read transaction)', async () => {
  const dir = tempDir('dump-live-');
  const path = join(dir, 'live.db');
  const db = await openDatabase(path);
  db.pragma('journal_mode = WAL');
  // Tables are dumped a_acct, m_journal, z_acct: a torn read sees the journal move ahead of the balances.
  db.exec(`CREATE TABLE a_acct (id INTEGER PRIMARY KEY, bal INTEGER);
    CREATE TABLE m_journal (id INTEGER PRIMARY KEY, note TEXT);
    CREATE TABLE z_acct (id INTEGER PRIMARY KEY, bal INTEGER);
    INSERT INTO a_acct VALUES (1, 1000000); INSERT INTO z_acct VALUES (1, 0);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
      INSERT INTO m_journal (note) SELECT 'seed ' || i FROM n;`);
  db.close();
  const script = join(dir, 'writer.mjs');
  writeFileSync(script, WRITER_SCRIPT);
  const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  writer = child;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
  });

  assert.ok(existsSync(`${path}-wal`), 'the writer is live in WAL mode while dumped');
  const moves: number[] = [];
  for (let i = 0; i < 6; i++) {
    const restored = restoreWithCli((await dumpDatabase(path)).bytes);
    const [a, z, journal] = sqlite3(
      restored,
      'SELECT (SELECT bal FROM a_acct), (SELECT bal FROM z_acct), (SELECT count(*) FROM m_journal);',
    )
      .trim()
      .split('|')
      .map(Number);
    assert.equal(a! + z!, 1000000, `dump ${i}: balances sum`);
    assert.equal(journal! - 30000, z!, `dump ${i}: one journal row per move`);
    moves.push(z!);
    await sleep(40);
  }
  assert.ok(new Set(moves).size >= 3, `the writer made progress between dumps: ${moves.join(', ')}`);
  child.kill('SIGKILL');
  await exited;
});
