/**
 * Building from a migrated fixture (docs/format.md §5): the fixture file is only read; migrations, a
 * migrate command and seeds shape a private copy; versions are recorded truthfully; restore brings
 * an older snapshot up to newer migrations.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { exampleMigrations, fileSha256, openDatabase, REPO_ROOT, sqlite3, tempDir } from '../../helpers.ts';

const EXAMPLES = join(REPO_ROOT, 'examples');
const sha256 = fileSha256;

async function rejection(promise: Promise<unknown>): Promise<SnapshotError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SnapshotError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

test('migrations and seeds build the example from nothing; versions are detected and queried', async () => {
  const out = join(tempDir('build-'), 'snapshot');
  const result = await buildSnapshot({
    outDir: out,
    migrations: join(EXAMPLES, 'migrations'),
    seeds: [join(EXAMPLES, 'seed.sql')],
    controlVersionQuery: 'SELECT cursor FROM control WHERE id = 1',
  });
  assert.equal(result.manifest.db_migration_version, '4');
  assert.match(result.facts.dbMigrationVersion.source, /snapshot_migrations/);
  assert.equal(result.manifest.control_version, 9007199254740993n);
  // The dump restores (sqlite3 CLI) to the migrated and seeded content, bookkeeping included.
  const restored = join(tempDir('restored-'), 'r.db');
  sqlite3(restored, readFileSync(join(out, 'snapshot.sql'), 'utf8'));
  assert.equal(
    sqlite3(restored, 'SELECT group_concat(version) FROM snapshot_migrations ORDER BY 0+version;').trim(),
    '1,2,3,4',
  );
  assert.equal(sqlite3(restored, 'SELECT count(*) FROM nodes;').trim(), '3');
  assert.equal(sqlite3(restored, "SELECT count(*) FROM sqlite_schema WHERE name = 'control';").trim(), '1');
});

test('two builds of the same migrations and seeds give byte-identical dumps (applied_at does not vary)', async () => {
  const dir = tempDir('reproducible-');
  const build = (name: string) =>
    buildSnapshot({
      outDir: join(dir, name),
      migrations: join(EXAMPLES, 'migrations'),
      seeds: [join(EXAMPLES, 'seed.sql')],
      env: {},
    });
  const first = await build('a');
  await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second, were the clock recorded
  const second = await build('b');
  assert.equal(first.manifest.checksum, second.manifest.checksum);
  // SOURCE_DATE_EPOCH dates created_at, not the content: a release built with it matches a PR built without.
  const dated = await buildSnapshot({
    outDir: join(dir, 'c'),
    migrations: join(EXAMPLES, 'migrations'),
    seeds: [join(EXAMPLES, 'seed.sql')],
    env: { SOURCE_DATE_EPOCH: '1800000000' },
  });
  assert.equal(dated.manifest.checksum, first.manifest.checksum);
  assert.equal(dated.manifest.created_at, '2027-01-15T08:00:00Z');
  assert.match(readFileSync(join(dir, 'a', 'snapshot.sql'), 'utf8'), /'1970-01-01T00:00:00Z'/);
});

test('the fixture file is byte-identical after a build that migrates and seeds a copy of it', async () => {
  const dir = tempDir('fixture-');
  const fixture = join(dir, 'fixture.db');
  sqlite3(
    fixture,
    'PRAGMA journal_mode=WAL; CREATE TABLE before_migrations(x); INSERT INTO before_migrations VALUES (1);',
  );
  const before = sha256(fixture);
  const listing = readdirSync(dir).sort();
  const out = join(dir, 'out');
  const result = await buildSnapshot({ database: fixture, outDir: out, migrations: exampleMigrations(2) });
  assert.equal(sha256(fixture), before);
  assert.deepEqual(
    readdirSync(dir)
      .filter((name) => name !== 'out')
      .sort(),
    listing,
    'no -wal/-shm or copies beside it',
  );
  const dump = readFileSync(join(out, 'snapshot.sql'), 'utf8');
  assert.match(dump, /INSERT INTO "before_migrations" VALUES\(1\);/, 'the fixture content is in the dump');
  assert.match(dump, /CREATE TABLE jobs/, 'the migrations ran on the copy');
  assert.equal(result.manifest.db_migration_version, '2');
});

test('a broken migration is named with its line; nothing is written and the fixture is untouched', async () => {
  const migrations = exampleMigrations(1);
  writeFileSync(
    join(migrations, '0002_broken.sql'),
    'CREATE TABLE ok_table(x);\n\n-- a typo follows\nCREATE TABLEX nope(y);\n',
  );
  const dir = tempDir('broken-');
  const fixture = join(dir, 'fixture.db');
  sqlite3(fixture, 'CREATE TABLE t(x);');
  const before = sha256(fixture);
  const out = join(dir, 'out');
  const error = await rejection(buildSnapshot({ database: fixture, outDir: out, migrations }));
  assert.match(error.message, /0002_broken\.sql line 4/);
  assert.match(error.message, /syntax error/);
  assert.equal(existsSync(out), false, 'no output directory');
  assert.equal(sha256(fixture), before);
});

test('migrate-command gets the path in SNAPSHOT_DB and {db}; its failure shows its output and writes nothing', async () => {
  const dir = tempDir('command-');
  const out = join(dir, 'out');
  const result = await buildSnapshot({
    outDir: out,
    migrateCommand: `sqlite3 "$SNAPSHOT_DB" "CREATE TABLE from_env(x)" && sqlite3 {db} "INSERT INTO from_env VALUES (42); PRAGMA user_version = 7"`,
  });
  assert.match(readFileSync(join(out, 'snapshot.sql'), 'utf8'), /INSERT INTO "from_env" VALUES\(42\);/);
  assert.equal(result.manifest.db_migration_version, '7', 'detected from PRAGMA user_version');

  const failedOut = join(dir, 'failed');
  const error = await rejection(
    buildSnapshot({ outDir: failedOut, migrateCommand: 'echo "migration 0003 failed: no such column" >&2; exit 3' }),
  );
  assert.match(error.message, /exited with 3/);
  assert.match(error.message, /migration 0003 failed: no such column/);
  assert.equal(existsSync(failedOut), false);
});

test('restore applies newer migrations to an older snapshot; a failing one leaves the target untouched', async () => {
  const dir = tempDir('restore-migrate-');
  const snapshot = join(dir, 'snapshot');
  await buildSnapshot({ outDir: snapshot, migrations: exampleMigrations(2) });
  const target = join(dir, 'app.db');
  await restoreSnapshot({
    snapshotDir: snapshot,
    target,
    migrations: exampleMigrations(4),
    requireTables: ['settings', 'control'],
  });
  const db = await openDatabase(target, { readonly: true });
  assert.equal(db.prepare('SELECT max(0+version) FROM snapshot_migrations').pluck().get(), 4);
  db.close();

  const broken = exampleMigrations(4);
  mkdirSync(broken, { recursive: true });
  writeFileSync(
    join(broken, '0005_broken.sql'),
    'ALTER TABLE nodes ADD COLUMN zone TEXT;\nALTER TABLE missing ADD COLUMN x;\n',
  );
  const populated = join(dir, 'populated.db');
  sqlite3(populated, 'CREATE TABLE keep(x); INSERT INTO keep VALUES (1);');
  const before = sha256(populated);
  const error = await rejection(
    restoreSnapshot({ snapshotDir: snapshot, target: populated, force: true, migrations: broken }),
  );
  assert.match(error.message, /0005_broken\.sql line 2/);
  assert.equal(sha256(populated), before);
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith('.sqlite-snapshot-restore-') || name.includes('.bak-')),
    [],
  );
});
