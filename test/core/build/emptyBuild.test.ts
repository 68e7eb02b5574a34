/** A build of nothing fails unless allowed: a misspelt input must not ship an empty snapshot. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { sqlite3, tempDir } from '../../helpers.ts';

const refusesAsEmpty = (error: unknown): boolean =>
  error instanceof SnapshotError && error.kind === 'usage' && /^Nothing to snapshot: /.test(error.message);

test('a build from nothing fails, names what was not given, and leaves no output directory', async () => {
  const out = join(tempDir(), 'out');
  await assert.rejects(buildSnapshot({ outDir: out, env: {} }), (error: unknown) => {
    assert.ok(refusesAsEmpty(error), String(error));
    assert.match((error as Error).message, /no database, no migrations, no seed files given/);
    assert.match((error as SnapshotError).hint ?? '', /\{\{allow-empty\}\}/);
    return true;
  });
  assert.equal(existsSync(out), false);
});

test('an empty database file, and migrations that leave only their bookkeeping, are empty too', async () => {
  const dir = tempDir();
  const emptyDb = join(dir, 'empty.db');
  sqlite3(emptyDb, 'PRAGMA user_version = 1;');
  await assert.rejects(buildSnapshot({ database: emptyDb, outDir: join(dir, 'a'), env: {} }), refusesAsEmpty);

  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  writeFileSync(join(migrations, '0001_nothing.sql'), '-- nothing yet\n');
  await assert.rejects(buildSnapshot({ migrations, outDir: join(dir, 'b'), env: {} }), refusesAsEmpty);
});

test('the snapshot already in the output directory survives a refused empty build', async () => {
  const dir = tempDir();
  const db = join(dir, 'app.db');
  sqlite3(db, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
  const out = join(dir, 'out');
  await buildSnapshot({ database: db, outDir: out, env: {} });
  const before = readFileSync(join(out, 'snapshot.sql'));
  await assert.rejects(buildSnapshot({ outDir: out, env: {} }), refusesAsEmpty);
  assert.deepEqual(readFileSync(join(out, 'snapshot.sql')), before);
});

test('allowEmpty builds the empty snapshot; a schema without rows, or a lone view, is not empty', async () => {
  const dir = tempDir();
  const empty = await buildSnapshot({ outDir: join(dir, 'empty'), env: {}, allowEmpty: true });
  assert.equal(empty.tables, 0);
  assert.equal(empty.rows, 0);
  // The empty dump still restores with the sqlite3 CLI.
  sqlite3(join(dir, 'check.db'), readFileSync(empty.dumpPath, 'utf8'));

  const schemaOnly = join(dir, 'schema.db');
  sqlite3(schemaOnly, 'CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT);');
  assert.equal((await buildSnapshot({ database: schemaOnly, outDir: join(dir, 's'), env: {} })).tables, 1);

  const viewOnly = join(dir, 'view.db');
  sqlite3(viewOnly, 'CREATE VIEW answer AS SELECT 42 AS value;');
  const view = await buildSnapshot({ database: viewOnly, outDir: join(dir, 'v'), env: {} });
  assert.match(readFileSync(view.dumpPath, 'utf8'), /CREATE VIEW answer/);
});
