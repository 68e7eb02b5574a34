/**
 * docs/format.md §6 on the restore path: verify and load the same bytes, judge freshness read-only and
 * again under the replace lock, keep the target's mode and owner, and never read through a link.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { loadSqlite } from '../../../src/core/sqlite/sqlite.ts';
import { verifySnapshot } from '../../../src/core/verify/verify.ts';
import { CLI_ENTRY, openDatabase, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { crashAfter } from '../../sqliteChild.ts';
import { expectRefusal, fingerprint, makePopulatedTarget, restoreDirs } from './restoreFixtures.ts';

/** Snapshot A (control model 1) and B (control model 2), with different rows; enough statements to report progress. */
let snapshotA = '';
let snapshotB = '';

async function snapshotWith(rows: number, controlModelVersion: bigint, label: string): Promise<string> {
  const source = join(tempDir('races-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(i, `${label} ${i}`);
  })();
  db.close();
  const outDir = join(tempDir('races-snap-'), label);
  await buildSnapshot({ database: source, outDir, controlModelVersion, env: { SOURCE_DATE_EPOCH: '1700000000' } });
  return outDir;
}

before(async () => {
  snapshotA = await snapshotWith(3000, 1n, 'A');
  snapshotB = await snapshotWith(2000, 2n, 'B');
});

/** A path that points at A until `swap()` renames a link to B over it, as an attacker's `mv -T` would. */
function swappableLink(): { path: string; swap: () => void } {
  const dir = tempDir('races-link-');
  const path = join(dir, 'current');
  symlinkSync(snapshotA, path);
  let swapped = false;
  return {
    path,
    swap() {
      if (swapped) return;
      swapped = true;
      symlinkSync(snapshotB, join(dir, 'next'));
      renameSync(join(dir, 'next'), path);
    },
  };
}

test('a snapshot directory swapped while loading: what was verified is what was loaded', async () => {
  const link = swappableLink();
  const target = join(tempDir('races-target-'), 'app.db');
  // B passes the expectation, A does not: loading A while verifying B would restore unverified data.
  const restoring = restoreSnapshot({
    snapshotDir: link.path,
    target,
    expect: { controlModelVersions: [2n] },
    onProgress: () => link.swap(),
  });
  const error = await expectRefusal(restoring, 'verification', /control_model_version: expected 2, got 1/);
  assert.ok(!existsSync(target), `nothing restored: ${error.message}`);
  assert.deepEqual(restoreDirs(join(target, '..')), []);

  // The other way round: opened as B, swapped to A meanwhile; B is restored and reported.
  const back = tempDir('races-link-');
  symlinkSync(snapshotB, join(back, 'current'));
  const restored = await restoreSnapshot({
    snapshotDir: join(back, 'current'),
    target,
    expect: { controlModelVersions: [2n] },
    onProgress: () => {
      symlinkSync(snapshotA, join(back, 'next'));
      renameSync(join(back, 'next'), join(back, 'current'));
    },
  });
  assert.equal(restored.report.computedChecksum, sha256File(join(snapshotB, 'snapshot.sql')));
  assert.equal(await fingerprint(target), sha256File(join(snapshotB, 'snapshot.sql')));
});

test('a target created and filled by its application while the snapshot loads is not replaced without force', async () => {
  const dir = tempDir('races-filled-');
  const target = join(dir, 'app.db');
  const Sqlite = await loadSqlite();
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    const app = new Sqlite(target);
    app.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO orders (what) VALUES ('paid');");
    app.close();
  };
  await expectRefusal(
    restoreSnapshot({ snapshotDir: snapshotA, target, onProgress: fill }),
    'not-fresh',
    /"orders" holds rows: it was filled while the snapshot was loading/,
  );
  assert.ok(filled);
  assert.equal(sqlite3(target, 'SELECT what FROM orders;').trim(), 'paid', "the application's row is still there");
  assert.deepEqual(readdirSync(dir), ['app.db'], 'no backup, no temp dir');

  // With force it is replaced, and what the application wrote is kept as a backup.
  filled = false;
  const forced = await restoreSnapshot({
    snapshotDir: snapshotA,
    target: join(dir, 'other.db'),
    force: true,
    onProgress: () => {
      if (filled) return;
      filled = true;
      const app = new Sqlite(join(dir, 'other.db'));
      app.exec("CREATE TABLE orders (what TEXT); INSERT INTO orders VALUES ('paid');");
      app.close();
    },
  });
  assert.ok(forced.backupPath, 'a DB filled meanwhile is backed up before it is replaced');
  assert.equal(sqlite3(forced.backupPath!, 'SELECT what FROM orders;').trim(), 'paid');
  assert.equal(forced.freshness.fresh, false);
});

