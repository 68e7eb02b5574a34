/** The build command's fixture options, as a user runs them: migrations, seeds, queries, exit codes. */
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSha256, REPO_ROOT, runCli, sqlite3, tempDir } from '../helpers.ts';

const EXAMPLES = join(REPO_ROOT, 'examples');

test('build --migrations --seed (twice) --control-version-query: the example snapshot, versions and their sources', async () => {
  const dir = tempDir('build-cli-');
  const extraSeed = join(dir, 'extra.sql');
  writeFileSync(extraSeed, "INSERT INTO settings (scope, key, value) VALUES ('node', 'extra', 1);\n");
  const out = join(dir, 'snapshot');
  const run = await runCli([
    'build',
    '--migrations',
    join(EXAMPLES, 'migrations'),
    '--seed',
    join(EXAMPLES, 'seed.sql'),
    '--seed',
    extraSeed,
    '--out',
    out,
    '--control-version-query',
    'SELECT cursor FROM control WHERE id = 1',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /db_migration_version "4" \(.*snapshot_migrations\)/);
  assert.match(run.stdout, /control_version 9007199254740993 \(query\)/);
  const manifest = readFileSync(join(out, 'manifest.json'), 'utf8');
  assert.match(manifest, /"control_version": 9007199254740993,/);
  assert.match(readFileSync(join(out, 'snapshot.sql'), 'utf8'), /INSERT INTO "settings" VALUES\('node','extra',1\);/);
});

test('a failing migration exits 1 naming the file; a bad version query exits 2 naming the query', async () => {
  const dir = tempDir('build-cli-fail-');
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '0001_init.sql'), 'CREATE TABLE t(x);\nINSERT INTO nowhere VALUES (1);\n');
  const failed = await runCli(['build', '--migrations', migrations, '--out', join(dir, 'a')]);
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /0001_init\.sql line 2: no such table: nowhere/);
  assert.equal(existsSync(join(dir, 'a')), false);

  const badQuery = await runCli([
    'build',
    '--out',
    join(dir, 'b'),
    '--allow-empty',
    '--control-version-query',
    "SELECT 'abc'",
  ]);
  assert.equal(badQuery.code, 2);
  assert.match(badQuery.stderr, /SELECT 'abc'/);
  assert.equal(existsSync(join(dir, 'b')), false);
});

test('restore --migrations brings an older snapshot to the newer migrations', async () => {
  const dir = tempDir('restore-cli-migrate-');
  const out = join(dir, 'snapshot');
  const built = await runCli(['build', '--migrations', join(EXAMPLES, 'migrations'), '--out', out]);
  assert.equal(built.code, 0, built.stderr);
  const newer = join(dir, 'newer');
  cpSync(join(EXAMPLES, 'migrations'), newer, { recursive: true });
  writeFileSync(join(newer, '0005_zones.sql'), 'ALTER TABLE nodes ADD COLUMN zone TEXT;\n');
  const target = join(dir, 'app.db');
  const restored = await runCli([
    'restore',
    out,
    '--db',
    target,
    '--migrations',
    newer,
    '--check-sql',
    "SELECT count(*) FROM pragma_table_info('nodes') WHERE name = 'zone'",
  ]);
  assert.equal(restored.code, 0, restored.stderr);
});

test('restore reports as many rows as build wrote (sqlite_sequence is bookkeeping, not rows)', async () => {
  const dir = tempDir('rows-');
  const out = join(dir, 'snapshot');
  const built = await runCli([
    'build',
    '--migrations',
    join(EXAMPLES, 'migrations'),
    '--seed',
    join(EXAMPLES, 'seed.sql'),
    '--out',
    out,
    '--json',
  ]);
  assert.equal(built.code, 0, built.stderr);
  const restored = await runCli(['restore', out, '--db', join(dir, 'app.db'), '--json']);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(
    readFileSync(join(out, 'snapshot.sql'), 'utf8'),
    /INSERT INTO "sqlite_sequence"/,
    'the example has an AUTOINCREMENT counter',
  );
  assert.equal(JSON.parse(restored.stdout).rows, JSON.parse(built.stdout).rows);
});

