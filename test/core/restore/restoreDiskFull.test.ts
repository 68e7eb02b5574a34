/**
 * docs/format.md §4: a restore that runs out of space fails cleanly — a clear error, the target untouched,
 * no temp dir or partial backup left. The space is a 2 MiB tmpfs mounted by the test (root), else
 * a per-process file size limit (ulimit -f, SIGXFSZ ignored) on the CLI run as a child.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { CLI_ENTRY, openDatabase, sha256File, tempDir } from '../../helpers.ts';
import {
  assertUntouched,
  expectRefusal,
  fingerprint,
  makePopulatedTarget,
  restoreDirs,
  snapshotOf,
  tree,
} from './restoreFixtures.ts';
import { freeBytes, mountSmallDisk } from './smallDisk.ts';

/** 2 MiB of its own as root; else (not root, or no mount in this sandbox) the ulimit fallback below. */
const { path: mountPoint, mounted } = mountSmallDisk('restore-full-', '2m');

/** Fails at COMMIT (fits the page cache), and mid-load (pages spill while rows are inserted). */
let bigSnapshots: string[] = [];
let mediumSnapshot = '';

/** A DB of about `rows` × 100 bytes of incompressible text. */
async function snapshotWithRows(rows: number): Promise<string> {
  const source = join(tempDir('full-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, `${i}:${(BigInt(i) * 0x9e3779b97f4a7c15n).toString(36).repeat(7)}`);
  })();
  db.close();
  return snapshotOf(source);
}

before(async () => {
  bigSnapshots = [await snapshotWithRows(40_000), await snapshotWithRows(120_000)]; // ~4 and ~12 MB: more than 2 MiB
  mediumSnapshot = await snapshotWithRows(8_000); // ~1 MB: fits, but not with a backup of the old one
});

for (const [index, size] of ['4 MB', '12 MB'].entries()) {
  test(`running out of space while loading a ${size} DB fails cleanly: clear error, target untouched, nothing left`, async () => {
    const snapshot = bigSnapshots[index]!;
    const dir = join(mountPoint, `load-${index}`);
    mkdirSync(dir);
    const target = join(dir, 'app.db');
    await makePopulatedTarget(target, 20);
    const bytes = readFileSync(target);
    const before = tree(dir);
    if (mounted) {
      const free = freeBytes(dir);
      const error = await restoreSnapshot({ snapshotDir: snapshot, target, force: true }).then(
        () => assert.fail('the restore succeeded on a full disk'),
        (failure: Error) => failure,
      );
      assertUntouched(target, bytes);
      assert.deepEqual(tree(dir), before);
      assert.equal(freeBytes(dir), free, 'every byte written was freed again');
      assert.match(error.message, /full|space/i);
      // A typed error (io, or invalid like any statement SQLite refuses), not an "unexpected failure".
      assert.ok(error instanceof SnapshotError, `untyped ${error.constructor.name}: ${error.stack}`);
      assert.ok(['io', 'invalid'].includes(error.kind), error.kind);
    } else {
      // Fallback: the new DB may not grow past 1 MiB (EFBIG instead of ENOSPC, as SQLite sees a failed write).
      const script = `trap '' XFSZ; ulimit -f 1024; exec "$0" "$@"`;
      const args = [CLI_ENTRY, 'restore', snapshot, '--db', target, '--force'];
      const run = spawnSync('bash', ['-c', script, process.execPath, ...args], { encoding: 'utf8' });
      assert.ok(run.status === 1 || run.status === 2, `exit ${run.status}: ${run.stderr}`);
      assertUntouched(target, bytes);
      assert.deepEqual(tree(dir), before);
      assert.match(run.stderr, /full|space|too large|I\/O/i);
    }
    assert.deepEqual(restoreDirs(dir), []);
  });
}

test('no space for the backup of the old DB: nothing replaced, no partial backup; without a backup it fits', async () => {
  assert.ok(mounted, 'this check needs the tmpfs mount (run the tests as root)');
  const dir = join(mountPoint, 'backup');
  mkdirSync(dir);
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target, 1);
  const db = await openDatabase(target);
  db.prepare('INSERT INTO app_state VALUES (?, ?)').run('big', Buffer.alloc(700_000, 'z').toString());
  db.close();
  const bytes = readFileSync(target);
  const free = freeBytes(dir);
  assert.ok(free < 1.55 * 1024 * 1024, `free: ${free}`);
  const error = await expectRefusal(
    restoreSnapshot({ snapshotDir: mediumSnapshot, target, force: true }),
    ['io', 'invalid'],
    /backup/i,
  );
  assert.match(`${error.message} ${error.hint}`, /space|full/i);
  assertUntouched(target, bytes);
  assert.deepEqual(readdirSync(dir), ['app.db'], 'no temp dir and no partial .bak file');
  assert.equal(freeBytes(dir), free);
  // The same restore without a backup needs only room for the new file: it succeeds.
  await restoreSnapshot({ snapshotDir: mediumSnapshot, target, force: true, backup: false });
  assert.equal(await fingerprint(target), sha256File(join(mediumSnapshot, 'snapshot.sql')));
});

test('a disk already full says "no space left" and leaves no temp dir behind, fresh target or populated', async () => {
  assert.ok(mounted, 'this check needs the tmpfs mount (run the tests as root)');
  const dir = join(mountPoint, 'full');
  mkdirSync(dir);
  const populatedTarget = join(dir, 'app.db');
  await makePopulatedTarget(populatedTarget, 1);
  const bytes = readFileSync(populatedTarget);
  // Fill every last block: a filler file grows until the file system refuses.
  const filler = join(mountPoint, 'filler');
  const fd = openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(4096, 1);
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  try {
    for (const target of [join(dir, 'new.db'), populatedTarget]) {
      const error = await expectRefusal(restoreSnapshot({ snapshotDir: mediumSnapshot, target, force: true }), 'io');
      assert.match(error.message, /No space left on the device in .*full/, error.message);
      assert.match(error.hint ?? '', /Free some space/);
      assert.deepEqual(restoreDirs(dir), [], `no temp dir left after restoring to ${target}`);
    }
    assertUntouched(populatedTarget, bytes);
    assert.deepEqual(readdirSync(dir), ['app.db']);
  } finally {
    rmSync(filler);
  }
});
