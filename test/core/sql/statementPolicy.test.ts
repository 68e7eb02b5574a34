/** docs/format.md §4.2: the allow-list of statement kinds a dump contains; everything else is refused with a reason. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { scanStatements } from '../../../src/core/sql/sqlComplete.ts';
import { classifyStatement, type StatementAction } from '../../../src/core/sql/statementPolicy.ts';
import { sqlite3, tempDir } from '../../helpers.ts';
import { buildRichFixture, dumpDatabase } from '../build/dumpFixtures.ts';
import { buildCliCorpus } from '../restore/restoreFixtures.ts';

/** Splits a whole dump the way the loader does (complete.c semantics). */
function statements(text: string): string[] {
  const ends = scanStatements(text).ends;
  return ends.map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end).trim());
}

/** Classifies a dump's statements in order, carrying "ANALYZE came first" as the loader does. */
function classifyAll(list: string[]): StatementAction[] {
  let statistics = false;
  return list.map((sql) => {
    const action = classifyStatement(sql, statistics);
    if (action.kind === 'execute' && action.enablesStatistics) statistics = true;
    return action;
  });
}

const refusedOnes = (list: string[], actions: StatementAction[]): string[] =>
  actions.flatMap((action, i) => (action.kind === 'refuse' ? [`${list[i]!.slice(0, 120)} → ${action.why}`] : []));

let ourStatements: string[] = [];
let cliStatements: string[] = [];

before(async () => {
  const dir = tempDir('policy-');
  const rich = join(dir, 'rich.db');
  await buildRichFixture(rich);
  sqlite3(rich, 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, NULL);');
  ourStatements = statements((await dumpDatabase(rich)).bytes.toString('utf8'));
  const cli = join(dir, 'cli.db');
  await buildCliCorpus(cli);
  cliStatements = statements(execFileSync('sqlite3', [cli, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 }));
});

test('every statement of a dump made by buildSnapshot is accepted, in its role', () => {
  const actions = classifyAll(ourStatements);
  assert.deepEqual(refusedOnes(ourStatements, actions), []);
  assert.equal(ourStatements[0], 'PRAGMA foreign_keys=OFF;');
  assert.deepEqual(actions[0], { kind: 'skip' });
  assert.deepEqual(actions[1], { kind: 'begin' });
  assert.deepEqual(actions.at(-1), { kind: 'commit' });
  const kinds = new Set(actions.slice(2, -1).map((action) => action.kind));
  assert.deepEqual([...kinds], ['execute']);
  // The dump really holds each kind the allow-list is meant for.
  for (const prefix of [
    'CREATE TABLE',
    'INSERT INTO',
    'DELETE FROM sqlite_sequence;',
    'CREATE VIEW',
    'CREATE TRIGGER',
  ]) {
    assert.ok(
      ourStatements.some((sql) => sql.startsWith(prefix)),
      prefix,
    );
  }
  for (const prefix of [
    'CREATE INDEX',
    'CREATE UNIQUE INDEX',
    'PRAGMA user_version=',
    'INSERT INTO "sqlite_sequence" VALUES(',
  ]) {
    assert.ok(
      ourStatements.some((sql) => sql.startsWith(prefix)),
      prefix,
    );
  }
});

test('every statement of a sqlite3 CLI .dump is accepted, sqlite_stat1 rows only after its ANALYZE', () => {
  const actions = classifyAll(cliStatements);
  assert.deepEqual(refusedOnes(cliStatements, actions), []);
  const analyze = cliStatements.indexOf('ANALYZE sqlite_schema;');
  assert.ok(analyze > 0, 'the CLI dump has ANALYZE sqlite_schema');
  assert.deepEqual(actions[analyze], { kind: 'execute', enablesStatistics: true });
  const stat = cliStatements.findIndex((sql) => sql.startsWith('INSERT INTO sqlite_stat1 VALUES('));
  assert.ok(stat > analyze);
  assert.equal(classifyStatement(cliStatements[stat]!, false).kind, 'refuse');
  assert.ok(cliStatements.some((sql) => sql.startsWith('CREATE TABLE IF NOT EXISTS "')));
});

