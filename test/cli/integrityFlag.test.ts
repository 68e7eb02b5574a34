/** --integrity on the command line reaches restore and verify's restore proof. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { snapshotWithIndexBreakingMigration } from '../core/restore/restoreFixtures.ts';
import { runCli, sqlite3, tempDir } from '../helpers.ts';

test('restore --integrity full finds what the default quick check does not; a bad value is a usage error', async () => {
  const { snapshot, migrateCommand } = snapshotWithIndexBreakingMigration();
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
  const { snapshot, migrateCommand } = snapshotWithIndexBreakingMigration();
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
