/** docs/format.md §4.4: absent, empty, or SQLite with no rows but bookkeeping, judged after recovery. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BOOKKEEPING_TABLES, checkFreshness, isBookkeepingTable } from '../../../src/core/place/fresh.ts';
import { openDatabase, sqlite3, tempDir } from '../../helpers.ts';
import { crashAfter } from '../../sqliteChild.ts';

async function makeDb(path: string, sql: string): Promise<void> {
  const db = await openDatabase(path);
  db.exec(sql);
  db.close();
}

/** The -wal of a DB whose only content (a table with a row) was never checkpointed. */
async function walWithRows(): Promise<Buffer> {
  const path = join(tempDir('fresh-wal-src-'), 'src.db');
  const db = await openDatabase(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('ann')");
  const wal = readFileSync(`${path}-wal`);
  db.close();
  assert.ok(wal.length > 4096);
  return wal;
}

const count = async (path: string, sql: string): Promise<unknown> => {
  const db = await openDatabase(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
};

test('an absent target is fresh and is not created by the check', async () => {
  const dir = tempDir('fresh-');
  assert.deepEqual(await checkFreshness(join(dir, 'app.db')), { fresh: true, reason: 'does not exist' });
  assert.deepEqual(readdirSync(dir), [], 'no file, journal or WAL appeared');
});

test('a zero-byte file is fresh, even beside a stray WAL full of rows (SQLite discards it); a directory is not', async () => {
  const dir = tempDir('fresh-');
  writeFileSync(join(dir, 'empty.db'), '');
  assert.deepEqual(await checkFreshness(join(dir, 'empty.db')), { fresh: true, reason: 'is empty (0 bytes)' });
  const strayWal = await walWithRows();
  writeFileSync(join(dir, 'empty.db-wal'), strayWal);
  const db = await openDatabase(join(dir, 'empty.db'));
  assert.equal(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get(), 0, 'SQLite itself ignores the WAL');
  db.close();
  assert.ok(!existsSync(join(dir, 'empty.db-wal')), 'and deletes it');
  mkdirSync(join(dir, 'folder.db'));
  assert.deepEqual(await checkFreshness(join(dir, 'folder.db')), { fresh: false, reason: 'is not a regular file' });
});

test('a schema-only DB is fresh, even with sqlite_sequence and sqlite_stat1 rows and an empty fts5 table', async () => {
  const path = join(tempDir('fresh-'), 'schema.db');
  await makeDb(
    path,
    `CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT UNIQUE);
     CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
     CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
     CREATE INDEX orders_user ON orders(user_id);
     CREATE VIEW big_users AS SELECT * FROM users WHERE id > 10;
     CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN SELECT 1; END;
     CREATE VIRTUAL TABLE docs USING fts5(body);
     INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');
     ANALYZE;
     DELETE FROM users;`,
  );
  // The internal tables really hold rows, so the check must be ignoring them, not finding them empty.
  assert.ok(Number(await count(path, 'SELECT count(*) FROM sqlite_sequence')) > 0);
  assert.ok(Number(await count(path, 'SELECT count(*) FROM sqlite_stat1')) > 0);
  assert.ok(Number(await count(path, 'SELECT count(*) FROM docs_config')) > 0, 'fts5 shadow table has rows');
  const result = await checkFreshness(path);
  assert.equal(result.fresh, true, result.reason);
});

test('rows only in migration bookkeeping tables (any case) still count as fresh', async () => {
  const path = join(tempDir('fresh-'), 'migrated.db');
  // SQLite refuses to create user tables named sqlite_*, so those entries cannot be built here.
  const tables = BOOKKEEPING_TABLES.filter((name) => !name.startsWith('sqlite_'));
  assert.ok(tables.includes('schema_migrations') && tables.includes('_prisma_migrations') && tables.length >= 7);
  const sql = tables.map(
    (name, i) => `CREATE TABLE "${i % 2 ? name.toUpperCase() : name}" (v); INSERT INTO "${name}" VALUES (1);`,
  );
  await makeDb(path, `${sql.join('\n')} CREATE TABLE users (id INTEGER PRIMARY KEY);`);
  assert.deepEqual(await checkFreshness(path), { fresh: true, reason: 'holds no rows besides migration bookkeeping' });
  assert.equal(isBookkeepingTable('Goose_Db_Version'), true);
  assert.equal(isBookkeepingTable('schema_migrations_backup'), false);
});

test('one row in a user table makes it populated, and the reason names the first such table', async () => {
  const path = join(tempDir('fresh-'), 'app.db');
  await makeDb(
    path,
    `CREATE TABLE schema_migrations (version INTEGER); INSERT INTO schema_migrations VALUES (3);
     CREATE TABLE zebra (v); INSERT INTO zebra VALUES (1);
     CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann');
     CREATE TABLE accounts (id INTEGER PRIMARY KEY);`,
  );
  assert.deepEqual(await checkFreshness(path), { fresh: false, reason: 'table "users" holds rows' });

  const rowInWithoutRowid = join(tempDir('fresh-'), 'kv.db');
  await makeDb(
    rowInWithoutRowid,
    `CREATE TABLE "odd ""name""" (k PRIMARY KEY) WITHOUT ROWID; INSERT INTO "odd ""name""" VALUES (1);`,
  );
  assert.deepEqual(await checkFreshness(rowInWithoutRowid), {
    fresh: false,
    reason: 'table "odd \\"name\\"" holds rows',
  });
});

test('a file that is not SQLite is never fresh, and a stray journal beside it is not applied to it', async () => {
  const dir = tempDir('fresh-');
  const text = join(dir, 'notes.db');
  writeFileSync(text, 'this is not a database\n'.repeat(50));
  writeFileSync(`${text}-journal`, Buffer.alloc(4096, 7));
  const result = await checkFreshness(text);
  assert.equal(result.fresh, false);
  assert.match(result.reason, /not a SQLite database/);
  assert.equal(readFileSync(text, 'utf8'), 'this is not a database\n'.repeat(50));
  assert.ok(existsSync(`${text}-journal`));

  // Right magic, nonsense after it: only SQLite can tell, and it says NOTADB.
  const fake = join(dir, 'fake.db');
  writeFileSync(fake, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 0xff)]));
  const faked = await checkFreshness(fake);
  assert.equal(faked.fresh, false);
  assert.match(faked.reason, /not a SQLite database \(SQLite: /);
});

