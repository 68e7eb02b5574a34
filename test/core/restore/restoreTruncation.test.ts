/**
 * docs/format.md §4: a truncated dump is refused (by verification, or by the loader when the checksum was
 * recomputed for the cut file), a damaged one fails verification; the target is untouched either way.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DUMP_FILE } from '../../../src/core/format/manifest.ts';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { openDatabase, sha256File, tempDir } from '../../helpers.ts';
import {
  assertUntouched,
  expectRefusal,
  fingerprint,
  loadDumpFile,
  makePopulatedTarget,
  restoreDirs,
  snapshotFromDump,
  snapshotOf,
  tree,
} from './restoreFixtures.ts';

let full = Buffer.alloc(0);
let fullSnapshot = '';

before(async () => {
  const source = join(tempDir('trunc-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, -- a comment; with a semicolon
      v TEXT, b BLOB);
    CREATE TABLE log (msg TEXT);
    CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
      INSERT INTO log VALUES ('row; ' || new.id);
    END;
    CREATE VIEW t_view AS SELECT id FROM t WHERE v LIKE '%ü%';`);
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  for (let i = 1; i <= 1500; i++)
    insert.run(i, `row ${i} ünï 😀 ${i % 10 ? '' : 'two\nlines'}`, Buffer.from([i % 256, 0]));
  insert.run(5000, `long: ${'日本語 '.repeat(6000)}end`, null);
  db.close();
  fullSnapshot = await snapshotOf(source);
  full = readFileSync(join(fullSnapshot, DUMP_FILE));
});

/** ~30 cut points: landmarks of the dump's syntax, then evenly spread offsets. */
function cutPoints(): { at: number; what: string }[] {
  const find = (needle: string, from = 0): number => {
    const at = full.indexOf(needle, from);
    assert.ok(at >= 0, needle);
    return at;
  };
  const long = find("'long: ");
  const commit = full.lastIndexOf('COMMIT;');
  const points = [
    { at: 0, what: 'empty file' },
    { at: 1, what: 'one byte' },
    { at: find('BEGIN TRANSACTION;') + 19, what: 'after the header' },
    { at: find('-- a comment') + 5, what: 'inside a comment in CREATE TABLE' },
    { at: find('v TEXT'), what: 'mid CREATE TABLE, after a newline' },
    { at: find('INSERT INTO log VALUES') + 5, what: 'inside a trigger body' },
    { at: find("'row; '") + 3, what: 'inside a string in a trigger body' },
    { at: find('END;') + 3, what: 'trigger body ends, before its ;' },
    { at: find('INSERT INTO "t"') + 4, what: 'mid keyword of the first row' },
    { at: find('INSERT INTO "t"') + 'INSERT INTO "t" VALUES(1,'.length, what: 'after a value' },
    { at: find("X'") + 3, what: 'inside a blob literal' },
    { at: find('char(10)') + 3, what: 'inside replace(…,char(10))' },
    { at: find('ünï') + 1, what: 'inside a two-byte UTF-8 character' },
    { at: find('😀') + 2, what: 'inside a four-byte UTF-8 character' },
    { at: long + 10, what: 'just inside the long string literal' },
    { at: long + 30000, what: 'mid long string literal' },
    { at: find("end'", long) + 3, what: 'just after the long literal closes' },
    { at: find(';\n', long), what: 'before the ; of a row' },
    { at: find(';\n', long) + 1, what: 'after a row, before its newline' },
    { at: find('CREATE VIEW'), what: 'before CREATE VIEW (statement boundary)' },
    { at: commit, what: 'right before COMMIT' },
    { at: commit + 4, what: 'inside COMMIT' },
    { at: commit + 6, what: 'after COMMIT, before its ;' },
  ];
  for (let i = 1; points.length < 31; i++)
    points.push({ at: Math.floor((full.length * i) / 9), what: `offset ${i}/9` });
  return points;
}

