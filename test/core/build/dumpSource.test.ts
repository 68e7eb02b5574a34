/** docs/format.md §2.2 and §2.3 rules 1 and 8: the source DB is never touched; unsupported input fails clearly and leaves nothing. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { type ErrorKind, SnapshotError } from '../../../src/core/shared/errors.ts';
import { fileSha256, openDatabase, tempDir } from '../../helpers.ts';

const sha256 = fileSha256;
const listing = (dir: string): string[] => readdirSync(dir).sort();

async function makeDb(path: string, setup: string, pragmas: string[] = []): Promise<void> {
  const db = await openDatabase(path);
  for (const pragma of pragmas) db.pragma(pragma);
  db.exec(setup);
  db.close();
}

const CONTENT = `CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER);
  INSERT INTO kv VALUES ('alpha', 1), ('beta', 2);
  CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hello');`;

async function assertUntouchedByBuild(path: string): Promise<void> {
  const dir = join(path, '..');
  const before = { hash: sha256(path), files: listing(dir) };
  const result = await buildSnapshot({ database: path, outDir: tempDir('dump-src-out-') });
  assert.equal(sha256(path), before.hash, 'source bytes unchanged');
  assert.deepEqual(listing(dir), before.files, 'no -wal, -shm or -journal appeared next to the source');
  for (const suffix of ['-wal', '-shm', '-journal']) assert.ok(!existsSync(`${path}${suffix}`), suffix);
  // The build really read the content (not an empty or stale copy).
  assert.equal(result.rows, 3);
  const dump = readFileSync(result.dumpPath, 'utf8');
  assert.ok(dump.includes(`INSERT INTO "kv" VALUES('beta',2);`));
  assert.ok(dump.includes(`INSERT INTO "notes" VALUES(1,'hello');`));
}

test('a rollback-journal source DB is left byte-identical, with no sidecar files', async () => {
  const path = join(tempDir('dump-src-'), 'rollback.db');
  await makeDb(path, CONTENT);
  assert.equal(readFileSync(path)[18], 1, 'legacy (rollback journal) format');
  await assertUntouchedByBuild(path);
});

test('a WAL-mode source DB without a -wal file gets no -wal/-shm and stays byte-identical', async () => {
  const path = join(tempDir('dump-src-'), 'wal.db');
  await makeDb(path, CONTENT, ['journal_mode = WAL']);
  const header = readFileSync(path);
  assert.deepEqual([header[18], header[19]], [2, 2], 'WAL mode in the header');
  assert.ok(!existsSync(`${path}-wal`));
  await assertUntouchedByBuild(path);
  await assertUntouchedByBuild(path);
});

test('a DB with a hot journal (crashed writer) is read-only to us: not rolled back, a clear error', async () => {
  const dir = tempDir('dump-src-hot-');
  const live = await openDatabase(join(dir, 'live.db'));
  live.pragma('cache_size = 2'); // so the open transaction spills pages into the DB file
  live.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
      INSERT INTO t SELECT i, printf('%0100d', i) FROM n;
    BEGIN; UPDATE t SET v = v || 'x';`);
  // A copy taken mid-transaction is what a kill -9 leaves: a half-written DB and a hot journal.
  const path = join(dir, 'crashed.db');
  writeFileSync(path, readFileSync(join(dir, 'live.db')));
  writeFileSync(`${path}-journal`, readFileSync(join(dir, 'live.db-journal')));
  live.exec('ROLLBACK');
  live.close();
  const hashes = [sha256(path), sha256(`${path}-journal`)];
  const outDir = tempDir('dump-src-hot-out-');
  await expectFailure({ name: 'hot journal', kind: 'io', make: async () => path, mentions: [] }, path, outDir);
  assert.deepEqual([sha256(path), sha256(`${path}-journal`)], hashes, 'neither rolled back nor deleted');
  assert.deepEqual(listing(outDir), []);
});

interface FailureCase {
  name: string;
  kind: ErrorKind;
  /** Creates the bad input in `dir`; returns the path to pass as the database. */
  make(dir: string): Promise<string>;
  /** Texts the message must contain besides the path. */
  mentions: (string | RegExp)[];
}

