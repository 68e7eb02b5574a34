/** docs/format.md §5 version facts: each migration tool's bookkeeping table as the tool leaves it, user queries, precedence. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectDbMigrationVersion, resolveControlVersion } from '../../../src/core/format/versionFacts.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { UINT64_MAX } from '../../../src/core/shared/int64.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, tempDir } from '../../helpers.ts';

async function dbWith(sql: string): Promise<Database> {
  const db = await openDatabase(':memory:');
  db.exec(sql);
  return db;
}

const detect = (db: Database): { value: string; source: string } => detectDbMigrationVersion(db, {});

// The DDL each tool runs on SQLite, verbatim in shape.
const OWN =
  'CREATE TABLE snapshot_migrations (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);';
const GOLANG_MIGRATE = `CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);
  CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);`;
const GOOSE = `CREATE TABLE goose_db_version (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id INTEGER NOT NULL,
    is_applied INTEGER NOT NULL,
    tstamp TIMESTAMP DEFAULT (datetime('now'))
  );`;
const DBMATE = 'create table if not exists "schema_migrations" (version varchar(128) primary key);';
const RAILS = `CREATE TABLE "schema_migrations" ("version" varchar NOT NULL PRIMARY KEY);
  CREATE TABLE "ar_internal_metadata" ("key" varchar NOT NULL PRIMARY KEY, "value" varchar, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);`;
const ATLAS = `CREATE TABLE atlas_schema_revisions (version text NOT NULL, description text NOT NULL,
  type integer NOT NULL DEFAULT 2, applied integer NOT NULL DEFAULT 0, total integer NOT NULL DEFAULT 0,
  executed_at datetime NOT NULL, execution_time integer NOT NULL, error text NULL, error_stmt text NULL,
  hash text NOT NULL, partial_hashes json NULL, operator_version text NOT NULL, PRIMARY KEY (version));`;
const PRISMA = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
  );`;
// drizzle-orm's SQLite migrator really writes SERIAL, which is no rowid alias: its ids stay NULL.
const DRIZZLE = `CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (
    id SERIAL PRIMARY KEY,
    hash text NOT NULL,
    created_at numeric
  );`;
const DJANGO = `CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT,
  "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL);`;

test("this tool's runner: the numerically highest version wins over string order ('10' > '9')", async () => {
  const db = await dbWith(`${OWN}
    INSERT INTO snapshot_migrations VALUES ('1', 'init', '2026-01-01T00:00:00Z'), ('9', 'users', '2026-01-02T00:00:00Z'),
      ('10', 'orders', '2026-01-03T00:00:00Z');`);
  assert.deepEqual(detect(db), { value: '10', source: 'sqlite-snapshot snapshot_migrations' });
  // Its own table comes first, even next to another tool's.
  db.exec(
    `${DJANGO} INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', '2026-01-01');`,
  );
  assert.equal(detect(db).value, '10');
});

test('golang-migrate: the version of its single clean row', async () => {
  const db = await dbWith(
    `${GOLANG_MIGRATE} INSERT INTO schema_migrations (version, dirty) VALUES (20260115093000, false);`,
  );
  assert.deepEqual(detect(db), { value: '20260115093000', source: 'golang-migrate schema_migrations' });
});

test('golang-migrate: a dirty state is refused with its version and `migrate force`, even with an explicit version', async () => {
  const db = await dbWith(`${GOLANG_MIGRATE} INSERT INTO schema_migrations (version, dirty) VALUES (3, true);`);
  for (const options of [{}, { explicit: '3' }, { query: 'SELECT 3' }]) {
    assert.throws(
      () => detectDbMigrationVersion(db, options),
      (error) =>
        error instanceof SnapshotError &&
        error.kind === 'invalid' &&
        /dirty golang-migrate state at version 3\b/.test(error.message) &&
        /migrate force 3/.test(error.hint ?? ''),
    );
  }
});

test('golang-migrate: an empty table falls through to the next rule', async () => {
  const db = await dbWith(`${GOLANG_MIGRATE} PRAGMA user_version = 7;`);
  assert.deepEqual(detect(db), { value: '7', source: 'PRAGMA user_version' });
  // Nor is its table ever read as dbmate's: a row golang-migrate never writes (nil version, clean) is no version.
  db.exec('INSERT INTO schema_migrations (version, dirty) VALUES (-1, false)');
  assert.deepEqual(detect(db), { value: '7', source: 'PRAGMA user_version' });
});

test('goose: the latest version whose newest row is applied; rolled-back versions and the initial 0 row do not count', async () => {
  const db = await dbWith(`${GOOSE}
    INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (2, 1), (3, 1), (3, 0);`);
  assert.deepEqual(detect(db), { value: '2', source: 'goose goose_db_version' });
  db.exec('INSERT INTO goose_db_version (version_id, is_applied) VALUES (3, 1), (4, 1), (4, 0)');
  assert.equal(detect(db).value, '3', 'version 3 re-applied after its rollback, 4 rolled back');
  const initialOnly = await dbWith(`${GOOSE} INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1);`);
  assert.deepEqual(detect(initialOnly), { value: '', source: 'none found' });
});

test('dbmate: versions of different lengths compare as numbers', async () => {
  const db = await dbWith(`${DBMATE}
    INSERT INTO schema_migrations (version) VALUES ('20260101120000'), ('9'), ('10'), ('20251231235959');`);
  assert.deepEqual(detect(db), { value: '20260101120000', source: 'dbmate/Rails schema_migrations' });
  const short = await dbWith(`${DBMATE} INSERT INTO schema_migrations (version) VALUES ('9'), ('10'), ('2');`);
  assert.equal(detect(short).value, '10');
});

test('Rails: the highest version; non-numeric versions fall back to string order', async () => {
  const db = await dbWith(`${RAILS}
    INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240315093000'), ('20240201000000');
    INSERT INTO ar_internal_metadata VALUES ('environment', 'test', '2026-01-01', '2026-01-01');`);
  assert.deepEqual(detect(db), { value: '20240315093000', source: 'dbmate/Rails schema_migrations' });
  db.exec("INSERT INTO schema_migrations VALUES ('v2_add'), ('v10_drop')");
  assert.equal(detect(db).value, 'v2_add');
});

test("Atlas: the highest fully applied revision; its identifier row and a partial revision don't count", async () => {
  const db = await dbWith(`${ATLAS}
    INSERT INTO atlas_schema_revisions (version, description, type, applied, total, executed_at, execution_time, error, hash, operator_version) VALUES
      ('.atlas_cloud_identifiers', 'a1b2c3', 0, 0, 0, '2026-01-01 00:00:00', 0, NULL, '', 'Atlas CLI v0.30.0'),
      ('20260101000000', 'baseline', 1, 0, 0, '2026-01-01 00:00:00', 0, NULL, '', 'Atlas CLI v0.30.0'),
      ('20260201000000', 'add_users', 2, 3, 3, '2026-02-01 00:00:00', 1200, NULL, 'h1', 'Atlas CLI v0.30.0'),
      ('20260301000000', 'add_orders', 2, 1, 4, '2026-03-01 00:00:00', 900, 'near "x": syntax error', 'h2', 'Atlas CLI v0.30.0');`);
  assert.deepEqual(detect(db), { value: '20260201000000', source: 'Atlas atlas_schema_revisions' });
  db.exec("DELETE FROM atlas_schema_revisions WHERE version <> '.atlas_cloud_identifiers'; PRAGMA user_version = 4;");
  assert.deepEqual(detect(db), { value: '4', source: 'PRAGMA user_version' }, 'the identifier row alone is no version');
});

test('Prisma: the last finished migration; a rolled-back and an unfinished one do not count', async () => {
  const db = await dbWith(`${PRISMA}
    INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES
      ('0c5b7a1e', 'c1', 1767225600123, '20260101000000_init', NULL, NULL, 1767225600001, 1),
      ('3f2d9b44', 'c3', 1772323200456, '20260301000000_add_posts', NULL, 1772323300000, 1772323200001, 1),
      ('8e1a2c07', 'c2', 1769904000789, '20260201000000_add_users', NULL, NULL, 1769904000001, 1),
      ('b7d4e610', 'c4', NULL, '20260401000000_add_tags', 'error: table tags already exists', NULL, 1775001600001, 0);`);
  assert.deepEqual(detect(db), { value: '20260201000000_add_users', source: 'Prisma _prisma_migrations' });
  // A migration merged late (older name) but applied last is the last one finished.
  db.exec(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
    VALUES ('c9a0f3d2', 'c5', 1775001700000, '20251215000000_hotfix', 1775001690000, 1)`);
  assert.equal(detect(db).value, '20251215000000_hotfix');
});

test('Drizzle: the newest created_at, as a decimal string', async () => {
  const db = await dbWith(`${DRIZZLE}
    INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES ('9f1c', 1767225600000), ('4be0', 1772323200000), ('a7d2', 1769904000000);`);
  assert.deepEqual(detect(db), { value: '1772323200000', source: 'Drizzle __drizzle_migrations' });
});

test('Django: app.name of the most recently applied row', async () => {
  const db = await dbWith(`${DJANGO}
    INSERT INTO django_migrations (app, name, applied) VALUES
      ('contenttypes', '0001_initial', '2026-01-01 00:00:00.000001'), ('auth', '0012_alter_user_first_name_max_length', '2026-01-01 00:00:01'),
      ('shop', '0002_order', '2026-01-02 00:00:00'), ('auth', '0001_initial', '2026-01-01 00:00:00.5');`);
  assert.deepEqual(detect(db), { value: 'auth.0001_initial', source: 'Django django_migrations' });
});

test('user_version when no bookkeeping table applies; empty with "none found" when nothing does', async () => {
  assert.deepEqual(detect(await dbWith('PRAGMA user_version = 42;')), { value: '42', source: 'PRAGMA user_version' });
  assert.deepEqual(detect(await dbWith('CREATE TABLE t (x);')), { value: '', source: 'none found' });
});

test('table and column names match case-insensitively; same-named tables of other shapes are skipped', async () => {
  const mixedCase =
    await dbWith(`CREATE TABLE "Goose_DB_Version" (ID INTEGER PRIMARY KEY AUTOINCREMENT, Version_ID INTEGER NOT NULL, IS_APPLIED INTEGER NOT NULL);
    INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (5, 1);`);
  assert.deepEqual(detect(mixedCase), { value: '5', source: 'goose goose_db_version' });
  const unrelated = await dbWith(`CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, label TEXT);
    CREATE TABLE goose_db_version (version TEXT); CREATE TABLE django_migrations (app TEXT);
    INSERT INTO schema_migrations VALUES (1, 'x'); INSERT INTO goose_db_version VALUES ('v9'); INSERT INTO django_migrations VALUES ('a');
    PRAGMA user_version = 3;`);
  assert.deepEqual(detect(unrelated), { value: '3', source: 'PRAGMA user_version' });
});

test('precedence: explicit > query > detected; a query is not run when an explicit value is given', async () => {
  const db = await dbWith(`${DBMATE} INSERT INTO schema_migrations VALUES ('20260101000000');`);
  assert.deepEqual(detectDbMigrationVersion(db, { explicit: 'v7', query: 'SELECT no_such_column' }), {
    value: 'v7',
    source: 'explicit --db-migration-version',
  });
  assert.deepEqual(detectDbMigrationVersion(db, { query: "SELECT 'from-query'" }), {
    value: 'from-query',
    source: 'query',
  });
  // Empty text is "not given", as an Action input left at its default.
  assert.equal(detectDbMigrationVersion(db, { explicit: '', query: '  ' }).value, '20260101000000');
});

test('db_migration_version query values: integers exact, text as is, REAL as JS prints it', async () => {
  const db = await dbWith('CREATE TABLE t (x);');
  const cases: [string, string][] = [
    ['SELECT 9223372036854775807', '9223372036854775807'],
    ["SELECT 'v1.2.3'", 'v1.2.3'],
    ['SELECT 1.5', '1.5'],
    ['WITH v(n) AS (VALUES (41)) SELECT n + 1 FROM v', '42'],
    ['/* latest */ SELECT user_version FROM pragma_user_version', '0'],
    // SQLite itself refuses writes while the query runs.
    ['SELECT query_only FROM pragma_query_only', '1'],
  ];
  for (const [query, value] of cases)
    assert.deepEqual(detectDbMigrationVersion(db, { query }), { value, source: 'query' });
  expectUsage(() => detectDbMigrationVersion(db, { query: "SELECT x'00ff'" }), "SELECT x'00ff'", /a 2-byte blob/);
  expectUsage(() => detectDbMigrationVersion(db, { query: 'SELECT NULL' }), 'SELECT NULL', /returned NULL/);
});

