/**
 * Hundreds of seeded, mutated snapshots through the CLI's own entry (`main(argv, io)`), each one
 * `restore <dir> --db <target> --force` over a populated target (docs/format.md §3, §5, §13):
 * - a mutated dump under its untouched manifest must be refused as a checksum mismatch;
 * - a mutated dump whose manifest the attacker rewrote to match must restore exactly what the
 *   sqlite3 CLI (`-safe -bail`) loads from the same bytes, or be refused;
 * - a mutated manifest must restore exactly when docs/format.md §1 says it is valid (worked out in
 *   fuzzManifest.ts, not by the product), and be refused otherwise, naming what is wrong.
 * Every trial: exit 0, 1 or 2; a refusal is the shape refusalShape.ts describes, inert; the target
 * is byte-identical unless restored; nothing is left beside it; a replaced target has its backup.
 * FUZZ_SEED and FUZZ_TRIALS (per model) rerun it with another seed or longer; FUZZ_ONLY=<index>
 * runs the one trial a failure names (`trial <seed>/<index>`), FUZZ_EXAMPLES=1 shows one output
 * of each class.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { type CliRun, runCli, sqlite3, tempDir } from '../../helpers.ts';
import { seededRandom } from '../../random.ts';
import { manifestValues, mutateManifest } from '../format/fuzzManifest.ts';
import { FUZZ_FIXTURE_SQL, mutateDump } from '../sql/fuzzDump.ts';
import { assertInert } from './hostileSnapshot.ts';
import { assertRefusalShape, type RefusalLines } from './refusalShape.ts';
import { makePopulatedTarget } from './restoreFixtures.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const PER_MODEL = Number(process.env.FUZZ_TRIALS ?? 100);
const ONLY = process.env.FUZZ_ONLY === undefined ? undefined : Number(process.env.FUZZ_ONLY);
/** Trials run side by side, each in its own directories (restores load on worker threads). */
const SLOTS = 3;

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let work = '';
let outside = '';
let baseDump = Buffer.alloc(0);
let baseManifest = '';
let baseChecksum = '';
let oldTarget = Buffer.alloc(0);
/** What the sqlite3 CLI dumps after loading the unmutated dump: what a restored target must hold. */
let baseContent = '';

before(async () => {
  work = tempDir('fuzz-');
  outside = join(work, 'outside');
  mkdirSync(outside);
  const source = join(work, 'source.db');
  sqlite3(source, FUZZ_FIXTURE_SQL);
  const snapshot = join(work, 'snapshot');
  await buildSnapshot({
    database: source,
    outDir: snapshot,
    controlModelVersion: 1n,
    cacheSchemaVersion: 7n,
    env: { SOURCE_DATE_EPOCH: '1700000000' },
  });
  baseDump = readFileSync(join(snapshot, 'snapshot.sql'));
  baseManifest = readFileSync(join(snapshot, 'manifest.json'), 'utf8');
  baseChecksum = sha256(baseDump);
  const old = join(work, 'old.db');
  await makePopulatedTarget(old, 5);
  oldTarget = readFileSync(old);
  baseContent = sqliteContent(loadWithSqlite3(baseDump, join(work, 'reference.db'))!);
});

/** Loads `dump` into a new DB at `path` with the sqlite3 CLI as a careful user would; undefined when it fails. */
function loadWithSqlite3(dump: Buffer, path: string): string | undefined {
  rmSync(path, { force: true });
  const run = spawnSync('sqlite3', ['-safe', '-bail', path], { input: dump, encoding: 'buffer' });
  return run.status === 0 ? path : undefined;
}