const FAILURES: FailureCase[] = [
  {
    name: 'a virtual table (fts5)',
    kind: 'unsupported',
    make: async (dir) => {
      const path = join(dir, 'fts.db');
      await makeDb(
        path,
        `${CONTENT} CREATE VIRTUAL TABLE docs_fts USING fts5(body);
        INSERT INTO docs_fts VALUES ('searchable text');`,
      );
      return path;
    },
    mentions: ['docs_fts', /virtual/i],
  },
  {
    name: 'a UTF-16 database',
    kind: 'unsupported',
    make: async (dir) => {
      const path = join(dir, 'utf16.db');
      await makeDb(path, CONTENT, ["encoding = 'UTF-16le'"]);
      return path;
    },
    mentions: [/UTF-16/i],
  },
  {
    name: 'a text file',
    kind: 'io',
    make: async (dir) => {
      const path = join(dir, 'notes.txt');
      writeFileSync(path, 'this is not a database\n'.repeat(100));
      return path;
    },
    mentions: [/not a SQLite database/i],
  },
  {
    name: 'a missing path',
    kind: 'io',
    make: async (dir) => join(dir, 'nope', 'missing.db'),
    mentions: [/not found/i],
  },
  {
    name: 'a directory',
    kind: 'io',
    make: async (dir) => {
      const path = join(dir, 'a-directory.db');
      mkdirSync(path);
      return path;
    },
    mentions: [/directory/i],
  },
];

async function expectFailure(failure: FailureCase, database: string, outDir: string): Promise<void> {
  await assert.rejects(buildSnapshot({ database, outDir }), (error: unknown) => {
    assert.ok(error instanceof SnapshotError, `a SnapshotError, got ${String(error)}`);
    assert.equal(error.kind, failure.kind);
    assert.ok(error.message.includes(database), `message names the file: ${error.message}`);
    for (const mention of failure.mentions) {
      if (typeof mention === 'string') assert.ok(error.message.includes(mention), `${mention} in: ${error.message}`);
      else assert.match(error.message, mention);
    }
    return true;
  });
}

for (const failure of FAILURES) {
  test(`${failure.name}: a clear SnapshotError, nothing left in the output dir, old snapshot kept`, async () => {
    const dir = tempDir('dump-fail-');
    const database = await failure.make(dir);
    const sourceFiles = listing(dir);
    const sourceHash = existsSync(database) && !database.endsWith('directory.db') ? sha256(database) : undefined;

    const empty = join(dir, 'out-empty');
    mkdirSync(empty);
    await expectFailure(failure, database, empty);
    assert.deepEqual(listing(empty), [], 'no snapshot, manifest or temp file left');

    const absent = join(dir, 'out-absent');
    await expectFailure(failure, database, absent);
    assert.ok(!existsSync(absent) || listing(absent).length === 0, 'nothing left where the output dir was to be');

    const previous = join(dir, 'out-previous');
    mkdirSync(previous);
    writeFileSync(join(previous, 'snapshot.sql'), 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCOMMIT;\n');
    writeFileSync(join(previous, 'manifest.json'), '{"kind":"bootstrap.sqlite.dump","previous":true}\n');
    const hashes = [sha256(join(previous, 'snapshot.sql')), sha256(join(previous, 'manifest.json'))];
    await expectFailure(failure, database, previous);
    assert.deepEqual(listing(previous), ['manifest.json', 'snapshot.sql']);
    assert.deepEqual([sha256(join(previous, 'snapshot.sql')), sha256(join(previous, 'manifest.json'))], hashes);

    assert.deepEqual(
      listing(dir),
      [...sourceFiles, 'out-empty', 'out-previous', ...(existsSync(absent) ? ['out-absent'] : [])].sort(),
    );
    if (sourceHash) assert.equal(sha256(database), sourceHash, 'the failing source is untouched too');
  });
}