async function populated(): Promise<{ target: string; bytes: Buffer; dir: string }> {
  const dir = tempDir('trunc-target-');
  const target = join(dir, 'app.db');
  await makePopulatedTarget(target);
  return { target, bytes: readFileSync(target), dir };
}

async function refusedUntouched(snapshot: string, kinds: string[], why: string): Promise<void> {
  const { target, bytes, dir } = await populated();
  const before = tree(dir);
  await expectRefusal(restoreSnapshot({ snapshotDir: snapshot, target, force: true }), kinds);
  assertUntouched(target, bytes);
  assert.deepEqual(tree(dir), before, why);
  assert.deepEqual(restoreDirs(dir), [], why);
}

test('about 30 truncations are refused, with or without a checksum recomputed for the cut file', async () => {
  const points = cutPoints();
  assert.ok(points.length >= 30);
  const failures: string[] = [];
  const check = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    await run().catch((error: Error) => failures.push(`${what}: ${error.message.split('\n')[0]}`));
  };
  for (const { at, what } of points) {
    const cut = full.subarray(0, at);
    // Checksum recomputed: only the size check or the loader can tell.
    await check(`${what} (recomputed)`, () =>
      refusedUntouched(snapshotFromDump(cut), ['truncated', 'verification'], what),
    );
    // The loader on its own, given the cut file's true checksum, must see the missing COMMIT.
    const dir = tempDir('trunc-load-');
    writeFileSync(join(dir, 'cut.sql'), cut);
    await check(`loader, ${what} at byte ${at}`, () =>
      expectRefusal(
        loadDumpFile(join(dir, 'cut.sql'), join(dir, 'new.db'), sha256File(join(dir, 'cut.sql'))),
        'truncated',
      ),
    );
    // The original manifest: the checksum no longer matches.
    const stale = snapshotFromDump(cut);
    writeFileSync(join(stale, 'manifest.json'), readFileSync(join(fullSnapshot, 'manifest.json')));
    await check(`${what} (stale manifest)`, () => refusedUntouched(stale, ['verification'], what));
  }
  assert.deepEqual(failures, []);
});

test('a cut file that still ends in COMMIT;\\n (checksum recomputed) is caught by the loader as truncated', async () => {
  const long = full.indexOf("'long: ");
  const trigger = full.indexOf('INSERT INTO log VALUES');
  for (const at of [long + 20000, trigger + 10, full.indexOf('INSERT INTO "t"') + 30]) {
    const spliced = Buffer.concat([full.subarray(0, at), Buffer.from('\nCOMMIT;\n')]);
    await refusedUntouched(snapshotFromDump(spliced), ['truncated'], `cut at ${at}, COMMIT appended`);
  }
});

test('the final newline missing: either restored exactly (nothing is missing) or refused, never half done', async () => {
  const snapshot = snapshotFromDump(full.subarray(0, full.length - 1));
  const { target, bytes, dir } = await populated();
  try {
    await restoreSnapshot({ snapshotDir: snapshot, target, force: true, backup: false });
    assert.equal(await fingerprint(target), sha256File(join(fullSnapshot, DUMP_FILE)));
  } catch (error) {
    assert.ok(['verification', 'truncated'].includes((error as { kind?: string }).kind ?? ''), String(error));
    assertUntouched(target, bytes);
  }
  assert.deepEqual(restoreDirs(dir), []);
});

test('single-bit flips at 30 random offsets fail verification; the target is untouched', async () => {
  let seed = 20260127;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 30; i++) {
    const at = Math.floor(random() * full.length);
    const flipped = Buffer.from(full);
    flipped[at]! ^= 1 << Math.floor(random() * 8);
    const snapshot = snapshotFromDump(flipped);
    writeFileSync(join(snapshot, 'manifest.json'), readFileSync(join(fullSnapshot, 'manifest.json')));
    await refusedUntouched(snapshot, ['verification'], `bit flip at ${at}`);
  }
});
