import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listMigrations, MIGRATIONS_TABLE, runMigrations } from '../../../src/core/migrate/migrations.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { runSqlScript, splitStatements } from '../../../src/core/sqlite/sqlScript.ts';
import { openDatabase, tempDir } from '../../helpers.ts';

const ENV = { SOURCE_DATE_EPOCH: '1700000000' };
const STAMP = '2023-11-14T22:13:20Z';

function migrationsDir(files: Record<string, string>): string {
  const dir = tempDir('snapshot-migrations-');
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const tableExists = (db: Database, name: string): boolean =>
  db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?").pluck().get(name) === 1;

const bookkeeping = (db: Database): unknown[] =>
  db.prepare(`SELECT version, name, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY CAST(version AS INTEGER)`).all();

const steps = (db: Database): unknown[] => db.prepare('SELECT step FROM log ORDER BY rowid').pluck().all();

/** Asserts a SnapshotError of `kind` whose message matches every pattern. */
function rejects(kind: string, ...patterns: RegExp[]): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof SnapshotError, `expected a SnapshotError, got ${error}`);
    assert.equal(error.kind, kind, error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  };
}

const literal = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

test('applies migrations in numeric order, ignores down and non-migration files, records each', async () => {
  const dir = migrationsDir({
    '0001_init.sql': 'CREATE TABLE log(step TEXT NOT NULL);\n',
    // 10 needs the table made by 2: a lexical sort (10 before 2) would fail here.
    '10_c.sql': "INSERT INTO items VALUES ('c');\nINSERT INTO log VALUES ('c');\n",
    '2_b.sql': "CREATE TABLE items(name TEXT);\nINSERT INTO log VALUES ('b')",
    '2_b.down.sql': 'DROP TABLE items;\n',
    '3-d.up.sql': "INSERT INTO log VALUES ('d');\n",
    'README.md': 'not SQL at all',
    'notes.sql': 'THIS IS NOT SQL;',
    'v5_x.sql': 'THIS IS NOT SQL;',
    '6_text.txt': 'THIS IS NOT SQL;',
  });
  mkdirSync(join(dir, '7_directory.sql'));
  assert.deepEqual(
    listMigrations(dir).map((m) => [m.version, m.name]),
    [
      [1n, '0001_init.sql'],
      [2n, '2_b.sql'],
      [3n, '3-d.up.sql'],
      [10n, '10_c.sql'],
    ],
  );

  const db = await openDatabase(':memory:');
  const result = runMigrations(db, dir, { env: ENV });
  assert.deepEqual(
    result.applied.map((m) => m.path),
    ['0001_init.sql', '2_b.sql', '3-d.up.sql', '10_c.sql'].map((name) => join(dir, name)),
  );
  assert.equal(result.version, '10');
  assert.deepEqual(steps(db), ['b', 'd', 'c'], 'applied in version order; the trailing statement without ; ran');
  assert.ok(tableExists(db, 'items'), 'the down file did not run after the up file');
  assert.deepEqual(bookkeeping(db), [
    { version: '1', name: '0001_init.sql', applied_at: STAMP },
    { version: '2', name: '2_b.sql', applied_at: STAMP },
    { version: '3', name: '3-d.up.sql', applied_at: STAMP },
    { version: '10', name: '10_c.sql', applied_at: STAMP },
  ]);
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'the connection keeps its foreign key setting');
  db.close();
});

test('re-running applies nothing; a newer file added later is the only one applied', async () => {
  const dir = migrationsDir({
    '1_init.sql': 'CREATE TABLE log(step TEXT NOT NULL);\n',
    '2_first.sql': "INSERT INTO log VALUES ('first');\n",
  });
  const db = await openDatabase(':memory:');
  assert.equal(runMigrations(db, dir, { env: ENV }).version, '2');

  const again = runMigrations(db, dir, { env: ENV });
  assert.deepEqual(again, { applied: [], version: '2' });
  assert.deepEqual(steps(db), ['first'], 'no migration ran twice');

  writeFileSync(join(dir, '3_second.sql'), "INSERT INTO log VALUES ('second');\n");
  const later = runMigrations(db, dir, { env: { SOURCE_DATE_EPOCH: '1700000060' } });
  assert.deepEqual(
    later.applied.map((m) => m.name),
    ['3_second.sql'],
  );
  assert.equal(later.version, '3');
  assert.deepEqual(steps(db), ['first', 'second']);
  assert.deepEqual(bookkeeping(db).at(-1), { version: '3', name: '3_second.sql', applied_at: '2023-11-14T22:14:20Z' });
  db.close();
});

