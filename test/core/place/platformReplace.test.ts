/**
 * The replace on each OS. Windows cannot rename over a file any process holds open, this one
 * included: there the lock is let go of before the rename, a refused rename is tried again for a
 * moment and then reported as a process holding the target, and a write that slips in between is
 * noticed. The Windows branch runs here on any OS, with the errors Windows gives injected into the
 * rename; the real rename of this OS runs too, against a real process holding the target open.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { replaceDatabase } from '../../../src/core/place/replace.ts';
import { makeRestoreDir, type RestoreDir } from '../../../src/core/place/restoreDir.ts';
import { RETRY_DELAYS_MS } from '../../../src/core/place/windowsRename.ts';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { fileSha256, openDatabase, REPO_ROOT, tempDir } from '../../helpers.ts';
import { startHolder } from '../../sqliteChild.ts';
import { assertUntouched, makePopulatedTarget, restoreDirs, snapshotOf } from '../restore/restoreFixtures.ts';

const OLD = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann'), ('bob');`;
const NEW = `CREATE TABLE fresh_items (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO fresh_items (v) VALUES ('new');`;
const WAITED_MS = RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);

async function makeDb(path: string, sql: string): Promise<void> {
  const db = await openDatabase(path);
  db.exec(sql);
  db.close();
}

async function rowsOf(path: string, table: string): Promise<unknown[]> {
  const db = await openDatabase(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).raw().all();
  } finally {
    db.close();
  }
}

/** A populated target (WAL mode or not) and a restored temp DB in a restore dir beside it. */
async function setUp(wal = false): Promise<{ target: string; temp: string; dir: RestoreDir; parent: string }> {
  const parent = tempDir('platform-replace-');
  const target = join(parent, 'app.db');
  await makeDb(target, `${wal ? 'PRAGMA journal_mode = WAL;' : ''} ${OLD}`);
  const dir = await makeRestoreDir(target);
  const temp = join(dir.path, 'restore.db');
  await makeDb(temp, NEW);
  return { target, temp, dir, parent };
}

const backups = (parent: string): string[] => readdirSync(parent).filter((name) => name.includes('.bak-'));

/** A rename that fails with `code` (as Windows answers for a file another process holds) `times` times, then renames. */
function refusingRename(
  code: string,
  times = Number.POSITIVE_INFINITY,
): { rename: typeof renameSync; calls: () => number } {
  let calls = 0;
  const rename = ((from: string, to: string) => {
    calls++;
    if (calls <= times)
      throw Object.assign(new Error(`${code}: operation not permitted, rename '${from}' -> '${to}'`), { code });
    renameSync(from, to);
  }) as typeof renameSync;
  return { rename, calls: () => calls };
}

for (const platform of [undefined, 'win32'] as const) {
  const which = platform ? 'the Windows way (lock let go of, then renamed)' : `this OS's way (${process.platform})`;
  test(`${which}: a populated target, in WAL mode or not, is replaced and backed up`, async () => {
    for (const wal of [false, true]) {
      const { target, temp, dir, parent } = await setUp(wal);
      const newHash = fileSha256(temp);
      const { backupPath, replaced } = await replaceDatabase(temp, target, { force: true, backup: true, platform });
      dir.remove();
      assert.equal(replaced.fresh, false);
      assert.equal(fileSha256(target), newHash);
      assert.ok(!existsSync(temp));
      assert.deepEqual(await rowsOf(backupPath!, 'users'), [
        [1, 'ann'],
        [2, 'bob'],
      ]);
      assert.deepEqual(backups(parent).length, 1);
      for (const suffix of ['-wal', '-journal', '-shm']) assert.ok(!existsSync(`${target}${suffix}`), suffix);
    }
  });
}

test("an idle process holding the target open: this OS's restore refuses it, leaving the target and its directory as they were", async () => {
  const source = join(tempDir('platform-source-'), 'source.db');
  await makeDb(source, NEW);
  const snapshot = await snapshotOf(source);
  const parent = tempDir('platform-held-');
  const target = join(parent, 'app.db');
  await makePopulatedTarget(target);
  const bytes = readFileSync(target);
  // Opened, read once, idle: no SQLite lock. Linux finds it in /proc, macOS through lsof, and on
  // Windows the rename fails (its open handle does not share delete access) and is tried again first.
  const holder = await startHolder(target, 'SELECT 1');
  try {
    await assert.rejects(restoreSnapshot({ snapshotDir: snapshot, target, force: true }), (error: unknown) => {
      assert.ok(error instanceof SnapshotError, String(error));
      assert.equal(error.kind, 'busy');
      assert.match(error.message, /app\.db is open in another process/);
      return true;
    });
    assertUntouched(target, bytes);
    assert.deepEqual(readdirSync(parent), ['app.db'], 'no backup, no restore dir left');
    assert.deepEqual(restoreDirs(parent), []);
  } finally {
    holder.kill('SIGKILL');
    await once(holder, 'exit');
  }
});