test('an --out that is a file and a restore target that is a directory get messages that say so', async () => {
  const dir = tempDir('wrong-kind-');
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const built = await runCli(['build', '--out', file]);
  assert.equal(built.code, 2);
  assert.match(built.stderr, /The output directory .*a-file is a file, not a directory/);
  assert.doesNotMatch(built.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(readFileSync(file, 'utf8'), 'not a directory');

  const snapshot = join(dir, 'snapshot');
  assert.equal((await runCli(['build', '--out', snapshot, '--allow-empty'])).code, 0);
  const target = join(dir, 'a-directory');
  mkdirSync(target);
  const restored = await runCli(['restore', snapshot, '--db', target, '--force']);
  assert.equal(restored.code, 1);
  assert.match(restored.stderr, /a-directory is not a regular file/);
  assert.doesNotMatch(restored.stderr, /--force/, '--force would not help');
});

test('a --db that is the output dump or manifest (any spelling, a link) is refused before any work, naming both', async () => {
  const dir = tempDir('own-input-');
  const out = join(dir, 'out');
  mkdirSync(out);
  const dump = join(out, 'snapshot.sql');
  const manifest = join(out, 'manifest.json');
  sqlite3(dump, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
  sqlite3(manifest, 'CREATE TABLE m(x); INSERT INTO m VALUES (2);');
  const before = [fileSha256(dump), fileSha256(manifest)];
  symlinkSync(manifest, join(dir, 'link.db'));
  linkSync(dump, join(dir, 'hard.db'));
  const cases: [string, string][] = [
    [dump, dump],
    [`${out}/./../out/snapshot.sql`, dump],
    [join(dir, 'link.db'), manifest],
    [join(dir, 'hard.db'), dump],
  ];
  for (const [database, output] of cases) {
    for (const extra of [[], ['--seed', join(REPO_ROOT, 'examples', 'seed.sql')]]) {
      const run = await runCli(['build', '--db', database, '--out', out, ...extra]);
      assert.equal(run.code, 2, `${database}: ${run.stderr}`);
      assert.ok(run.stderr.includes(database), `names the --db path: ${run.stderr}`);
      assert.ok(run.stderr.includes(output), `names the output path: ${run.stderr}`);
      assert.match(run.stderr, /--out/, 'the hint says what to change');
      assert.deepEqual([fileSha256(dump), fileSha256(manifest)], before, `${database} was overwritten`);
      assert.deepEqual(readdirSync(out).sort(), ['manifest.json', 'snapshot.sql'], 'nothing staged');
    }
  }
  // Another database in the same directory is a fine input.
  const other = join(out, 'fixture.db');
  sqlite3(other, 'CREATE TABLE t(x); INSERT INTO t VALUES (3);');
  const built = await runCli(['build', '--db', other, '--out', out]);
  assert.equal(built.code, 0, built.stderr);
  assert.match(readFileSync(dump, 'utf8'), /INSERT INTO "t" VALUES\(3\);/);
});

test('a --db with a trailing separator names a directory: a file there is refused, with or without migrations', async () => {
  const dir = tempDir('trailing-');
  const database = join(dir, 'app.db');
  sqlite3(database, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
  for (const extra of [[], ['--migrations', join(EXAMPLES, 'migrations')]]) {
    const out = join(dir, `out${extra.length}`);
    const run = await runCli(['build', '--db', `${database}/`, '--out', out, ...extra]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(`${database}/`), run.stderr);
    assert.match(run.stderr, /ends with a path separator/);
    assert.match(run.stderr, /is a file/);
    assert.match(run.stderr, /hint: .*--db .*without the trailing/);
    assert.equal(existsSync(out), false, 'nothing written');
  }
});

test('a directory where snapshot.sql or manifest.json goes is refused before anything is moved', async () => {
  const dir = tempDir('in-the-way-');
  const database = join(dir, 'app.db');
  sqlite3(database, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
  for (const [inTheWay, other] of [
    ['manifest.json', 'snapshot.sql'],
    ['snapshot.sql', 'manifest.json'],
  ] as const) {
    const out = join(dir, `out-${inTheWay}`);
    mkdirSync(join(out, inTheWay), { recursive: true });
    writeFileSync(join(out, other), 'the old file\n');
    const run = await runCli(['build', '--db', database, '--out', out]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes(join(out, inTheWay)), run.stderr);
    assert.match(run.stderr, /is a directory/);
    assert.equal(readFileSync(join(out, other), 'utf8'), 'the old file\n', `${other} untouched`);
    assert.deepEqual(readdirSync(out).sort(), [inTheWay, other].sort(), 'nothing staged is left');
  }
});
