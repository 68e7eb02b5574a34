/** Shared by the restore tests: snapshots built or hand-written, manifests for them, and "nothing changed" checks. */
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { DUMP_FILE, MANIFEST_FILE, serializeManifest } from '../../../src/core/format/manifest.ts';
import type { LoadStats } from '../../../src/core/load/loadDump.ts';
import { loadDumpIntoNewDatabase } from '../../../src/core/load/restoreLoad.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { openDatabase, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import { buildRichFixture, TRICKY_TEXTS } from '../build/dumpFixtures.ts';

/** Writes a valid manifest.json for `dir`/snapshot.sql (checksum of its current bytes, or `checksum`). */
export function writeManifest(dir: string, checksum = sha256File(join(dir, DUMP_FILE))): void {
  const manifest = serializeManifest({
    kind: 'bootstrap.sqlite.dump',
    format: 'sqlite3dump.sql',
    checksum,
    control_model_version: 1n,
    cache_schema_version: 1n,
    control_version: 0n,
    created_at: '2026-01-02T03:04:05Z',
    source_chassis_version: 'test',
    db_migration_version: '',
  });
  writeFileSync(join(dir, MANIFEST_FILE), manifest);
}

/** Loads the dump file at `dumpPath` into the new database `dbPath`, as restore does with its open file. */
export async function loadDumpFile(dumpPath: string, dbPath: string, checksum: string): Promise<LoadStats> {
  const fd = openSync(dumpPath, 'r');
  try {
    return await loadDumpIntoNewDatabase(fd, dumpPath, dbPath, checksum);
  } finally {
    closeSync(fd);
  }
}

/** A snapshot directory holding `dump` (text or bytes) and a manifest whose checksum matches it. */
export function snapshotFromDump(dump: string | Buffer): string {
  const dir = tempDir('restore-snap-');
  writeFileSync(join(dir, DUMP_FILE), dump);
  writeManifest(dir);
  return dir;
}

/** buildSnapshot of `database` into a fresh directory. */
export async function snapshotOf(database: string): Promise<string> {
  const dir = join(tempDir('restore-build-'), 'snap');
  await buildSnapshot({ database, outDir: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } });
  return dir;
}

/** A content fingerprint: the checksum of our canonical dump of the DB. */
export async function fingerprint(database: string): Promise<string> {
  const dir = join(tempDir('restore-fp-'), 'snap');
  return (await buildSnapshot({ database, outDir: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } })).manifest.checksum;
}

/** Every path under `dir` (relative) with its size and content hash: equal listings mean nothing changed. */
export function tree(dir: string): string[] {
  const entries: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const stats = statSync(path);
    entries.push(
      stats.isFile() ? `${relative(dir, path)} ${stats.size} ${sha256File(path)}` : `${relative(dir, path)}/`,
    );
  }
  return entries.sort();
}

/** The restore's temp dirs next to a target (docs/format.md §4: made with mkdtemp, swept by a later run). */
export const restoreDirs = (dir: string): string[] =>
  readdirSync(dir).filter((name) => name.startsWith('.sqlite-snapshot-restore-'));

/** A populated target DB (one table with rows), so only `force` may replace it. */
export async function makePopulatedTarget(path: string, rows = 3): Promise<void> {
  const db = await openDatabase(path);
  db.exec('CREATE TABLE app_state (k TEXT PRIMARY KEY, v TEXT)');
  const insert = db.prepare('INSERT INTO app_state VALUES (?, ?)');
  for (let i = 0; i < rows; i++) insert.run(`key-${i}`, `old value ${i}`);
  db.close();
}

/** A fresh directory holding a populated `app.db` (makePopulatedTarget): its path, its bytes and the directory. */
export async function populated(): Promise<{ dir: string; target: string; bytes: Buffer }> {
  const dir = tempDir('restore-target-');
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target);
  return { dir, target, bytes: readFileSync(target) };
}

/** Awaits a promise that must reject with a SnapshotError of one of `kinds`; returns the error. */
export async function expectRefusal(
  promise: Promise<unknown>,
  kinds: string | string[],
  message?: RegExp,
): Promise<SnapshotError> {
  const accepted = Array.isArray(kinds) ? kinds : [kinds];
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  assert.ok(outcome !== undefined, `expected a ${accepted.join('/')} refusal, but it succeeded`);
  assert.ok(outcome instanceof SnapshotError, `expected a SnapshotError, got ${(outcome as Error).stack}`);
  assert.ok(accepted.includes(outcome.kind), `kind ${outcome.kind} (wanted ${accepted.join('/')}): ${outcome.message}`);
  if (message) assert.match(outcome.message, message);
  return outcome;
}

/** Asserts `path` holds exactly `bytes` and has no sidecar or backup next to it. */
export function assertUntouched(path: string, bytes: Buffer): void {
  assert.ok(readFileSync(path).equals(bytes), `${path} changed`);
  for (const suffix of ['-wal', '-journal', '-shm'])
    assert.ok(!existsSync(`${path}${suffix}`), `${path}${suffix} left`);
}

/**
 * The rich corpus minus what the sqlite3 3.40 CLI cannot write in a dump (TEXT with NUL or invalid
 * UTF-8, -0.0, user_version), plus ANALYZE so its dump carries `ANALYZE sqlite_schema` and sqlite_stat1 rows.
 */
export async function buildCliCorpus(path: string): Promise<void> {
  await buildRichFixture(path);
  const firstRaw = TRICKY_TEXTS.length + 1;
  sqlite3(
    path,
    `DELETE FROM texts WHERE id >= ${firstRaw};
     DELETE FROM shadow_all WHERE CAST(substr("_rowid_", 2) AS INTEGER) >= 12; -- the raw texts (see buildRichFixture)
     UPDATE reals SET v = 0.0 WHERE id = 1;
     UPDATE mixed SET r = 0.0 WHERE id = 1;
     PRAGMA user_version = 0;
     ANALYZE;`,
  );
}

/**
 * A tiny snapshot with an index, and a migrate command (the sqlite3 CLI) that re-declares the index
 * over another column: its entries no longer match its table, which only the full integrity_check
 * sees (quick_check reads no index against its table).
 */
export function snapshotWithIndexBreakingMigration(): { snapshot: string; migrateCommand: string } {
  const snapshot = snapshotFromDump(
    [
      'PRAGMA foreign_keys=OFF;',
      'BEGIN TRANSACTION;',
      'CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, total INTEGER);',
      'INSERT INTO "orders" VALUES(10,1,100);',
      'INSERT INTO "orders" VALUES(11,2,250);',
      'CREATE INDEX orders_total ON orders(total);',
      'COMMIT;',
      '',
    ].join('\n'),
  );
  const sql =
    "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = 'CREATE INDEX orders_total ON orders(user_id)' WHERE name = 'orders_total';";
  return { snapshot, migrateCommand: `sqlite3 {db} "${sql}"` };
}
