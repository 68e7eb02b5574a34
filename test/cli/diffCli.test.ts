/**
 * `sqlite-snapshot diff`: exit 0 when compared (1 with --exit-code when they differ), 1 when a
 * snapshot is refused, 2 for usage and I/O errors; --json with exact integers; in-process and as a
 * real process.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { definedOptions, parseExact, runCli, runCliProcess, sqlite3, tempDir } from '../helpers.ts';

const ENV = { SOURCE_DATE_EPOCH: '1700000000' };
const U64_MAX = '18446744073709551615';

let oldDir = '';
let sameDir = '';
/** Built from the same database with one more row, cache_schema_version 4 and control_version 2^64-1. */
let newDir = '';

async function build(db: string, out: string, flags: string[] = []): Promise<string> {
  const run = await runCli(['build', '--db', db, '--out', out, ...flags], ENV);
  assert.equal(run.code, 0, run.stderr);
  return out;
}

before(async () => {
  const dir = tempDir('diff-cli-');
  const db = join(dir, 'app.db');
  sqlite3(db, "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
  oldDir = await build(db, join(dir, 'old'), ['--cache-schema-version', '3']);
  sameDir = await build(db, join(dir, 'same'), ['--cache-schema-version', '3']);
  sqlite3(db, "INSERT INTO t VALUES (3, 'three');");
  newDir = await build(db, join(dir, 'new'), ['--cache-schema-version', '4', '--control-version', U64_MAX]);
});

test('identical snapshots: exit 0, with or without --exit-code, and "No differences" in every form', async () => {
  for (const flags of [[], ['--exit-code'], ['--markdown', '--exit-code'], ['--json', '--exit-code']]) {
    const run = await runCli(['diff', oldDir, sameDir, ...flags]);
    assert.equal(run.code, 0, `${flags.join(' ')}: ${run.stderr}`);
    if (flags.includes('--json')) assert.equal(parseExact(run.stdout).identical, true);
    else assert.match(run.stdout, /No differences/, flags.join(' '));
  }
});

test('different snapshots: exit 0, or 1 with --exit-code; the text names what changed', async () => {
  const plain = await runCli(['diff', oldDir, newDir]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /cache_schema_version +3 → 4/);
  assert.match(plain.stdout, new RegExp(`control_version +0 → ${U64_MAX}`));
  assert.match(plain.stdout, /t +2 → 3 \(\+1\)/);
  const strict = await runCli(['diff', oldDir, newDir, '--exit-code']);
  assert.equal(strict.code, 1);
  assert.equal(strict.stdout, plain.stdout, 'the same report, only the exit code differs');
  assert.equal(strict.stderr, '');
});

test('--json: manifest changes with control_version exact above 2^53, and row counts', async () => {
  const run = await runCli(['diff', oldDir, newDir, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const diff = parseExact(run.stdout);
  assert.equal(diff.identical, false);
  const fields = new Map(diff.manifest.map((change: { field: string }) => [change.field, change]));
  assert.deepEqual(fields.get('control_version'), { field: 'control_version', old: 0n, new: BigInt(U64_MAX) });
  assert.deepEqual(fields.get('cache_schema_version'), { field: 'cache_schema_version', old: 3n, new: 4n });
  const checksum = (dir: string): string => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).checksum;
  assert.deepEqual(fields.get('checksum'), { field: 'checksum', old: checksum(oldDir), new: checksum(newDir) });
  assert.deepEqual(diff.rowCounts, [{ table: 't', old: 2n, new: 3n }]);
  assert.deepEqual(diff.tables, []);
  assert.match(run.stdout, new RegExp(`"new": ${U64_MAX}\\b`));
});

test('--markdown: a "Changes since the baseline" section with tables', async () => {
  const run = await runCli(['diff', oldDir, newDir, '--markdown']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^### Changes since the baseline\n/);
  assert.match(run.stdout, /\| cache_schema_version \| `3` \| `4` \|/);
  assert.match(run.stdout, /\| `t` \| 2 \| 3 \| \+1 \|/);
});

test('a tampered snapshot exits 1 and the message names its side', async () => {
  const tampered = join(tempDir('diff-cli-'), 'tampered');
  cpSync(newDir, tampered, { recursive: true });
  appendFileSync(join(tampered, 'snapshot.sql'), '-- edited\n');
  for (const [args, side] of [
    [[oldDir, tampered], 'new'],
    [[tampered, oldDir], 'old'],
  ] as const) {
    const run = await runCli(['diff', ...args, '--exit-code']);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '', 'nothing is compared');
    assert.match(run.stderr, new RegExp(`The ${side} snapshot .*tampered failed verification`));
    assert.match(run.stderr, /checksum/);
  }
});

test('usage and I/O errors exit 2 and say what is wrong', async () => {
  const missing = join(tempDir('diff-cli-'), 'missing');
  const cases: [string[], RegExp][] = [
    [['diff', oldDir], /two directories/],
    [['diff', oldDir, newDir, sameDir], /two directories/],
    [['diff', oldDir, newDir, '--json', '--markdown'], /--json and --markdown/],
    [['diff', oldDir, newDir, '--bogus'], /--bogus/],
    [['diff', missing, newDir], /The old snapshot .*missing: Snapshot directory not found/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    // With --json the error is one JSON object on stdout, stderr stays empty.
    const shown = args.includes('--json')
      ? (JSON.parse(run.stdout) as { error: { message: string } }).error.message
      : run.stderr;
    assert.match(shown, message, args.join(' '));
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace for a usage error');
  }
});

test('diff --help exits 0 and mentions every option; the main help lists diff', async () => {
  const options = definedOptions('diffCommand.ts');
  assert.deepEqual(options.sort(), [
    '--exit-code',
    '--help',
    '--json',
    '--markdown',
    '--password-stdin',
    '--plain-http',
    '--username',
  ]);
  for (const flag of ['--help', '-h']) {
    const run = await runCli(['diff', flag]);
    assert.equal(run.code, 0);
    for (const option of options) assert.ok(run.stdout.includes(option), `diff ${flag} mentions ${option}`);
  }
  assert.match((await runCli(['--help'])).stdout, /^\s+diff\s/m);
});

test('as a real process: exit codes and exact JSON', () => {
  assert.equal(runCliProcess(['diff', oldDir, sameDir, '--exit-code']).code, 0);
  const differ = runCliProcess(['diff', oldDir, newDir, '--exit-code', '--json']);
  assert.equal(differ.code, 1, differ.stderr);
  const control = parseExact(differ.stdout).manifest.find(
    (change: { field: string }) => change.field === 'control_version',
  );
  assert.equal(control.new, BigInt(U64_MAX));
  assert.equal(runCliProcess(['diff', oldDir]).code, 2);
});
