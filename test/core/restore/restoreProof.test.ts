/**
 * The restore proof of verify: an older snapshot restored into a throw-away database and migrated
 * with the code's (a PR's) migrations. Good migrations pass; a broken one fails and is named.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { verifyWithRestoreProof, wantsRestoreProof } from '../../../src/core/restore/restoreProof.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { copySnapshot, exampleMigrations, runCli, tempDir } from '../../helpers.ts';

/** The release snapshot: the example at migration 3, with a row in nodes. */
async function olderSnapshot(root: string): Promise<string> {
  const seed = join(root, 'seed.sql');
  writeFileSync(
    seed,
    "INSERT INTO nodes (id, name, region, capacity, weight, labels) VALUES (1, 'n1', 'eu', 1, 1.0, '{}');\n",
  );
  const out = join(root, 'snapshot');
  await buildSnapshot({
    migrations: exampleMigrations(3, { into: join(root, 'release') }),
    seeds: [seed],
    outDir: out,
    env: {},
  });
  return out;
}

test('an older snapshot with good PR migrations passes the restore check', async () => {
  const root = tempDir('proof-good-');
  const snapshot = await olderSnapshot(root);
  const work = join(root, 'work');
  mkdirSync(work);
  const migrations = exampleMigrations(4, {
    into: join(root, 'pr'),
    extra: {
      '0005_node_owner.sql': "ALTER TABLE nodes ADD COLUMN owner TEXT NOT NULL DEFAULT 'ops';\n",
    },
  });
  const report = await verifyWithRestoreProof(
    snapshot,
    {},
    {
      migrations,
      requireTables: ['control', 'nodes'],
      checkSql: "SELECT count(*) FROM nodes WHERE owner = 'ops'",
      workDir: work,
    },
  );
  const restore = report.checks.find((check) => check.name === 'restore');
  assert.equal(report.ok, true, JSON.stringify(restore));
  assert.equal(restore?.ok, true);
  // One node plus the three bookkeeping rows of the migrations the release had.
  assert.match(restore!.actual, /^4 rows restored/);
  // The throw-away database and its directory are gone.
  assert.deepEqual(readdirSync(work), []);
});

test('a broken PR migration fails the restore check, naming the file and SQLite’s message', async () => {
  const root = tempDir('proof-broken-');
  const snapshot = await olderSnapshot(root);
  const migrations = exampleMigrations(4, {
    into: join(root, 'pr'),
    extra: { '0005_broken.sql': 'ALTER TABLE missing_table ADD COLUMN x;\n' },
  });
  const report = await verifyWithRestoreProof(snapshot, {}, { migrations, workDir: root });
  assert.equal(report.ok, false);
  const restore = report.checks.find((check) => check.name === 'restore');
  assert.equal(restore?.ok, false);
  assert.match(restore!.actual, /0005_broken\.sql/);
  assert.match(restore!.actual, /no such table: missing_table/);
  // Every other check still passed: the snapshot itself is fine, the code does not fit it.
  assert.ok(report.checks.filter((check) => check.name !== 'restore').every((check) => check.ok));
});

test('a missing required table or a falsy check query fails the restore check', async () => {
  const root = tempDir('proof-sanity-');
  const snapshot = await olderSnapshot(root);
  const report = await verifyWithRestoreProof(
    snapshot,
    {},
    {
      requireTables: ['control'],
      checkSql: 'SELECT count(*) FROM nodes WHERE id = 2',
      workDir: root,
    },
  );
  const restore = report.checks.find((check) => check.name === 'restore');
  assert.equal(restore?.ok, false);
  // Both problems, in the wording of a proof (there is no target to speak of).
  assert.match(restore!.actual, /^The snapshot, restored and migrated, failed its sanity checks:/);
  assert.match(restore!.actual, /required table missing: "control"/);
  assert.match(restore!.actual, /check query `SELECT count\(\*\) FROM nodes WHERE id = 2` returned 0/);
  assert.doesNotMatch(`${restore!.actual} ${restore!.hint}`, /target/);
});

test('a snapshot that fails verification is not restored; a missing migrations directory is an error', async () => {
  const root = tempDir('proof-tampered-');
  const snapshot = await olderSnapshot(root);
  const migrations = exampleMigrations(4, { into: join(root, 'pr') });
  const tampered = join(root, 'tampered');
  mkdirSync(tampered);
  copySnapshot(snapshot, tampered);
  appendFileSync(join(tampered, 'snapshot.sql'), '-- changed\n');
  const report = await verifyWithRestoreProof(tampered, {}, { migrations, workDir: root });
  assert.equal(report.ok, false);
  assert.equal(report.checks.find((check) => check.name === 'checksum')?.ok, false);
  assert.equal(
    report.checks.find((check) => check.name === 'restore'),
    undefined,
  );
  await assert.rejects(
    verifyWithRestoreProof(snapshot, {}, { migrations: join(root, 'nope'), workDir: root }),
    (error: unknown) => error instanceof SnapshotError && /Migrations directory not found/.test(error.message),
  );
});

test('only proof options ask for a proof', () => {
  assert.equal(wantsRestoreProof({}), false);
  assert.equal(wantsRestoreProof({ requireTables: [] }), false);
  assert.equal(wantsRestoreProof({ migrations: 'm' }), true);
  assert.equal(wantsRestoreProof({ checkSql: 'SELECT 1' }), true);
});

test('verify --migrations: exit 0 with good migrations, 1 naming the broken one', async () => {
  const root = tempDir('proof-cli-');
  const snapshot = await olderSnapshot(root);
  const good = await runCli(['verify', snapshot, '--migrations', exampleMigrations(4, { into: join(root, 'good') })], {
    TMPDIR: root,
  });
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /ok +restore +4 rows restored/);
  const broken = exampleMigrations(4, {
    into: join(root, 'broken'),
    extra: { '0005_broken.sql': 'CREATE TABLE nodes (id INTEGER);\n' },
  });
  const bad = await runCli(['verify', snapshot, '--migrations', broken, '--json']);
  assert.equal(bad.code, 1);
  const parsed = JSON.parse(bad.stdout) as { ok: boolean; checks: { name: string; ok: boolean; actual: string }[] };
  assert.equal(parsed.ok, false);
  const restore = parsed.checks.find((check) => check.name === 'restore');
  assert.match(restore!.actual, /0005_broken\.sql.*table nodes already exists/s);
});