/** Asserts a usage error whose message quotes `query` (and matches `detail`). */
function expectUsage(run: () => unknown, query: string, detail?: RegExp): void {
  assert.throws(run, (error) => {
    assert.ok(error instanceof SnapshotError, String(error));
    assert.equal(error.kind, 'usage');
    assert.ok(error.message.includes(`\`${query}\``), error.message);
    if (detail) assert.match(error.message, detail);
    return true;
  });
}

test('control_version: explicit, the default, and a query returning an INTEGER or uint64 TEXT exactly', async () => {
  const db = await dbWith(
    "CREATE TABLE cursor (n INTEGER, big TEXT); INSERT INTO cursor VALUES (9007199254740993, '18446744073709551615');",
  );
  assert.deepEqual(resolveControlVersion(db, { explicit: 5n, query: 'SELECT nope' }), {
    value: 5n,
    source: 'explicit --control-version',
  });
  assert.deepEqual(resolveControlVersion(db, {}), { value: 0n, source: 'default (none given)' });
  assert.deepEqual(resolveControlVersion(db, { query: 'SELECT n FROM cursor' }), {
    value: 9007199254740993n,
    source: 'query',
  });
  assert.equal(resolveControlVersion(db, { query: 'SELECT big FROM cursor' }).value, UINT64_MAX);
  assert.equal(resolveControlVersion(db, { query: 'SELECT 0' }).value, 0n);
  for (const explicit of [-1n, UINT64_MAX + 1n]) {
    assert.throws(() => resolveControlVersion(db, { explicit }), /--control-version must be between 0 and/);
  }
});

