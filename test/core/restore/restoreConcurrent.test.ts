/**
 * Two (or three) `sqlite-snapshot restore` processes started at once on one target (docs/format.md §4,
 * §13): each either restores or is refused in one clear line (busy, or filled meanwhile), never
 * crashes; the target ends exactly one of the contents, intact, with no journal; every backup is a
 * whole copy of what the target held when that restore replaced it; no temp dir is left. A
 * migrate command that waits for the others lines the processes up just before the replace, where
 * they meet at the freshness check under the lock, the lock itself and the rename.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CLI_ENTRY, openDatabase, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { type KillableRun, runKillable } from '../../killable.ts';
import { assertOneLineRefusal } from './refusalShape.ts';
import { fingerprint, makePopulatedTarget, restoreDirs, snapshotOf } from './restoreFixtures.ts';

const ROWS = 5000;

const snapshots: Record<string, string> = {};
/** Content fingerprint → which content it is (old, A, B, C). */
const contents = new Map<string, string>();
let oldCopy = '';

async function snapshotWith(label: string): Promise<string> {
  const source = join(tempDir('concurrent-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX items_v ON items (v);');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(i, `${label} ${i} ${'x'.repeat(i % 50)}`);
  })();
  db.close();
  return snapshotOf(source);
}

before(async () => {
  for (const label of ['A', 'B', 'C']) {
    snapshots[label] = await snapshotWith(label);
    contents.set(sha256File(join(snapshots[label]!, 'snapshot.sql')), label);
  }
  oldCopy = join(tempDir('concurrent-old-'), 'old.db');
  await makePopulatedTarget(oldCopy, 20);
  contents.set(await fingerprint(oldCopy), 'old');
});

/** Which content a DB holds; fails if it is none of them, is damaged, or has a journal beside it. */
async function contentOf(path: string): Promise<string> {
  for (const suffix of ['-wal', '-journal']) assert.ok(!existsSync(`${path}${suffix}`), `${path}${suffix} left`);
  assert.equal(sqlite3(path, 'PRAGMA integrity_check;').trim(), 'ok', path);
  const content = contents.get(await fingerprint(path));
  assert.ok(content, `${path} is none of the contents`);
  return content;
}

/**
 * Starts one restore per label at once on `target`; each one's migrate step waits (at most 20 s)
 * until every restore has reached it, so all of them go on to the replace together. Waits for all.
 */
function restoreAtOnce(labels: string[], target: string, flags: string[]): Promise<KillableRun[]> {
  const barrier = tempDir('concurrent-barrier-');
  const wait = `touch '${barrier}'/$$; n=0; while [ "$(ls '${barrier}' | wc -l)" -lt ${labels.length} ] && [ $n -lt 2000 ]; do sleep 0.01; n=$((n+1)); done`;
  return Promise.all(
    labels.map((label) =>
      runKillable([CLI_ENTRY, 'restore', snapshots[label]!, '--db', target, '--migrate-command', wait, ...flags]),
    ),
  );
}

/** Checks each run ended well: restored (exit 0) or refused in one clear line (exit 1). Returns who restored. */
function judgeRuns(labels: string[], runs: KillableRun[], target: string, round: string, refusals: string[]): string[] {
  const restored: string[] = [];
  runs.forEach((run, index) => {
    const label = `${round}, restore of ${labels[index]}`;
    assert.equal(run.signal, null, `${label}: killed by ${run.signal}`);
    assert.ok(run.code === 0 || run.code === 1, `${label}: exit ${run.code}\n${run.stderr}`);
    if (run.code === 0) {
      assert.doesNotMatch(run.stderr, /error/, label);
      restored.push(labels[index]!);
      return;
    }
    const refusal = assertOneLineRefusal(run.stderr, label);
    refusals.push(`${labels[index]} refused: ${refusal.message.replace(target, '<target>')}`);
    assert.ok(refusal.message.includes(target), `${label}: the target is named: ${refusal.message}`);
    assert.match(
      refusal.message,
      /another process|filled while|so it was not replaced/,
      `${label}: refused for the other restore`,
    );
  });
  return restored;
}

test('restores of one populated target at once, with --force: each restores or is refused, the target whole', async (t) => {
  const dir = tempDir('concurrent-target-');
  const target = join(dir, 'app.db');
  const old = readFileSync(oldCopy);
  const seen: string[] = [];
  const rounds: string[][] = [
    ['A', 'B'],
    ['B', 'A'],
    ['A', 'B', 'C'],
  ];
  for (const [index, labels] of rounds.entries()) {
    const round = `round ${index + 1} (${labels.join(' + ')})`;
    for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true });
    copyFileSync(oldCopy, target);
    const runs = await restoreAtOnce(labels, target, ['--force']);
    const refusals: string[] = [];
    const restored = judgeRuns(labels, runs, target, round, refusals);
    const final = await contentOf(target);
    assert.ok(
      restored.length === 0 ? final === 'old' : restored.includes(final),
      `${round}: the target holds ${final}, restored: ${restored.join(', ')}`,
    );
    // One backup per restore that replaced: the old DB byte for byte, then whatever the previous winner put there.
    const backups = readdirSync(dir).filter((name) => name.startsWith('app.db.bak-'));
    assert.equal(backups.length, restored.length, `${round}: backups ${backups.join(' ')}`);
    const backedUp: string[] = [];
    for (const name of backups) {
      const bytes = readFileSync(join(dir, name));
      backedUp.push(bytes.equals(old) ? 'old' : await contentOf(join(dir, name)));
    }
    assert.equal(backedUp.filter((content) => content === 'old').length, restored.length > 0 ? 1 : 0, round);
    assert.deepEqual(
      backedUp.filter((content) => content !== 'old').sort(),
      restored.filter((label) => label !== final).sort(),
      `${round}: every restore but the last one's content was backed up by the next`,
    );
    assert.deepEqual(restoreDirs(dir), [], `${round}: temp dirs left`);
    assert.deepEqual(readdirSync(dir).sort(), ['app.db', ...backups].sort(), round);
    seen.push(`${round}: restored ${restored.join(', ') || 'none'}; the target holds ${final}`, ...refusals);
  }
  for (const line of seen) t.diagnostic(line);
});

test('restores of one absent target at once, without --force: one restores, the other is refused; no backup', async (t) => {
  for (const round of [1]) {
    const dir = tempDir('concurrent-absent-');
    const target = join(dir, 'app.db');
    const labels = ['A', 'B'];
    const runs = await restoreAtOnce(labels, target, []);
    const refusals: string[] = [];
    const restored = judgeRuns(labels, runs, target, `absent ${round}`, refusals);
    assert.equal(restored.length, 1, `absent ${round}: exactly one restores what nobody else has filled`);
    assert.equal(await contentOf(target), restored[0]);
    assert.deepEqual(readdirSync(dir), ['app.db'], `absent ${round}: no backup, no temp dir`);
    t.diagnostic(`absent target, round ${round}: ${restored[0]} restored; ${refusals.join('; ')}`);
  }
});
