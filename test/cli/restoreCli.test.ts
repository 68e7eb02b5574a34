/** `sqlite-snapshot restore` (docs/format.md §3 and §4): exit 0 restored, 1 refused, 2 usage or I/O; --force, backups, --json. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { fingerprint, populated } from '../core/restore/restoreFixtures.ts';
import { runCli, runCliProcess, sha256File, sqlite3, tempDir } from '../helpers.ts';

const ENV = { SOURCE_DATE_EPOCH: '1700000000' };
let snapshot = '';
let checksum = '';

before(async () => {
  const dir = tempDir('restore-cli-');
  const db = join(dir, 'fixture.db');
  sqlite3(db, "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
  snapshot = join(dir, 'artifact');
  const build = await runCli(['build', '--db', db, '--out', snapshot, '--control-model-version', '5'], ENV);
  assert.equal(build.code, 0, build.stderr);
  checksum = sha256File(join(snapshot, 'snapshot.sql'));
});

test('restore into an absent target: exit 0, prints the checksum and where it restored', async () => {
  const dir = tempDir('restore-cli-target-');
  const target = join(dir, 'app.db');
  const run = await runCli(['restore', snapshot, '--db', target]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.includes(checksum) && run.stdout.includes(target), run.stdout);
  assert.equal(await fingerprint(target), checksum);
  assert.deepEqual(readdirSync(dir), ['app.db']);
});

test('a real process: exit 0 and the same restore', () => {
  const target = join(tempDir('restore-cli-target-'), 'app.db');
  const run = runCliProcess(['restore', snapshot, '--db', target]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /restored sha256:[0-9a-f]{64} into /);
  assert.equal(sqlite3(target, 'SELECT group_concat(b) FROM t;').trim(), 'one,two');
});

test('a populated target without --force: exit 1, untouched, and the message says to use --force', async () => {
  const { dir, target, bytes } = await populated();
  const run = await runCli(['restore', snapshot, '--db', target]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /--force/);
  assert.match(run.stderr, /app_state/, 'it says why the target counts as populated');
  assert.ok(readFileSync(target).equals(bytes));
  assert.deepEqual(readdirSync(dir), ['app.db']);
});

test('--force keeps a backup <target>.bak-<UTC time> byte-equal to the old DB and says where', async () => {
  const { dir, target, bytes } = await populated();
  const run = await runCli(['restore', snapshot, '--db', target, '--force']);
  assert.equal(run.code, 0, run.stderr);
  const backups = readdirSync(dir).filter((name) => name.startsWith('app.db.bak-'));
  assert.equal(backups.length, 1, readdirSync(dir).join(' '));
  assert.match(backups[0]!, /^app\.db\.bak-\d{8}T\d{6}Z$/);
  assert.ok(readFileSync(join(dir, backups[0]!)).equals(bytes), 'the backup is the old DB, byte for byte');
  assert.ok(run.stdout.includes(join(dir, backups[0]!)), run.stdout);
  assert.equal(await fingerprint(target), checksum);
});

test('--force --no-backup replaces without keeping a backup', async () => {
  const { dir, target } = await populated();
  const run = await runCli(['restore', snapshot, '--db', target, '--force', '--no-backup']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(dir), ['app.db']);
  assert.equal(await fingerprint(target), checksum);
});

test('a verification failure (--expect-control-model-version mismatch): exit 1, nothing restored', async () => {
  const dir = tempDir('restore-cli-target-');
  const target = join(dir, 'app.db');
  const run = await runCli(['restore', snapshot, '--db', target, '--expect-control-model-version', '6,7']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /control_model_version/);
  assert.match(run.stderr, /6, 7/);
  assert.ok(!existsSync(target));
  assert.deepEqual(readdirSync(dir), []);
  const accepted = await runCli(['restore', snapshot, '--db', target, '--expect-control-model-version', '4,5']);
  assert.equal(accepted.code, 0, accepted.stderr);
});

test('usage and I/O errors exit 2: missing dir, missing --db, unknown flag, no directory, bad version list', async () => {
  const target = join(tempDir('restore-cli-target-'), 'app.db');
  const cases: [string[], RegExp][] = [
    [['restore', join(tempDir('restore-cli-'), 'nope'), '--db', target], /not found/i],
    [['restore', snapshot], /--db/],
    [['restore', snapshot, '--db', target, '--forse'], /forse/],
    [['restore', '--db', target], /directory/i],
    [['restore', snapshot, snapshot, '--db', target], /exactly one directory/i],
    [['restore', snapshot, '--db', target, '--expect-control-model-version', '5,'], /N,N/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
    assert.ok(!existsSync(target), args.join(' '));
  }
});

test('--json prints one parseable object describing the restore', async () => {
  const { dir, target } = await populated();
  const run = await runCli(['restore', snapshot, '--db', target, '--force', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.target, target);
  assert.equal(result.checksum, checksum);
  assert.equal(result.rows, 2);
  assert.equal(result.replaced, true);
  assert.equal(typeof result.backupPath, 'string');
  assert.ok(existsSync(result.backupPath) && result.backupPath.startsWith(join(dir, 'app.db.bak-')));
  const fresh = await runCli(['restore', snapshot, '--db', join(dir, 'new.db'), '--json']);
  assert.deepEqual(
    { ...JSON.parse(fresh.stdout), target: '' },
    { ...result, target: '', backupPath: null, replaced: false },
  );
});

test('--help exits 0 and documents --force and --no-backup', async () => {
  const run = await runCli(['restore', '--help']);
  assert.equal(run.code, 0);
  assert.match(run.stdout, /--force/);
  assert.match(run.stdout, /--no-backup/);
});

test('restore into a directory that does not exist: exit 2 naming the directory, nothing created', async () => {
  const parent = join(tempDir('restore-cli-missing-'), 'db');
  const run = await runCli(['restore', snapshot, '--db', join(parent, 'app.db')]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`The directory ${parent} of the restore target does not exist\\.`));
  assert.match(run.stderr, /Create it first/);
  assert.equal(existsSync(parent), false);
});