test('a symbolic link is reported as such, even when it points at an empty DB', async () => {
  const dir = tempDir('fresh-');
  writeFileSync(join(dir, 'real.db'), '');
  symlinkSync(join(dir, 'real.db'), join(dir, 'link.db'));
  assert.deepEqual(await checkFreshness(join(dir, 'link.db')), { fresh: false, reason: 'is a symbolic link' });
});

test('a hot journal is rolled back in a private copy: its half-written rows do not count, the target is not written', async () => {
  const dir = tempDir('fresh-hot-');
  const path = join(dir, 'crashed.db');
  // Committed state: an empty table. The open transaction spills inserted rows into the DB file itself.
  await crashAfter(
    path,
    `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE u (id INTEGER PRIMARY KEY, v TEXT);
     PRAGMA cache_size = 2; BEGIN; INSERT INTO t VALUES (1, 'x');
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
       INSERT INTO u SELECT i, printf('%0200d', i) FROM n;`,
  );
  assert.ok(existsSync(`${path}-journal`), 'the killed writer left a hot journal');
  // Without its journal the same bytes read as populated: that is what an unrecovered read would see.
  const rawCopy = join(tempDir('fresh-hot-copy-'), 'raw.db');
  copyFileSync(path, rawCopy);
  assert.equal((await checkFreshness(rawCopy)).fresh, false, 'the raw file holds the uncommitted rows');

  const bytes = readFileSync(path);
  const journal = readFileSync(`${path}-journal`);
  assert.deepEqual(await checkFreshness(path), { fresh: true, reason: 'holds no rows besides migration bookkeeping' });
  assert.ok(readFileSync(path).equals(bytes), 'judging it did not roll the journal back into the target');
  assert.ok(readFileSync(`${path}-journal`).equals(journal), 'the journal is left for its application to recover');
  assert.deepEqual(readdirSync(dir).sort(), ['crashed.db', 'crashed.db-journal']);
  assert.equal(sqlite3(path, 'SELECT count(*) FROM t;').trim(), '0', 'recovered by its opener, it is empty as judged');
});

test('rows committed only to the WAL of a crashed writer count: a WAL DB is judged after replay', async () => {
  const dir = tempDir('fresh-wal-');
  const path = join(dir, 'wal.db');
  await crashAfter(
    path,
    `PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
     CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann');`,
  );
  assert.ok(existsSync(`${path}-wal`), 'the rows are only in the -wal file');
  const mainOnly = join(tempDir('fresh-wal-copy-'), 'main-only.db');
  copyFileSync(path, mainOnly);
  assert.equal((await checkFreshness(mainOnly)).fresh, true, 'the main file alone looks fresh');
  assert.deepEqual(await checkFreshness(path), { fresh: false, reason: 'table "users" holds rows' });
});