test('a broken migration is rolled back, names its file and line, and stops the run', async () => {
  const dir = migrationsDir({
    '1_ok.sql': 'CREATE TABLE t(x);\n',
    '2_broken.sql':
      'CREATE TABLE broken_first(x);\nINSERT INTO t VALUES (1);\nSELEC 1;\nCREATE TABLE broken_after(x);\n',
    '3_later.sql': 'CREATE TABLE later(x);\n',
  });
  const broken = join(dir, '2_broken.sql');
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runMigrations(db, dir, { env: ENV }),
    rejects('invalid', literal(`${broken} line 3: `), /near "SELEC": syntax error/),
  );
  assert.equal(db.inTransaction, false);
  assert.ok(tableExists(db, 't'), 'the earlier migration stays applied');
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 0, "the broken migration's insert was rolled back");
  assert.equal(tableExists(db, 'broken_first'), false, "the broken migration's first statement was rolled back");
  assert.equal(tableExists(db, 'broken_after'), false);
  assert.equal(tableExists(db, 'later'), false, 'later migrations did not run');
  assert.deepEqual(
    bookkeeping(db).map((row) => (row as { version: string }).version),
    ['1'],
  );

  // Once fixed, the next run picks up where the failed one stopped.
  writeFileSync(broken, 'CREATE TABLE broken_first(x);\nINSERT INTO t VALUES (1);\nSELECT 1;\n');
  assert.deepEqual(
    runMigrations(db, dir, { env: ENV }).applied.map((m) => m.name),
    ['2_broken.sql', '3_later.sql'],
  );
  assert.ok(tableExists(db, 'later'));
  db.close();
});

test('a deferred foreign key violation fails at COMMIT, naming the file, and is rolled back', async () => {
  const dir = migrationsDir({
    '1_fk.sql':
      'CREATE TABLE parent(id INTEGER PRIMARY KEY);\n' +
      'CREATE TABLE child(p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);\n' +
      'INSERT INTO child VALUES (1);\n',
  });
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runMigrations(db, dir, { env: ENV }),
    rejects('invalid', literal(join(dir, '1_fk.sql')), /FOREIGN KEY constraint failed/),
  );
  assert.equal(tableExists(db, 'child'), false);
  assert.deepEqual(bookkeeping(db), []);
  db.close();
});

test('two files with the same version are refused, naming both', async () => {
  const dir = migrationsDir({ '1_a.sql': 'CREATE TABLE a(x);', '0001_b.sql': 'CREATE TABLE b(x);' });
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runMigrations(db, dir),
    rejects('usage', literal(join(dir, '1_a.sql')), literal(join(dir, '0001_b.sql')), /same version 1\b/),
  );
  assert.equal(tableExists(db, 'a') || tableExists(db, 'b'), false);
  db.close();
});

test('a missing directory or a file instead of one is an error naming it', async () => {
  const base = tempDir('snapshot-migrations-');
  const db = await openDatabase(':memory:');
  const missing = join(base, 'no-such-dir');
  assert.throws(() => runMigrations(db, missing), rejects('io', literal(missing), /not found/));
  const file = join(base, 'file.sql');
  writeFileSync(file, 'CREATE TABLE x(y);');
  assert.throws(() => runMigrations(db, file), rejects('usage', literal(file), /not a directory/));
  assert.equal(tableExists(db, 'x'), false);
  db.close();
});

test('an empty directory applies nothing and reports no version', async () => {
  const db = await openDatabase(':memory:');
  assert.deepEqual(runMigrations(db, migrationsDir({ 'README.md': '# none yet' })), { applied: [], version: '' });
  db.close();
});

test('a trigger whose body holds semicolons runs as one statement', async () => {
  const dir = migrationsDir({
    '1_trigger.sql': `CREATE TABLE t(x);
CREATE TABLE audit(what TEXT);
CREATE TRIGGER t_insert AFTER INSERT ON t BEGIN
  INSERT INTO audit VALUES ('insert; ' || new.x);
  UPDATE audit SET what = what || ';' WHERE rowid = last_insert_rowid();
END;
INSERT INTO t VALUES (7);
`,
  });
  const db = await openDatabase(':memory:');
  assert.equal(runMigrations(db, dir, { env: ENV }).version, '1');
  assert.deepEqual(db.prepare('SELECT what FROM audit').pluck().all(), ['insert; 7;']);
  db.close();
});

