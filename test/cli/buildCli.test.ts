/** The build command's fixture options, as a user runs them: migrations, seeds, queries, exit codes. */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, runCli, sqlite3, tempDir } from '../helpers.ts';

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

  const badQuery = await runCli(['build', '--out', join(dir, 'b'), '--control-version-query', "SELECT 'abc'"]);
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
  assert.equal((await runCli(['build', '--out', snapshot])).code, 0);
  const target = join(dir, 'a-directory');
  mkdirSync(target);
  const restored = await runCli(['restore', snapshot, '--db', target, '--force']);
  assert.equal(restored.code, 1);
  assert.match(restored.stderr, /a-directory is not a regular file/);
  assert.doesNotMatch(restored.stderr, /--force/, '--force would not help');
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
