/**
 * The command line's conventions: the runtime is checked before any verdict, --version, help
 * <command>, "did you mean", --json for errors, JSON values as themselves, counts in words.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { MANIFEST_FORMAT, MANIFEST_KIND } from '../../src/core/format/manifest.ts';
import { copyDir, parseExact, REPO_ROOT, runCli, sha256File, sqlite3, tempDir } from '../helpers.ts';
import { olderNode } from '../olderNode.ts';

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const BUNDLED_CLI = join(REPO_ROOT, 'dist/cli.js');

let db = '';
let snapshot = '';

before(async () => {
  const dir = tempDir('conventions-');
  db = join(dir, 'one.db');
  sqlite3(db, "CREATE TABLE only_one(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO only_one VALUES (1, 'a');");
  snapshot = join(dir, 'snapshot');
  const built = await runCli(['build', '--db', db, '--out', snapshot, '--control-model-version', '3']);
  assert.equal(built.code, 0, built.stderr);
});

const commandsOnAGoodSnapshot = (): string[][] => [
  ['verify', snapshot, '--expect-control-model-version', '3'],
  ['restore', snapshot, '--db', join(tempDir(), 'new.db')],
  ['diff', snapshot, snapshot],
  ['build', '--db', db, '--out', join(tempDir(), 'out')],
];

test('on Node 20 every command exits 2 with one line before any verdict (in-process)', async () => {
  for (const args of commandsOnAGoodSnapshot()) {
    const run = await runCli(args, {}, '20.20.2');
    assert.equal(run.code, 2, `${args[0]}: ${run.stdout}${run.stderr}`);
    assert.equal(run.stdout, '', `${args[0]} gives no verdict`);
    assert.equal(run.stderr.split('\n').length, 2, `one line: ${run.stderr}`);
    assert.match(
      run.stderr,
      /^error: sqlite-snapshot needs Node\.js 22 or newer and this is Node\.js 20\.20\.2: install Node\.js 24/,
    );
  }
  // Node 22 and 24 pass the check.
  assert.equal((await runCli(commandsOnAGoodSnapshot()[0]!, {}, '22.0.0')).code, 0);
});

test('the bundled CLI run by a real Node older than 22 refuses verify, restore, diff and build the same way', () => {
  const node = olderNode();
  for (const args of commandsOnAGoodSnapshot()) {
    const run = spawnSync(node, [BUNDLED_CLI, ...args], { encoding: 'utf8' });
    assert.equal(run.signal, null, `${args[0]} did not crash`);
    assert.equal(run.status, 2, `${args[0]}: ${run.stdout}${run.stderr}`);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /needs Node\.js 22 or newer and this is Node\.js \d+\./);
  }
});

test('--version and -V print the package version; help <command> prints that command’s help', async () => {
  for (const flag of ['--version', '-V']) {
    const run = await runCli([flag]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `sqlite-snapshot ${PACKAGE_VERSION}\n`);
  }
  for (const command of ['build', 'verify', 'restore', 'diff']) {
    const viaHelp = await runCli(['help', command]);
    const viaFlag = await runCli([command, '--help']);
    assert.equal(viaHelp.code, 0);
    assert.equal(viaHelp.stdout, viaFlag.stdout);
    assert.match(viaHelp.stdout, new RegExp(`^Usage: sqlite-snapshot ${command}`));
  }
  const unknown = await runCli(['help', 'restroe']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "restroe"\. Did you mean restore\?/);
});

test('"did you mean" for commands, misspelt flags and the Action’s input names', async () => {
  const cases: [string[], RegExp][] = [
    [['verfiy', snapshot], /unknown command "verfiy"\. Did you mean verify\?/],
    [['verify', snapshot, '--control-model-version', '3'], /Did you mean --expect-control-model-version\?/],
    [['restore', snapshot, '--database', 'x.db'], /Unknown option '--database'\. Did you mean --db\?/],
    [['restore', snapshot, '--db', 'x.db', '--forse'], /Did you mean --force\?/],
    [['build', '--db', db, '--out', 'o', '--tread', '2'], /Did you mean --threads\?/],
    [['build', '--db', db, '--path', 'o'], /Did you mean --out <dir>\?/],
    [
      ['build', '--db', db, '--out', 'o', '--expect-cache-schema-version', '2'],
      /Did you mean --cache-schema-version\?/,
    ],
  ];
  for (const [args, expected] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, expected, args.join(' '));
  }
  // Nothing close: no guess.
  const far = await runCli(['verify', snapshot, '--zzzzzzzz']);
  assert.equal(far.code, 2);
  assert.doesNotMatch(far.stderr, /Did you mean/);
});

test('--json also for errors: one JSON object on stdout, nothing on stderr, the same exit code', async () => {
  const missing = await runCli(['verify', join(tempDir(), 'nowhere'), '--json']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, '');
  const report = parseExact(missing.stdout);
  assert.equal(report.ok, false);
  assert.equal(report.exitCode, 2n);
  assert.equal(report.error.kind, 'io');
  assert.match(report.error.message, /Snapshot directory not found/);
  assert.match(report.error.hint, /download the artifact first/);

  // A refusal (exit 1) carries its failed checks, the tampered checksum among them.
  const tampered = copyDir(snapshot);
  writeFileSync(
    join(tampered, 'snapshot.sql'),
    readFileSync(join(tampered, 'snapshot.sql'), 'utf8').replace("'a'", "'b'"),
  );
  const refused = await runCli(['restore', tampered, '--db', join(tempDir(), 'x.db'), '--json']);
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr, '');
  const error = parseExact(refused.stdout).error;
  assert.equal(error.kind, 'verification');
  const checksum = error.checks.find((check: { name: string }) => check.name === 'checksum');
  assert.ok(checksum, refused.stdout);
});

test('a tampered dump reads as sha256sum -c does: expected the manifest’s checksum, got the file’s', async () => {
  const tampered = copyDir(snapshot);
  const dump = join(tampered, 'snapshot.sql');
  const manifestChecksum = (JSON.parse(readFileSync(join(tampered, 'manifest.json'), 'utf8')) as { checksum: string })
    .checksum;
  writeFileSync(dump, readFileSync(dump, 'utf8').replace("'a'", "'c'"));
  const run = await runCli(['verify', tampered, '--json']);
  assert.equal(run.code, 1);
  const checksum = parseExact(run.stdout).checks.find((check: { name: string }) => check.name === 'checksum');
  assert.equal(checksum.expected, manifestChecksum);
  assert.equal(checksum.actual, sha256File(dump));
  const text = await runCli(['verify', tampered]);
  assert.ok(text.stdout.includes(`expected ${manifestChecksum}, got ${sha256File(dump)}`), text.stdout);
});

test('verify --json shows compared strings as themselves, not quoted inside the JSON string', async () => {
  const run = await runCli(['verify', snapshot, '--json', '--expect-db-migration-version', '0']);
  const checks = parseExact(run.stdout).checks as { name: string; expected: string; actual: string }[];
  const byName = new Map(checks.map((check) => [check.name, check]));
  assert.equal(byName.get('kind')?.expected, MANIFEST_KIND);
  assert.equal(byName.get('kind')?.actual, MANIFEST_KIND);
  assert.equal(byName.get('format')?.expected, MANIFEST_FORMAT);
  assert.equal(byName.get('db_migration_version')?.expected, '0');
  for (const check of checks) {
    assert.doesNotMatch(check.expected, /^".*"$/, `${check.name} expected`);
    assert.doesNotMatch(check.actual, /^".*"$/, `${check.name} actual`);
  }
  // The text face still quotes strings, so that a value with spaces reads as one.
  const text = await runCli(['verify', snapshot]);
  assert.ok(text.stdout.includes(`"${MANIFEST_KIND}"`), text.stdout);
});

test('counts of one read in the singular', async () => {
  const run = await runCli(['build', '--db', db, '--out', join(tempDir(), 'out')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /, 1 table, 1 row\)/);
  const restored = await runCli(['restore', snapshot, '--db', join(tempDir(), 'one.db')]);
  assert.match(restored.stdout, /\(1 row, /);
});
