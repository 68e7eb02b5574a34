/**
 * docs/format.md §6: an invalid manifest.json is never quoted beyond a short escaped prefix, and no value
 * from it reaches a report unescaped or whole. A manifest that is really a copy of a secret file
 * must not print the secret, in the verify report, the CLI's text or its --json.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { parseManifestBytes, parseManifestText } from '../../../src/core/format/manifestParse.ts';
import { verifySnapshot } from '../../../src/core/verify/verify.ts';
import { checkFieldShapes } from '../../../src/core/verify/verifyFields.ts';
import { copyDir, runCli, sqlite3, tempDir } from '../../helpers.ts';

let goodDir = '';
let good = '';

before(async () => {
  const dir = tempDir();
  const db = join(dir, 'fixture.db');
  sqlite3(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'x');");
  goodDir = join(dir, 'good');
  await buildSnapshot({
    database: db,
    outDir: goodDir,
    sourceVersion: 'abc',
    env: { SOURCE_DATE_EPOCH: '1700000000' },
  });
  good = readFileSync(join(goodDir, 'manifest.json'), 'utf8');
});

/** A copy of the good artifact whose manifest.json holds `content`. */
function artifactWithManifest(content: string | Uint8Array): string {
  const dir = copyDir(goodDir);
  writeFileSync(join(dir, 'manifest.json'), content);
  return dir;
}

/** The longest run of characters `a` and `b` share: how much of a secret leaked, if any. */
function longestCommonRun(a: string, b: string): number {
  let best = 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        current[j] = previous[j - 1]! + 1;
        best = Math.max(best, current[j]!);
      }
    }
    previous = current;
  }
  return best;
}

// What a leak would show: a token, a cloud key, private key material.
const TOKEN = 'ghp_R7kq2ZxWm9Lp4VtYb8NcJ3sHd6FgA1eQ0uXo';
const CLOUD_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
const KEY_MATERIAL = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW';
const SENSITIVE = [TOKEN, CLOUD_KEY, KEY_MATERIAL];

const SECRET_FILES: [string, string][] = [
  ['a bare token', `${TOKEN}\n`],
  ['an env file', `AWS_SECRET_ACCESS_KEY=${CLOUD_KEY}\nGITHUB_TOKEN=${TOKEN}\n`],
  ['a private key', `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END OPENSSH PRIVATE KEY-----\n`],
  ['a JSON credential file, cut short', `{"type": "service_account", "private_key": "${TOKEN}", "client`],
  ['a JSON credential file', `{"type": "service_account", "private_key": "${TOKEN}", "cloud": "${CLOUD_KEY}"}\n`],
  ['a JSON array of tokens', `[\n  "${TOKEN}",\n  ${CLOUD_KEY}\n]\n`],
  ['a token as a field', good.replace('"abc"', `"${TOKEN}`)],
];

/** The most of any sensitive string that `printed` shows (one character at a syntax error is fine). */
const leaked = (printed: string): number => Math.max(...SENSITIVE.map((secret) => longestCommonRun(printed, secret)));

test('a manifest.json that is a secret file: nothing of the secret in the report, the CLI text or --json', async () => {
  for (const [what, secret] of SECRET_FILES) {
    const dir = artifactWithManifest(secret);
    const report = await verifySnapshot(dir);
    assert.equal(report.ok, false, what);
    const rows = JSON.stringify(report.checks);
    assert.ok(leaked(rows) <= 3, `${what}: the report quotes the secret: ${rows}`);
    for (const args of [
      ['verify', dir],
      ['verify', dir, '--json'],
    ]) {
      const run = await runCli(args);
      assert.equal(run.code, 1, `${what}: ${run.stderr}`);
      const printed = `${run.stdout}${run.stderr}`.replaceAll(dir, '<dir>');
      assert.ok(leaked(printed) <= 3, `${what}: ${args.join(' ')} prints the secret: ${printed}`);
    }
  }
});

