/** docs/format.md §4 end to end: lossless round trip, CLI and schollz dumps, the loader's re-hash, migrate and sanity steps. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { before, test } from 'node:test';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { openDatabase, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { buildRichFixture, type Content, contentDifferences, readContent } from '../build/dumpFixtures.ts';
import {
  assertUntouched,
  buildCliCorpus,
  expectRefusal,
  fingerprint,
  loadDumpFile,
  populated,
  restoreDirs,
  snapshotFromDump,
  snapshotOf,
  tree,
} from './restoreFixtures.ts';

let small = '';
let smallSnapshot = '';

before(async () => {
  small = join(tempDir('restore-src-'), 'small.db');
  sqlite3(small, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");
  smallSnapshot = await snapshotOf(small);
});

test('round trip: the tricky corpus restores into an absent target exactly, and dumps again byte for byte', async () => {
  const source = join(tempDir('restore-rich-'), 'rich.db');
  await buildRichFixture(source);
  const snapshot = await snapshotOf(source);
  const dir = tempDir('restore-target-');
  const target = join(dir, 'nested-name.db');
  const result = await restoreSnapshot({ snapshotDir: snapshot, target });
  assert.equal(result.target, target);
  assert.equal(result.freshness.fresh, true);
  assert.equal(result.backupPath, undefined);
  assert.equal(result.report.computedChecksum, sha256File(join(snapshot, 'snapshot.sql')));
  assert.ok(result.stats.rows > 100, `rows: ${result.stats.rows}`);
  assert.deepEqual(contentDifferences(await readContent(source), await readContent(target)), []);
  const again = await snapshotOf(target);
  assert.ok(readFileSync(join(again, 'snapshot.sql')).equals(readFileSync(join(snapshot, 'snapshot.sql'))));
  assert.deepEqual(readdirSync(dir), ['nested-name.db'], 'only the target is left: no temp dir, no sidecar');
});

test('a zero-byte target is fresh: replaced without force and without a backup', async () => {
  const dir = tempDir('restore-target-');
  const target = join(dir, 'app.db');
  writeFileSync(target, '');
  const result = await restoreSnapshot({ snapshotDir: smallSnapshot, target });
  assert.equal(result.backupPath, undefined);
  assert.equal(await fingerprint(target), result.report.computedChecksum);
  assert.deepEqual(readdirSync(dir), ['app.db']);
});

test('a dump made by the sqlite3 CLI (.dump) restores to the same content, statistics included', async () => {
  const source = join(tempDir('restore-cli-'), 'cli.db');
  await buildCliCorpus(source);
  const dump = execFileSync('sqlite3', [source, '.dump'], { maxBuffer: 1 << 28 });
  assert.ok(dump.includes('ANALYZE sqlite_schema;') && dump.includes('CREATE TABLE IF NOT EXISTS'));
  const target = join(tempDir('restore-target-'), 'app.db');
  await restoreSnapshot({ snapshotDir: snapshotFromDump(dump), target });
  // .dump carries sqlite_stat1 only; ANALYZE (in the CLI or the loader) makes sqlite_stat4 where SQLite has STAT4.
  const withoutStat4 = (content: Content): Content => ({
    ...content,
    schema: content.schema.filter((row) => !row.includes('"name":"sqlite_stat4"')),
  });
  const [expected, actual] = [withoutStat4(await readContent(source)), withoutStat4(await readContent(target))];
  assert.deepEqual(contentDifferences(expected, actual), []);
  const stats = (path: string) => sqlite3(path, 'SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY 1, 2;');
  assert.ok(stats(source).length > 0);
  assert.equal(stats(target), stats(source));
});

/** A dump as schollz/sqlite3dump writes it: tables by name, quote() values, raw newlines, Inf. */
function schollzDump(inf: string): string {
  return [
    'BEGIN TRANSACTION;',
    'CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, balance REAL, avatar BLOB);',
    "INSERT INTO \"accounts\" VALUES(1,'ann\nsecond line\r\nthird; with a semicolon',1.5,X'00FF10');",
    `INSERT INTO "accounts" VALUES(7,'bob''s',${inf},NULL);`,
    `INSERT INTO "accounts" VALUES(8,'carol',-${inf},X'');`,
    'DELETE FROM "sqlite_sequence";',
    `INSERT INTO "sqlite_sequence" VALUES('accounts',42);`,
    'CREATE TABLE tags (name TEXT PRIMARY KEY, weight) WITHOUT ROWID;',
    `INSERT INTO "tags" VALUES('a',-9223372036854775808);`,
    `INSERT INTO "tags" VALUES('b',1.0e+300);`,
    `INSERT INTO "tags" VALUES('c',0.1);`,
    'CREATE INDEX accounts_name ON accounts(name);',
    'CREATE VIEW rich AS SELECT name FROM accounts WHERE balance > 1;',
    'COMMIT;',
    '',
  ].join('\n');
}

