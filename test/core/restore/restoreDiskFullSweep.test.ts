/**
 * A full disk at every step of `restore --force` over a populated target (docs/format.md §4), through the
 * CLI's entry: the file system is filled to leave from nothing to just enough room, so the space
 * runs out while the temp dir is made, the snapshot loads, it commits, the old DB is backed up or
 * the new one is synced. Every run restores, or is refused in one line that says the space ran
 * out (exit 1 or 2, never a stack trace), with the target byte-identical, nothing left beside it
 * and every byte it wrote freed. The space is a 3 MiB tmpfs (root); without root, a per-process
 * file size limit (ulimit -f) swept the same way stands in for it. restoreDiskFull.test.ts has the
 * fixed cases (a big load, the backup, a disk already full).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CLI_ENTRY, type CliRun, openDatabase, runCli, sha256File, tempDir } from '../../helpers.ts';
import { assertRefusalShape } from './refusalShape.ts';
import { fingerprint, makePopulatedTarget, snapshotOf } from './restoreFixtures.ts';
import { freeBytes, mountSmallDisk } from './smallDisk.ts';

/** 3 MiB of its own as root; else the ulimit sweep below. */
const { path: mountPoint, mounted } = mountSmallDisk('restore-sweep-', '3m');

const STEPS = 24;
let snapshot = '';
let checksum = '';

before(async () => {
  // About 1 MB of incompressible rows: the new DB alone takes a third of the file system.
  const source = join(tempDir('sweep-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= 6000; i++) insert.run(i, `${i}:${(BigInt(i) * 0x9e3779b97f4a7c15n).toString(36).repeat(4)}`);
  })();
  db.close();
  snapshot = await snapshotOf(source);
  checksum = sha256File(join(snapshot, 'snapshot.sql'));
});

/** A populated app.db of about 200 KB in a fresh directory under `parent`. */
async function populatedTarget(parent: string): Promise<{ dir: string; target: string; bytes: Buffer }> {
  const dir = join(parent, 'data');
  mkdirSync(dir);
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target, 1);
  const db = await openDatabase(target);
  db.prepare('INSERT INTO app_state VALUES (?, ?)').run('big', 'z'.repeat(200_000));
  db.close();
  return { dir, target, bytes: readFileSync(target) };
}

interface Tally {
  restored: number;
  refused: Map<string, number>;
}

/** Checks one run's promises; counts it. */
async function judge(
  run: CliRun,
  place: { dir: string; target: string; bytes: Buffer },
  label: string,
  tally: Tally,
): Promise<void> {
  assert.ok([0, 1, 2].includes(run.code), `${label}: exit ${run.code}\n${run.stderr}`);
  const left = readdirSync(place.dir).sort();
  if (run.code === 0) {
    assert.equal(await fingerprint(place.target), checksum, label);
    const backups = left.filter((name) => name.startsWith('app.db.bak-'));
    assert.deepEqual(left, ['app.db', ...backups], label);
    assert.equal(backups.length, 1, `${label}: the replaced DB is kept`);
    assert.ok(readFileSync(join(place.dir, backups[0]!)).equals(place.bytes), `${label}: a partial backup`);
    tally.restored++;
    return;
  }
  const refusal = assertRefusalShape(run.stderr, label);
  assert.deepEqual(refusal.items, [], `${label}: one line, not a list:\n${run.stderr}`);
  // ENOSPC reads "no space left"; the EFBIG of a file size limit reaches SQLite as a disk I/O error.
  assert.match(
    `${refusal.message} ${refusal.hint ?? ''}`,
    /space|full|too large|I\/O error/i,
    `${label}: ${run.stderr}`,
  );
  assert.ok(readFileSync(place.target).equals(place.bytes), `${label}: the target changed`);
  assert.deepEqual(left, ['app.db'], `${label}: left beside the target`);
  // What stopped it, without paths and numbers: the classes the diagnostic counts.
  const why = refusal.message.replace(/(^|\s)\/\S+/g, '$1<path>').replace(/\d+/g, 'N');
  tally.refused.set(why, (tally.refused.get(why) ?? 0) + 1);
}

/** Puts the target back as it was before a run that restored. */
function reset(place: { dir: string; target: string; bytes: Buffer }): void {
  for (const name of readdirSync(place.dir)) if (name !== 'app.db') rmSync(join(place.dir, name), { recursive: true });
  writeFileSync(place.target, place.bytes);
}

test('a full disk at every stage of restore --force: restored, or refused in one line with nothing left', async (t) => {
  const tally: Tally = { restored: 0, refused: new Map() };
  if (mounted) {
    const place = await populatedTarget(mountPoint);
    const filler = join(mountPoint, 'filler');
    const room = freeBytes(mountPoint);
    // What a restore needs: room for the new DB and the backup. Learnt from one with all the room.
    const first = await runCli(['restore', snapshot, '--db', place.target, '--force']);
    await judge(first, place, 'all the room', tally);
    const needs = readFileSync(place.target).length + place.bytes.length;
    reset(place);
    for (let step = 0; step < STEPS; step++) {
      // From no room at all to a little more than it needs, in even steps: every stage runs out once.
      const left = Math.min(room, Math.round((needs * 1.15 * step) / (STEPS - 1)));
      writeFileSync(filler, Buffer.alloc(Math.max(0, room - left)));
      const free = freeBytes(mountPoint);
      const run = await runCli(['restore', snapshot, '--db', place.target, '--force']);
      const label = `${free} bytes free`;
      await judge(run, place, label, tally);
      if (run.code !== 0) assert.equal(freeBytes(mountPoint), free, `${label}: every byte written was freed`);
      rmSync(filler);
      reset(place);
    }
  } else {
    // Each file the restore writes may not grow past the limit (EFBIG where a full disk gives ENOSPC).
    const place = await populatedTarget(tempDir('sweep-ulimit-'));
    for (let step = 0; step < STEPS / 2; step++) {
      const limitKb = 16 + step * 192;
      const script = `trap '' XFSZ; ulimit -f ${limitKb}; exec "$0" "$@"`;
      const args = [CLI_ENTRY, 'restore', snapshot, '--db', place.target, '--force'];
      const child = spawnSync('bash', ['-c', script, process.execPath, ...args], { encoding: 'utf8' });
      const run = { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
      await judge(run, place, `ulimit -f ${limitKb}`, tally);
      reset(place);
    }
  }
  t.diagnostic(`${mounted ? 'tmpfs' : 'ulimit -f'}: restored ${tally.restored} of ${mounted ? STEPS + 1 : STEPS / 2}`);
  for (const [why, count] of tally.refused) t.diagnostic(`${count} refused: ${why}`);
  assert.ok(tally.restored > 0, 'with all the room, the restore fits');
  // A file size limit only stops the one big file (the new DB); a full file system stops every stage.
  if (mounted) assert.ok(tally.refused.size > 1, 'the space ran out at more than one stage');
  else assert.ok(tally.refused.size > 0, 'the limit stopped the restore');
});
