/** The CLI (docs/format.md §3): exit 0 ok, 1 verification failed, 2 usage or I/O error; in-process and as a real process. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import {
  copyDir,
  definedOptions,
  parseExact,
  runCli,
  runCliProcess,
  sha256File,
  sqlite3,
  tempDir,
} from '../helpers.ts';

// The nine manifest fields in docs/format.md §1 order.
const FIELDS = (
  'kind format checksum control_model_version cache_schema_version control_version created_at ' +
  'source_chassis_version db_migration_version'
).split(' ');
const U64_MAX = '18446744073709551615';
const ENV = { SOURCE_DATE_EPOCH: '1700000000' };

let db = '';
/** Built by the CLI: control_model_version 5, cache_schema_version 3, db_migration_version "42". */
let artifactDir = '';

before(async () => {
  const dir = tempDir();
  db = join(dir, 'app.db');
  sqlite3(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
  artifactDir = join(dir, 'artifact');
  const args = ['--control-model-version', '5', '--cache-schema-version', '3', '--db-migration-version', '42'];
  const run = await runCli(['build', '--db', db, '--out', artifactDir, ...args], ENV);
  assert.equal(run.code, 0, run.stderr);
});

test('build --db --out creates both files and prints the checksum and the paths', async () => {
  const out = join(tempDir(), 'out');
  const run = await runCli(['build', '--db', db, '--out', out], ENV);
  assert.equal(run.code, 0, run.stderr);
  const dumpPath = join(out, 'snapshot.sql');
  const manifestPath = join(out, 'manifest.json');
  assert.ok(existsSync(dumpPath) && existsSync(manifestPath));
  const checksum = sha256File(dumpPath);
  assert.equal(JSON.parse(readFileSync(manifestPath, 'utf8')).checksum, checksum);
  assert.ok(run.stdout.includes(checksum), run.stdout);
  assert.ok(run.stdout.includes(dumpPath) && run.stdout.includes(manifestPath), run.stdout);
});

test('build --json prints parseable JSON with the checksum and an exact uint64 control_version', async () => {
  const out = join(tempDir(), 'out');
  const run = await runCli(['build', '--db', db, '--out', out, '--control-version', U64_MAX, '--json'], ENV);
  assert.equal(run.code, 0, run.stderr);
  const result = parseExact(run.stdout);
  assert.equal(result.checksum, sha256File(join(out, 'snapshot.sql')));
  assert.equal(result.manifest.control_version, BigInt(U64_MAX));
  assert.match(run.stdout, new RegExp(`"control_version": ${U64_MAX}\\b`));
  assert.equal(parseExact(readFileSync(join(out, 'manifest.json'), 'utf8')).control_version, BigInt(U64_MAX));
});

test('verify: exit 0 when everything holds, 1 when an expected version does not match', async () => {
  const cases: [string[], number][] = [
    [[], 0],
    [['--expect-control-model-version', '5'], 0],
    [['--expect-control-model-version', '4,5'], 0],
    [['--expect-control-model-version', '1,2'], 1],
    [['--expect-cache-schema-version', '3'], 0],
    [['--expect-cache-schema-version', '2'], 1],
    [['--expect-cache-schema-version', '4,7'], 1],
    [['--expect-db-migration-version', '42'], 0],
    [['--expect-db-migration-version', '43'], 1],
  ];
  for (const [flags, code] of cases) {
    const run = await runCli(['verify', artifactDir, ...flags]);
    assert.equal(run.code, code, `verify ${flags.join(' ')}: ${run.stdout}${run.stderr}`);
    if (code === 1) assert.ok(run.stdout.includes(flags[0]!.replace('--expect-', '').replaceAll('-', '_')));
  }
});

test('verify --expect-min-control-version: the artifact (control_version 0) passes at 0, fails above; a bad value is usage', async () => {
  assert.equal((await runCli(['verify', artifactDir, '--expect-min-control-version', '0'])).code, 0);
  const higher = await runCli(['verify', artifactDir, '--expect-min-control-version', U64_MAX]);
  assert.equal(higher.code, 1);
  assert.match(higher.stdout, new RegExp(`FAIL control_version +expected >= ${U64_MAX}, got 0`));
  const bad = await runCli(['verify', artifactDir, '--expect-min-control-version=-1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--expect-min-control-version must be between 0 and 18446744073709551615/);
});

test('verify exits 1, not 2, on damaged artifacts', async () => {
  const damage: [string, (dir: string) => void][] = [
    ['a changed dump', (dir) => writeFileSync(join(dir, 'snapshot.sql'), 'PRAGMA foreign_keys=OFF;\nCOMMIT;\n')],
    ['a wrong kind', (dir) => edit(dir, (t) => t.replace('bootstrap.sqlite.dump', 'other'))],
    ['a truncated manifest', (dir) => edit(dir, (t) => t.slice(0, 40))],
    [
      'an impossible created_at',
      (dir) => edit(dir, (t) => t.replace(/"created_at": "[^"]*"/, '"created_at": "2026-13-01T00:00:00Z"')),
    ],
  ];
  const edit = (dir: string, change: (text: string) => string) =>
    writeFileSync(join(dir, 'manifest.json'), change(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  for (const [what, apply] of damage) {
    const dir = copyDir(artifactDir);
    apply(dir);
    const run = await runCli(['verify', dir]);
    assert.equal(run.code, 1, `${what}: ${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /FAIL/, what);
  }
});

test('usage and I/O errors exit 2 and say what is wrong', async () => {
  const missing = join(tempDir(), 'no-such-dir');
  const out = join(tempDir(), 'out');
  const cases: [string[], RegExp, NodeJS.ProcessEnv?][] = [
    [['verify', missing], new RegExp(missing.replaceAll('/', '\\/'))],
    [['verify'], /director/],
    [['verify', artifactDir, '--bogus'], /--bogus/],
    [['build', '--db', db, '--out', out, '--bogus'], /--bogus/],
    [['build', '--db', db], /--out/],
    // Without --db the build starts from an empty database; a missing migrations dir is named.
    [['build', '--out', out, '--migrations', join(tempDir(), 'no-such-dir')], /no-such-dir/],
    [['build', '--db', db, '--out', out, '--control-model-version', 'abc'], /--control-model-version.*abc/],
    [['build', '--db', db, '--out', out, '--cache-schema-version', '1.5'], /--cache-schema-version/],
    [['build', '--db', db, '--out', out, '--control-version', '18446744073709551616'], /--control-version/],
    [['build', '--db', db, '--out', out, '--control-version', '-1'], /--control-version/],
    [['verify', artifactDir, '--expect-control-model-version', 'abc'], /--expect-control-model-version/],
    [['verify', artifactDir, '--expect-cache-schema-version', '1,x'], /--expect-cache-schema-version/],
    [['build', '--db', db, '--out', out], /SOURCE_DATE_EPOCH/, { SOURCE_DATE_EPOCH: 'yesterday' }],
    [['build', '--db', join(tempDir(), 'absent.db'), '--out', out], /absent\.db/],
  ];
  for (const [args, message, env] of cases) {
    const run = await runCli(args, env ?? ENV);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
    assert.doesNotMatch(run.stderr, /\n\s+at /, `${args.join(' ')}: no stack trace for a usage error`);
  }
  assert.equal(existsSync(join(out, 'manifest.json')), false, 'failed builds wrote nothing');
});

test('--help of main, build and verify exits 0 and mentions every option', async () => {
  const main = await runCli(['--help']);
  assert.equal(main.code, 0);
  assert.match(main.stdout, /\bbuild\b/);
  assert.match(main.stdout, /\bverify\b/);
  const commands: [string, string, string[]][] = [
    [
      'build',
      'buildCommand.ts',
      ['--db', '--out', '--control-model-version', '--cache-schema-version', '--control-version'],
    ],
    ['verify', 'verifyCommand.ts', ['--expect-control-model-version', '--expect-cache-schema-version', '--json']],
  ];
  for (const [command, file, documented] of commands) {
    const options = new Set([...definedOptions(file), ...documented, '--help']);
    for (const args of [
      [command, '--help'],
      [command, '-h'],
    ]) {
      const run = await runCli(args);
      assert.equal(run.code, 0, run.stderr);
      for (const option of options) assert.ok(run.stdout.includes(option), `${args.join(' ')} mentions ${option}`);
    }
  }
});

test('an unknown command exits 2 and names it', async () => {
  const run = await runCli(['restroe', '--db', db]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /restroe/);
});

test('verify --json reports every check with name, ok, expected and actual', async () => {
  const good = await runCli(['verify', artifactDir, '--json', '--expect-control-model-version', '5']);
  assert.equal(good.code, 0, good.stderr);
  const report = parseExact(good.stdout);
  assert.equal(report.ok, true);
  const names = new Set<string>();
  for (const check of report.checks) {
    assert.equal(typeof check.name, 'string');
    assert.equal(check.ok, true, check.name);
    assert.equal(typeof check.expected, 'string', check.name);
    assert.equal(typeof check.actual, 'string', check.name);
    names.add(check.name);
  }
  for (const name of [...FIELDS, 'size']) assert.ok(names.has(name), `check ${name} in --json output`);

  const bad = await runCli(['verify', artifactDir, '--json', '--expect-cache-schema-version', '9']);
  assert.equal(bad.code, 1);
  const failed = parseExact(bad.stdout).checks.filter((check: { ok: boolean }) => !check.ok);
  assert.deepEqual(
    failed.map((check: { name: string }) => check.name),
    ['cache_schema_version'],
  );
  assert.equal(failed[0].actual, '3');
  assert.match(failed[0].expected, /\b9\b/);
  assert.equal(typeof failed[0].hint, 'string');
});

test('as a real process: build, verify and the exit codes', () => {
  const out = join(tempDir(), 'out');
  const built = runCliProcess(['build', '--db', db, '--out', out, '--control-version', U64_MAX, '--json'], ENV);
  assert.equal(built.code, 0, built.stderr);
  assert.equal(parseExact(built.stdout).manifest.control_version, BigInt(U64_MAX));
  assert.equal(parseExact(built.stdout).checksum, sha256File(join(out, 'snapshot.sql')));
  // Same DB, same SOURCE_DATE_EPOCH: the real process writes the same manifest as the in-process build.
  const again = join(tempDir(), 'again');
  assert.equal(runCliProcess(['build', '--db', db, '--out', again, '--control-version', U64_MAX], ENV).code, 0);
  assert.equal(readFileSync(join(again, 'manifest.json'), 'utf8'), readFileSync(join(out, 'manifest.json'), 'utf8'));

  assert.equal(runCliProcess(['verify', out]).code, 0);
  const mismatch = runCliProcess(['verify', artifactDir, '--expect-control-model-version', '1,2']);
  assert.equal(mismatch.code, 1, mismatch.stderr);
  assert.match(mismatch.stdout, /control_model_version/);
  const missing = runCliProcess(['verify', join(out, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /nope/);
  const flag = runCliProcess(['verify', out, '--frobnicate']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--frobnicate/);
  const help = runCliProcess(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /verify/);
  assert.equal(runCliProcess(['nonsense']).code, 2);
});
