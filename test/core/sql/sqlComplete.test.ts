import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCompleteStatement, scanStatements } from '../../../src/core/sql/sqlComplete.ts';
import { openDatabase } from '../../helpers.ts';

test('agrees with SQLite on which texts are complete statements', async () => {
  const cases: [string, boolean][] = [
    ['SELECT 1;', true],
    ['SELECT 1', false],
    ['', false],
    ['   ', false],
    [';', true],
    ['SELECT 1; ', true],
    ["SELECT ';'", false],
    ["SELECT ';';", true],
    ['SELECT "a;b";', true],
    ['SELECT [a;b];', true],
    ['SELECT `a;b`;', true],
    ['SELECT 1; -- trailing', true],
    ['SELECT 1 -- comment;', false],
    ['SELECT 1 /* ; */', false],
    ['SELECT 1 /* ; */;', true],
    ['SELECT 1 /* open ;', false],
    ['CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;', false],
    ['CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;', true],
    ['CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;', true],
    ['create temporary trigger t after insert on x begin select 1; end ;', true],
    ['CREATE TABLE end(x);', true],
    ["SELECT 'it''s;", false],
    ["SELECT 'it''s';", true],
  ];
  for (const [sql, expected] of cases) {
    assert.equal(isCompleteStatement(sql), expected, `isCompleteStatement(${JSON.stringify(sql)})`);
  }
});

test('splits a script at statement ends, keeping trigger bodies whole', () => {
  const script =
    "INSERT INTO t VALUES(';');\nCREATE TRIGGER g AFTER INSERT ON t BEGIN UPDATE t SET a=1; DELETE FROM t; END;\nCOMMIT;\n";
  const { ends } = scanStatements(script);
  const statements = ends.map((end, i) => script.slice(i === 0 ? 0 : ends[i - 1], end).trim());
  assert.deepEqual(statements, [
    "INSERT INTO t VALUES(';');",
    'CREATE TRIGGER g AFTER INSERT ON t BEGIN UPDATE t SET a=1; DELETE FROM t; END;',
    'COMMIT;',
  ]);
});

test('a trigger body accepted by SQLite is one complete statement', async () => {
  const db = await openDatabase(':memory:');
  const sql = 'CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;';
  db.exec('CREATE TABLE t(a)');
  db.exec(sql);
  assert.ok(isCompleteStatement(sql));
  assert.ok(!isCompleteStatement(sql.slice(0, -5)));
  db.close();
});