test('a replaced target keeps its mode and owner, and so does its backup', async () => {
  const dir = tempDir('races-mode-');
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target);
  // As root, give it to another user; otherwise keep ours (the mode is still checked).
  const owner = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : statSync(target);
  chownSync(target, owner.uid, owner.gid);
  chmodSync(target, 0o600);
  const result = await restoreSnapshot({ snapshotDir: snapshotA, target, force: true });
  for (const path of [target, result.backupPath!]) {
    const stats = statSync(path);
    assert.equal(stats.mode & 0o777, 0o600, `${path} mode ${(stats.mode & 0o777).toString(8)}`);
    assert.deepEqual([stats.uid, stats.gid], [owner.uid, owner.gid], path);
  }
  assert.equal(await fingerprint(target), sha256File(join(snapshotA, 'snapshot.sql')));

  // A new target gets what SQLite gives a new database in that directory.
  const fresh = join(dir, 'new.db');
  await restoreSnapshot({ snapshotDir: snapshotA, target: fresh });
  const reference = join(dir, 'reference.db');
  (await openDatabase(reference)).close();
  assert.equal(statSync(fresh).mode & 0o777, statSync(reference).mode & 0o777);
});

test('a refused restore leaves the target and its -wal as they were: nothing is replayed or created beside it', async () => {
  const dir = tempDir('races-wal-');
  const target = join(dir, 'app.db');
  // A WAL database whose application crashed: its last rows live only in the -wal.
  const db = await openDatabase(target);
  db.exec('PRAGMA journal_mode = WAL; CREATE TABLE state (k TEXT)');
  db.close();
  await crashAfter(target, "PRAGMA wal_autocheckpoint = 0; INSERT INTO state VALUES ('only in the wal');");
  const main = readFileSync(target);
  const wal = readFileSync(`${target}-wal`);
  const listing = readdirSync(dir).sort();

  // The main file alone holds no rows: the recovered view (a private copy) is what is judged.
  await expectRefusal(restoreSnapshot({ snapshotDir: snapshotA, target }), 'not-fresh', /"state" holds rows/);
  assert.ok(readFileSync(target).equals(main), 'the main file was not written (no checkpoint)');
  assert.ok(readFileSync(`${target}-wal`).equals(wal), 'the -wal is as the application left it');
  assert.deepEqual(readdirSync(dir).sort(), listing, 'no -shm, backup or temp dir appeared');
  assert.equal(sqlite3(target, 'SELECT k FROM state;').trim(), 'only in the wal', 'its application still sees its row');
});

test('snapshot files that are symbolic links are refused, not read, hashed or quoted', async () => {
  const secret = join(tempDir('races-secret-'), 'secret.txt');
  writeFileSync(secret, 'root:SUPERSECRET:0:0\n');
  for (const name of ['manifest.json', 'snapshot.sql']) {
    const dir = tempDir('races-linked-');
    for (const file of ['manifest.json', 'snapshot.sql']) {
      if (file === name) symlinkSync(secret, join(dir, file));
      else writeFileSync(join(dir, file), readFileSync(join(snapshotA, file)));
    }
    const error = await expectRefusal(verifySnapshot(dir), 'io', /is a symbolic link/);
    assert.ok(!`${error.message} ${error.hint}`.includes('SUPERSECRET'), error.message);
    const target = join(tempDir('races-target-'), 'app.db');
    await expectRefusal(
      restoreSnapshot({ snapshotDir: dir, target }),
      'io',
      new RegExp(`${name.replace('.', '\\.')} is a symbolic link`),
    );
    assert.ok(!existsSync(target));
  }
  // A FIFO or a directory in a file's place is not a regular file: refused at once, never waited on.
  const dir = tempDir('races-dir-');
  mkdirSync(join(dir, 'manifest.json'));
  writeFileSync(join(dir, 'snapshot.sql'), readFileSync(join(snapshotA, 'snapshot.sql')));
  await expectRefusal(verifySnapshot(dir), 'io', /manifest\.json is not a regular file/);
});

test('an unreadable snapshot file is one clear line (permission denied, exit 2), not a stack trace', () => {
  const dir = tempDir('races-eacces-');
  chmodSync(dir, 0o755);
  for (const file of ['manifest.json', 'snapshot.sql'])
    writeFileSync(join(dir, file), readFileSync(join(snapshotA, file)));
  chmodSync(join(dir, 'snapshot.sql'), 0);
  // Root reads anything: the CLI then runs as an unprivileged user, as a service account would.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const run = spawnSync(process.execPath, [CLI_ENTRY, 'verify', dir], { encoding: 'utf8', ...asUser });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /Cannot read Dump .*snapshot\.sql: permission denied/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
});

test('a restore target with a trailing separator is refused: neither the file nor a new one is touched', async () => {
  const dir = tempDir('races-slash-');
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target);
  const bytes = readFileSync(target);
  for (const typed of [`${target}/`, join(dir, 'new.db/')]) {
    await expectRefusal(
      restoreSnapshot({ snapshotDir: snapshotA, target: typed, force: true }),
      'usage',
      /ends with a path separator, which names a directory/,
    );
  }
  assert.ok(readFileSync(target).equals(bytes));
  assert.deepEqual(readdirSync(dir), ['app.db']);
});