test('control_version: every bad query is a usage error naming it, and the DB is unchanged', async () => {
  const db = await dbWith('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);');
  const changesBefore = db.prepare('SELECT total_changes()').pluck().get();
  const cases: [string, RegExp][] = [
    ['SELECT -1', /returned -1;/],
    ['SELECT 1.5', /returned the REAL 1\.5;/],
    ['SELECT 5.0', /returned the REAL 5\.0;/],
    ["SELECT 'abc'", /returned the text 'abc';/],
    ["SELECT ' 7'", /returned the text ' 7';/],
    ["SELECT '18446744073709551616'", /returned the text '18446744073709551616';/],
    ["SELECT x'01'", /returned a 1-byte blob;/],
    ['SELECT NULL', /returned NULL/],
    ['SELECT x FROM t WHERE x > 99', /returned no row/],
    ['SELECT x FROM t', /more than one row/],
    ['SELECT 1, 2', /returns 2 columns/],
    ['SELECT no_such_column', /not one valid SQL statement: no such column/],
    ['SELECT 1; DELETE FROM t', /not one valid SQL statement: .*more than one statement/],
    ['DELETE FROM t', /not a read-only SELECT/],
    ['DELETE FROM t RETURNING x', /not a read-only SELECT/],
    ['WITH d AS (SELECT 1) UPDATE t SET x = 0 RETURNING x', /not a read-only SELECT/],
    ['PRAGMA user_version', /not a read-only SELECT/],
  ];
  for (const [query, detail] of cases) {
    expectUsage(() => resolveControlVersion(db, { query }), query, detail);
    assert.equal(db.pragma('query_only', { simple: true }), 0, `query_only restored after ${query}`);
  }
  assert.deepEqual(db.prepare('SELECT x FROM t ORDER BY x').pluck().all(), [1, 2]);
  assert.equal(db.prepare('SELECT total_changes()').pluck().get(), changesBefore);
  // A connection that was already query-only stays so.
  db.pragma('query_only = ON');
  assert.equal(resolveControlVersion(db, { query: 'SELECT count(*) FROM t' }).value, 2n);
  assert.equal(db.pragma('query_only', { simple: true }), 1);
});

test('works on the read-only connection a build dumps from', async () => {
  const path = join(tempDir('version-facts-'), 'fixture.db');
  const writer = await openDatabase(path);
  writer.exec(`${GOOSE} INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (20260101120000, 1);`);
  writer.close();
  const db = await openDatabase(path, { readonly: true });
  assert.deepEqual(detect(db), { value: '20260101120000', source: 'goose goose_db_version' });
  assert.deepEqual(resolveControlVersion(db, { query: 'SELECT max(version_id) FROM goose_db_version' }), {
    value: 20260101120000n,
    source: 'query',
  });
  assert.equal(db.pragma('query_only', { simple: true }), 0);
  db.close();
});
