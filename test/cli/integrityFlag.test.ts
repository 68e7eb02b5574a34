/** --integrity on the command line reaches restore and verify's restore proof. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { snapshotFromDump } from '../core/restoreFixtures.ts';
import { runCli, sqlite3, tempDir } from '../helpers.ts';

/** A snapshot with an index, and a migrate command that makes the index disagree with its table. */
function snapshotAndIndexBreakingMigration(): { snapshot: string; migrateCommand: string } {
  const snapshot = snapshotFromDump(
    [
      'PRAGMA foreign_keys=OFF;',
      'BEGIN TRANSACTION;',
      'CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, total INTEGER);',
      'INSERT INTO "orders" VALUES(10,1,100);',
      'INSERT INTO "orders" VALUES(11,2,250);',
      'CREATE INDEX orders_total ON orders(total);',
      'COMMIT;',
      '',
    ].join('\n'),
  );
  // The index's recorded definition changes while its entries stay those of `total`.
  const sql =
    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX orders_total ON orders(user_id)' WHERE name = 'orders_total';";
  return { snapshot, migrateCommand: `sqlite3 {db} "${sql}"` };
}

test('restore --integrity full finds what the default quick check does not; a bad value is a usage error', async () => {
  const { snapshot, migrateCommand } = snapshotAndIndexBreakingMigration();
  const quick = join(tempDir(), 'app.db');
  const quickRun = await runCli(['restore', snapshot, '--db', quick, '--migrate-command', migrateCommand]);
  assert.equal(quickRun.code, 0, quickRun.stderr);
  assert.equal(sqlite3(quick, 'SELECT count(*) FROM orders;').trim(), '2');

  const full = join(tempDir(), 'app.db');
  const args = ['restore', snapshot, '--db', full, '--migrate-command', migrateCommand, '--integrity', 'full'];
  const fullRun = await runCli(args);
  assert.equal(fullRun.code, 1, fullRun.stderr);
  assert.match(fullRun.stderr, /PRAGMA integrity_check failed: row 1 missing from index orders_total/);
  assert.equal(existsSync(full), false, 'nothing restored');

  const bad = await runCli(['restore', snapshot, '--db', join(tempDir(), 'x.db'), '--integrity', 'thorough']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: --integrity must be one of quick, full, not "thorough"\./);
});

test('verify --integrity full asks for the restore proof and runs the full check in it', async () => {
  const { snapshot, migrateCommand } = snapshotAndIndexBreakingMigration();
  const alone = await runCli(['verify', snapshot, '--integrity', 'full', '--json']);
  assert.equal(alone.code, 0, alone.stdout);
  const checks = (JSON.parse(alone.stdout) as { checks: { name: string }[] }).checks;
  assert.ok(
    checks.some((check) => check.name === 'restore'),
    'the proof ran',
  );

  const quick = await runCli(['verify', snapshot, '--migrate-command', migrateCommand]);
  assert.equal(quick.code, 0, quick.stdout);
  const full = await runCli(['verify', snapshot, '--migrate-command', migrateCommand, '--integrity', 'FULL']);
  assert.equal(full.code, 1, full.stdout);
  assert.match(full.stdout, /FAIL restore .*PRAGMA integrity_check failed: row 1 missing from index orders_total/);
});