test('CLI and schollz/sqlite3dump forms are accepted', () => {
  const accepted: [string, boolean][] = [
    [`CREATE TABLE IF NOT EXISTS "x"(a INTEGER, "b c" TEXT);`, false],
    ['ANALYZE sqlite_schema;', false],
    ['ANALYZE "sqlite_master";', false],
    [`INSERT INTO sqlite_stat1 VALUES('t','t_i','10 2');`, true],
    ['DELETE FROM sqlite_sequence;', false],
    ['DELETE FROM "sqlite_sequence";', false],
    [`INSERT INTO sqlite_sequence VALUES('t',12);`, false],
    [
      `INSERT INTO t VALUES(replace(replace('a\\r\\nb','\\r',char(13)),'\\n',char(10)),X'00FF',x'ab',-1.5e-7,NULL);`,
      false,
    ],
    [`INSERT INTO "t" VALUES('line one\nline two',-3,CAST(X'610062' AS TEXT));`, false],
    [`INSERT INTO [t](a,b) VALUES(1,2),(3,4);`, false],
    ['PRAGMA user_version=-7;', false],
    ['BEGIN TRANSACTION;', false],
    ['END TRANSACTION;', false],
  ];
  for (const [sql, statistics] of accepted) {
    const action = classifyStatement(sql, statistics);
    assert.notEqual(action.kind, 'refuse', `${sql}: ${action.kind === 'refuse' ? action.why : ''}`);
  }
});

test('a column whose name is also a shell function (edit, readfile) is not mistaken for a call', () => {
  // The name appears bare in CREATE TABLE and in the CREATE INDEX / VIEW statements that use it.
  for (const sql of [
    'CREATE TABLE notes (id INTEGER PRIMARY KEY, edit TEXT, readfile BLOB);',
    'CREATE INDEX notes_edit ON notes (edit);',
  ]) {
    const action = classifyStatement(sql, false);
    assert.deepEqual(action, { kind: 'execute' }, sql);
  }
});

/** Statement → a word its refusal reason must contain (case-insensitive). */
const HOSTILE: [string, RegExp][] = [
  [`ATTACH DATABASE '/tmp/evil.db' AS evil;`, /attach/i],
  [`ATTACH '/tmp/evil.db' AS evil;`, /attach/i],
  ['DETACH DATABASE evil;', /detach/i],
  [`VACUUM INTO '/tmp/copy.db';`, /vacuum/i],
  ['PRAGMA writable_schema=ON;', /writable_schema/i],
  ['PRAGMA journal_mode=WAL;', /journal_mode/i],
  ['PRAGMA trusted_schema=ON;', /trusted_schema/i],
  ['PRAGMA main.user_version=3;', /pragma/i],
  [`PRAGMA user_version='3';`, /user_version/i],
  [`INSERT INTO t VALUES(1, load_extension('/tmp/evil.so'));`, /load_extension/i],
  [`CREATE VIEW v AS SELECT load_extension('/tmp/evil.so') AS x;`, /load_extension/i],
  [`CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT load_extension('/tmp/e.so'); END;`, /load_extension/i],
  [`CREATE TABLE t2 (a DEFAULT (LOAD_EXTENSION('/tmp/evil.so')));`, /load_extension/i],
  [`CREATE VIEW v AS SELECT readfile('/etc/passwd') AS x;`, /readfile/i],
  ['.shell touch /tmp/pwned', /dot-command|\.shell/i],
  ['.load /tmp/evil.so', /dot-command|\.load/i],
  ['SELECT 1;', /select/i],
  ['UPDATE t SET a = 1;', /update/i],
  ['DROP TABLE t;', /drop/i],
  ['ALTER TABLE t ADD COLUMN b;', /alter/i],
  ['REPLACE INTO t VALUES(1);', /replace/i],
  ['INSERT INTO t SELECT * FROM u;', /select/i],
  ['INSERT OR REPLACE INTO t VALUES(1);', /insert/i],
  ['INSERT INTO t VALUES(1) RETURNING *;', /returning|literal/i],
  ['CREATE TABLE main.t (a);', /schema-qualified/i],
  ['INSERT INTO temp.t VALUES(1);', /schema-qualified/i],
  ['INSERT INTO "main"."t" VALUES(1);', /schema-qualified/i],
  ['CREATE INDEX aux.i ON t(x);', /schema-qualified/i],
  ['CREATE TEMP TABLE t (a);', /temp/i],
  ['CREATE TEMPORARY VIEW v AS SELECT 1;', /temp/i],
  ['CREATE VIRTUAL TABLE ft USING fts5(body);', /virtual/i],
  ['CREATE TABLE t AS SELECT 1 AS a;', /as select/i],
  [`INSERT INTO sqlite_schema VALUES('table','x','x',0,'CREATE TABLE x(a)');`, /sqlite_schema/i],
  [`INSERT INTO sqlite_master VALUES('table','x','x',0,'CREATE TABLE x(a)');`, /sqlite_master/i],
  [`INSERT INTO sqlite_stat1 VALUES('t',NULL,'1');`, /without ANALYZE/i],
  ['ROLLBACK;', /rollback/i],
  ['SAVEPOINT s;', /savepoint/i],
  ['RELEASE s;', /release/i],
  ['DELETE FROM t;', /delete/i],
  ['DELETE FROM sqlite_sequence WHERE name = 1;', /delete/i],
  ['INSERT INTO t VALUES(a);', /\ba\b.*literal/i],
  ['INSERT INTO t VALUES("a");', /identifier/i],
  ['INSERT INTO t VALUES([a]);', /identifier/i],
  ['INSERT INTO t VALUES(`a`);', /identifier/i],
  ['INSERT INTO t VALUES((SELECT 1));', /select/i],
  ['INSERT INTO t VALUES(?);', /\?/],
  ['INSERT INTO t VALUES(1 || 2);', /\|/],
  ['BEGIN; ATTACH', /begin|unreadable|extra/i],
  [`INSERT INTO t VALUES('unterminated);`, /unreadable/i],
];

