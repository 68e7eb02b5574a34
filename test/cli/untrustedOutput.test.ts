/**
 * A snapshot crafted to attack whoever shows it (workflow commands, terminal escapes, HTML in its
 * names, SQL and manifest values) goes through every CLI output: verify, diff in each form, and
 * the errors. Nothing reaches stdout or stderr that a runner or a terminal would act on, the
 * attacks are still readable in escaped form, and JSON output keeps the exact values.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import {
  assertInert,
  assertShownEscaped,
  HOSTILE,
  HOSTILE_TABLE,
  type HostileSnapshots,
  hostileSnapshots,
} from '../core/restore/hostileSnapshot.ts';
import { type CliRun, parseExact, runCli, runCliProcess, tempDir } from '../helpers.ts';

let snapshots: HostileSnapshots;

before(async () => {
  snapshots = await hostileSnapshots();
});

function assertBothInert(run: CliRun, label: string): void {
  assertInert(run.stdout, `${label} stdout`);
  assertInert(run.stderr, `${label} stderr`);
}

test('verify (text): hostile values, and an extra key hostile in name and value, each on one escaped line', async () => {
  const passing = await runCli(['verify', snapshots.changed]);
  assert.equal(passing.code, 0, passing.stderr);
  assertBothInert(passing, 'verify');
  assertShownEscaped(passing.stdout, 'verify');

  // The real process too: its streams are the ones a terminal or a runner reads.
  const failing = runCliProcess(['verify', snapshots.extraKey, '--expect-db-migration-version', '5']);
  assert.equal(failing.code, 1, failing.stderr);
  assertBothInert(failing, 'verify, failing');
  assertShownEscaped(failing.stdout, 'verify, failing');
  // One FAIL row for the extra key and one for the version; the report has a line per check.
  assert.equal(failing.stdout.split('\n').filter((line) => line.startsWith('  FAIL ')).length, 2, failing.stdout);
  assert.match(failing.stdout, /FAIL db_migration_version +expected "5", got "5\\n::error title=forged::pwned/);
});

test('verify --json: valid JSON holding the exact values, with no raw control on the terminal', async () => {
  const run = await runCli(['verify', snapshots.extraKey, '--json']);
  assert.equal(run.code, 1, run.stderr);
  assertBothInert(run, 'verify --json');
  const report = parseExact(run.stdout);
  assert.equal(report.manifest.db_migration_version, `5${HOSTILE}`);
});

test('diff as text, Markdown and JSON: hostile schema and values escaped, JSON exact', async () => {
  for (const form of [[], ['--markdown']]) {
    const run = await runCli(['diff', snapshots.base, snapshots.changed, ...form]);
    assert.equal(run.code, 0, run.stderr);
    assertBothInert(run, `diff ${form.join(' ')}`);
    assertShownEscaped(run.stdout, `diff ${form.join(' ')}`);
  }
  const json = await runCli(['diff', snapshots.base, snapshots.changed, '--json']);
  assertBothInert(json, 'diff --json');
  const diff = parseExact(json.stdout);
  assert.ok(diff.tables.some((table: { name: string }) => table.name === HOSTILE_TABLE));
  assert.ok(diff.manifest.some((field: { new: unknown }) => field.new === `5${HOSTILE}`));
});

test('errors on stderr: a refused side of a diff, and SQLite quoting a hostile name raw', async () => {
  const refused = runCliProcess(['diff', snapshots.base, snapshots.extraKey]);
  assert.equal(refused.code, 1, refused.stderr);
  assertBothInert(refused, 'diff, refused');
  assert.match(refused.stderr, /failed verification/);

  // The message is SQLite's, with the table name as it is: only the output guard stands here.
  const failed = runCliProcess(['restore', snapshots.failingLoad, '--db', join(tempDir('restore-'), 'app.db')]);
  assert.equal(failed.code, 1, failed.stderr);
  assertBothInert(failed, 'restore, failing');
  assert.match(failed.stderr, /already exists/);
  assert.ok(failed.stderr.includes('\\u001b[2J'), failed.stderr);
});
