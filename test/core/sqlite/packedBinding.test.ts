/**
 * The bundle's SQLite bindings ship compressed (dist/prebuilds/<platform>.node.br) and are unpacked
 * on first use. Run as users run it, from a copy of dist/ with no node_modules: the first run
 * unpacks and checks the addon, a damaged unpacked file is replaced, a read-only install unpacks
 * into a private folder it removes, a damaged packed file is one clear error, and the whole
 * committed dist/ stays small.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKED_INDEX, type PackedIndex } from '../../../src/core/sqlite/packedBinding.ts';
import { REPO_ROOT, sqlite3, tempDir } from '../../helpers.ts';

const KEY = `${process.platform}-${process.arch}`;
const isRoot = process.getuid?.() === 0;
/** As root, permissions do not stop the writer: the read-only case runs as `nobody`. */
const NOBODY = { uid: 65534, gid: 65534 };

/** A copy of dist/ as an install holds it, under a folder anyone may read. */
function installedDist(): string {
  const root = tempDir('packed-binding-');
  chmodSync(root, 0o755);
  cpSync(join(REPO_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  // A checkout that has run the bundle holds an unpacked addon: start from the packed files only.
  for (const name of readdirSync(join(root, 'dist', 'prebuilds'))) {
    if (name.endsWith('.node')) rmSync(join(root, 'dist', 'prebuilds', name));
  }
  return join(root, 'dist');
}

function smallDatabase(): string {
  const dir = tempDir('packed-binding-db-');
  chmodSync(dir, 0o777);
  const db = join(dir, 'app.db');
  sqlite3(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b');");
  chmodSync(db, 0o644);
  return db;
}

/** `sqlite-snapshot build` of `db` with the bundled CLI in `dist`; `env` and `user` for the process. */
function build(dist: string, db: string, options: { env?: NodeJS.ProcessEnv; user?: typeof NOBODY } = {}) {
  const out = join(tempDir('packed-binding-out-'), 'snapshot');
  chmodSync(join(out, '..'), 0o777);
  const run = spawnSync(process.execPath, [join(dist, 'cli.js'), 'build', '--db', db, '--out', out], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...options.env },
    ...(options.user ?? {}),
  });
  return { ...run, out };
}

const expectedDigest = (dist: string): string =>
  (JSON.parse(readFileSync(join(dist, 'prebuilds', PACKED_INDEX), 'utf8')) as PackedIndex)[KEY]!.sha256;
const digestOf = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('the committed dist/ holds every platform packed, and is at most 20 MB', () => {
  const dist = join(REPO_ROOT, 'dist');
  const index = JSON.parse(readFileSync(join(dist, 'prebuilds', PACKED_INDEX), 'utf8')) as PackedIndex;
  assert.deepEqual(Object.keys(index).sort(), [
    'darwin-arm64',
    'darwin-x64',
    'linux-arm64',
    'linux-x64',
    'linuxmusl-arm64',
    'linuxmusl-x64',
    'win32-arm64',
    'win32-x64',
  ]);
  const sizes = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return total + sizes(path);
      // Unpacked addons are written on first use, never committed.
      return entry.name.endsWith('.node') ? total : total + statSync(path).size;
    }, 0);
  const megabytes = sizes(dist) / 2 ** 20;
  assert.ok(megabytes <= 20, `dist/ is ${megabytes.toFixed(1)} MB`);
});

test('the first run unpacks the addon next to the bundle and checks it; later runs reuse it', () => {
  const dist = installedDist();
  const unpacked = join(dist, 'prebuilds', `${KEY}.node`);
  const first = build(dist, smallDatabase());
  assert.equal(first.status, 0, first.stderr);
  assert.equal(digestOf(unpacked), expectedDigest(dist));
  assert.ok(existsSync(join(first.out, 'snapshot.sql')));
  const before = statSync(unpacked).mtimeMs;
  const second = build(dist, smallDatabase());
  assert.equal(second.status, 0, second.stderr);
  assert.equal(statSync(unpacked).mtimeMs, before, 'not unpacked again');
  // Restore loads rows on a worker thread, which loads the same unpacked addon.
  const target = join(tempDir('packed-binding-restore-'), 'app.db');
  const restored = spawnSync(process.execPath, [join(dist, 'cli.js'), 'restore', second.out, '--db', target], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  assert.equal(restored.status, 0, restored.stderr);
  assert.equal(sqlite3(target, 'SELECT group_concat(v) FROM t;'), 'a,b\n');
});

test('a damaged unpacked addon is replaced by a good one, not loaded', () => {
  const dist = installedDist();
  const unpacked = join(dist, 'prebuilds', `${KEY}.node`);
  writeFileSync(unpacked, 'not an addon');
  const run = build(dist, smallDatabase());
  assert.equal(run.status, 0, run.stderr);
  assert.equal(digestOf(unpacked), expectedDigest(dist));
});

test('a read-only install unpacks into a private folder and removes it when done', () => {
  const dist = installedDist();
  const prebuilds = join(dist, 'prebuilds');
  chmodSync(prebuilds, 0o555);
  const temp = tempDir('packed-binding-tmp-');
  mkdirSync(join(temp, 'tmp'));
  chmodSync(temp, 0o755);
  if (isRoot) chownSync(join(temp, 'tmp'), NOBODY.uid, NOBODY.gid);
  const run = build(dist, smallDatabase(), {
    env: { TMPDIR: join(temp, 'tmp') },
    ...(isRoot ? { user: NOBODY } : {}),
  });
  chmodSync(prebuilds, 0o755);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(existsSync(join(prebuilds, `${KEY}.node`)), false, 'nothing written into the install');
  assert.deepEqual(readdirSync(join(temp, 'tmp')), [], 'the private copy is gone after the run');
});

test('a damaged packed addon is one clear error that says to reinstall, and nothing is loaded', () => {
  const dist = installedDist();
  const packed = join(dist, 'prebuilds', `${KEY}.node.br`);
  const bytes = readFileSync(packed);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = bytes[middle]! ^ 0xff;
  writeFileSync(packed, bytes);
  const run = build(dist, smallDatabase());
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`SQLite binding .*${KEY}\\.node\\.br`));
  assert.match(run.stderr, /Reinstall sqlite-snapshot/);
  assert.equal(existsSync(join(dist, 'prebuilds', `${KEY}.node`)), false);
  assert.equal(existsSync(run.out), false);
});