test('a JSON syntax error is reported by line and column (in characters) and the one character found', () => {
  const missingComma = good.replace('"bootstrap.sqlite.dump",', '"bootstrap.sqlite.dump"');
  assert.equal(
    parseManifestText(missingComma).error,
    `JSON syntax error at line 3, column 3: expected ',' or '}', found "\\""`,
  );
  assert.equal(
    parseManifestText('{"a": "é€😀" x}').error,
    `JSON syntax error at line 1, column 13: expected ',' or '}', found "x"`,
  );
  const cut = good.slice(0, good.indexOf('"created_at"') + 5);
  assert.equal(
    parseManifestText(cut).error,
    `JSON syntax error at line 8, column 8: expected the closing quote of the string, found the end of the file`,
  );
  assert.equal(
    parseManifestText('{"kind": "a\u001b[31mb"}').error,
    `JSON syntax error at line 1, column 12: expected a control character in a string to be escaped (\\n, \\t, \\u0000…), found "\\u001b"`,
  );
  assert.equal(
    parseManifestText(`${good}\u202e}`).error,
    `JSON syntax error at line 12, column 1: expected the end of the file after the top-level value, found "\\u202e"`,
  );
  assert.equal(
    parseManifestText('').error,
    'JSON syntax error at line 1, column 1: expected a value, found the end of the file',
  );
  assert.equal(parseManifestText(' "text" ').error, 'the top level is a string, not an object');
});

test('a manifest.json over 64 KiB is not parsed; the report says its size', async () => {
  const padded = (bytes: number): string => `${good.slice(0, -2)}${' '.repeat(bytes - good.length)}}\n`;
  assert.equal(Buffer.byteLength(padded(65536)), 65536);
  assert.equal(parseManifestBytes(Buffer.from(padded(65536))).error, undefined, 'exactly 64 KiB is parsed');
  for (const parsed of [parseManifestBytes(Buffer.from(padded(65537))), parseManifestText(padded(65537))]) {
    assert.equal(parsed.object, undefined);
    assert.equal(
      parsed.error,
      'it is 65537 bytes or more; a manifest is well under 1 KiB, so over 65536 is not parsed',
    );
  }
  // Multi-byte characters count as the bytes they are on disk.
  assert.match(`${parseManifestText(`"${'é'.repeat(40000)}"`).error}`, /^it is 80002 bytes or more;/);

  const huge = `{"source_chassis_version": "${TOKEN.repeat(300_000)}"}`;
  const report = await verifySnapshot(artifactWithManifest(huge));
  const row = report.checks.find((check) => check.name === 'manifest');
  assert.ok(row && !row.ok, JSON.stringify(report.checks));
  assert.match(row.actual, /^not valid: it is \d+ bytes or more; a manifest is well under 1 KiB/);
  assert.ok(!JSON.stringify(report.checks).includes(TOKEN.slice(0, 8)));
});

test('a byte order mark or bytes that are not UTF-8 are refused, saying where', () => {
  const bom = parseManifestBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]));
  assert.equal(
    bom.error,
    "it starts with a byte order mark (U+FEFF), which JSON forbids and Go's encoding/json refuses",
  );
  assert.equal(parseManifestText(`\ufeff${good}`).error, bom.error);

  const at = Buffer.from(good).indexOf('"abc"') + 2;
  const bytes = Buffer.from(good);
  bytes[at] = 0xff;
  assert.equal(parseManifestBytes(bytes).error, `it is not UTF-8 text (line 9, near byte ${at})`);
});

/** The check rows of a manifest whose fields are replaced by `fields` (raw JSON text). */
function rowsFor(fields: Record<string, string>): ReturnType<typeof checkFieldShapes>['checks'] {
  let text = good;
  for (const [field, raw] of Object.entries(fields)) {
    const pattern = new RegExp(`"${field}": [^\\n]*?(,?)\\n`);
    text = pattern.test(text)
      ? text.replace(pattern, (_m, comma) => `"${field}": ${raw}${comma}\n`)
      : text.replace('{\n', `{\n  ${JSON.stringify(field)}: ${raw},\n`);
  }
  const parsed = parseManifestText(text);
  assert.equal(parsed.error, undefined);
  return checkFieldShapes(parsed).checks;
}