test('a schollz/sqlite3dump dump loads to the content sqlite3 gives it (Inf read as infinity)', async () => {
  // SQLite's own parser is the reference (the sqlite3 shell would drop the CR before a raw newline).
  const expected = join(tempDir('restore-schollz-'), 'expected.db');
  const reference = await openDatabase(expected);
  reference.exec(schollzDump('1e999'));
  reference.close();
  const snapshot = snapshotFromDump(schollzDump('Inf'));
  const loaded = join(tempDir('restore-schollz-'), 'loaded.db');
  const checksum = sha256File(join(snapshot, 'snapshot.sql'));
  const stats = await loadDumpFile(join(snapshot, 'snapshot.sql'), loaded, checksum);
  assert.equal(stats.checksum, checksum);
  assert.deepEqual(contentDifferences(await readContent(expected), await readContent(loaded)), []);
  assert.equal(sqlite3(loaded, "SELECT seq FROM sqlite_sequence WHERE name = 'accounts';").trim(), '42');
});

test('restore accepts a schollz/sqlite3dump snapshot, which has no PRAGMA header', async () => {
  const target = join(tempDir('restore-target-'), 'app.db');
  await restoreSnapshot({ snapshotDir: snapshotFromDump(schollzDump('Inf')), target });
  const infinite = 'SELECT (SELECT count(*) FROM accounts), (SELECT balance = 1e999 FROM accounts WHERE id = 7);';
  assert.equal(sqlite3(target, infinite).trim(), '3|1');
  assert.equal(sqlite3(target, "SELECT typeof(weight) FROM tags WHERE name = 'a';").trim(), 'integer');
});

test('the loader re-hashes the file: bytes that are not the verified checksum are refused (TOCTOU)', async () => {
  const dump = join(smallSnapshot, 'snapshot.sql');
  const dir = tempDir('restore-toctou-');
  const wrong = `sha256:${'0'.repeat(64)}`;
  const error = await expectRefusal(
    loadDumpFile(dump, join(dir, 'a.db'), wrong),
    'verification',
    /changed after it was verified/,
  );
  assert.ok(error.message.includes(sha256File(dump)), 'the message shows the checksum it found');
  const good = await loadDumpFile(dump, join(dir, 'b.db'), sha256File(dump));
  assert.equal(good.checksum, sha256File(dump));
  assert.equal(sqlite3(join(dir, 'b.db'), 'SELECT group_concat(v) FROM t;').trim(), 'one,two');
});

test('migrate-command gets the temp DB in SNAPSHOT_DB and {db}, and what it adds reaches the target', async () => {
  const dir = tempDir('restore-target-');
  const target = join(dir, 'app.db');
  const seen = join(tempDir('restore-seen-'), 'seen.txt');
  const migrateCommand =
    `printf '%s\\n%s\\n' "$SNAPSHOT_DB" {db} > '${seen}' && ` +
    `sqlite3 {db} "CREATE TABLE migrated (v INTEGER); INSERT INTO migrated VALUES (42);"`;
  await restoreSnapshot({
    snapshotDir: smallSnapshot,
    target,
    migrateCommand,
    requireTables: ['migrated', 't'],
    checkSql: 'SELECT v = 42 FROM migrated',
  });
  const [fromEnv, fromPlaceholder] = readFileSync(seen, 'utf8').trim().split('\n');
  assert.equal(fromEnv, fromPlaceholder);
  assert.equal(dirname(dirname(fromEnv!)), dir, 'the temp DB is next to the target');
  assert.match(basename(dirname(fromEnv!)), /^\.sqlite-snapshot-restore-/);
  assert.ok(!existsSync(dirname(fromEnv!)), 'its directory is removed');
  assert.equal(sqlite3(target, 'SELECT v FROM migrated; SELECT count(*) FROM t;'), '42\n2\n');
  assert.deepEqual(readdirSync(dir), ['app.db']);
});

test('a failing migrate-command shows its exit code and output; the target and its directory are untouched', async () => {
  const { target, bytes, dir } = await populated();
  const before = tree(dir);
  const error = await expectRefusal(
    restoreSnapshot({
      snapshotDir: smallSnapshot,
      target,
      force: true,
      migrateCommand: 'echo "applying 0042_colour"; echo "0042_colour failed: no such column: colour" >&2; exit 3',
    }),
    'invalid',
    /exited with 3/,
  );
  assert.match(error.message, /0042_colour failed: no such column: colour/);
  assert.match(error.message, /applying 0042_colour/);
  assertUntouched(target, bytes);
  assert.deepEqual(tree(dir), before);
});

test('sanity: a missing required table or a falsy check query refuses; the target is untouched', async () => {
  const { target, bytes, dir } = await populated();
  const before = tree(dir);
  const missing = await expectRefusal(
    restoreSnapshot({ snapshotDir: smallSnapshot, target, force: true, requireTables: ['t', 'app_users'] }),
    'sanity',
  );
  assert.match(missing.message, /"app_users"/);
  assert.doesNotMatch(missing.message, /"t"/);
  const falsy = await expectRefusal(
    restoreSnapshot({
      snapshotDir: smallSnapshot,
      target,
      force: true,
      checkSql: 'SELECT count(*) FROM t WHERE v = 3',
    }),
    'sanity',
  );
  assert.match(falsy.message, /returned 0/);
  assertUntouched(target, bytes);
  assert.deepEqual(tree(dir), before);
  assert.deepEqual(restoreDirs(dir), []);
  // The same checks, satisfied, let the restore through (so the refusals above were the checks' doing).
  await restoreSnapshot({
    snapshotDir: smallSnapshot,
    target,
    force: true,
    requireTables: ['t'],
    checkSql: 'SELECT 1',
  });
  const db = await openDatabase(target, { readonly: true });
  assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 2);
  db.close();
});
