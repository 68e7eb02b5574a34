/**
 * Who holds the restore target open, per OS: /proc on Linux, lsof on macOS and other Unixes (the
 * real one, and stand-ins on PATH for the ways it fails), nothing to ask on Windows. POSIX only: the
 * stand-ins are shell scripts. Windows' own check, the refused rename, is platformReplace.test.ts's.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findOpenHolders } from '../../../src/core/place/openHolders.ts';
import { replaceDatabase } from '../../../src/core/place/replace.ts';
import { makeRestoreDir } from '../../../src/core/place/restoreDir.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { fileSha256, openDatabase, tempDir } from '../../helpers.ts';
import { startHolder } from '../../sqliteChild.ts';

async function makeDb(path: string, sql: string): Promise<void> {
  const db = await openDatabase(path);
  db.exec(sql);
  db.close();
}

const OLD = `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann'), ('bob');`;

/** A directory holding only an executable `lsof` script with `body`; its PATH finds nothing else. */
function fakeLsof(body: string): { env: NodeJS.ProcessEnv; dir: string } {
  const dir = tempDir('fake-lsof-');
  const script = join(dir, 'lsof');
  writeFileSync(script, `#!/bin/sh\n${body}\n`);
  chmodSync(script, 0o755);
  return { env: { PATH: `${dir}:/bin:/usr/bin` }, dir };
}

test('the /proc way (Linux) and the lsof way (macOS) both find an idle holder by pid, never this process', async () => {
  const path = join(tempDir('holders-'), 'app.db');
  await makeDb(path, OLD);
  const ours = openSync(path, 'r'); // this process holds it too, as the replace does: not a holder
  const holder = await startHolder(path, 'SELECT 1'); // opened, read once, idle: no SQLite lock
  try {
    for (const platform of ['linux', 'darwin'] as const) {
      const found = await findOpenHolders(path, statSync(path), { platform });
      assert.ok(found.known, `${platform}: ${JSON.stringify(found)}`);
      assert.equal(found.holders.length, 1, `${platform}: ${found.holders.join(', ')}`);
      assert.match(found.holders[0]!, new RegExp(`^${holder.pid} \\(.+\\)$`), platform);
    }
  } finally {
    holder.kill('SIGKILL');
    await once(holder, 'exit');
  }
  for (const platform of ['linux', 'darwin'] as const) {
    assert.deepEqual(await findOpenHolders(path, statSync(path), { platform }), { known: true, holders: [] }, platform);
  }
  closeSync(ours);
});

test('on the lsof path (macOS), a target an idle process holds open is refused and stays byte-identical', async () => {
  const target = join(tempDir('holders-replace-'), 'app.db');
  await makeDb(target, OLD);
  const hash = fileSha256(target);
  const holder = await startHolder(target, 'SELECT 1');
  const dir = await makeRestoreDir(target);
  try {
    const temp = join(dir.path, 'restore.db');
    await makeDb(temp, 'CREATE TABLE fresh_items (v TEXT)');
    await assert.rejects(replaceDatabase(temp, target, { force: true, backup: true, platform: 'darwin' }), (error) => {
      assert.ok(error instanceof SnapshotError && error.kind === 'busy', String(error));
      assert.match(error.message, new RegExp(`is open in another process \\(pid ${holder.pid} \\(`));
      return true;
    });
    assert.equal(fileSha256(target), hash);
  } finally {
    dir.remove();
    holder.kill('SIGKILL');
    await once(holder, 'exit');
  }
});

test('Windows answers "cannot tell": its rename is the check', async () => {
  const path = join(tempDir('holders-win-'), 'app.db');
  writeFileSync(path, '');
  const found = await findOpenHolders(path, statSync(path), { platform: 'win32' });
  assert.equal(found.known, false);
  assert.match(found.known ? '' : found.why, /rename fails while another process holds the file open/);
});

test('lsof is asked about the absolute path by device and inode, and its field output is read without this process', async () => {
  const base = tempDir('holders-lsof-');
  const fake = fakeLsof(
    `printf '%s\\n' "$@" > "$(dirname "$0")/args"
printf 'p${process.pid}\\ncnode\\np4242\\ncmy app\\nf12\\np77\\nnot a field\\n'`,
  );
  const path = join(base, 'app.db');
  writeFileSync(path, '');
  const found = await findOpenHolders(path, statSync(path), { platform: 'darwin', env: fake.env });
  assert.deepEqual(found, { known: true, holders: ['4242 (my app)', '77 (?)'] });
  assert.equal(readFileSync(join(fake.dir, 'args'), 'utf8'), `-w\n-F\npc\n--\n${path}\n`);
});

test('only a silent exit 1 of lsof means nobody; its failures, absence and silence mean cannot tell', async () => {
  const path = join(tempDir('holders-lsof-'), 'app.db');
  writeFileSync(path, '');
  const ask = (env: NodeJS.ProcessEnv, timeoutMs?: number) =>
    findOpenHolders(path, statSync(path), { platform: 'darwin', env, timeoutMs });

  assert.deepEqual(await ask(fakeLsof('exit 1').env), { known: true, holders: [] });
  assert.deepEqual(await ask(fakeLsof('echo "lsof: WARNING: can\'t stat() nfs file system" >&2; exit 1').env), {
    known: false,
    why: "lsof exited with 1: lsof: WARNING: can't stat() nfs file system",
  });
  assert.deepEqual(await ask(fakeLsof('exit 2').env), { known: false, why: 'lsof exited with 2' });
  const nowhere = tempDir('holders-no-lsof-');
  mkdirSync(join(nowhere, 'empty'));
  assert.deepEqual(await ask({ PATH: join(nowhere, 'empty') }), {
    known: false,
    why: 'lsof was not found on PATH',
  });
  const started = Date.now();
  assert.deepEqual(await ask(fakeLsof('exec sleep 30').env, 300), {
    known: false,
    why: 'lsof gave no answer within 300 ms',
  });
  assert.ok(Date.now() - started < 5000, 'a hung lsof is given up on, not waited for');
});

test('without lsof the replace stands on the SQLite lock alone: a locked target is still refused', async () => {
  const target = join(tempDir('holders-nolsof-'), 'app.db');
  await makeDb(target, OLD);
  const hash = fileSha256(target);
  const reader = await openDatabase(target);
  reader.exec('BEGIN');
  reader.prepare('SELECT count(*) FROM users').get(); // a SHARED lock
  const savedPath = process.env.PATH;
  process.env.PATH = tempDir('holders-empty-path-'); // no lsof to be found
  const dir = await makeRestoreDir(target);
  try {
    const temp = join(dir.path, 'restore.db');
    await makeDb(temp, 'CREATE TABLE fresh_items (v TEXT)');
    await assert.rejects(replaceDatabase(temp, target, { force: true, backup: true, platform: 'darwin' }), (error) => {
      assert.ok(error instanceof SnapshotError && error.kind === 'busy', String(error));
      assert.match(error.message, /app\.db is locked by another process/);
      return true;
    });
    assert.equal(fileSha256(target), hash);
  } finally {
    process.env.PATH = savedPath;
    reader.exec('COMMIT');
    reader.close();
    dir.remove();
  }
});