/** A DB's content as the sqlite3 CLI sees it: its .dump (values exact, in rowid order) and user_version. */
function sqliteContent(path: string): string {
  const run = spawnSync('sqlite3', [path, '.dump', 'PRAGMA user_version;', 'PRAGMA integrity_check;'], {
    encoding: 'latin1',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/**
 * The restored target's content as sqlite3 sees it. Our SQLite (better-sqlite3's) has STAT4, the
 * CLI's does not: an `ANALYZE sqlite_schema` in a dump makes an empty sqlite_stat4 table beside
 * sqlite_stat1 here and not there. That table, empty, is left out of the comparison (on a copy).
 */
function restoredContent(target: string, scratch: string): string {
  const stat4 = sqlite3(target, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4';").trim();
  if (stat4 === '0') return sqliteContent(target);
  assert.equal(sqlite3(target, 'SELECT count(*) FROM sqlite_stat4;').trim(), '0', 'sqlite_stat4 rows');
  copyFileSync(target, scratch);
  sqlite3(scratch, 'DROP TABLE sqlite_stat4;');
  return sqliteContent(scratch);
}

type Model = 'dump, manifest untouched' | 'dump, manifest rewritten to match' | 'manifest';

interface Trial {
  id: string;
  model: Model;
  dump: Buffer;
  manifest: Buffer;
  flags: string[];
  what: string[];
  /** Manifest trials: the verdict of docs/format.md §1, and the check rows a refusal must name. */
  valid?: boolean;
  names?: string[];
}

function makeTrials(): Trial[] {
  const trials: Trial[] = [];
  const models: Model[] = ['dump, manifest untouched', 'dump, manifest rewritten to match', 'manifest'];
  for (let index = 0; index < PER_MODEL * models.length; index++) {
    if (ONLY !== undefined && index !== ONLY) continue;
    const model = models[index % models.length]!;
    const random = seededRandom(SEED + index);
    const id = `${SEED}/${index}`;
    if (model === 'manifest') {
      const mutation = mutateManifest(manifestValues(baseManifest), baseChecksum, random);
      trials.push({ id, model, dump: baseDump, manifest: mutation.bytes, ...mutation });
      continue;
    }
    const { bytes, what } = mutateDump(baseDump, random, outside);
    const manifest =
      model === 'dump, manifest untouched' ? baseManifest : baseManifest.replace(baseChecksum, sha256(bytes));
    trials.push({ id, model, dump: bytes, manifest: Buffer.from(manifest), flags: [], what });
  }
  return trials;
}

/** The kind of refusal, from its text (the CLI shows no kind): the classes the summary counts. */
function classify(refusal: RefusalLines): string {
  const { message, items } = refusal;
  if (message.endsWith('failed verification, so nothing was restored:')) {
    const names = new Set(items.map((item) => item.slice(0, item.indexOf(':'))));
    if (names.has('checksum')) return 'refused: checksum mismatch';
    if (names.size === 1 && names.has('size')) return 'refused: not a whole dump (verify: size)';
    if (names.has('manifest')) return 'refused: manifest not valid JSON';
    return 'refused: invalid manifest field';
  }
  if (/: refused |: refused a second BEGIN|not valid UTF-8/.test(message)) return 'refused by policy (statement)';
  if (/ends without its final COMMIT|ends inside a statement|ends inside a UTF-8 character/.test(message))
    return 'refused: truncated';
  if (/SQLite refused (the row|the statement)/.test(message)) return 'refused: SQLite refused a statement';
  if (/carriage return|CRLF/.test(message)) return 'refused: CR line ending';
  if (/failed its sanity checks/.test(message)) return 'refused: sanity check';
  return `refused: other (${message.slice(0, 80)})`;
}

interface Outcome {
  outcome: string;
  /** What the run printed, in short: its first line and hint. */
  shown: string;
  /** Dump trials rewritten to match: whether the sqlite3 CLI loads the same bytes. */
  sqlite3Loads?: boolean;
}

/** Runs one trial in `slot` and checks every promise; returns its class. */
async function runTrial(trial: Trial, slot: number): Promise<Outcome> {
  const label = `trial ${trial.id} (${trial.model}: ${trial.what.join('; ')})`;
  const snapshot = join(work, `snapshot-${slot}`);
  const dir = join(work, `target-${slot}`);
  const target = join(dir, 'app.db');
  mkdirSync(snapshot, { recursive: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(snapshot, 'snapshot.sql'), trial.dump);
  writeFileSync(join(snapshot, 'manifest.json'), trial.manifest);
  writeFileSync(target, oldTarget);

  const run = await runCli(['restore', snapshot, '--db', target, '--force', ...trial.flags]);
  assert.ok([0, 1, 2].includes(run.code), `${label}: exit ${run.code}\n${run.stderr}`);
  assertInert(run.stdout, `${label} stdout`);
  assert.deepEqual(readdirSync(snapshot).sort(), ['manifest.json', 'snapshot.sql'], `${label}: the snapshot dir`);
  assert.ok(readFileSync(join(snapshot, 'snapshot.sql')).equals(trial.dump), `${label}: the dump was written to`);
  const left = readdirSync(dir).sort();

  if (run.code !== 0) {
    const refusal = assertRefusalShape(run.stderr, label);
    assert.equal(run.stdout, '', `${label}: a refusal prints nothing on stdout`);
    assert.ok(readFileSync(target).equals(oldTarget), `${label}: the target changed though the restore was refused`);
    assert.deepEqual(left, ['app.db'], `${label}: left beside the target`);
    const outcome = classify(refusal);
    checkRefusal(trial, run, refusal, outcome, label);
    const sqlite3Loads =
      trial.model === 'dump, manifest rewritten to match'
        ? loadWithSqlite3(trial.dump, join(work, `sqlite3-${slot}.db`)) !== undefined
        : undefined;
    return { outcome, sqlite3Loads, shown: run.stderr.slice(0, 400) };
  }

  // Restored: the old DB is kept whole as its backup, and the target holds what the dump says.
  assert.doesNotMatch(run.stderr, /error/, `${label}: a restore that succeeded printed an error`);
  assertInert(run.stderr, `${label} stderr`);
  assert.equal(left.length, 2, `${label}: exactly the target and its backup: ${left.join(' ')}`);
  const backup = left.find((name) => /^app\.db\.bak-\d{8}T\d{6}Z$/.test(name));
  assert.ok(backup, `${label}: the backup of the populated target: ${left.join(' ')}`);
  assert.ok(readFileSync(join(dir, backup)).equals(oldTarget), `${label}: the backup is not the old DB`);
  assert.ok(run.stdout.includes(join(dir, backup)), `${label}: where the backup is: ${run.stdout}`);
  assert.ok(run.stdout.startsWith(`restored ${sha256(trial.dump)} into ${target} (`), `${label}: ${run.stdout}`);
  rmSync(join(dir, backup));
  const restored = restoredContent(target, join(work, `restored-${slot}.db`));
  if (trial.model === 'manifest') {
    assert.ok(trial.valid, `${label}: restored from a manifest docs/format.md §1 calls invalid`);
    assert.equal(restored, baseContent, `${label}: the target is not the snapshot's content`);
    return { outcome: 'restored', shown: run.stdout };
  }
  assert.equal(
    trial.model,
    'dump, manifest rewritten to match',
    `${label}: restored a dump its manifest does not match`,
  );
  const reference = loadWithSqlite3(trial.dump, join(work, `sqlite3-${slot}.db`));
  if (reference === undefined) return { outcome: 'restored', sqlite3Loads: false, shown: run.stdout };
  assert.equal(
    restored,
    sqliteContent(reference),
    `${label}: restored content differs from sqlite3's load of the dump`,
  );
  return { outcome: 'restored', sqlite3Loads: true, shown: run.stdout };
}

/** What each model promises about a refusal beyond its shape. */
function checkRefusal(trial: Trial, run: CliRun, refusal: RefusalLines, outcome: string, label: string): void {
  // Whatever the artifact holds, refusing it is exit 1: exit 2 means usage or I/O, which no byte of it is.
  assert.equal(run.code, 1, `${label}: exit ${run.code} for a refused artifact\n${run.stderr}`);
  if (trial.model === 'dump, manifest untouched') {
    // The checksum's row names both: what the manifest says and what the dump hashes to.
    const row = refusal.items.find((item) => item.startsWith('checksum: '));
    assert.ok(
      row?.includes(baseChecksum) && row.includes(sha256(trial.dump)),
      `${label}: the checksum row in\n${run.stderr}`,
    );
  } else if (trial.model === 'dump, manifest rewritten to match') {
    assert.notEqual(outcome, 'refused: checksum mismatch', `${label}: the checksum matched\n${run.stderr}`);
  } else {
    assert.equal(trial.valid, false, `${label}: refused a manifest docs/format.md §1 calls valid:\n${run.stderr}`);
    assert.match(refusal.message, /failed verification, so nothing was restored:$/, label);
    for (const name of trial.names ?? [])
      assert.ok(
        refusal.items.some((item) => item.startsWith(`${name}: `)),
        `${label}: no row for ${name} in\n${run.stderr}`,
      );
  }
}

test(`${PER_MODEL * 3} seeded mutations of dumps and manifests, restored with --force over a populated target (seed ${SEED})`, async (t) => {
  const trials = makeTrials();
  const counts = new Map<string, number>();
  const count = (key: string): void => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  let next = 0;
  const examples = new Map<string, string>();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: SLOTS }, async (_, slot) => {
      while (next < trials.length) {
        const trial = trials[next++]!;
        const { outcome, sqlite3Loads, shown } = await runTrial(trial, slot);
        const reference =
          sqlite3Loads === undefined ? '' : ` (sqlite3 -safe -bail ${sqlite3Loads ? 'loads' : 'refuses'} it)`;
        const key = `${trial.model} | ${outcome}${reference}`;
        count(key);
        if (!examples.has(key)) examples.set(key, `${trial.id} ${trial.what.join('; ')} → ${shown}`);
      }
    }),
  );
  assert.deepEqual(readdirSync(outside), [], 'a hostile statement wrote outside the database');
  t.diagnostic(`${trials.length} trials in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [key, value] of [...counts].sort()) t.diagnostic(`${value.toString().padStart(4)}  ${key}`);
  if (process.env.FUZZ_EXAMPLES)
    for (const [key, example] of [...examples].sort()) t.diagnostic(`e.g. ${key}: ${JSON.stringify(example)}`);
  const total = (prefix: string): number =>
    [...counts].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, value]) => sum + value, 0);
  // Our loader accepts no more than SQLite itself does: a dump sqlite3 cannot load is not restored.
  assert.equal(total('dump, manifest rewritten to match | restored (sqlite3 -safe -bail refuses it)'), 0);
  if (ONLY !== undefined) return;
  // The corpus must reach every model's interesting outcomes, or it proves little.
  assert.equal(total('dump, manifest untouched | refused: checksum mismatch'), PER_MODEL);
  const some = Math.ceil(PER_MODEL / 20);
  assert.ok(total('dump, manifest rewritten to match | restored (sqlite3 -safe -bail loads it)') >= some);
  assert.ok(total('dump, manifest rewritten to match | refused by policy') >= some);
  assert.ok(total('manifest | restored') >= some);
  assert.ok(total('manifest | refused: invalid manifest field') >= 2 * some);
});
