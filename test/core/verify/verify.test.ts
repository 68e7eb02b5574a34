/** verify (docs/format.md §3): every check runs, every failure is named with expected, actual and a hint. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { type VerifyExpectations, type VerifyReport, verifySnapshot } from '../../../src/core/verify/verify.ts';
import { copyDir, sqlite3, tempDir } from '../../helpers.ts';

// The nine manifest fields in docs/format.md §1 order.
const FIELDS = (
  'kind format checksum control_model_version cache_schema_version control_version created_at ' +
  'source_chassis_version db_migration_version'
).split(' ');
type Entries = [string, string][];

let goodDir = '';
let goodEntries: Entries = [];

before(async () => {
  const dir = tempDir();
  const db = join(dir, 'fixture.db');
  const rows = Array.from({ length: 200 }, (_, i) => `(${i}, 'row ${i}', ${i}.5)`).join(',');
  sqlite3(db, `CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL); INSERT INTO t VALUES ${rows};`);
  goodDir = join(dir, 'good');
  await buildSnapshot({
    database: db,
    outDir: goodDir,
    controlModelVersion: 2n,
    cacheSchemaVersion: 3n,
    controlVersion: 18446744073709551615n,
    dbMigrationVersion: '20260101120000',
    sourceVersion: 'abc',
    env: { SOURCE_DATE_EPOCH: '1700000000' },
  });
  // Raw `"key": value` pairs of the good manifest, so tampering can work on the text.
  goodEntries = readFileSync(join(goodDir, 'manifest.json'), 'utf8')
    .split('\n')
    .flatMap((line): Entries => {
      const match = /^ {2}"([^"]+)": (.*?),?$/.exec(line);
      return match ? [[match[1]!, match[2]!]] : [];
    });
  assert.deepEqual(
    goodEntries.map(([key]) => key),
    FIELDS,
  );
});

const manifestText = (entries: Entries): string =>
  `{\n${entries.map(([key, raw]) => `  ${JSON.stringify(key)}: ${raw}`).join(',\n')}\n}\n`;

/** A copy of the good artifact, with the manifest entries and/or the dump bytes changed. */
function artifact(change: { entries?: (e: Entries) => Entries; dump?: (b: Buffer) => Buffer } = {}): string {
  const dir = copyDir(goodDir);
  if (change.entries) writeFileSync(join(dir, 'manifest.json'), manifestText(change.entries(goodEntries.slice())));
  if (change.dump) writeFileSync(join(dir, 'snapshot.sql'), change.dump(readFileSync(join(dir, 'snapshot.sql'))));
  return dir;
}

const setField = (field: string, raw: string) => (entries: Entries) =>
  entries.map(([key, value]): [string, string] => [key, key === field ? raw : value]);
const raw = (field: string): string => goodEntries.find(([key]) => key === field)![1];

/** The failing checks, each required to carry expected, actual and a hint. */
function failures(report: VerifyReport): string[] {
  const failed = report.checks.filter((check) => !check.ok);
  for (const check of failed) {
    for (const part of ['expected', 'actual', 'hint'] as const) {
      assert.equal(typeof check[part], 'string', `${check.name}.${part}`);
      assert.ok((check[part] as string).length > 0, `${check.name}.${part} is empty`);
    }
  }
  assert.equal(report.ok, failed.length === 0);
  return failed.map((check) => check.name).sort();
}

async function failing(dir: string, expect: VerifyExpectations = {}): Promise<string[]> {
  return failures(await verifySnapshot(dir, expect));
}

test('a good artifact passes with every check ok', async () => {
  const report = await verifySnapshot(artifact());
  assert.equal(report.ok, true);
  assert.deepEqual(failures(report), []);
  const names = new Set(report.checks.map((check) => check.name));
  for (const name of [...FIELDS, 'size']) assert.ok(names.has(name), `check ${name} is reported`);
  const dump = readFileSync(join(goodDir, 'snapshot.sql'));
  assert.equal(report.computedChecksum, `sha256:${createHash('sha256').update(dump).digest('hex')}`);
  assert.equal(report.dumpBytes, dump.length);
  assert.equal(report.manifest.control_version, 18446744073709551615n);
});

test('one changed byte in snapshot.sql fails the checksum, naming both values', async () => {
  let tampered: Buffer = Buffer.alloc(0);
  const dir = artifact({
    dump: (bytes) => {
      const middle = bytes.indexOf('row 100');
      assert.ok(middle > 0);
      bytes[middle + 4] = '7'.charCodeAt(0);
      tampered = bytes;
      return bytes;
    },
  });
  const report = await verifySnapshot(dir);
  assert.deepEqual(failures(report), ['checksum']);
  const check = report.checks.find((c) => c.name === 'checksum' && !c.ok)!;
  const expectedHex = createHash('sha256').update(tampered).digest('hex');
  assert.ok(`${check.expected} ${check.actual}`.includes(expectedHex), 'the computed checksum is shown');
  assert.ok(`${check.expected} ${check.actual}`.includes(JSON.parse(raw('checksum'))), 'the manifest value is shown');
});

