/** docs/format.md §4.5 and §4.6: restore dirs, refusals that leave the target as it was, no stale journal replay. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { replaceDatabase } from '../../../src/core/place/replace.ts';
import { makeRestoreDir, RESTORE_DIR_PREFIX, sweepRestoreDirs } from '../../../src/core/place/restoreDir.ts';
import { type ErrorKind, SnapshotError } from '../../../src/core/shared/errors.ts';
import { fileSha256, openDatabase, REPO_ROOT, tempDir } from '../../helpers.ts';
import { crashAfter, startHolder } from '../../sqliteChild.ts';

const sha256 = fileSha256;
const sidecars = (path: string): string[] =>
  ['-wal', '-journal', '-shm'].filter((suffix) => existsSync(`${path}${suffix}`));

async function makeDb(path: string, sql: string): Promise<void> {
  const db = await openDatabase(path);
  db.exec(sql);
  db.close();
}

/** Every row of every table, as the independent check that content (not just a file name) moved. */
async function contentOf(path: string): Promise<unknown> {
  const db = await openDatabase(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((name) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all()]),
    );
  } finally {
    db.close();
  }
}

/** A restored DB as the restore leaves it: closed, DELETE journal mode, in a restore dir beside the target. */
async function restoredDb(targetPath: string, rows = "('new-1'), ('new-2')"): Promise<string> {
  const temp = join((await makeRestoreDir(targetPath)).path, 'restore.db');
  await makeDb(
    temp,
    `CREATE TABLE fresh_items (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO fresh_items (v) VALUES ${rows};`,
  );
  return temp;
}

async function assertRefused(promise: Promise<unknown>, kind: ErrorKind, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SnapshotError, String(error));
    assert.equal(error.kind, kind);
    assert.match(error.message, pattern);
    return true;
  });
}

const OLD = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann'), ('bob');`;

test('makeRestoreDir makes a private, locked dir next to the target; remove() takes it away', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  const dir = await makeRestoreDir(target);
  assert.equal(dirname(dir.path), dirname(target));
  assert.ok(basename(dir.path).startsWith(RESTORE_DIR_PREFIX) && basename(dir.path).length > RESTORE_DIR_PREFIX.length);
  assert.equal(statSync(dir.path).mode & 0o777, 0o700);
  const other = await makeRestoreDir(target);
  assert.notEqual(other.path, dir.path, 'never a predictable path');
  assert.deepEqual(await sweepRestoreDirs(target), [], 'both are held by this live process');
  dir.remove();
  other.remove();
  assert.deepEqual(readdirSync(dirname(target)), []);
});

/** Another process that makes a restore dir next to `target` and idles holding it; resolves with its path. */
async function restoreDirHolder(target: string): Promise<{ child: ChildProcess; dir: string }> {
  const script = join(tempDir('restore-dir-holder-'), 'hold.mjs');
  const module = pathToFileURL(join(REPO_ROOT, 'src/core/place/restoreDir.ts')).href;
  writeFileSync(
    script,
    `import { makeRestoreDir } from ${JSON.stringify(module)};
const dir = await makeRestoreDir(process.argv[2]);
process.stdout.write(dir.path + '\\n');
setInterval(() => {}, 1 << 30);
`,
  );
  const child = spawn(process.execPath, [script, target], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, dir: line.toString().trim() };
}

