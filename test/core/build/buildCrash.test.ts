/**
 * kill -9 of a real `sqlite-snapshot build` at random points: the output directory holds a whole
 * pair, old or new (after the next run's sweep when the kill fell inside the commit), and what the
 * killed runs left is swept by the next one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { sweepBuildLeftovers } from '../../../src/core/build/buildOutput.ts';
import { CLI_ENTRY, copySnapshot, parseExact, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { type KillableRun, runKillable } from '../../killable.ts';

const ROWS = 120_000;
const KILLS = 15;
const PAIR = ['manifest.json', 'snapshot.sql'];

let newDb = '';
const checksums = { old: '', new: '' };
let oldPair = '';

before(async () => {
  const dir = tempDir('build-crash-src-');
  const oldDb = join(dir, 'old.db');
  sqlite3(oldDb, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'old');");
  newDb = join(dir, 'new.db');
  sqlite3(
    newDb,
    `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL, tag BLOB);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
     INSERT INTO items SELECT i, 'item ' || i || ' lorem ipsum dolor', i % 1000, i / 7.0, x'0107' FROM n;`,
  );
  oldPair = join(dir, 'old');
  await buildSnapshot({ database: oldDb, outDir: oldPair });
  checksums.old = sha256File(join(oldPair, 'snapshot.sql'));
  const newPair = join(dir, 'new');
  await buildSnapshot({ database: newDb, outDir: newPair });
  checksums.new = sha256File(join(newPair, 'snapshot.sql'));
});

/** Runs the CLI from source as its own process; SIGKILLs it after `killAfterMs` if given. */
const runBuild = (out: string, killAfterMs?: number): Promise<KillableRun> =>
  runKillable([CLI_ENTRY, 'build', '--db', newDb, '--out', out], killAfterMs);

const strays = (out: string): string[] => readdirSync(out).filter((name) => !PAIR.includes(name));

/** The pair under the real names, checked independently: 'old', 'new', or 'mixed' (the dump moved, the manifest not yet). */
function pairIn(out: string): 'old' | 'new' | 'mixed' {
  const dump = sha256File(join(out, 'snapshot.sql'));
  const described = parseExact(readFileSync(join(out, 'manifest.json'), 'utf8')).checksum;
  assert.ok(dump === checksums.old || dump === checksums.new, 'snapshot.sql is whole: the old or the new dump');
  if (dump === described) return dump === checksums.old ? 'old' : 'new';
  assert.equal(described, checksums.old, 'a manifest that does not describe its dump is the old one');
  return 'mixed';
}

test(`kill -9 at ${KILLS} random points of a build: a whole pair, old or new, and the next run sweeps`, async (t) => {
  const out = join(tempDir('build-crash-'), 'out');
  mkdirSync(out);
  copySnapshot(oldPair, out);
  const full = await runBuild(out);
  assert.equal(full.code, 0, full.stderr);
  assert.equal(pairIn(out), 'new');
  assert.ok(full.ms > 300, `a full build took ${full.ms} ms: too short to interrupt meaningfully`);

  const seen: string[] = [];
  for (let i = 0; i < KILLS; i++) {
    copySnapshot(oldPair, out);
    // Random points over the whole run, from start-up to the commit at its very end.
    const delay = Math.round(full.ms * (0.15 + 0.9 * Math.random()));
    const run = await runBuild(out, delay);
    const landed = pairIn(out);
    const left = strays(out);
    if (run.signal !== 'SIGKILL') {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(landed, 'new');
    }
    if (landed === 'mixed') assert.equal(left.length, 1, 'a half-done commit keeps its staging dir for the next run');
    // What the next run does first; a killed build holds no lock, so it is swept now.
    await sweepBuildLeftovers(out);
    const swept = pairIn(out);
    seen.push(`${delay}ms:${run.signal ?? run.code}:${landed}->${swept}:${left.length}`);
    assert.notEqual(swept, 'mixed', seen.join(' '));
    if (landed !== 'mixed') assert.equal(swept, landed, 'a whole pair stays as it is');
    assert.deepEqual(strays(out), [], `nothing left after the sweep: ${seen.join(' ')}`);
  }
  t.diagnostic(`delay:exit:pair->after sweep:leftovers ${seen.join(' ')}`);
  assert.ok(
    seen.some((entry) => entry.includes('SIGKILL:old') && !entry.endsWith(':0')),
    `no kill landed while the dump was being written: ${seen.join(' ')}`,
  );

  copySnapshot(oldPair, out);
  const last = await runBuild(out);
  assert.equal(last.code, 0, last.stderr);
  assert.equal(pairIn(out), 'new');
  assert.deepEqual(strays(out), []);
  assert.deepEqual(readdirSync(join(out, '..')), ['out'], 'nothing written beside the output directory');
});

test('Ctrl-C (SIGINT) or SIGTERM while the dump is written: the build stops at once, the old pair stays, the next run sweeps', async () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const out = join(tempDir('build-signal-'), 'out');
    mkdirSync(out);
    copySnapshot(oldPair, out);
    const child = spawn(process.execPath, [CLI_ENTRY, 'build', '--db', newDb, '--out', out], { stdio: 'ignore' });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    // Signalled once its staged dump exists, so the dump is being written.
    const deadline = Date.now() + 10_000;
    while (!strays(out).some((name) => existsSync(join(out, name, 'snapshot.sql')))) {
      assert.ok(Date.now() < deadline, `no staged dump appeared in ${out}: ${strays(out).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill(signal);
    const [code, received] = await exited;
    assert.equal(received, signal, `exit code ${code}`);
    assert.equal(pairIn(out), 'old');
    assert.equal(strays(out).length, 1, 'its staging directory, for the next run');
    const next = await runBuild(out);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(pairIn(out), 'new');
    assert.deepEqual(strays(out), []);
  }
});
