/** docs/format.md §4.3: integrity, foreign keys, required tables, a read-only user query; all problems at once. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkSanity, type SanityOptions } from '../../../src/core/restore/sanity.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, tempDir } from '../../helpers.ts';

const SCHEMA = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), total INTEGER);
  CREATE INDEX orders_total ON orders(total);
  INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
  INSERT INTO orders VALUES (10, 1, 100), (11, 2, 250);`;

async function healthyDb(): Promise<Database> {
  const db = await openDatabase(join(tempDir('sanity-'), 'restored.db'));
  db.exec(SCHEMA);
  return db;
}

/** Runs the checks and returns the refusal's message; fails the test if they pass. */
async function problems(db: Database, options: SanityOptions): Promise<string> {
  try {
    await checkSanity(db, options);
  } catch (error) {
    assert.ok(error instanceof SnapshotError, String(error));
    assert.equal(error.kind, 'sanity');
    assert.match(error.message, /restored\.db failed its sanity checks/);
    return error.message;
  }
  assert.fail('checkSanity accepted a database that should fail');
}

/** The sqlite3 CLI, unlike our defensive binding, can edit sqlite_schema: an index that lies about its table. */
async function corruptIndex(): Promise<Database> {
  const path = join(tempDir('sanity-corrupt-'), 'restored.db');
  const db = await openDatabase(path);
  db.exec(SCHEMA);
  db.close();
  execFileSync('sqlite3', [path], {
    input: `PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = 'CREATE INDEX orders_total ON orders(user_id)' WHERE name = 'orders_total';`,
  });
  return openDatabase(path);
}

test('a healthy DB passes every check, and a falsy or empty check query each fail it', async () => {
  const db = await healthyDb();
  await checkSanity(db, { requireTables: ['users', 'ORDERS'], checkSql: 'SELECT count(*) >= 2 FROM users' });
  const falsy: [string, RegExp][] = [
    ['SELECT count(*) FROM users WHERE id > 99', /returned 0;/],
    ['SELECT NULL', /returned NULL;/],
    ["SELECT ''", /returned '';/],
    ['SELECT 0.0', /returned 0;/],
    ["SELECT x''", /returned a 0-byte blob;/],
    ['SELECT 1 FROM users WHERE 0', /returned no row;/],
  ];
  for (const [checkSql, expected] of falsy) {
    const message = await problems(db, { checkSql });
    assert.match(message, expected, checkSql);
    assert.ok(message.includes(checkSql), 'the query is quoted in the report');
  }
  // Truthy values of every storage class pass.
  for (const checkSql of ["SELECT 'yes'", 'SELECT 9007199254740993', 'SELECT -0.5', "SELECT x'00'"]) {
    await checkSanity(db, { checkSql });
  }
});

test('an integrity failure is reported with SQLite messages', async () => {
  const db = await corruptIndex();
  const message = await problems(db, {});
  assert.match(message, /PRAGMA integrity_check failed: .*orders_total/);
});

test('foreign key violations name the table, the row and the parent', async () => {
  const db = await healthyDb();
  db.pragma('foreign_keys = OFF'); // as a dump loads; the violation must still be found afterwards
  db.exec('INSERT INTO orders VALUES (12, 7, 1), (13, 8, 1)');
  const message = await problems(db, {});
  assert.match(
    message,
    /foreign_key_check found 2 violations: "orders" rowid 12 → missing parent in "users"; "orders" rowid 13/,
  );
});

test('missing required tables are listed together', async () => {
  const db = await healthyDb();
  const message = await problems(db, { requireTables: ['users', 'settings', 'audit_log'] });
  assert.match(message, /required tables missing: "settings", "audit_log"/);
  assert.doesNotMatch(message, /"users"/);
});

test('a check query that fails to run shows its error', async () => {
  const db = await healthyDb();
  assert.match(
    await problems(db, { checkSql: 'SELECT count(*) FROM nope' }),
    /`SELECT count\(\*\) FROM nope` is not one valid SQL statement: no such table: nope/,
  );
  assert.match(await problems(db, { checkSql: 'SELECT id, name FROM users' }), /returns 2 columns/);
});

test('a check query cannot write: writes, multi-statement text and pragmas are refused and change nothing', async () => {
  const db = await healthyDb();
  const attempts = [
    'DELETE FROM users',
    "INSERT INTO users (name) VALUES ('eve') RETURNING id",
    'WITH doomed AS (SELECT 1) DELETE FROM users RETURNING 1',
    'SELECT 1; DELETE FROM users',
    'PRAGMA query_only',
    'UPDATE users SET name = name RETURNING 1',
  ];
  for (const checkSql of attempts) {
    const message = await problems(db, { checkSql });
    assert.match(message, /is not a read-only SELECT|more than one statement/, checkSql);
  }
  assert.equal(db.prepare('SELECT count(*) FROM users').pluck().get(), 2, 'no row was deleted or added');
  assert.equal(db.pragma('query_only', { simple: true }), 0, 'the connection is writable again afterwards');
  // Besides the statement checks, SQLite itself refuses writes while the query runs.
  await checkSanity(db, { checkSql: 'SELECT query_only FROM pragma_query_only' });
  assert.equal(db.pragma('query_only', { simple: true }), 0);
});

test('several problems are reported together in one refusal', async () => {
  const db = await corruptIndex();
  db.pragma('foreign_keys = OFF');
  // The corrupt index is on user_id now, so write only through a table it does not cover.
  db.exec(
    'CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id)); INSERT INTO notes VALUES (1, 42)',
  );
  const message = await problems(db, {
    requireTables: ['users', 'settings'],
    checkSql: 'SELECT count(*) FROM users WHERE 0',
  });
  assert.match(message, /PRAGMA integrity_check failed/);
  assert.match(message, /foreign_key_check found 1 violation: "notes" rowid 1 → missing parent in "users"/);
  assert.match(message, /required table missing: "settings"/);
  assert.match(message, /returned 0;/);
  assert.equal(message.split('\n  - ').length - 1, 4, 'one bullet per problem');
});