test('a checksum in uppercase hex or without the sha256: prefix is rejected', async () => {
  const hex = (JSON.parse(raw('checksum')) as string).slice('sha256:'.length);
  for (const value of [`sha256:${hex.toUpperCase()}`, hex, `SHA256:${hex}`, `sha256:${hex}0`, `sha512:${hex}`]) {
    assert.deepEqual(await failing(artifact({ entries: setField('checksum', JSON.stringify(value)) })), ['checksum']);
  }
});

test('each of the nine fields, when missing, is named', async () => {
  for (const field of FIELDS) {
    const names = await failing(artifact({ entries: (e) => e.filter(([key]) => key !== field) }));
    assert.deepEqual(names, [field], `missing ${field}`);
  }
});

test('a field with the wrong JSON type is named', async () => {
  const cases: [string, string][] = [
    ['control_version', '"5"'],
    ['kind', '5'],
    ['control_model_version', '1.5'],
    ['control_model_version', '2.0'],
    ['cache_schema_version', '"3"'],
    ['cache_schema_version', 'null'],
    ['format', '["sqlite3dump.sql"]'],
    ['created_at', '1700000000'],
    ['source_chassis_version', '{}'],
    ['db_migration_version', '20260101120000'],
    ['checksum', 'true'],
  ];
  for (const [field, value] of cases) {
    const names = await failing(artifact({ entries: setField(field, value) }));
    assert.deepEqual(names, [field], `${field}: ${value}`);
  }
});

test('a duplicated field is named even when both copies agree', async () => {
  const dir = artifact({ entries: (e) => [['kind', raw('kind')], ...e] });
  assert.equal((readFileSync(join(dir, 'manifest.json'), 'utf8').match(/"kind"/g) ?? []).length, 2);
  assert.deepEqual(await failing(dir), ['kind']);
  // The same key spelled with a JSON escape is still the same key to every JSON reader.
  const escaped = artifact();
  const path = join(escaped, 'manifest.json');
  writeFileSync(path, readFileSync(path, 'utf8').replace('{\n', '{\n  "kin\\u0064": "other",\n'));
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).kind, 'bootstrap.sqlite.dump', 'both spell "kind"');
  assert.deepEqual(await failing(escaped), ['kind']);
});

test('an unknown extra field is named', async () => {
  const dir = artifact({ entries: (e) => [...e, ['signature', '"trust me"']] });
  assert.deepEqual(await failing(dir), ['signature']);
});

test('a wrong kind or format is rejected, showing the value found', async () => {
  for (const [field, value] of [
    ['kind', 'bootstrap.sqlite.dumpx'],
    ['kind', 'Bootstrap.sqlite.dump'],
    ['format', 'sqlite3dump.sql.gz'],
    ['format', ''],
  ] as const) {
    const report = await verifySnapshot(artifact({ entries: setField(field, JSON.stringify(value)) }));
    assert.deepEqual(failures(report), [field], `${field}=${value}`);
    assert.ok(report.checks.find((c) => c.name === field && !c.ok)!.actual.includes(JSON.stringify(value)));
  }
});

