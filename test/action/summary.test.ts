/**
 * The job summary is a pure function of a mode's outcome, checked against golden Markdown files
 * (test/action/golden). After a deliberate change of wording, review the diff and regenerate them
 * with UPDATE_GOLDEN=1 npm test -- test/action/summary.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { renderSummary, type SummaryOutcome } from '../../src/action/summary.ts';
import type { Check } from '../../src/core/shared/check.ts';

const GOLDEN = join(import.meta.dirname, 'golden');

const manifest = {
  kind: 'bootstrap.sqlite.dump',
  format: 'sqlite3dump.sql',
  checksum: 'sha256:9f2c6a1e5b0d4c3f8a7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a3928',
  control_model_version: 3n,
  cache_schema_version: 7n,
  // Above 2^53: the summary must print it exactly.
  control_version: 18446744073709551615n,
  created_at: '2026-11-01T12:00:00Z',
  source_chassis_version: 'abc123|with-pipe',
  db_migration_version: '20261101120000',
};

const passedChecks: Check[] = [
  { name: 'manifest', ok: true, expected: 'valid JSON object', actual: 'valid JSON object' },
  { name: 'checksum', ok: true, expected: manifest.checksum, actual: manifest.checksum },
  { name: 'size', ok: true, expected: 'a dump', actual: '1234 bytes' },
];

const failedChecks: Check[] = [
  ...passedChecks,
  {
    name: 'control_model_version',
    ok: false,
    expected: 'one of 4, 5',
    actual: '3',
    hint: 'Rebuild the snapshot with control_model_version one of 4, 5.',
  },
  {
    name: 'db_migration_version',
    ok: false,
    expected: '"0005"',
    actual: '"0004"',
    hint: 'Rebuild the snapshot from a fixture migrated to the expected version.',
  },
];

const artifact = { name: 'sqlite-snapshot', id: 42, digest: 'sha256:00ff', origin: 'this run' };

const CASES: Record<string, SummaryOutcome> = {
  'build.md': {
    mode: 'build',
    manifest,
    dumpPath: '/runner/temp/sqlite-snapshot/snapshot.sql',
    dumpBytes: 1234,
    tables: 3,
    rows: 10,
    artifact: { name: 'sqlite-snapshot', id: 42, digest: 'sha256:00ff' },
  },
  'verify-passed.md': {
    mode: 'verify',
    ok: true,
    manifest,
    checks: passedChecks,
    dumpPath: '/runner/temp/sqlite-snapshot/snapshot.sql',
    artifact,
  },
  'verify-failed.md': {
    mode: 'verify',
    ok: false,
    manifest,
    checks: failedChecks,
    dumpPath: '/runner/temp/sqlite-snapshot/snapshot.sql',
    artifact,
  },
  'restore.md': {
    mode: 'restore',
    manifest,
    target: '/srv/app.db',
    rows: 10,
    backupPath: '/srv/app.db.bak-20261101T120000Z',
  },
  'error.md': {
    mode: 'restore',
    error: {
      message: 'Restore target /srv/app.db holds data, so it was not replaced.',
      hint: 'Set force: true to replace it.',
    },
  },
  'error-checks.md': {
    mode: 'restore',
    error: {
      message:
        '/w/snapshot.sql failed verification, so nothing was restored:\n  - checksum: expected sha256:aa, got sha256:bb',
      hint: 'Download the artifact again.',
    },
    checks: [
      { name: 'checksum', ok: false, expected: 'sha256:aa', actual: 'sha256:bb', hint: 'Download the artifact again.' },
    ],
    artifact,
  },
  'verify-baseline.md': {
    mode: 'verify',
    ok: true,
    manifest,
    checks: passedChecks,
    dumpPath: '/w/snapshot.sql',
    baseline: {
      branch: 'main',
      key: 'sqlite-snapshot-baseline:sqlite-snapshot:main:41-1',
      markdown: '### Changes since the baseline\n\n**Manifest:** unchanged.\n',
    },
  },
  'verify-no-baseline.md': {
    mode: 'verify',
    ok: true,
    manifest,
    checks: passedChecks,
    dumpPath: '/w/snapshot.sql',
    baseline: { branch: 'main', note: 'no baseline of branch main for the artifact "a_b|c" is in the Actions cache.' },
  },
  'error-output.md': {
    mode: 'build',
    error: {
      message:
        'The migrate command failed (exit 1): php artisan migrate --force\n---\n# not a heading\n*x* <b> __init__ ```',
      hint: 'Fix the command; it ran with SNAPSHOT_DB set.',
    },
  },
  'error-inputs.md': {
    error: { message: 'Input "control-model-version" must be a whole number, got "abc".' },
  },
};

for (const [file, outcome] of Object.entries(CASES)) {
  test(`summary ${file} matches its golden file`, () => {
    const rendered = renderSummary(outcome);
    const path = join(GOLDEN, file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, rendered);
    assert.equal(rendered, readFileSync(path, 'utf8'));
  });
}

test('every table row of every summary has as many cells as its header', () => {
  for (const [file, outcome] of Object.entries(CASES)) {
    let columns = 0;
    for (const line of renderSummary(outcome).split('\n')) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      // Escaped pipes are cell content, not separators.
      const cells = line.replace(/\\\|/g, '').split('|').length - 2;
      if (columns === 0) columns = cells;
      assert.equal(cells, columns, `${file}: ${line}`);
    }
  }
});

test('a failed verify names each failed field with expected, actual and fix', () => {
  const rendered = renderSummary(CASES['verify-failed.md']!);
  assert.match(
    rendered,
    /\| `control_model_version` \| one of 4, 5 \| 3 \| Rebuild the snapshot with control\\_model\\_version/,
  );
  assert.match(rendered, /\| `db_migration_version` \| "0005" \| "0004" \| Rebuild the snapshot from a fixture/);
  assert.match(rendered, /failed 2 of 5 checks/);
});

test('a command’s output in an error is fenced, so Markdown cannot reinterpret it', () => {
  const rendered = renderSummary(CASES['error-output.md']!);
  assert.ok(rendered.includes('\n````text\n---\n# not a heading\n*x* <b> __init__ ```\n````\n'));
  assert.match(rendered, /^The migrate command failed \(exit 1\): php artisan migrate --force$/m);
});

test('uint64 control_version is printed exactly', () => {
  assert.match(renderSummary(CASES['build.md']!), /\| control_version \| `18446744073709551615` \|/);
});