const row = (checks: ReturnType<typeof rowsFor>, name: string) => {
  const found = checks.find((check) => check.name === name);
  assert.ok(found, `a row named ${name} in ${JSON.stringify(checks)}`);
  return found;
};

test('a value shown in a check row is escaped and at most about 100 characters, however long it is', () => {
  const long = 'x'.repeat(20_000);
  const checks = rowsFor({
    kind: JSON.stringify(`${TOKEN}${long}`),
    source_chassis_version: JSON.stringify(long),
    db_migration_version: JSON.stringify('4\n::error::forged\u001b[31m\u2028'),
    control_version: '1'.repeat(5000),
  });
  for (const check of checks) {
    assert.ok(check.actual.length <= 110, `${check.name}: ${check.actual.length} characters shown`);
    const raw = [...check.actual].filter((char) => char < ' ' || char === '\u2028');
    assert.deepEqual(raw, [], `${check.name}: raw control characters`);
  }
  assert.equal(row(checks, 'kind').ok, false);
  assert.equal(row(checks, 'source_chassis_version').ok, true, 'a long string is still a string');
  assert.equal(row(checks, 'db_migration_version').actual, '"4\\n::error::forged\\u001b[31m\\u2028"');
  assert.match(row(checks, 'control_version').actual, /^1{40}… \(5000 characters\) \(out of range\)$/);
});

test('an unknown key is named short and escaped, its value never shown; a case variant says what Go would do', () => {
  const longKey = `k\n${'y'.repeat(500)}`;
  const checks = rowsFor({ [longKey]: JSON.stringify(TOKEN), Checksum: '"sha256:00"', '\u212aind': '"x"' });
  const unknown = checks.find((check) => check.name.startsWith('k\\n'));
  assert.ok(unknown, JSON.stringify(checks.map((check) => check.name)));
  assert.equal(unknown.name, `k\\n${'y'.repeat(38)}…`);
  assert.equal(unknown.actual, 'present: a string');
  assert.ok(!JSON.stringify(checks).includes(TOKEN));
  assert.deepEqual(
    { ...row(checks, 'Checksum') },
    {
      name: 'Checksum',
      ok: false,
      expected: 'no such field: the field is spelled checksum, exactly',
      actual: 'present: Go matches names case-insensitively and would read it as checksum',
      hint: 'Rebuild the artifact with sqlite-snapshot build; do not edit manifest.json by hand.',
    },
  );
  assert.equal(row(checks, '\u212aind').expected, 'no such field: the field is spelled kind, exactly');
});

test('-0, a lone surrogate and null are refused with a reason', () => {
  const checks = rowsFor({ control_version: '-0', source_chassis_version: '"a\\ud800"', db_migration_version: 'null' });
  assert.equal(row(checks, 'control_version').actual, '-0 (write 0)');
  assert.equal(
    row(checks, 'source_chassis_version').actual,
    '"a\ufffd" with a lone surrogate escape such as \\ud800 (Go reads U+FFFD instead)',
  );
  assert.equal(row(checks, 'db_migration_version').actual, 'null');
  assert.ok(checks.filter((check) => !check.ok).length === 3);
});

test('thousands of unknown keys are not thousands of rows', () => {
  const keys = Array.from({ length: 5000 }, (_, i) => `"k${i}":0`).join(', ');
  const parsed = parseManifestText(good.replace('{\n', `{ ${keys},\n`));
  assert.equal(parsed.error, undefined);
  const checks = checkFieldShapes(parsed).checks.filter((check) => !check.ok);
  assert.deepEqual(
    checks.map((check) => check.name),
    [...Array.from({ length: 10 }, (_, i) => `k${i}`), 'more fields'],
  );
  assert.equal(checks.at(-1)!.actual, '4990 more unknown fields, not listed');
});
