/**
 * The long kill run behind test/core/build/buildCrash.test.ts: kills a real `sqlite-snapshot build`
 * (the CLI from source) hundreds of times at random points, a third of them in the last tenth of the
 * run where the commit happens, and checks after each kill, and again after the next run's sweep,
 * that the output directory holds a whole pair (old or new) and, after the sweep, nothing else.
 *
 *   node bench/buildKill.ts [kills=300] [rows=120000]
 *
 * Then races three builds of different databases into one directory, many times: each one builds
 * or is refused, the pair is always whole, and nothing is left behind.
 *
 * Prints a tally of where the kills and races landed; exits 1 on any broken pair or leftover.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepBuildLeftovers } from '../src/core/build/buildOutput.ts';
import { type KillableRun, runKillable } from '../test/killable.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'src/cli/index.ts');
const PAIR = ['manifest.json', 'snapshot.sql'];
const kills = Number(process.argv[2] ?? 300);
const rows = Number(process.argv[3] ?? 120_000);

const sha256 = (path: string): string => `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
const strays = (out: string): string[] => readdirSync(out).filter((name) => !PAIR.includes(name));

function sqlite3(path: string, sql: string): void {
  const run = spawnSync('sqlite3', ['-bail', path], { input: sql, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sqlite3 failed: ${run.stderr}`);
}

const build = (database: string, out: string, killAfterMs?: number): Promise<KillableRun> =>
  runKillable([CLI, 'build', '--db', database, '--out', out], killAfterMs);

const work = mkdtempSync(join(tmpdir(), 'build-kill-'));
try {
  const oldDb = join(work, 'old.db');
  const newDb = join(work, 'new.db');
  sqlite3(oldDb, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'old');");
  sqlite3(
    newDb,
    `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER, price REAL, tag BLOB);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
     INSERT INTO items SELECT i, 'item ' || i || ' lorem ipsum dolor', i % 1000, i / 7.0, x'0107' FROM n;`,
  );
  const oldPair = join(work, 'old');
  const reference = join(work, 'new');
  await build(oldDb, oldPair);
  const full = await build(newDb, reference);
  const checksums = { old: sha256(join(oldPair, 'snapshot.sql')), new: sha256(join(reference, 'snapshot.sql')) };

  /** 'old' | 'new' when the pair is whole; 'mixed' when the new dump sits beside the old manifest; else a problem. */
  const pairIn = (out: string): string => {
    const dump = sha256(join(out, 'snapshot.sql'));
    const described = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).checksum;
    if (dump === described) return dump === checksums.old ? 'old' : dump === checksums.new ? 'new' : 'unknown';
    return dump === checksums.new && described === checksums.old ? 'mixed' : 'broken';
  };

  const out = join(work, 'out');
  mkdirSync(out);
  const tally = new Map<string, number>();
  const problems: string[] = [];
  const started = Date.now();
  for (let i = 0; i < kills; i++) {
    for (const file of PAIR) copyFileSync(join(oldPair, file), join(out, file));
    const late = i % 3 === 0;
    const delay = Math.round(full.ms * (late ? 0.9 + 0.15 * Math.random() : 0.1 + 0.9 * Math.random()));
    const run = await build(newDb, out, delay);
    const landed = pairIn(out);
    const left = strays(out).length;
    // The next run: every tenth time a real build that fails after its sweep, else the sweep in-process.
    if (i % 10 === 0) {
      const next = await build(join(work, 'missing.db'), out);
      if (next.code !== 2) problems.push(`#${i}: the recovering build exited ${next.code}`);
    } else {
      await sweepBuildLeftovers(out);
    }
    const swept = pairIn(out);
    const key = `${run.signal ?? `exit ${run.code}`} ${landed}${left ? ' +staging' : ''} -> ${swept}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
    if (!['old', 'new', 'mixed'].includes(landed)) problems.push(`#${i} at ${delay} ms: ${landed} pair after the kill`);
    if (landed === 'mixed' && left !== 1) problems.push(`#${i}: a half-done commit without its staging directory`);
    if (swept !== (landed === 'mixed' ? 'new' : landed)) problems.push(`#${i}: ${landed} became ${swept}`);
    if (strays(out).length > 0) problems.push(`#${i}: left after the sweep: ${strays(out).join(', ')}`);
  }
  console.log(
    `build of ${rows} rows: ${full.ms} ms; ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const [key, count] of [...tally].sort((a, b) => b[1] - a[1]))
    console.log(`${String(count).padStart(5)}  ${key}`);

  // Three builds at once into one directory: built, or refused because another is writing.
  const racers = [1, 2, 3].map((n) => {
    const path = join(work, `racer${n}.db`);
    sqlite3(path, `CREATE TABLE t (x); INSERT INTO t VALUES (${n});`);
    return path;
  });
  const racerSums = new Set<string>();
  for (const [n, database] of racers.entries()) {
    const dir = join(work, `ref${n}`);
    await build(database, dir);
    racerSums.add(sha256(join(dir, 'snapshot.sql')));
  }
  const races = Math.max(1, Math.round(kills / 3));
  const outcomes = new Map<string, number>();
  for (let i = 0; i < races; i++) {
    for (const file of PAIR) copyFileSync(join(oldPair, file), join(out, file));
    const runs = await Promise.all(racers.map((database) => build(database, out)));
    const built = runs.filter((run) => run.code === 0).length;
    const key = `${built} built, ${runs.length - built} refused`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    for (const run of runs) {
      if (run.code !== 0 && !/Another build is writing into/.test(run.stderr)) {
        problems.push(`race #${i}: exit ${run.code}: ${run.stderr.trim()}`);
      }
    }
    const dump = sha256(join(out, 'snapshot.sql'));
    if (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).checksum !== dump) {
      problems.push(`race #${i}: the manifest does not describe the dump`);
    } else if (dump !== checksums.old && !racerSums.has(dump)) {
      problems.push(`race #${i}: an unknown dump`);
    }
    if (built === 0 && dump !== checksums.old) problems.push(`race #${i}: nothing built, yet the pair changed`);
    if (strays(out).length > 0) problems.push(`race #${i}: left: ${strays(out).join(', ')}`);
  }
  console.log(`${races} races of three builds into one directory:`);
  for (const [key, count] of [...outcomes].sort((a, b) => b[1] - a[1]))
    console.log(`${String(count).padStart(5)}  ${key}`);
  if (problems.length > 0) {
    console.log(`${problems.length} problems:\n${problems.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('every kill left a whole pair, and every sweep left nothing else');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