test('statements a dump never contains are refused, each with a reason naming what it is', () => {
  for (const [sql, reason] of HOSTILE) {
    for (const statistics of [false, true]) {
      if (statistics && sql.includes('sqlite_stat1')) continue; // allowed after ANALYZE, by design
      const action = classifyStatement(sql, statistics);
      assert.equal(action.kind, 'refuse', `${sql} was accepted as ${action.kind}`);
      if (action.kind === 'refuse') assert.match(action.why, reason, `${sql}: ${action.why}`);
    }
  }
});

test('load_extension is refused however it is spelled as a function name', () => {
  // SQLite resolves a quoted identifier followed by "(" as a function name too.
  const spelled = [
    `CREATE VIEW v AS SELECT "load_extension"('/tmp/evil.so') AS x;`,
    `CREATE VIEW v AS SELECT [load_extension]('/tmp/evil.so') AS x;`,
    `CREATE VIEW v AS SELECT \`load_extension\`('/tmp/evil.so') AS x;`,
  ];
  const viaSqlite = execFileSync('sqlite3', [':memory:', `SELECT "upper"('works')`], { encoding: 'utf8' });
  assert.equal(viaSqlite.trim(), 'WORKS', 'SQLite calls a function named by a quoted identifier');
  for (const sql of spelled) {
    const action = classifyStatement(sql, false);
    assert.equal(action.kind, 'refuse', `${sql} was accepted`);
  }
});

test('a refusal never depends on letter case or surrounding whitespace and comments', () => {
  for (const sql of [
    'attach  database  ":memory:" as x;',
    '  /* c */ Attach\n\t"x" AS y;',
    '-- note\nVACUUM into "f";',
  ]) {
    assert.equal(classifyStatement(sql, false).kind, 'refuse', sql);
  }
});

test('a refusal reason shows what it quotes from the dump escaped and short: one line, no control characters', () => {
  const evil = `x\u001b[2J\n::error::forged\u202e${'y'.repeat(5000)}`;
  const statements = [
    `INSERT INTO t VALUES("${evil}");`,
    `INSERT INTO t VALUES(${evil.replace(/[^\p{L}]/gu, '')});`,
    `PRAGMA "${evil}"=1;`,
    `INSERT INTO "sqlite_${evil}" VALUES(1);`,
    `INSERT INTO "sqlite_stat_${evil}" VALUES(1);`,
    `INSERT INTO "sqlite_schema" VALUES('${evil}');`,
    `CREATE "${evil}" x;`,
    `"${evil}" x;`,
    `SELECT "${evil}";`,
    `INSERT "${evil}" INTO t VALUES(1);`,
    `CREATE VIEW v AS SELECT "LOAD_EXTENSION"('${evil}');`,
    `INSERT INTO t VALUES(1 ${'\u2028'.repeat(3)});`,
    `\u202eDROP${'z'.repeat(400)} TABLE t;`,
  ];
  for (const sql of statements) {
    const action = classifyStatement(sql, false);
    assert.equal(action.kind, 'refuse', sql.slice(0, 80));
    if (action.kind !== 'refuse') continue;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    assert.doesNotMatch(action.why, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/, action.why.slice(0, 120));
    assert.ok(action.why.length < 300, `short: ${action.why.slice(0, 120)}…`);
  }
  const pragma = classifyStatement(`PRAGMA "${evil}"=1;`, false);
  assert.ok(
    pragma.kind === 'refuse' && pragma.why.includes('x\\u001b[2J\\n::error::forged\\u202e'),
    'escaped, not dropped',
  );
});
