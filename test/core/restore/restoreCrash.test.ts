/**
 * docs/format.md §4.6: kill -9 of `sqlite-snapshot restore` at any point leaves the target
 * exactly old or exactly new, intact and without a journal; a later run sweeps the temp dirs.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CLI_ENTRY, openDatabase, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { type KillAt, type KillableRun, runKillable } from '../../killable.ts';
import { fingerprint, makePopulatedTarget, restoreDirs, snapshotOf } from './restoreFixtures.ts';

const ROWS = 300_000;
const KILLS = 10;

let snapshot = '';
let newPrint = '';
let oldCopy = '';
let oldPrint = '';

before(async () => {
  const source = join(tempDir('crash-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL, tag BLOB);
    CREATE INDEX items_name ON items (name);`);
  const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) {
      insert.run(i, `item ${i} ${(i * 7919) % 100003} lorem ipsum dolor`, i % 1000, i / 7, Buffer.from([i & 255, 7]));
    }
  })();
  db.close();
  snapshot = await snapshotOf(source);
  newPrint = sha256File(join(snapshot, 'snapshot.sql'));
  oldCopy = join(tempDir('crash-old-'), 'old.db');
  await makePopulatedTarget(oldCopy, 50);
  oldPrint = await fingerprint(oldCopy);
});

/** Runs the CLI from source as its own process, killed at `kill` if given. */
const runRestore = (target: string, kill?: KillAt, snapshotDir = snapshot): Promise<KillableRun> =>
  runKillable([CLI_ENTRY, 'restore', snapshotDir, '--db', target, '--force'], kill);

/** The target is whole: exactly the old or the new content, intact, and no journal that could replay. */
async function outcome(target: string): Promise<'old' | 'new'> {
  for (const suffix of ['-wal', '-journal']) assert.ok(!existsSync(`${target}${suffix}`), `${target}${suffix} left`);
  const print = await fingerprint(target);
  assert.ok(print === oldPrint || print === newPrint, `the target is neither old nor new (${print})`);
  assert.equal(sqlite3(target, 'PRAGMA integrity_check;').trim(), 'ok');
  return print === oldPrint ? 'old' : 'new';
}

test(`kill -9 at ${KILLS} points of a restore leaves the target exactly old or new; the next run sweeps`, async () => {
  const dir = tempDir('crash-target-');
  const target = join(dir, 'app.db');
  copyFileSync(oldCopy, target);
  const full = await runRestore(target);
  assert.equal(full.code, 0, full.stderr);
  assert.equal(await outcome(target), 'new');
  assert.ok(full.ms > 300, `a full run took ${full.ms} ms: too short to interrupt meaningfully`);

  const seen: string[] = [];
  let leftovers = 0;
  for (let i = 0; i < KILLS; i++) {
    copyFileSync(oldCopy, target);
    // Spread over the run, denser near its end, where the backup and the rename happen.
    const delay = Math.round(full.ms * (i < 6 ? 0.05 + 0.8 * (i / 6) : 0.86 + 0.035 * (i - 6)));
    const run = await runRestore(target, delay);
    const result = await outcome(target);
    // A run that ended on its own must have finished the job.
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(result, 'new');
    }
    // What a killed run left is swept by the next run's start, so it is counted now.
    const left = restoreDirs(dir).length;
    seen.push(`${delay}ms:${run.signal ?? run.code}:${result}:${left}`);
    leftovers = Math.max(leftovers, left);
  }
  assert.ok(
    seen.some((entry) => entry.includes('SIGKILL:old')),
    `no kill landed before the replace: ${seen.join(' ')}`,
  );
  assert.ok(leftovers > 0, `a kill while loading leaves its temp dir for the sweep: ${seen.join(' ')}`);

  copyFileSync(oldCopy, target);
  const after = await runRestore(target);
  assert.equal(after.code, 0, after.stderr);
  assert.equal(await outcome(target), 'new');
  assert.deepEqual(restoreDirs(dir), [], 'the temp dirs of the killed runs were swept');
  const backups = readdirSync(dir).filter((name) => name.startsWith('app.db.bak-'));
  assert.deepEqual(
    readdirSync(dir).filter((name) => !backups.includes(name)),
    ['app.db'],
  );
  // Every run replaced the same old DB: a backup is that DB whole, never a partial copy.
  const old = readFileSync(oldCopy);
  for (const name of backups) assert.ok(readFileSync(join(dir, name)).equals(old), `${name} is not the old DB`);
});

/** The size of a backup being written next to `target` (under its final name or in a restore dir), if any. */
function backupInProgress(dir: string, complete: number): boolean {
  const candidates = readdirSync(dir).flatMap((name) =>
    name.startsWith('app.db.bak-')
      ? [join(dir, name)]
      : name.startsWith('.sqlite-snapshot-restore-')
        ? [join(dir, name, 'backup.db')]
        : [],
  );
  return candidates.some((path) => {
    const size = statSync(path, { throwIfNoEntry: false })?.size;
    return size !== undefined && size > 0 && size < complete;
  });
}

test('kill -9 while a large old DB is backed up never leaves a partial .bak file under a backup name', async () => {
  // A small snapshot over a large old DB: the run is killed the moment a backup is half written.
  const small = join(tempDir('crash-small-'), 'small.db');
  await makePopulatedTarget(small, 10);
  const smallSnapshot = await snapshotOf(small);
  const bigOld = join(tempDir('crash-big-old-'), 'old.db');
  const db = await openDatabase(bigOld);
  db.exec('CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)');
  const insert = db.prepare('INSERT INTO blobs (b) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 300; i++) insert.run(Buffer.alloc(100_000, i));
  })();
  db.close();
  const old = readFileSync(bigOld);

  const dir = tempDir('crash-backup-');
  const target = join(dir, 'app.db');
  let caught = 0;
  for (let i = 0; i < 4; i++) {
    for (const name of readdirSync(dir)) if (name.startsWith('app.db.bak-')) rmSync(join(dir, name));
    copyFileSync(bigOld, target);
    const run = await runRestore(target, { when: () => backupInProgress(dir, old.length) }, smallSnapshot);
    if (run.signal === 'SIGKILL') caught++;
    // Whatever the moment of the kill, a file under a backup name is the old DB whole.
    for (const name of readdirSync(dir).filter((entry) => entry.startsWith('app.db.bak-'))) {
      assert.ok(readFileSync(join(dir, name)).equals(old), `${name} is a partial copy`);
    }
    // The target is the old DB byte for byte, or the new content.
    const untouched = readFileSync(target).equals(old);
    assert.ok(untouched || (await fingerprint(target)) === sha256File(join(smallSnapshot, 'snapshot.sql')));
  }
  assert.ok(caught > 0, 'no run was caught while writing its backup');
  const after = await runRestore(target, undefined, smallSnapshot);
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual(restoreDirs(dir), [], "the killed runs' temp dirs (and their partial backups) were swept");
});