test('sweep judges liveness by the lock: a live restore whose pid looks dead stays, a killed one goes', async () => {
  const parent = tempDir('replace-sweep-');
  const target = join(parent, 'app.db');
  writeFileSync(target, 'the target itself');
  const live = await restoreDirHolder(target);
  const killed = await restoreDirHolder(target);
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  assert.ok(deadPid);
  // Seen from another PID namespace (containers sharing a volume), a live owner's pid names no process here.
  writeFileSync(join(live.dir, 'pid'), `${deadPid}\n`);
  writeFileSync(join(live.dir, 'restore.db'), 'being loaded');
  killed.child.kill('SIGKILL');
  await once(killed.child, 'exit');

  const oldUnlocked = join(parent, `${RESTORE_DIR_PREFIX}old`); // an older version's, or killed before its lock
  mkdirSync(oldUnlocked);
  writeFileSync(join(oldUnlocked, 'pid'), 'not a pid');
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  utimesSync(oldUnlocked, twoHoursAgo, twoHoursAgo);
  const youngUnlocked = join(parent, `${RESTORE_DIR_PREFIX}young`); // a restore between mkdtemp and its lock
  mkdirSync(youngUnlocked);
  const elsewhere = tempDir('replace-sweep-elsewhere-');
  symlinkSync(elsewhere, join(parent, `${RESTORE_DIR_PREFIX}link`));

  assert.deepEqual((await sweepRestoreDirs(target)).sort(), [killed.dir, oldUnlocked].sort());
  assert.deepEqual(
    readdirSync(parent).sort(),
    ['app.db', basename(live.dir), `${RESTORE_DIR_PREFIX}link`, basename(youngUnlocked)].sort(),
  );
  assert.equal(readFileSync(join(live.dir, 'restore.db'), 'utf8'), 'being loaded');
  assert.ok(existsSync(elsewhere), 'a symlink is never followed');
  live.child.kill('SIGKILL');
  await once(live.child, 'exit');
  assert.deepEqual(await sweepRestoreDirs(target), [live.dir], 'swept once its owner is gone');
});

test('an absent target gets the temp DB in place, with no sidecars and no temp file left', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  const temp = await restoredDb(target);
  const hash = sha256(temp);
  assert.deepEqual(await replaceDatabase(temp, target, { force: false, backup: true }), {
    replaced: { fresh: true, reason: 'does not exist' },
  });
  assert.equal(sha256(target), hash);
  assert.ok(!existsSync(temp));
  assert.deepEqual(sidecars(target), []);
  assert.deepEqual(await contentOf(target), {
    fresh_items: [
      [1, 'new-1'],
      [2, 'new-2'],
    ],
  });
  assert.ok(!readdirSync(dirname(target)).some((name) => name.includes('.bak-')), 'nothing to back up');
});

test('a populated target is replaced; its backup is byte-equal to the old file and fsynced beside it', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  await makeDb(target, OLD);
  const oldHash = sha256(target);
  const temp = await restoredDb(target);
  const newHash = sha256(temp);
  const now = new Date('2026-01-02T03:04:05.678Z');
  const { backupPath } = await replaceDatabase(temp, target, { force: true, backup: true, now });
  assert.equal(backupPath, `${target}.bak-20260102T030405Z`);
  assert.equal(sha256(backupPath!), oldHash);
  assert.equal(sha256(target), newHash);
  assert.deepEqual(sidecars(target), []);
  assert.ok(!existsSync(temp));

  // A second restore in the same second never overwrites the first backup.
  const again = await replaceDatabase(await restoredDb(target, "('third')"), target, {
    force: true,
    backup: true,
    now,
  });
  assert.equal(again.backupPath, `${target}.bak-20260102T030405Z-2`);
  assert.equal(sha256(again.backupPath!), newHash);
  assert.equal(sha256(backupPath!), oldHash);
  assert.deepEqual(await contentOf(target), { fresh_items: [[1, 'third']] });

  const noBackup = await replaceDatabase(await restoredDb(target), target, { force: true, backup: false, now });
  assert.equal(noBackup.backupPath, undefined);
  assert.equal(noBackup.replaced.fresh, false, 'judged under the lock: it held rows');
  assert.equal(readdirSync(dirname(target)).filter((name) => name.includes('.bak-')).length, 2);
});

