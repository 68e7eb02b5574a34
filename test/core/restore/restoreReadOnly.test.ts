/**
 * docs/format.md §4: a restore works in a temp directory next to its target, so a target in a directory it
 * may not write is refused before anything is made: one `error:` line naming the directory, a hint,
 * exit 2, the target byte-identical, nothing created. Read-only three honest ways, as available:
 * - permissions (chmod 0555): root ignores them, so as root the CLI runs as `nobody` (setuid child);
 * - a read-only file system (a tmpfs remounted ro; root only), which stops root too (EROFS);
 * - an immutable directory (chattr +i; root, on a file system that has it), EPERM for everyone.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI_ENTRY, type CliRun, runCli, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { assertOneLineRefusal } from './refusalShape.ts';
import { fingerprint, makePopulatedTarget, snapshotOf } from './restoreFixtures.ts';

const isRoot = process.getuid?.() === 0;
/** The unprivileged user a root test run drops to, as a service account would be. */
const NOBODY = { uid: 65534, gid: 65534 };

let snapshot = '';
let checksum = '';
/** Everything made here lives under one directory anyone may traverse (a setuid child must reach it). */
let work = '';

before(async () => {
  work = tempDir('readonly-');
  chmodSync(work, 0o755);
  const source = join(work, 'source.db');
  sqlite3(source, "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
  const built = await snapshotOf(source);
  snapshot = join(work, 'snapshot');
  cpSync(built, snapshot, { recursive: true });
  chmodSync(snapshot, 0o755);
  for (const file of readdirSync(snapshot)) chmodSync(join(snapshot, file), 0o644);
  checksum = sha256File(join(snapshot, 'snapshot.sql'));
});

/** The CLI: in-process, or as a process run as `user` when given (root only). */
async function restore(args: string[], user?: { uid: number; gid: number }): Promise<CliRun> {
  if (!user) return runCli(['restore', snapshot, ...args]);
  const run = spawnSync(process.execPath, [CLI_ENTRY, 'restore', snapshot, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/' },
    ...user,
  });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

/** A directory holding a populated app.db (owned by `user` if given), and the bytes it holds. */
async function populatedDir(parent: string, user?: { uid: number; gid: number }) {
  const dir = join(parent, 'data');
  mkdirSync(dir, { recursive: true });
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target);
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(target, user.uid, user.gid);
  }
  return { dir, target, bytes: readFileSync(target) };
}

interface ReadOnlyPlace {
  how: string;
  /** The error code the refusal must carry. */
  code: RegExp;
  /** A directory to make the target's directory in. */
  parent: () => string;
  /** Makes `dir` read-only, and back (the mount: the whole file system `dir` is on). */
  seal: (dir: string) => void;
  unseal: (dir: string) => void;
  user?: { uid: number; gid: number };
}

/** A fresh directory on the test's own file system. */
const freshParent = (): string => mkdtempSync(join(work, 'place-'));

const chmodPlace: ReadOnlyPlace = {
  how: isRoot ? 'chmod 0555, the CLI run as nobody' : 'chmod 0555',
  parent: freshParent,
  code: /EACCES|permission denied/,
  seal: (dir) => chmodSync(dir, 0o555),
  unseal: (dir) => chmodSync(dir, 0o755),
  ...(isRoot ? { user: NOBODY } : {}),
};

/** Whether `command` works here (root, the file system, the sandbox). */
function works(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

const mounts: string[] = [];
after(() => {
  for (const point of mounts) {
    spawnSync('umount', [point]);
    rmSync(point, { recursive: true, force: true });
  }
});

/** Every read-only place this machine can make: permissions always; ro mounts and chattr where they work. */
function readOnlyPlaces(): ReadOnlyPlace[] {
  const places = [chmodPlace];
  if (!isRoot) return places;
  const probe = mkdtempSync(join(tmpdir(), 'readonly-probe-'));
  if (works('chattr', ['+i', probe])) {
    works('chattr', ['-i', probe]);
    places.push({
      how: 'chattr +i (immutable directory)',
      parent: freshParent,
      code: /EPERM|not permitted/,
      seal: (dir) => execFileSync('chattr', ['+i', dir]),
      unseal: (dir) => execFileSync('chattr', ['-i', dir]),
    });
  }
  rmSync(probe, { recursive: true, force: true });
  const point = mkdtempSync(join(tmpdir(), 'readonly-mount-'));
  if (works('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', point])) {
    mounts.push(point);
    places.push({
      how: 'a read-only file system (tmpfs remounted ro)',
      parent: () => point,
      code: /EROFS|read-only file system/,
      // The mount point is the directory: remount it read-only and back.
      seal: () => execFileSync('mount', ['-o', 'remount,ro', point]),
      unseal: () => execFileSync('mount', ['-o', 'remount,rw', point]),
    });
  } else rmSync(point, { recursive: true, force: true });
  return places;
}

