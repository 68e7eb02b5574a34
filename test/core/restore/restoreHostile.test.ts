/**
 * docs/format.md §4.2: a dump whose checksum is right but which holds statements a dump never
 * contains is refused with the offending line, before anything is created or replaced.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { restoreSnapshot } from '../../../src/core/restore/restore.ts';
import { openDatabase, tempDir } from '../../helpers.ts';
import {
  assertUntouched,
  expectRefusal,
  makePopulatedTarget,
  restoreDirs,
  snapshotFromDump,
  snapshotOf,
  tree,
} from './restoreFixtures.ts';

let lines: string[] = [];
/** 0-based index of the first row line, and of one past the first 1 MiB read of the loader. */
let firstRow = 0;
let deepRow = 0;
/** Where hostile statements try to leave marks. */
let outside = '';

before(async () => {
  const source = join(tempDir('hostile-src-'), 'source.db');
  const db = await openDatabase(source);
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, -- the key; a comment line
      v TEXT,
      note TEXT);
    CREATE INDEX t_v ON t (v);`);
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= 20000; i++)
      insert.run(i, `row ${i} ${'ü'.repeat(i % 7)} ${'x'.repeat(40)}`, i % 97 ? null : 'a\nb');
  })();
  db.close();
  const text = readFileSync(join(await snapshotOf(source), 'snapshot.sql'), 'utf8');
  lines = text.split('\n');
  firstRow = lines.findIndex((line) => line.startsWith('INSERT INTO "t"'));
  assert.equal(firstRow, 5, 'the CREATE TABLE spans lines 3-5, so lines and statements differ');
  let bytes = 0;
  deepRow = lines.findIndex((line) => {
    bytes += Buffer.byteLength(line) + 1;
    return bytes > 1.2 * (1 << 20);
  });
  assert.ok(lines[deepRow]!.startsWith('INSERT INTO "t"') && text.length > 1.3 * (1 << 20));
  outside = tempDir('hostile-outside-');
});

interface Hostile {
  name: string;
  statement: (dir: string) => string;
  /** Files the statement would create if it ran. */
  marks?: (dir: string) => string[];
}

const HOSTILE: Hostile[] = [
  {
    name: 'ATTACH',
    statement: (dir) => `ATTACH DATABASE '${dir}/attached.db' AS evil;`,
    marks: (dir) => [`${dir}/attached.db`],
  },
  { name: 'DETACH', statement: () => 'DETACH DATABASE main;' },
  { name: 'VACUUM INTO', statement: (dir) => `VACUUM INTO '${dir}/copy.db';`, marks: (dir) => [`${dir}/copy.db`] },
  { name: 'PRAGMA writable_schema', statement: () => 'PRAGMA writable_schema=ON;' },
  { name: 'PRAGMA journal_mode', statement: () => 'PRAGMA journal_mode=WAL;' },
  {
    name: 'load_extension in VALUES',
    statement: () => `INSERT INTO "t" VALUES(999999,load_extension('/tmp/x.so'),NULL);`,
  },
  { name: 'load_extension in a view', statement: () => `CREATE VIEW ev AS SELECT load_extension('/tmp/x.so') AS x;` },
  { name: 'a dot-command', statement: (dir) => `.shell touch ${dir}/pwned`, marks: (dir) => [`${dir}/pwned`] },
  { name: 'SELECT', statement: () => 'SELECT count(*) FROM "t";' },
  { name: 'UPDATE', statement: () => `UPDATE "t" SET v = 'pwned';` },
  { name: 'DROP', statement: () => 'DROP TABLE "t";' },
  { name: 'a schema-qualified name', statement: () => 'CREATE TABLE main.evil (a);' },
  { name: 'INSERT into a schema-qualified table', statement: () => `INSERT INTO temp.t VALUES(1,'x',NULL);` },
];

async function target(): Promise<{ path: string; bytes: Buffer; dir: string }> {
  const dir = tempDir('hostile-target-');
  const path = join(dir, 'app.db');
  await makePopulatedTarget(path);
  return { path, bytes: readFileSync(path), dir };
}

/** Runs a refused restore and checks it left no trace anywhere it could write. */
async function refusedWithoutTrace(
  dump: string | Buffer,
  kinds: string | string[],
  message: RegExp,
  marks: string[] = [],
) {
  const snapshot = snapshotFromDump(dump);
  const { path, bytes, dir } = await target();
  const [targetBefore, snapshotBefore, outsideBefore] = [tree(dir), tree(snapshot), tree(outside)];
  const error = await expectRefusal(
    restoreSnapshot({ snapshotDir: snapshot, target: path, force: true }),
    kinds,
    message,
  );
  assertUntouched(path, bytes);
  assert.deepEqual(tree(dir), targetBefore, 'nothing created next to the target (no temp dir, no backup)');
  assert.deepEqual(restoreDirs(dir), []);
  assert.deepEqual(tree(snapshot), snapshotBefore);
  assert.deepEqual(tree(outside), outsideBefore);
  for (const mark of marks) assert.ok(!existsSync(mark), `${mark} was created`);
  // The same statement against an absent target: still nothing created.
  const absent = join(tempDir('hostile-absent-'), 'new.db');
  await expectRefusal(restoreSnapshot({ snapshotDir: snapshot, target: absent }), kinds, message);
  assert.ok(!existsSync(absent));
  assert.deepEqual(tree(join(absent, '..')), []);
  return error;
}

for (const hostile of HOSTILE) {
  test(`${hostile.name}: refused as hostile with its line number, and nothing is created or replaced`, async () => {
    for (const at of [firstRow, deepRow]) {
      const edited = [...lines];
      edited.splice(at, 0, hostile.statement(outside));
      const error = await refusedWithoutTrace(
        edited.join('\n'),
        'hostile',
        new RegExp(`snapshot\\.sql line ${at + 1}: refused`),
        hostile.marks?.(outside),
      );
      assert.ok(error.hint, 'the refusal says what to do');
    }
  });
}

test('a statement after the final COMMIT is refused as hostile with its line number', async () => {
  const commit = lines.lastIndexOf('COMMIT;');
  assert.equal(lines.at(-1), '', 'the dump ends with a newline');
  // Ends with COMMIT;\n again, so only the loader (not the size check) can see it.
  const edited = [...lines.slice(0, commit + 1), `INSERT INTO "t" VALUES(2000001,'late',NULL);`, 'COMMIT;', ''];
  await refusedWithoutTrace(
    edited.join('\n'),
    'hostile',
    new RegExp(`line ${commit + 2}: refused a statement after the final COMMIT`),
  );
  // Appended plainly, the file no longer ends in COMMIT; and verification already refuses it.
  const appended = [...lines.slice(0, commit + 1), `ATTACH '${outside}/late.db' AS late;`, ''];
  await refusedWithoutTrace(appended.join('\n'), ['verification', 'hostile'], /./, [`${outside}/late.db`]);
});

test('a dump that is not valid UTF-8 outside a row literal is refused before anything is created', async () => {
  // Inside a row's string literal such bytes are TEXT that a sqlite3 CLI dump holds raw (foreignUtf8.test.ts).
  const edited = [...lines];
  edited.splice(deepRow, 0, `INSERT INTO "bad \udcff byte" VALUES(3000000,'x',NULL);`);
  const bytes = Buffer.from(edited.join('\n'), 'utf8');
  const at = bytes.indexOf('bad ') + 4;
  bytes.set([0xff], at); // overwrite the first byte of the replacement character's encoding
  await refusedWithoutTrace(bytes, ['hostile', 'invalid', 'truncated'], /UTF-8/);
});