test('a symlinked target is refused and neither the link nor the file behind it changes', async () => {
  const dir = tempDir('replace-');
  const real = join(dir, 'real.db');
  await makeDb(real, OLD);
  const target = join(dir, 'app.db');
  symlinkSync(real, target);
  const hash = sha256(real);
  const temp = await restoredDb(target);
  await assertRefused(
    replaceDatabase(temp, target, { force: true, backup: true }),
    'busy',
    /app\.db is a symbolic link/,
  );
  assert.equal(readlinkSync(target), real);
  assert.equal(sha256(real), hash);
  assert.ok(existsSync(temp), 'the restored DB is still there for the caller to clean up');
});

test('a target an idle process holds open (no SQLite lock) is refused, byte-identical', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  await makeDb(target, OLD);
  const hash = sha256(target);
  const holder = await startHolder(target, 'SELECT 1'); // opened, read once, now idle: it holds no lock
  const temp = await restoredDb(target);
  await assertRefused(
    replaceDatabase(temp, target, { force: true, backup: true }),
    'busy',
    new RegExp(`open in another process \\(pid ${holder.pid} `),
  );
  assert.equal(sha256(target), hash);
  assert.deepEqual(sidecars(target), []);
  assert.ok(!readdirSync(dirname(target)).some((name) => name.includes('.bak-')));
  holder.kill('SIGKILL');
  await once(holder, 'exit');
});

test('a target whose SQLite lock is held (a reader in this process) is refused once the busy timeout passes', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  await makeDb(target, OLD);
  const hash = sha256(target);
  const reader = await openDatabase(target);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM users').get(); // SHARED lock, which /proc cannot see for our own pid
  const temp = await restoredDb(target);
  try {
    await assertRefused(
      replaceDatabase(temp, target, { force: true, backup: true }),
      'busy',
      /app\.db is locked by another process/,
    );
  } finally {
    reader.exec('COMMIT');
    reader.close();
  }
  assert.equal(sha256(target), hash);
  assert.ok(existsSync(temp));
});

