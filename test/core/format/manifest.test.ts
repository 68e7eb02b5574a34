/**
 * manifest.json as docs/format.md §1 defines it: nine fields in order, 2-space JSON, exact uint64
 * control_version, reproducible created_at, default source_chassis_version, checksum of the payload.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type BuildOptions, buildSnapshot } from '../../../src/core/build/build.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { verifySnapshot } from '../../../src/core/verify/verify.ts';
import { parseExact, sqlite3, tempDir } from '../../helpers.ts';

// The nine manifest fields in docs/format.md §1 order.
const FIELDS = (
  'kind format checksum control_model_version cache_schema_version control_version created_at ' +
  'source_chassis_version db_migration_version'
).split(' ');
const RFC3339_UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function fixtureDb(): string {
  const db = join(tempDir(), 'fixture.db');
  sqlite3(
    db,
    `CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL, data BLOB);
     INSERT INTO items VALUES (1, 'apple', 1.5, X'00ff'), (2, 'it''s', -0.25, NULL);
     CREATE TABLE notes(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
     INSERT INTO notes VALUES ('b', 'line1
line2'), ('a', 'x');`,
  );
  return db;
}

async function build(db: string, options: Partial<BuildOptions> = {}) {
  const outDir = join(tempDir(), 'out');
  const result = await buildSnapshot({ database: db, outDir, env: { SOURCE_DATE_EPOCH: '1700000000' }, ...options });
  const manifestText = readFileSync(join(outDir, 'manifest.json'), 'utf8');
  const dump = readFileSync(join(outDir, 'snapshot.sql'));
  return { outDir, result, manifestText, dump };
}

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('writes exactly the nine fields in the format order, 2-space JSON with a trailing newline', async () => {
  const db = fixtureDb();
  const { manifestText, dump } = await build(db, {
    controlModelVersion: 7n,
    cacheSchemaVersion: 3n,
    controlVersion: 42n,
    dbMigrationVersion: '20260101120000',
    sourceVersion: 'abc123',
  });
  // 1700000000 s after the epoch is 2023-11-14T22:13:20Z.
  const expected = `{
  "kind": "bootstrap.sqlite.dump",
  "format": "sqlite3dump.sql",
  "checksum": "sha256:${sha256Hex(dump)}",
  "control_model_version": 7,
  "cache_schema_version": 3,
  "control_version": 42,
  "created_at": "2023-11-14T22:13:20Z",
  "source_chassis_version": "abc123",
  "db_migration_version": "20260101120000"
}
`;
  assert.equal(manifestText, expected);
  assert.deepEqual(Object.keys(JSON.parse(manifestText)), FIELDS);
});

test('control_version is exact over the whole uint64 range, written and read back', async () => {
  const db = fixtureDb();
  for (const [value, text] of [
    [0n, '0'],
    [2n ** 53n + 1n, '9007199254740993'],
    [2n ** 64n - 1n, '18446744073709551615'],
  ] as const) {
    const { outDir, manifestText, result } = await build(db, { controlVersion: value });
    assert.match(manifestText, new RegExp(`\\n {2}"control_version": ${text},\\n`), `written as bare ${text}`);
    assert.equal(parseExact(manifestText).control_version, value);
    assert.equal(result.manifest.control_version, value);
    const report = await verifySnapshot(outDir);
    assert.equal(report.ok, true, JSON.stringify(report.checks));
    assert.equal(report.manifest.control_version, value, `verify reads ${text} exactly`);
    assert.equal(typeof report.manifest.control_version, 'bigint');
  }
});

test('created_at honours SOURCE_DATE_EPOCH and is RFC 3339 UTC with seconds precision', async () => {
  const db = fixtureDb();
  const cases: [string, string][] = [
    ['0', '1970-01-01T00:00:00Z'],
    ['1700000000', '2023-11-14T22:13:20Z'],
    ['1798776334', '2027-01-01T04:05:34Z'],
  ];
  for (const [epoch, expected] of cases) {
    const { manifestText } = await build(db, { env: { SOURCE_DATE_EPOCH: epoch } });
    assert.equal(JSON.parse(manifestText).created_at, expected, `SOURCE_DATE_EPOCH=${epoch}`);
  }
  const before = Math.floor(Date.now() / 1000);
  const { manifestText } = await build(db, { env: {} });
  const after = Math.ceil(Date.now() / 1000);
  const createdAt: string = JSON.parse(manifestText).created_at;
  assert.match(createdAt, RFC3339_UTC_SECONDS);
  const seconds = Date.parse(createdAt) / 1000;
  assert.ok(seconds >= before && seconds <= after, `${createdAt} is the build time without SOURCE_DATE_EPOCH`);
});

test('an invalid SOURCE_DATE_EPOCH is a clear usage error and writes nothing', async () => {
  const db = fixtureDb();
  for (const epoch of ['abc', '1.5', '-1', '17e8', '99999999999999999999']) {
    const outDir = join(tempDir(), 'out');
    await assert.rejects(
      buildSnapshot({ database: db, outDir, env: { SOURCE_DATE_EPOCH: epoch } }),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotError, `SOURCE_DATE_EPOCH=${epoch}: ${error}`);
        assert.equal(error.kind, 'usage');
        assert.match(error.message, /SOURCE_DATE_EPOCH/);
        assert.ok(error.message.includes(epoch), 'the message shows the bad value');
        return true;
      },
    );
    let files: string[] = [];
    try {
      files = readdirSync(outDir);
    } catch {}
    assert.deepEqual(files, [], `nothing written for SOURCE_DATE_EPOCH=${epoch}`);
  }
});

test('source_chassis_version defaults to GITHUB_SHA, else "dev"; an explicit value wins', async () => {
  const db = fixtureDb();
  const sha = 'f38901d8d375d4d8d337dd62af249d2f74f38ead';
  const read = async (options: Partial<BuildOptions>) =>
    JSON.parse((await build(db, options)).manifestText).source_chassis_version;
  assert.equal(await read({ env: { SOURCE_DATE_EPOCH: '1', GITHUB_SHA: sha } }), sha);
  assert.equal(await read({ env: { SOURCE_DATE_EPOCH: '1' } }), 'dev');
  assert.equal(await read({ env: { SOURCE_DATE_EPOCH: '1', GITHUB_SHA: '' } }), 'dev');
  assert.equal(await read({ env: { GITHUB_SHA: sha }, sourceVersion: 'v1.2.3' }), 'v1.2.3');
});

test('with SOURCE_DATE_EPOCH set, two builds of the same DB are byte-identical', async () => {
  const db = fixtureDb();
  const options = { controlVersion: 2n ** 64n - 1n, controlModelVersion: 2n, dbMigrationVersion: '5' };
  const first = await build(db, { ...options, env: { SOURCE_DATE_EPOCH: '1700000000', GITHUB_SHA: 'abc' } });
  await new Promise((resolve) => setTimeout(resolve, 1100)); // a wall-clock second passes in between
  const second = await build(db, { ...options, env: { SOURCE_DATE_EPOCH: '1700000000', GITHUB_SHA: 'abc' } });
  assert.notEqual(first.outDir, second.outDir);
  assert.equal(second.manifestText, first.manifestText);
  assert.ok(second.dump.equals(first.dump), 'snapshot.sql is byte-identical');
});

test('created_at never affects the checksum', async () => {
  const db = fixtureDb();
  const a = await build(db, { env: { SOURCE_DATE_EPOCH: '1' } });
  const b = await build(db, { env: { SOURCE_DATE_EPOCH: '2000000000' } });
  assert.notEqual(JSON.parse(a.manifestText).created_at, JSON.parse(b.manifestText).created_at);
  assert.equal(JSON.parse(a.manifestText).checksum, JSON.parse(b.manifestText).checksum);
  assert.ok(a.dump.equals(b.dump));
});

test('checksum is "sha256:" + lowercase hex of snapshot.sql, as node:crypto and sha256sum compute it', async () => {
  const { outDir, manifestText, dump, result } = await build(fixtureDb());
  const checksum: string = JSON.parse(manifestText).checksum;
  assert.match(checksum, /^sha256:[0-9a-f]{64}$/);
  assert.equal(checksum, `sha256:${sha256Hex(dump)}`);
  const sum = execFileSync('sha256sum', [join(outDir, 'snapshot.sql')], { encoding: 'utf8' }).split(' ')[0];
  assert.equal(checksum, `sha256:${sum}`);
  assert.equal(result.dumpBytes, dump.length);
});
