/**
 * The `integrity` choice of the sanity checks: `quick` (PRAGMA quick_check; the restore adds exact
 * row counts, see rowCounts.test.ts) finds page-level damage; `full` (PRAGMA integrity_check) also
 * finds an index that disagrees with its table, which quick_check does not look at. Real SQLite
 * files, damaged the way such damage happens: bytes of a page overwritten, an index whose
 * definition no longer matches what it holds.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { verifyWithRestoreProof } from '../../../src/core/restore/restoreProof.ts';
import { checkSanity, parseIntegrityChoice, type SanityOptions } from '../../../src/core/restore/sanity.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, sqlite3, tempDir } from '../../helpers.ts';
import { expectRefusal, snapshotWithIndexBreakingMigration } from './restoreFixtures.ts';

/** The sanity refusal's message, or undefined when every check passed. */
async function sanityMessage(db: Database, options: SanityOptions): Promise<string | undefined> {
  try {
    await checkSanity(db, options);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof SnapshotError && error.kind === 'sanity', String(error));
    return error.message;
  }
}

/** Two tables, an index on orders(total); the sqlite3 CLI then rewrites the index's definition. */
function mismatchedIndexDb(): string {
  const path = join(tempDir('integrity-index-'), 'restored.db');
  sqlite3(
    path,
    `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
     CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, total INTEGER);
     CREATE INDEX orders_total ON orders(total);
     INSERT INTO users VALUES (1, 'ann'), (2, 'bob');
     INSERT INTO orders VALUES (10, 1, 100), (11, 2, 250);`,
  );
  // Unlike our defensive binding, the CLI can edit sqlite_schema: the index now claims to hold
  // user_id while its b-tree still holds totals, a well-formed file whose index lies.
  sqlite3(
    path,
    `PRAGMA writable_schema = ON;
     UPDATE sqlite_schema SET sql = 'CREATE INDEX orders_total ON orders(user_id)' WHERE name = 'orders_total';`,
  );
  return path;
}

test('quick and full are the choices; anything else is a usage error that names them', () => {
  assert.equal(parseIntegrityChoice('quick'), 'quick');
  assert.equal(parseIntegrityChoice('full'), 'full');
  assert.equal(parseIntegrityChoice(' FULL '), 'full', 'as typed in a workflow input');
  for (const bad of ['fast', '', 'integrity_check', 'quick,full', 'none']) {
    assert.throws(
      () => parseIntegrityChoice(bad),
      (error: unknown) =>
        error instanceof SnapshotError &&
        error.kind === 'usage' &&
        /must be one of quick, full, not "/.test(error.message) &&
        error.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
  // The value is escaped where it is quoted back: no line break reaches a log line.
  assert.throws(
    () => parseIntegrityChoice('full\n::error::forged'),
    (error: unknown) => error instanceof SnapshotError && !error.message.includes('\n'),
  );
});

test('quick finds page-level damage: a leaf page whose cell pointers were overwritten', async () => {
  const path = join(tempDir('integrity-page-'), 'restored.db');
  const db = await openDatabase(path);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= 3000; i++) insert.run(i, `value ${i} ${'x'.repeat(i % 40)}`);
  })();
  // A leaf page of t in the middle of the file, found through SQLite's own page map.
  const page = db
    .prepare("SELECT pageno FROM dbstat WHERE name = 't' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5")
    .pluck()
    .get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  assert.equal(await sanityMessage(await openDatabase(path), { integrity: 'quick' }), undefined, 'sound before');

  const bytes = readFileSync(path);
  bytes.fill(0xee, (page - 1) * pageSize + 8, (page - 1) * pageSize + 40);
  writeFileSync(path, bytes);
  const damaged = await openDatabase(path);
  const message = await sanityMessage(damaged, { integrity: 'quick' });
  assert.match(message ?? 'passed', new RegExp(`PRAGMA quick_check failed: .*page ${page} cell \\d+`));
  // SQLite's multi-line report is one problem line: no raw line break, no "*** in database" heading.
  const problem = message!.split('\n').find((line) => line.includes('quick_check'))!;
  assert.doesNotMatch(problem, /\*\*\* in database/);
  assert.match(problem, /; …$/, 'more messages than shown are marked, not listed');
});

test('full finds an index that disagrees with its table; quick, which reads no index against its table, does not', async () => {
  const db = await openDatabase(mismatchedIndexDb());
  assert.equal(await sanityMessage(db, { integrity: 'quick' }), undefined);
  assert.match(
    (await sanityMessage(db, { integrity: 'full' })) ?? 'passed',
    /PRAGMA integrity_check failed: row 1 missing from index orders_total; row 2 missing from index orders_total/,
  );
  // Alone, with no choice made, checkSanity (which may be handed any database) runs the full check.
  assert.match((await sanityMessage(db, {})) ?? 'passed', /PRAGMA integrity_check failed/);
});

test('restore runs quick by default and the full check when asked', async () => {
  const { snapshot, migrateCommand } = snapshotWithIndexBreakingMigration();
  const quick = join(tempDir('integrity-restore-'), 'app.db');
  await restoreSnapshot({ snapshotDir: snapshot, target: quick, migrateCommand });
  assert.equal(sqlite3(quick, 'SELECT count(*) FROM orders;').trim(), '2', 'restored under the default, quick');

  const full = join(tempDir('integrity-restore-'), 'app.db');
  const error = await expectRefusal(
    restoreSnapshot({ snapshotDir: snapshot, target: full, migrateCommand, integrity: 'full' }),
    'sanity',
    /did not replace the target:\n {2}- PRAGMA integrity_check failed: row 1 missing from index orders_total/,
  );
  assert.ok(error.hint);
});

test('the restore proof runs quick by default and the full check when asked', async () => {
  const { snapshot, migrateCommand } = snapshotWithIndexBreakingMigration();
  const work = tempDir('integrity-proof-');
  const quick = await verifyWithRestoreProof(snapshot, {}, { migrateCommand, workDir: work });
  assert.equal(quick.ok, true, JSON.stringify(quick.checks.at(-1)));
  const full = await verifyWithRestoreProof(snapshot, {}, { migrateCommand, workDir: work, integrity: 'full' });
  assert.equal(full.ok, false);
  const restore = full.checks.find((check) => check.name === 'restore');
  assert.match(restore?.actual ?? '', /PRAGMA integrity_check failed: row 1 missing from index orders_total/);
});