test('a crashed WAL writer’s -wal is not replayed into the new DB; the backup keeps the WAL’s rows', async () => {
  const target = join(tempDir('replace-wal-'), 'app.db');
  await crashAfter(
    target,
    `PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; ${OLD}
     CREATE TABLE fresh_items (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO fresh_items (v) VALUES ('stale');`,
  );
  assert.deepEqual(sidecars(target), ['-wal', '-shm'], 'the killed writer left its WAL behind');
  const temp = await restoredDb(target);
  const newHash = sha256(temp);
  const expected = await contentOf(temp);
  const { backupPath } = await replaceDatabase(temp, target, { force: true, backup: true });
  assert.deepEqual(sidecars(target), []);
  assert.deepEqual(await contentOf(target), expected, 'not a single old WAL frame in the new DB');
  assert.equal(sha256(target), newHash);
  const db = await openDatabase(target, { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
  // The old rows lived only in the WAL; checkpointing before the copy put them in the backup.
  assert.deepEqual(await contentOf(backupPath!), {
    fresh_items: [[1, 'stale']],
    users: [
      [1, 'ann'],
      [2, 'bob'],
    ],
  });
  assert.deepEqual(sidecars(backupPath!), []);
});

test('a hot journal is rolled back before the backup, and does not survive next to the new DB', async () => {
  const target = join(tempDir('replace-hot-'), 'app.db');
  await crashAfter(
    target,
    `${OLD} PRAGMA cache_size = 2; BEGIN; DELETE FROM users;
     CREATE TABLE filler (v TEXT);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
       INSERT INTO filler SELECT printf('%0200d', i) FROM n;`,
  );
  assert.ok(existsSync(`${target}-journal`), 'the killed writer left a hot journal');
  const temp = await restoredDb(target);
  const expected = await contentOf(temp);
  const { backupPath } = await replaceDatabase(temp, target, { force: true, backup: true });
  assert.deepEqual(sidecars(target), []);
  assert.deepEqual(await contentOf(target), expected);
  assert.deepEqual(
    await contentOf(backupPath!),
    {
      users: [
        [1, 'ann'],
        [2, 'bob'],
      ],
    },
    'the committed state, rolled back',
  );
});

test('a zero-byte target’s stray -wal is discarded, not replayed into the new DB', async () => {
  const source = join(tempDir('replace-stray-'), 'other.db');
  const writer = await openDatabase(source);
  writer.pragma('journal_mode = WAL');
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec(OLD);
  const strayWal = readFileSync(`${source}-wal`);
  writer.close();
  const target = join(tempDir('replace-stray-'), 'app.db');
  writeFileSync(target, '');
  writeFileSync(`${target}-wal`, strayWal);
  const temp = await restoredDb(target);
  const expected = await contentOf(temp);
  await replaceDatabase(temp, target, { force: true, backup: false });
  assert.deepEqual(sidecars(target), []);
  assert.deepEqual(await contentOf(target), expected);
});

test('a failure before the rename (backup name too long) leaves the target as it was, in its journal mode', async () => {
  // 240 bytes is a legal name; with ".bak-<stamp>" it exceeds NAME_MAX, so the backup fails after the lock.
  const dir = tempDir('replace-fail-');
  const rollback = join(dir, `${'r'.repeat(237)}.db`);
  await makeDb(rollback, OLD);
  const hash = sha256(rollback);
  const temp = await restoredDb(rollback);
  await assertRefused(
    replaceDatabase(temp, rollback, { force: true, backup: true }),
    'io',
    /Cannot write the backup .*nothing was replaced/,
  );
  assert.equal(sha256(rollback), hash);
  assert.ok(existsSync(temp));

  const wal = join(dir, `${'w'.repeat(237)}.db`);
  await makeDb(wal, `PRAGMA journal_mode = WAL; ${OLD}`);
  const before = await contentOf(wal);
  const walTemp = await restoredDb(wal);
  await assertRefused(replaceDatabase(walTemp, wal, { force: true, backup: true }), 'io', /Cannot write the backup/);
  assert.deepEqual(sidecars(wal), []);
  const header = readFileSync(wal).subarray(18, 20);
  assert.deepEqual([...header], [2, 2], 'switched back to WAL, as its application left it');
  assert.deepEqual(await contentOf(wal), before);
});

test('the idle -journal a PERSIST or TRUNCATE writer leaves behind is removed, not left next to the new DB', async () => {
  for (const mode of ['PERSIST', 'TRUNCATE']) {
    const target = join(tempDir('replace-persist-'), 'app.db');
    await makeDb(target, `PRAGMA journal_mode = ${mode}; ${OLD}`);
    assert.deepEqual(sidecars(target), ['-journal'], mode);
    const temp = await restoredDb(target);
    const expected = await contentOf(temp);
    const { backupPath } = await replaceDatabase(temp, target, { force: true, backup: true });
    assert.deepEqual(sidecars(target), [], mode);
    assert.deepEqual(await contentOf(target), expected);
    assert.deepEqual(await contentOf(backupPath!), {
      users: [
        [1, 'ann'],
        [2, 'bob'],
      ],
    });
  }
});

test('a temp DB with a sidecar is refused before the target is touched', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  await makeDb(target, OLD);
  const hash = sha256(target);
  const temp = await restoredDb(target);
  writeFileSync(`${temp}-wal`, '');
  await assertRefused(
    replaceDatabase(temp, target, { force: true, backup: true }),
    'io',
    /restore\.db still has a -wal file/,
  );
  assert.equal(sha256(target), hash);
});

test('a non-SQLite target (replaced with force) is backed up as is and replaced', async () => {
  const target = join(tempDir('replace-'), 'app.db');
  writeFileSync(target, 'not a database\n');
  const temp = await restoredDb(target);
  const hash = sha256(temp);
  const { backupPath } = await replaceDatabase(temp, target, { force: true, backup: true });
  assert.equal(readFileSync(backupPath!, 'utf8'), 'not a database\n');
  assert.equal(sha256(target), hash);
});