test('a file wrapped in its own BEGIN … COMMIT works and still runs in one transaction', async () => {
  const dir = migrationsDir({
    '1_wrapped.sql': '-- generated\nBEGIN TRANSACTION;\nCREATE TABLE w(x);\nINSERT INTO w VALUES (1);\nCOMMIT;\n',
    '2_lower.sql': 'begin immediate;\nINSERT INTO w VALUES (2);\nend transaction;',
    '3_broken.sql': 'BEGIN;\nINSERT INTO w VALUES (3);\nINSERT INTO nowhere VALUES (3);\nCOMMIT;\n',
  });
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runMigrations(db, dir, { env: ENV }),
    rejects('invalid', literal(`${join(dir, '3_broken.sql')} line 3: no such table: nowhere`)),
  );
  assert.deepEqual(db.prepare('SELECT x FROM w ORDER BY x').pluck().all(), [1, 2], 'row 3 was rolled back');
  assert.deepEqual(
    bookkeeping(db).map((row) => (row as { name: string }).name),
    ['1_wrapped.sql', '2_lower.sql'],
  );
  db.close();
});

test('a COMMIT in the middle of a migration is refused before any migration runs', async () => {
  const dir = migrationsDir({
    '1_first.sql': 'CREATE TABLE first(x);\n',
    '2_split.sql': 'BEGIN;\nCREATE TABLE a(x);\nCOMMIT;\nBEGIN;\nCREATE TABLE b(x);\nCOMMIT;\n',
  });
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runMigrations(db, dir, { env: ENV }),
    rejects('invalid', literal(`${join(dir, '2_split.sql')} line 3: COMMIT inside a migration`)),
  );
  assert.equal(tableExists(db, 'first'), false);
  // ROLLBACK TO a savepoint only unwinds the savepoint: that is allowed.
  writeFileSync(
    join(dir, '2_split.sql'),
    'SAVEPOINT s;\nCREATE TABLE a(x);\nROLLBACK TO s;\nRELEASE s;\nCREATE TABLE b(x);\n',
  );
  assert.equal(runMigrations(db, dir, { env: ENV }).version, '2');
  assert.deepEqual([tableExists(db, 'first'), tableExists(db, 'a'), tableExists(db, 'b')], [true, false, true]);
  db.close();
});

test('runSqlScript names the line where the failing statement starts, past comments and blank lines', async () => {
  const script = [
    '-- header comment; with a semicolon',
    'CREATE TABLE s(x);',
    '',
    '/* a block',
    '   comment; */',
    "INSERT INTO s VALUES ('a;b'); -- trailing comment",
    '-- a comment before the failing statement',
    '',
    '  INSERT INTO missing',
    '  VALUES (2);',
    'INSERT INTO s VALUES (3);',
  ].join('\n');
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runSqlScript(db, script, 'seed.sql'),
    rejects('invalid', /^seed\.sql line 9: no such table: missing$/),
  );
  assert.deepEqual(
    db.prepare('SELECT x FROM s').pluck().all(),
    ['a;b'],
    'statements before the failure ran, none after',
  );
  assert.deepEqual(
    splitStatements(script).map((s) => s.line),
    [2, 6, 9, 11],
  );
  assert.deepEqual(
    splitStatements('\uFEFFSELECT 1;\r\n\r\n;;  /* c */ SELECT 2').map((s) => [s.line, s.text]),
    [
      [1, 'SELECT 1;'],
      [3, 'SELECT 2'],
    ],
  );
  // A trailing statement without ";" still runs and is counted.
  assert.equal(runSqlScript(db, 'INSERT INTO s VALUES (4);\nINSERT INTO s VALUES (5)\n-- end', 'more.sql'), 2);
  assert.deepEqual(db.prepare('SELECT x FROM s ORDER BY rowid').pluck().all(), ['a;b', 4, 5]);
  db.close();
});

test('an invalid SOURCE_DATE_EPOCH fails before any migration runs', async () => {
  const dir = migrationsDir({ '1_a.sql': 'CREATE TABLE a(x);' });
  const db = await openDatabase(':memory:');
  assert.throws(
    () => runMigrations(db, dir, { env: { SOURCE_DATE_EPOCH: 'soon' } }),
    rejects('usage', /SOURCE_DATE_EPOCH/),
  );
  assert.equal(tableExists(db, 'a'), false);
  db.close();
});
