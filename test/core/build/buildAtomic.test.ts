/**
 * build replaces snapshot.sql + manifest.json as a unit (docs/format.md §6): a build killed at any step of
 * its commit leaves the old pair, or a pair the next run completes into the new one; what a killed
 * build leaves is swept by the next run, judged by a lock; two builds never write into one directory
 * at once; old-style temp files are swept by age, and nothing else is.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import {
  CLI_ENTRY,
  copySnapshot,
  parseExact,
  REPO_ROOT,
  runCliProcess,
  sha256File,
  sqlite3,
  tempDir,
} from '../../helpers.ts';

const ENV = { SOURCE_DATE_EPOCH: '1700000000' };
const PAIR = ['manifest.json', 'snapshot.sql'];

let oldDb = '';
let newDb = '';
let thirdDb = '';
const reference = { old: '', new: '', third: '' };
let childScript = '';

const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

before(async () => {
  const dir = tempDir('atomic-src-');
  const make = (name: string, rows: number): string => {
    const path = join(dir, name);
    sqlite3(
      path,
      `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
       INSERT INTO t SELECT i, printf('${name} %d', i) FROM n;`,
    );
    return path;
  };
  oldDb = make('old.db', 10);
  newDb = make('new.db', 20);
  thirdDb = make('third.db', 30);
  for (const [name, database] of [
    ['old', oldDb],
    ['new', newDb],
    ['third', thirdDb],
  ] as const) {
    reference[name] = join(dir, `ref-${name}`);
    await buildSnapshot({ database, outDir: reference[name], env: ENV });
  }
  // A build that stages its pair, runs the first N steps of its commit, then dies by kill -9;
  // with "hold" it stays alive, holding its staging directory, until killed.
  childScript = join(tempDir('atomic-child-'), 'child.mjs');
  const buildModule = pathToFileURL(join(REPO_ROOT, 'src/core/build/build.ts')).href;
  writeFileSync(
    childScript,
    `import { stageSnapshot } from ${JSON.stringify(buildModule)};
const [database, outDir, steps] = process.argv.slice(2);
const staged = await stageSnapshot({ database, outDir, env: ${JSON.stringify(ENV)} });
process.stdout.write(JSON.stringify(staged.commitSteps.map((step) => step.name)) + '\\n');
if (steps === 'hold') setInterval(() => {}, 1 << 30);
else {
  for (const step of staged.commitSteps.slice(0, Number(steps))) step.run();
  process.kill(process.pid, 'SIGKILL');
}
`,
  );
});

/** Which reference pair `out` holds, checked independently of the product: the manifest describes the dump. */
function pairIn(out: string): 'old' | 'new' | 'third' {
  const checksum = parseExact(readFileSync(join(out, 'manifest.json'), 'utf8')).checksum;
  assert.equal(sha256File(join(out, 'snapshot.sql')), checksum, `the manifest in ${out} describes its dump`);
  for (const name of ['old', 'new', 'third'] as const) {
    if (sha256File(join(reference[name], 'snapshot.sql')) === checksum) return name;
  }
  assert.fail(`${out} holds none of the reference pairs`);
}

const strays = (out: string): string[] => readdirSync(out).filter((name) => !PAIR.includes(name));

