/**
 * Exact per-table row counts against the dump, checked right after loading and before any
 * migration: rows that a trigger of the dump deletes or adds while it loads, or that a load loses,
 * stop the restore with the table named; a dump loaded exactly (multi-row INSERTs, odd spellings
 * of a table's name) passes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { insertedRows, rowCountProblems, tableKey } from '../../../src/core/load/rowCounts.ts';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { verifyWithRestoreProof } from '../../../src/core/restore/restoreProof.ts';
import { openDatabase, sqlite3, tempDir } from '../../helpers.ts';
import { expectRefusal, snapshotFromDump } from '../restore/restoreFixtures.ts';

const dump = (...statements: string[]): string =>
  ['PRAGMA foreign_keys=OFF;', 'BEGIN TRANSACTION;', ...statements, 'COMMIT;', ''].join('\n');

/** A dump whose schema carries a trigger that fires while the rows load: it drops even ids into a log. */
const DROPPING_DUMP = dump(
  'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);',
  'CREATE TABLE log (id INTEGER PRIMARY KEY, note TEXT);',
  "CREATE TRIGGER t_drop AFTER INSERT ON t WHEN new.id % 2 = 0 BEGIN DELETE FROM t WHERE id = new.id; INSERT INTO log(note) VALUES ('dropped'); END;",
  ...[1, 2, 3, 4, 5, 6].map((id) => `INSERT INTO "t" VALUES(${id},'row ${id}');`),
);

test('rows a trigger drops while the dump loads stop the restore, each table named with both counts', async () => {
  const target = join(tempDir('rows-drop-'), 'app.db');
  // A migration that would put the rows back must not hide the loss: the counts are taken before it.
  const migrateCommand = `sqlite3 {db} "INSERT INTO t VALUES (2,'back'), (4,'back'), (6,'back'); DELETE FROM log;"`;
  const error = await expectRefusal(
    restoreSnapshot({ snapshotDir: snapshotFromDump(DROPPING_DUMP), target, migrateCommand, integrity: 'quick' }),
    'sanity',
  );
  assert.match(error.message, /does not hold exactly the rows of the dump/);
  assert.match(error.message, /\n {2}- table "log" holds 3 rows after loading; the dump inserted 0/);
  assert.match(error.message, /\n {2}- table "t" holds 3 rows after loading; the dump inserted 6/);
  assert.ok(error.hint);
});

test('the full check counts rows too, and so does the restore proof', async () => {
  const snapshot = snapshotFromDump(DROPPING_DUMP);
  await expectRefusal(
    restoreSnapshot({ snapshotDir: snapshot, target: join(tempDir('rows-full-'), 'app.db'), integrity: 'full' }),
    'sanity',
    /table "t" holds 3 rows after loading; the dump inserted 6/,
  );
  const report = await verifyWithRestoreProof(snapshot, {}, { requireTables: ['t'], workDir: tempDir('rows-proof-') });
  assert.equal(report.ok, false);
  assert.match(report.checks.at(-1)?.actual ?? '', /table "t" holds 3 rows after loading; the dump inserted 6/);
});

test('a dump loaded exactly passes: multi-row INSERTs, column lists, a name spelled four ways', async () => {
  const target = join(tempDir('rows-exact-'), 'app.db');
  const result = await restoreSnapshot({
    snapshotDir: snapshotFromDump(
      dump(
        'CREATE TABLE "Items" (id INTEGER PRIMARY KEY, v TEXT, w);',
        'INSERT INTO "Items" VALUES(1,\'one (1)\',NULL);',
        "INSERT INTO items VALUES(2,'two',X'00'),(3,'(three)',-1e999);",
        "INSERT INTO [ITEMS](id, v) VALUES(4,'four');",
        "INSERT INTO `iTeMs` VALUES (5,'five',replace('a\\nb','\\n',char(10))), (6, 'six', CAST(X'41' AS TEXT));",
        'CREATE TABLE empty (x);',
      ),
    ),
    target,
  });
  assert.equal(result.stats.rows, 6);
  assert.equal(sqlite3(target, 'SELECT count(*) FROM Items;').trim(), '6');
});

test('rowCountProblems compares every user table, names escaped, and insertedRows counts VALUES groups', async () => {
  const db = await openDatabase(join(tempDir('rows-unit-'), 'restored.db'));
  db.exec(`CREATE TABLE "we""ird
name" (x); CREATE TABLE plain (x); CREATE TABLE kept (id INTEGER PRIMARY KEY AUTOINCREMENT);
    INSERT INTO "we""ird
name" VALUES (1), (2); INSERT INTO kept DEFAULT VALUES;`);
  const weird = 'we"ird\nname';
  assert.deepEqual(
    rowCountProblems(
      db,
      new Map([
        [weird, 2],
        ['KEPT', 1],
      ]),
    ),
    [],
  );
  const problems = rowCountProblems(
    db,
    new Map([
      [weird, 3],
      ['ghost', 1],
    ]),
  );
  assert.deepEqual(problems, [
    'table "kept" holds 1 row after loading; the dump inserted 0',
    'table "we\\"ird\\nname" holds 2 rows after loading; the dump inserted 3',
    'the dump inserted 1 row into "ghost", which is not a table of the restored database',
  ]);
  // sqlite_sequence is SQLite's own: never compared.
  assert.ok(problems.every((problem) => !problem.includes('sqlite_')));
  assert.equal(tableKey('ÄbC'), 'Äbc', 'ASCII letters fold, as SQLite folds names; others do not');

  assert.deepEqual(insertedRows("INSERT INTO t VALUES(1,'a')"), { table: 't', rows: 1 });
  assert.deepEqual(insertedRows("INSERT INTO \"t\" (a, b) VALUES (1, '(x)'), ((2), replace('y', 'z', char(10)))"), {
    table: 't',
    rows: 2,
  });
  assert.deepEqual(insertedRows('INSERT INTO [odd "name"] VALUES (1),(2),(3);'), { table: 'odd "name"', rows: 3 });
  assert.equal(insertedRows('CREATE TABLE t (x)'), undefined);
});
