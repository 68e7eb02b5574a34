/**
 * docs/format.md §4: "on any failure nothing is left behind", also when the final rename itself fails: the
 * target cannot be unlinked from its directory while the directory is writable, as with a file
 * bind-mounted over (a container's `-v ./app.db:/data/app.db`, EBUSY) or an immutable target
 * (chattr +i, EPERM). The backup published just before the rename is removed again, and the
 * refusal's hint fits the cause. Both need root (mount --bind, chattr), as CI runs.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { runCli, sqlite3, tempDir } from '../../helpers.ts';
import { assertOneLineRefusal } from './refusalShape.ts';
import { makePopulatedTarget, snapshotOf } from './restoreFixtures.ts';

let snapshot = '';

before(async () => {
  assert.equal(process.getuid?.(), 0, 'these findings need root (mount --bind, chattr)');
  const source = join(tempDir('findings-src-'), 'source.db');
  sqlite3(source, "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'one');");
  snapshot = await snapshotOf(source);
});

test('a bind-mounted target (rename fails with EBUSY): nothing left beside it, and the hint is not about permissions', async () => {
  const dir = tempDir('findings-bind-');
  const real = join(tempDir('findings-real-'), 'real.db');
  await makePopulatedTarget(real);
  const target = join(dir, 'app.db');
  writeFileSync(target, '');
  execFileSync('mount', ['--bind', real, target]);
  const bytes = readFileSync(target);
  let run: Awaited<ReturnType<typeof runCli>>;
  try {
    run = await runCli(['restore', snapshot, '--db', target, '--force']);
  } finally {
    spawnSync('umount', [target]);
  }
  assert.equal(run.code, 2, run.stderr);
  const refusal = assertOneLineRefusal(run.stderr, 'bind-mounted target');
  assert.ok(readFileSync(real).equals(bytes), 'the mounted database changed');
  assert.deepEqual(readdirSync(dir), ['app.db'], 'a backup was left beside the untouched target');
  assert.doesNotMatch(refusal.hint ?? '', /permissions/, 'EBUSY is not a permission problem');
  assert.match(refusal.hint ?? '', /bind-mounted/);
});

test('an immutable target (chattr +i; rename fails with EPERM): nothing left beside it', async () => {
  const dir = tempDir('findings-immutable-');
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target);
  const bytes = readFileSync(target);
  execFileSync('chattr', ['+i', target]);
  let run: Awaited<ReturnType<typeof runCli>>;
  try {
    run = await runCli(['restore', snapshot, '--db', target, '--force']);
  } finally {
    spawnSync('chattr', ['-i', target]);
  }
  assert.equal(run.code, 2, run.stderr);
  const refusal = assertOneLineRefusal(run.stderr, 'immutable target');
  assert.match(refusal.hint ?? '', /immutable/);
  assert.ok(readFileSync(target).equals(bytes), 'the target changed');
  assert.deepEqual(readdirSync(dir), ['app.db'], 'a backup was left beside the untouched target');
});