/** Starts the child build; resolves with its step names once its pair is staged. */
async function startChild(outDir: string, steps: number | 'hold'): Promise<{ child: ChildProcess; names: string[] }> {
  const child = spawn(process.execPath, [childScript, newDb, outDir, String(steps)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const names = await new Promise<string[]>((resolve, reject) => {
    child.stdout?.on('data', () => {
      if (stdout.includes('\n')) resolve(JSON.parse(stdout));
    });
    child.on('exit', (code, signal) => reject(new Error(`child ended early (${code ?? signal}): ${stderr}`)));
  });
  return { child, names };
}

/** The next run into `out`: a build that fails (its --db is missing) after its start-up sweep. */
function failingBuild(out: string): void {
  const run = runCliProcess(['build', '--db', join(out, '..', 'missing.db'), '--out', out]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /Database not found/);
}

test('kill -9 at each step of the commit: the old pair, or the new one once the next run has swept', async () => {
  let steps: string[] = [];
  for (let done = 0; done === 0 || done <= steps.length; done++) {
    const out = join(tempDir('atomic-kill-'), 'out');
    mkdirSync(out);
    copySnapshot(reference.old, out);
    const { child, names } = await startChild(out, done);
    steps = names;
    const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGKILL');
    const label = `killed after ${done} of ${steps.join(', ')}`;
    if (done === 1) {
      // The one in-between state, under the real names: the new dump beside the old manifest.
      assert.equal(sha256File(join(out, 'snapshot.sql')), sha256File(join(reference.new, 'snapshot.sql')), label);
      assert.equal(
        readFileSync(join(out, 'manifest.json'), 'utf8'),
        readFileSync(join(reference.old, 'manifest.json'), 'utf8'),
      );
    } else {
      assert.equal(pairIn(out), done === 0 ? 'old' : 'new', label);
    }
    assert.equal(strays(out).length, done < steps.length ? 1 : 0, `${label}: its staging dir until the next run`);
    failingBuild(out);
    // The commit starts with moving the dump: from then on the next run completes it.
    assert.equal(pairIn(out), done === 0 ? 'old' : 'new', label);
    assert.deepEqual(strays(out), [], `${label}: swept by the next run`);
  }
  assert.ok(steps.length >= 2, `the commit moves two files: ${steps.join(', ')}`);
});

test('a half-done commit that a newer pair has replaced since is not rolled forward over it', async () => {
  const out = join(tempDir('atomic-superseded-'), 'out');
  mkdirSync(out);
  copySnapshot(reference.old, out);
  const { child } = await startChild(out, 1);
  await once(child, 'exit');
  assert.equal(strays(out).length, 1);
  copySnapshot(reference.third, out); // e.g. copied in by hand, or written by an older version
  failingBuild(out);
  assert.equal(pairIn(out), 'third');
  assert.deepEqual(strays(out), []);
});

test('a live build is left alone and a second build into its directory is refused; once it dies, it is swept', async () => {
  const out = join(tempDir('atomic-live-'), 'out');
  mkdirSync(out);
  copySnapshot(reference.old, out);
  const { child } = await startChild(out, 'hold');
  const staging = strays(out);
  assert.equal(staging.length, 1);
  const second = runCliProcess(['build', '--db', thirdDb, '--out', out]);
  assert.equal(second.code, 2, second.stderr);
  assert.match(second.stderr, /Another build is writing into/);
  assert.ok(second.stderr.includes(out), second.stderr);
  assert.ok(second.stderr.includes(staging[0]!), 'names the live build directory');
  assert.match(second.stderr, /hint: .*--out/);
  assert.deepEqual(strays(out), staging, 'the live staging dir is untouched, and the refused one left nothing');
  assert.ok(existsSync(join(out, staging[0]!, 'snapshot.sql')), 'the live build still has its staged dump');
  assert.equal(pairIn(out), 'old');

  child.kill('SIGKILL');
  await once(child, 'exit');
  const third = runCliProcess(['build', '--db', thirdDb, '--out', out]);
  assert.equal(third.code, 0, third.stderr);
  assert.equal(pairIn(out), 'third');
  assert.deepEqual(strays(out), []);
});

test('an unlocked staging dir is swept at once, one without a usable lock and old temp files by age; nothing else', () => {
  const out = join(tempDir('atomic-legacy-'), 'out');
  mkdirSync(out);
  copySnapshot(reference.old, out);
  const outside = join(out, '..', 'keep-me.txt');
  writeFileSync(outside, 'not ours');
  const twoHoursAgo = Date.now() / 1000 - 7200;
  const make = (name: string, kind: 'file' | 'dir' | 'link' | 'no-lock' = 'file', age = 'old'): string => {
    const path = join(out, name);
    if (kind === 'file') writeFileSync(path, 'leftover');
    else if (kind === 'link') symlinkSync(outside, path);
    else mkdirSync(path);
    // A directory where the lock file should be: SQLite cannot lock it, as on a file system without locks.
    if (kind === 'no-lock') mkdirSync(join(path, 'lock'));
    if (age === 'old') (kind === 'link' ? lutimesSync : utimesSync)(path, twoHoursAgo, twoHoursAgo);
    return name;
  };
  const old = (name: string, kind: 'file' | 'dir' | 'link' = 'file'): string => make(name, kind);
  const swept = [
    old('.snapshot.sql.4242-0a1b2c3d.tmp'),
    old('.manifest.json.4242-0a1b2c3d.tmp'),
    old('.sqlite-snapshot-build-Ab3dE9', 'dir'),
    // Killed before it locked its directory: nobody holds the lock, so it goes at once.
    make('.sqlite-snapshot-build-Young1', 'dir', 'young'),
    make('.sqlite-snapshot-build-NoLck1', 'no-lock'),
  ];
  const kept = [
    old('.snapshot.sql.4242-0a1b2c3d.tmp.bak'),
    old('x.snapshot.sql.4242-0a1b2c3d.tmp'),
    old('.snapshot.sql.4242-0A1B2C3D.tmp'),
    old('.snapshot.sql.-0a1b2c3d.tmp'),
    old('.snapshot.sql.4243-0a1b2c3d.tmp', 'dir'),
    old('.snapshot.sql.4244-0a1b2c3d.tmp', 'link'),
    old('.sqlite-snapshot-build-link01', 'link'),
    old('.sqlite-snapshot-restore-Ab3dE9', 'dir'),
  ];
  kept.push(
    make('.snapshot.sql.4245-0a1b2c3d.tmp', 'file', 'young'),
    make('.sqlite-snapshot-build-NoLck2', 'no-lock', 'young'),
  );

  const run = runCliProcess(['build', '--db', newDb, '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(pairIn(out), 'new');
  assert.deepEqual(strays(out).sort(), kept.sort());
  for (const name of swept) assert.equal(existsSync(join(out, name)), false, `${name} swept`);
  assert.equal(readFileSync(outside, 'utf8'), 'not ours', 'a link is never followed');
  assert.ok(lstatSync(join(out, '.sqlite-snapshot-build-link01')).isSymbolicLink());
});

test('the files get the modes the umask asks for, like any file a tool creates', () => {
  for (const [umask, mode] of [
    ['022', 0o644],
    ['002', 0o664],
    ['077', 0o600],
  ] as const) {
    const out = join(tempDir('atomic-mode-'), 'out');
    const run = spawnSync(
      'sh',
      ['-c', `umask ${umask} && exec "$0" "$@"`, process.execPath, CLI_ENTRY, 'build', '--db', newDb, '--out', out],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 0, run.stderr);
    for (const name of PAIR) {
      assert.equal((statSync(join(out, name)).mode & 0o777).toString(8), mode.toString(8), `umask ${umask}: ${name}`);
    }
  }
});