test('created_at that is not RFC 3339 UTC with seconds is rejected (and never crashes verify)', async () => {
  const badForm = ['2026-11-27 04:05:34', '2026-11-27T04:05:34', '2026-11-27T04:05:34.123Z', 'yesterday', ''];
  const notUtcOrNoSuchDay = ['2026-11-27T04:05:34+02:00', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z'];
  for (const value of [...badForm, ...notUtcOrNoSuchDay]) {
    const names = await failing(artifact({ entries: setField('created_at', JSON.stringify(value)) })).catch(
      (error: unknown) => assert.fail(`created_at ${JSON.stringify(value)} crashed verify: ${error}`),
    );
    assert.deepEqual(names, ['created_at'], value);
  }
});

test('control_version above 2^64-1 or negative is rejected; 2^64-1 itself is accepted', async () => {
  for (const value of ['18446744073709551616', '-1', '1e3', '99999999999999999999999']) {
    assert.deepEqual(await failing(artifact({ entries: setField('control_version', value) })), ['control_version']);
  }
  const report = await verifySnapshot(artifact({ entries: setField('control_version', '18446744073709551615') }));
  assert.equal(report.ok, true);
  assert.equal(report.manifest.control_version, 2n ** 64n - 1n);
});

test('control_model_version and cache_schema_version against an exact value or a list', async () => {
  // The artifact has control_model_version 2 and cache_schema_version 3.
  const dir = artifact();
  assert.deepEqual(await failing(dir, { controlModelVersions: [2n], cacheSchemaVersions: [3n] }), []);
  assert.deepEqual(await failing(dir, { controlModelVersions: [1n, 2n], cacheSchemaVersions: [3n, 4n] }), []);
  const report = await verifySnapshot(dir, { controlModelVersions: [1n], cacheSchemaVersions: [4n, 5n] });
  assert.deepEqual(failures(report), ['cache_schema_version', 'control_model_version']);
  const model = report.checks.find((c) => c.name === 'control_model_version')!;
  assert.match(model.expected, /\b1\b/);
  assert.equal(model.actual, '2');
  const cache = report.checks.find((c) => c.name === 'cache_schema_version')!;
  assert.match(cache.expected, /\b4\b.*\b5\b/);
  assert.equal(cache.actual, '3');
});

test('db_migration_version is compared when expected', async () => {
  const dir = artifact();
  assert.deepEqual(await failing(dir, { dbMigrationVersion: '20260101120000' }), []);
  const report = await verifySnapshot(dir, { dbMigrationVersion: '20260202000000' });
  assert.deepEqual(failures(report), ['db_migration_version']);
  const check = report.checks.find((c) => c.name === 'db_migration_version')!;
  assert.ok(check.expected.includes('20260202000000') && check.actual.includes('20260101120000'));
});

test('a minimum control_version is compared exactly above 2^53', async () => {
  // The artifact's control_version is 2^64-1.
  const dir = artifact();
  assert.deepEqual(await failing(dir, { minControlVersion: 18446744073709551615n }), []);
  const lower = setField('control_version', '9007199254740993');
  const older = artifact({ entries: lower });
  assert.deepEqual(await failing(older, { minControlVersion: 9007199254740993n }), []);
  const report = await verifySnapshot(older, { minControlVersion: 9007199254740994n });
  assert.deepEqual(failures(report), ['control_version']);
  const check = report.checks.find((c) => c.name === 'control_version' && !c.ok)!;
  assert.equal(check.expected, '>= 9007199254740994');
  assert.equal(check.actual, '9007199254740993');
});

test('several failures at once are all reported together', async () => {
  const dir = artifact({
    entries: (e) => [
      ...setField('created_at', '"now"')(setField('kind', '"other.kind"')(e)).filter(([key]) => key !== 'format'),
      ['extra', '1'],
    ],
    dump: (bytes) => Buffer.concat([bytes, Buffer.from('DROP TABLE t;\n')]),
  });
  const names = await failing(dir, { controlModelVersions: [9n], dbMigrationVersion: 'x' });
  const expected = 'checksum control_model_version created_at db_migration_version extra format kind size';
  assert.deepEqual(names, expected.split(' '));
});

test('snapshot.sql cut in the middle fails both checksum and size', async () => {
  const dir = artifact({ dump: (bytes) => bytes.subarray(0, Math.floor(bytes.length / 2)) });
  assert.deepEqual(await failing(dir), ['checksum', 'size']);
});

test('a truncated or non-object manifest.json is a "manifest" failure, not a crash', async () => {
  const good = readFileSync(join(goodDir, 'manifest.json'), 'utf8');
  for (const text of [good.slice(0, Math.floor(good.length / 2)), '', '[]', 'null']) {
    const dir = artifact();
    writeFileSync(join(dir, 'manifest.json'), text);
    const names = await failing(dir);
    assert.ok(names.includes('manifest'), `${JSON.stringify(text.slice(0, 20))}: ${names}`);
  }
});

test('a missing directory, manifest or snapshot.sql is an io error naming the path', async () => {
  const cases: [string, string][] = [[join(tempDir(), 'nowhere'), '']];
  for (const file of ['manifest.json', 'snapshot.sql']) {
    const dir = artifact();
    rmSync(join(dir, file));
    cases.push([dir, file]);
  }
  for (const [dir, file] of cases) {
    const path = file ? join(dir, file) : dir;
    await assert.rejects(verifySnapshot(dir), (error: unknown) => {
      assert.ok(error instanceof SnapshotError, String(error));
      assert.equal(error.kind, 'io');
      assert.ok(error.message.includes(path), `${error.message} names ${path}`);
      return true;
    });
  }
});

test('a dump whose line endings became CRLF fails its checksum with a hint that names the line endings', async () => {
  const dir = artifact({ dump: (bytes) => Buffer.from(bytes.toString('latin1').replaceAll('\n', '\r\n'), 'latin1') });
  const report = await verifySnapshot(dir);
  const checksum = report.checks.find((check) => check.name === 'checksum')!;
  const size = report.checks.find((check) => check.name === 'size')!;
  assert.equal(checksum.ok, false);
  for (const check of [checksum, size]) assert.match(check.hint ?? '', /Windows \(CRLF\) line endings.*dos2unix/);
  assert.match(size.actual, /Windows \(CRLF\) line endings/);
  // A plain tampered dump keeps the plain hint.
  const tampered = await verifySnapshot(artifact({ dump: (bytes) => Buffer.concat([bytes.subarray(0, 60), bytes]) }));
  assert.doesNotMatch(tampered.checks.find((check) => check.name === 'checksum')!.hint ?? '', /CRLF/);
});