test('a target in a read-only directory: one clear line naming the directory, exit 2, nothing touched or made', async (t) => {
  const places = readOnlyPlaces();
  t.diagnostic(`read-only places tried: ${places.map((place) => place.how).join('; ')}`);
  for (const place of places) {
    const parent = place.parent();
    chmodSync(parent, 0o755);
    const { dir, target, bytes } = await populatedDir(parent, place.user);
    const label = place.how;
    place.seal(dir);
    try {
      for (const [args, what] of [
        [['--db', target, '--force'], 'a populated target with --force'],
        [['--db', join(dir, 'new.db')], 'an absent target'],
      ] as const) {
        const run = await restore([...args], place.user);
        assert.equal(run.code, 2, `${label}, ${what}: exit ${run.code}\n${run.stderr}`);
        const refusal = assertOneLineRefusal(run.stderr, `${label}, ${what}`);
        assert.ok(refusal.message.includes(dir), `${label}, ${what}: the directory is named: ${refusal.message}`);
        assert.match(refusal.message, place.code, `${label}, ${what}`);
        assert.match(refusal.hint ?? '', /write access to the directory/, `${label}, ${what}`);
        assert.equal(run.stdout, '', `${label}, ${what}`);
        assert.ok(readFileSync(target).equals(bytes), `${label}, ${what}: the target changed`);
        assert.deepEqual(readdirSync(dir), ['app.db'], `${label}, ${what}: something was made beside the target`);
      }
    } finally {
      place.unseal(dir);
    }
    // The same restore, the directory writable again: it was the directory, nothing else, that stopped it.
    const run = await restore(['--db', target, '--force', '--no-backup'], place.user);
    assert.equal(run.code, 0, `${label}, writable again: ${run.stderr}`);
    assert.equal(await fingerprint(target), checksum, label);
    assert.deepEqual(readdirSync(dir), ['app.db'], label);
  }
});

test('a stale restore dir in a directory that became read-only: still one clear line; what cannot be swept stays', async () => {
  const parent = mkdtempSync(join(work, 'stale-'));
  chmodSync(parent, 0o755);
  const user = isRoot ? NOBODY : undefined;
  const { dir, target, bytes } = await populatedDir(parent, user);
  // What an older run killed before it locked its directory leaves: swept once old, if it can be.
  const stale = join(dir, '.sqlite-snapshot-restore-Stale1');
  mkdirSync(stale, { mode: 0o700 });
  writeFileSync(join(stale, 'restore.db'), 'partial');
  if (user) chownSync(stale, user.uid, user.gid);
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(stale, hourAgo, hourAgo);
  chmodSync(dir, 0o555);
  try {
    const run = await restore(['--db', target, '--force'], user);
    assert.equal(run.code, 2, run.stderr);
    const refusal = assertOneLineRefusal(run.stderr, 'stale dir, read-only');
    assert.ok(refusal.message.includes(dir), refusal.message);
    assert.ok(readFileSync(target).equals(bytes));
    assert.deepEqual(readdirSync(dir).sort(), ['.sqlite-snapshot-restore-Stale1', 'app.db']);
    assert.ok(existsSync(join(stale, 'restore.db')));
  } finally {
    chmodSync(dir, 0o755);
  }
  // Writable again: the next restore sweeps it and succeeds.
  const run = await restore(['--db', target, '--force', '--no-backup'], user);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(dir), ['app.db']);
  assert.equal(await fingerprint(target), checksum);
});