test('the Windows refusals of a rename (EPERM, EBUSY, EACCES) are one line naming the target, after the retries; nothing changed', async () => {
  for (const [code, wal] of [
    ['EPERM', false],
    ['EBUSY', true],
    ['EACCES', false],
  ] as const) {
    const { target, temp, dir, parent } = await setUp(wal);
    const hash = fileSha256(target);
    const before = await rowsOf(target, 'users');
    const refusing = refusingRename(code);
    const started = Date.now();
    try {
      await assert.rejects(
        replaceDatabase(temp, target, { force: true, backup: true, platform: 'win32', renameFile: refusing.rename }),
        (error: unknown) => {
          assert.ok(error instanceof SnapshotError, String(error));
          assert.equal(error.kind, 'busy');
          assert.equal(
            error.message,
            `Restore target ${target} is open in another process: Windows refused to rename over it (${code}); it was not replaced.`,
          );
          assert.match(error.hint ?? '', /^Stop the process holding it/);
          return true;
        },
      );
      assert.equal(refusing.calls(), RETRY_DELAYS_MS.length + 1, code);
      assert.ok(Date.now() - started >= WAITED_MS, 'a held file is given its moment to be let go of');
      for (const suffix of ['-wal', '-journal', '-shm']) assert.ok(!existsSync(`${target}${suffix}`), suffix);
      const header = readFileSync(target).subarray(18, 20);
      assert.deepEqual([...header], wal ? [2, 2] : [1, 1], 'its journal mode as its application left it');
      // Leaving WAL and going back to it rewrites page 1 (its change counter): the rows are what stays.
      if (wal) assert.deepEqual(await rowsOf(target, 'users'), before, code);
      else assert.equal(fileSha256(target), hash, code);
      assert.deepEqual(backups(parent), [], 'the backup made for it is gone again');
      assert.ok(existsSync(temp), 'the restored DB is left for the caller, who removes its dir');
    } finally {
      dir.remove();
    }
  }
});

test('on Windows a file a virus scanner holds for a moment is waited for, then replaced', async () => {
  const { target, temp, dir } = await setUp();
  const newHash = fileSha256(temp);
  const refusing = refusingRename('EBUSY', 2);
  try {
    await replaceDatabase(temp, target, { force: true, backup: false, platform: 'win32', renameFile: refusing.rename });
    assert.equal(refusing.calls(), 3);
    assert.equal(fileSha256(target), newHash);
  } finally {
    dir.remove();
  }
});

test('on Windows a write that lands after the lock is let go of is noticed, and the target is not replaced', async () => {
  const { target, temp, dir, parent } = await setUp();
  const script = join(tempDir('platform-writer-'), 'write.mjs');
  const sqlite = pathToFileURL(join(REPO_ROOT, 'src/core/sqlite/sqlite.ts')).href;
  writeFileSync(
    script,
    `import { loadSqlite } from ${JSON.stringify(sqlite)};
const db = new (await loadSqlite())(process.argv[2]);
db.exec("INSERT INTO users (name) VALUES ('written meanwhile')");
db.close();
`,
  );
  let calls = 0;
  const rename = ((_from: string, _to: string) => {
    calls++;
    // Another process opens, writes and closes the target between the checks; this attempt was held.
    const writer = spawnSync(process.execPath, [script, target], { encoding: 'utf8' });
    assert.equal(writer.status, 0, writer.stderr);
    throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
  }) as typeof renameSync;
  try {
    await assert.rejects(
      replaceDatabase(temp, target, { force: true, backup: true, platform: 'win32', renameFile: rename }),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotError, String(error));
        assert.equal(error.kind, 'busy');
        assert.match(error.message, /app\.db was written by another process after it was checked; it was not replaced/);
        return true;
      },
    );
    assert.equal(calls, 1, 'no second attempt at a file that changed');
    assert.deepEqual(await rowsOf(target, 'users'), [
      [1, 'ann'],
      [2, 'bob'],
      [3, 'written meanwhile'],
    ]);
    assert.deepEqual(backups(parent), []);
  } finally {
    dir.remove();
  }
});

test('elsewhere those codes keep their POSIX meaning: no retry, an I/O error, target and directory as they were', async () => {
  const { target, temp, dir, parent } = await setUp();
  const hash = fileSha256(target);
  const refusing = refusingRename('EPERM');
  try {
    await assert.rejects(
      replaceDatabase(temp, target, { force: true, backup: true, platform: 'linux', renameFile: refusing.rename }),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotError, String(error));
        assert.equal(error.kind, 'io');
        assert.match(error.message, /^Cannot move the restored DB restore\.db to .*app\.db: EPERM/);
        return true;
      },
    );
    assert.equal(refusing.calls(), 1);
    assert.equal(fileSha256(target), hash);
    assert.deepEqual(backups(parent), []);
  } finally {
    dir.remove();
  }
});

test("an absent target gets the restored DB by this OS's link or rename, no second name left", async () => {
  const parent = tempDir('platform-absent-');
  const target = join(parent, 'app.db');
  const dir = await makeRestoreDir(target);
  const temp = join(dir.path, 'restore.db');
  await makeDb(temp, NEW);
  const newHash = fileSha256(temp);
  try {
    assert.deepEqual(await replaceDatabase(temp, target, { force: false, backup: true }), {
      replaced: { fresh: true, reason: 'does not exist' },
    });
    assert.equal(fileSha256(target), newHash);
    assert.ok(!existsSync(temp));
  } finally {
    dir.remove();
  }
  assert.deepEqual(readdirSync(parent), ['app.db']);
});
