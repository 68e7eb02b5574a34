/** Parallel dump: any thread count gives the same bytes, from one snapshot, and leaves nothing behind. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type * as WorkerThreads from 'node:worker_threads';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { planDump } from '../../../src/core/build/dump.ts';
import type { Database } from '../../../src/core/sqlite/sqlite.ts';
import { openDatabase, REPO_ROOT, sqlite3, tempDir } from '../../helpers.ts';
import { contentDifferences, readContent, restoreWithCli } from './dumpFixtures.ts';

// Every Worker the product starts is recorded: how many ran, and whether each has exited (threadId -1).
const threadsModule = createRequire(import.meta.url)('node:worker_threads') as { Worker: typeof WorkerThreads.Worker };
const OriginalWorker = threadsModule.Worker;
const started: WorkerThreads.Worker[] = [];
threadsModule.Worker = class extends OriginalWorker {
  constructor(...args: ConstructorParameters<typeof OriginalWorker>) {
    super(...args);
    started.push(this);
  }
};
syncBuiltinESMExports();
// A temp root of this file's own, so that leftovers of a build (private copies of a WAL source) show.
const ownTmp = mkdtempSync(join(tmpdir(), 'par-tmp-'));
process.env.TMPDIR = ownTmp;

const MAX = (1n << 63n) - 1n;
const MIN = -(1n << 63n);
const INVALID = Buffer.from([0xc3, 0x28]);
const WITH_NUL = Buffer.from([0x61, 0x00, 0x62]);
const WR_ORDER = 'a COLLATE NOCASE, b DESC';
/** Positions (in primary-key order) of wr rows whose c is replaced; 4 units of 12500 rows. */
const WR_LOSSY: [number, Buffer][] = [
  [1000, Buffer.from('\uFFFD real U+FFFD')],
  [18000, INVALID],
  [18001, Buffer.from('valid, after the switch')],
  [31000, WITH_NUL],
  [46000, INVALID],
  [47000, WITH_NUL],
];
const LIMIT = { timeout: 60_000 }; // a hung worker fails the test instead of stalling the run

/** Builds a snapshot into a fresh directory; checks that only the two artifacts remain, no thread, no temp file. */
async function build(database: string, threads: number) {
  const outDir = join(tempDir('par-out-'), 'out');
  const first = started.length;
  const tmpBefore = readdirSync(ownTmp);
  const result = await buildSnapshot({ database, outDir, threads, env: { SOURCE_DATE_EPOCH: '1700000000' } });
  const workers = started.slice(first);
  assert.ok(
    workers.every((worker) => worker.threadId === -1),
    'every worker thread has exited',
  );
  assert.deepEqual(readdirSync(outDir).sort(), ['manifest.json', 'snapshot.sql']);
  assert.deepEqual(readdirSync(ownTmp), tmpBefore, 'no private copy or temp file left in the temp dir');
  const bytes = readFileSync(result.dumpPath);
  assert.equal(result.manifest.checksum, `sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  const manifest = readFileSync(result.manifestPath);
  return { bytes, checksum: result.manifest.checksum, manifest, workers: workers.length };
}

/** Compares long lists by their first difference: assert's full diff of 50k lines takes minutes. */
function assertSameList(actual: string[], expected: string[], what: string): void {
  const at = expected.findIndex((item, i) => actual[i] !== item);
  assert.equal(at, -1, `${what}: first difference at ${at}: ${actual[at]} != ${expected[at]}`);
  assert.equal(actual.length, expected.length, `${what}: count`);
}

const linesOf = (dump: Buffer, table: string): string[] =>
  dump
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith(`INSERT INTO "${table}" VALUES(`));

function fill(db: Database, sql: string, count: number, row: (i: number) => unknown[]): void {
  const statement = db.prepare(sql);
  db.transaction(() => {
    for (let i = 0; i < count; i++) statement.run(...row(i));
  })();
}

let big: string;
let dumps: Awaited<ReturnType<typeof build>>[];

before(async () => {
  big = join(tempDir('par-src-'), 'big.db');
  const db = await openDatabase(big);
  db.exec(`CREATE TABLE sparse (id INTEGER PRIMARY KEY, t TEXT, b BLOB, n);
    CREATE TABLE wr (a TEXT COLLATE NOCASE, b INTEGER, c, d INTEGER, PRIMARY KEY (a, b DESC)) WITHOUT ROWID;
    CREATE INDEX wr_cover ON wr (d, c);
    CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
    CREATE TABLE shadow ("rowid" TEXT, "_rowid_" INTEGER, "oid");`);
  // Rowids: 100 near 2^63-1, 59700 from 0 up in steps of 3, 100 near -2^63, none in [-2^62, -1].
  const ids = [
    ...Array.from({ length: 100 }, (_, k) => MAX - BigInt(k) * 104729n),
    ...Array.from({ length: 59700 }, (_, i) => BigInt(i * 3)),
    ...Array.from({ length: 100 }, (_, k) => MIN + BigInt(k) * 7919n),
  ];
  fill(db, 'INSERT INTO sparse VALUES (?, ?, ?, ?)', ids.length, (i) => [
    ids[i],
    i % 997 === 0 ? `\uFFFD fffd ${i}` : `row ${i}`,
    i % 7 === 0 ? Buffer.from(`blob ${i}`) : i === 50 ? Buffer.alloc(0) : null,
    i % 3 === 0 ? BigInt(i) * 1000003n : i % 3 === 1 ? i + 0.5 : `n${i}`,
  ]);
  db.exec(`UPDATE sparse SET t = CAST(X'c328' AS TEXT) WHERE id IN (90000, ${MAX - 104729n});
    UPDATE sparse SET t = CAST(X'610062' AS TEXT) WHERE id IN (90003, ${MAX});
    UPDATE sparse SET n = CAST(X'c328' AS TEXT) WHERE id = 90006;`);
  fill(db, 'INSERT INTO wr VALUES (?, ?, ?, ?)', 50000, (i) => {
    const group = Math.floor(i / 5); // 'KEY-…' and 'key-…' alternate: BINARY order would differ from NOCASE
    const c = [`c${i}`, Buffer.from([i & 0xff, 0, 0x27]), i + 0.25, null][i % 4];
    return [`${group % 2 ? 'key' : 'KEY'}-${String(group).padStart(5, '0')}`, (i % 5) * 7 - 10, c, (i * 7919) % 1000];
  });
  const wrAt = `(SELECT a, b FROM wr ORDER BY ${WR_ORDER} LIMIT 1 OFFSET ?)`;
  for (const [at, bytes] of WR_LOSSY)
    db.prepare(`UPDATE wr SET c = CAST(? AS TEXT) WHERE (a, b) = ${wrAt}`).run(bytes, at);
  fill(db, 'INSERT INTO auto (v) VALUES (?)', 20000, (i) => [`auto ${i}`]);
  db.exec('DELETE FROM auto WHERE id > 19900 OR id % 10 = 0');
  fill(db, 'INSERT INTO shadow VALUES (CAST(? AS TEXT), ?, ?)', 20000, (i) => [
    i === 5000 ? WITH_NUL : i === 15000 ? INVALID : Buffer.from(`r${20000 - i}`),
    i,
    i % 2 ? Buffer.from([i & 0xff]) : null,
  ]);
  // Guard the fixture: an empty rowid range, lossy values in a middle and in the last unit of both tables.
  const units = planDump(db, big).units.flatMap((unit) => (unit.kind === 'rows' ? [unit] : []));
  const rangesOf = (table: string) => units.filter((unit) => unit.table.name === table).map((unit) => unit.range!);
  const sparse = rangesOf('sparse').map((range) => (range.by === 'rowid' ? range : assert.fail('rowid')));
  const unitOf = (id: bigint) => sparse.findIndex((range) => range.first <= id && id <= range.last);
  const count = db.prepare('SELECT count(*) FROM sparse WHERE id BETWEEN ? AND ?').pluck();
  assert.ok(sparse.length >= 4 && sparse.some((range) => count.get(range.first, range.last) === 0));
  assert.ok(unitOf(90000n) > 0 && unitOf(90000n) < sparse.length - 1 && unitOf(MAX) === sparse.length - 1);
  const wr = rangesOf('wr').map((range) => (range.by === 'position' ? range : assert.fail('position')));
  const wrUnit = (position: number) => wr.findLastIndex((range) => range.offset <= position);
  assert.ok(wr.length >= 4 && wrUnit(18000) > 0 && wrUnit(18000) < wr.length - 1 && wrUnit(46000) === wr.length - 1);
  assert.ok(rangesOf('shadow').length >= 2 && rangesOf('auto').length >= 2);
  db.close();
  dumps = [await build(big, 1), await build(big, 2), await build(big, 3)];
}, LIMIT);

test('1, 2 and 3 threads write byte-identical dumps and manifests', LIMIT, () => {
  assert.deepEqual(
    dumps.map((dump) => dump.workers),
    [0, 2, 3],
    'threads > 1 really ran workers',
  );
  for (const dump of dumps.slice(1)) {
    assert.ok(dump.bytes.equals(dumps[0]!.bytes), 'snapshot.sql is byte-identical');
    assert.equal(dump.checksum, dumps[0]!.checksum);
    assert.ok(dump.manifest.equals(dumps[0]!.manifest), 'manifest.json is byte-identical');
  }
  assert.deepEqual(readdirSync(dirname(big)), ['big.db'], 'no journal or copy left next to the source');
});

test('the 3-thread dump restores through the sqlite3 CLI to exactly the source content', LIMIT, async () => {
  const restored = restoreWithCli(dumps[2]!.bytes);
  assert.deepEqual(contentDifferences(await readContent(big), await readContent(restored)), []);
  assert.equal(sqlite3(restored, "SELECT seq FROM sqlite_sequence WHERE name = 'auto';").trim(), '20000');
});

test('rowid order, primary-key order (NOCASE, DESC), lossy TEXT exact', LIMIT, async () => {
  const dump = dumps[2]!.bytes;
  const prefix = 'INSERT INTO "sparse" VALUES('.length;
  const ids = linesOf(dump, 'sparse').map((line) => BigInt(line.slice(prefix, line.indexOf(','))));
  assert.equal(ids.length, 59900);
  assert.ok(
    ids.every((id, i) => i === 0 || ids[i - 1]! < id),
    'rowids strictly increasing',
  );
  assert.deepEqual([ids[0], ids.at(-1)], [MIN, MAX]);
  const text = dump.toString('utf8');
  for (const expected of [
    `INSERT INTO "sparse" VALUES(90000,CAST(X'c328' AS TEXT),X'626c6f62203330313030',30100.5);`,
    `INSERT INTO "sparse" VALUES(90003,CAST(X'610062' AS TEXT),NULL,'n30101');`,
    `INSERT INTO "sparse" VALUES(90006,'row 30102',NULL,CAST(X'c328' AS TEXT));`,
    `INSERT INTO "sparse" VALUES(${MAX - 104729n},CAST(X'c328' AS TEXT),NULL,1.5);`,
    `INSERT INTO "sparse" VALUES(${MAX},CAST(X'610062' AS TEXT),X'626c6f622030',0);`,
    `INSERT INTO "sparse" VALUES(2691,'\uFFFD fffd 997',NULL,997.5);`,
  ])
    assert.ok(text.includes(`\n${expected}\n`), expected);

  // wr: the key sequence SQLite computes, then every line formatted independently of the product.
  const db = await openDatabase(big, { readonly: true });
  const rows = db
    .prepare(`SELECT a, b, typeof(c), CAST(c AS BLOB), c, d FROM wr ORDER BY ${WR_ORDER}`)
    .raw(true)
    .all() as [string, number, string, Buffer | null, number | null, number][];
  db.close();
  const lines = linesOf(dump, 'wr');
  const keys = lines.map((line) => /^INSERT INTO "wr" VALUES\('([^']*)',(-?\d+),/.exec(line)?.slice(1).join('|'));
  assertSameList(
    keys as string[],
    rows.map(([a, b]) => `${a}|${b}`),
    'wr keys vs ORDER BY on the source',
  );
  const value = (type: string, bytes: Buffer | null, real: number | null): string => {
    if (type === 'null') return 'NULL';
    if (type === 'real') return String(real);
    if (type === 'blob') return `X'${bytes!.toString('hex')}'`;
    const plain = !bytes!.includes(0) && Buffer.from(bytes!.toString('utf8')).equals(bytes!);
    return plain ? `'${bytes!.toString('utf8')}'` : `CAST(X'${bytes!.toString('hex')}' AS TEXT)`;
  };
  const expected = rows.map(
    ([a, b, type, bytes, c, d]) => `INSERT INTO "wr" VALUES('${a}',${b},${value(type, bytes, c)},${d});`,
  );
  assertSameList(lines, expected, 'wr lines (fast and exact paths alike)');
  for (const [at, bytes] of WR_LOSSY) assert.ok(lines[at]!.includes(value('text', bytes, null)), `wr ${at}`);
});

let writer: ChildProcess | undefined;
let walWriter: Database | undefined;
after(() => {
  writer?.kill('SIGKILL');
  walWriter?.close();
  for (const worker of started) void worker.terminate(); // only a broken build leaves one running
  rmSync(ownTmp, { recursive: true, force: true });
});

const WRITER_SCRIPT = `import { loadSqlite } from ${JSON.stringify(join(REPO_ROOT, 'src/core/sqlite/sqlite.ts'))};
const db = new (await loadSqlite())(process.argv[2]!, { timeout: 0 });
db.pragma('synchronous = OFF'); // same locks, no fsync: a slow disk must not stall the writer
const ids = [7, 22222, 37777, 59999]; // one in each of the dump's four rowid units
const move = db.prepare('UPDATE ledger SET v = v + ? WHERE id = ?');
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let n = 0, end = Date.now() + 5000; Date.now() < end; n++) {
  try {
    db.exec('BEGIN IMMEDIATE');
    move.run(-((n % 13) + 1), ids[n % 4]);
    move.run((n % 13) + 1, ids[(n + 1 + (n % 3)) % 4]);
    db.exec('COMMIT');
    process.stdout.write('c');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (!String((error as { code?: string }).code).startsWith('SQLITE_BUSY')) throw error;
    process.stdout.write('b');
    Atomics.wait(pause, 0, 0, 1);
  }
}
`;

test('a rollback-journal DB written during the dump gives one consistent snapshot', LIMIT, async () => {
  const dir = tempDir('par-consistent-');
  const path = join(dir, 'ledger.db');
  const db = await openDatabase(path);
  db.exec('CREATE TABLE ledger (id INTEGER PRIMARY KEY, v INTEGER NOT NULL, pad TEXT)');
  fill(db, 'INSERT INTO ledger VALUES (?, 1000, ?)', 60000, (i) => [i + 1, `padding ${'x'.repeat(i % 50)}`]);
  db.close();
  writeFileSync(join(dir, 'writer.ts'), WRITER_SCRIPT);
  let events = '';
  writer = spawn(process.execPath, [join(dir, 'writer.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
  writer.stdout!.on('data', (data: Buffer) => {
    events += data.toString();
  });
  const commits = (): number => events.split('c').length - 1;
  const waitFor = async (done: () => boolean, what: string): Promise<void> => {
    for (const deadline = Date.now() + 4000; !done(); await new Promise((resolve) => setTimeout(resolve, 10)))
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; writer said: ${events.slice(-200)}`);
  };
  await waitFor(() => commits() >= 20, 'the writer to commit');
  const dump = await build(path, 3);
  const committedBefore = commits();
  await waitFor(() => commits() > committedBefore, 'a commit after the dump released its lock');
  writer.kill('SIGKILL');
  assert.equal(dump.workers, 3);
  assert.ok(events.includes('b'), 'the writer was held off (SQLITE_BUSY) by the read lock');
  const restored = restoreWithCli(dump.bytes);
  const totals = sqlite3(restored, 'SELECT count(*), sum(v), sum(v <> 1000) FROM ledger;').trim().split('|');
  assert.deepEqual(totals.slice(0, 2), ['60000', '60000000'], 'the transfer invariant holds in the dump');
  assert.ok(Number(totals[2]) > 0, 'the dump saw the commits made before it');
});

test('a live WAL DB (with -wal) is dumped on one thread, WAL-only rows included', LIMIT, async () => {
  const path = join(tempDir('par-wal-'), 'live.db');
  walWriter = await openDatabase(path);
  walWriter.pragma('journal_mode = WAL');
  walWriter.pragma('wal_autocheckpoint = 0');
  walWriter.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  fill(walWriter, 'INSERT INTO t VALUES (?, ?)', 40000, (i) => [i, `base ${i}`]);
  walWriter.pragma('wal_checkpoint(TRUNCATE)');
  fill(walWriter, 'INSERT INTO t VALUES (?, ?)', 5000, (i) => [100000 + i, `wal only ${i}`]);
  walWriter.exec("UPDATE t SET v = 'changed in wal' WHERE id % 1000 = 0");
  assert.ok(readFileSync(`${path}-wal`).length > 0, 'uncheckpointed data sits in the -wal file');
  const mainOnly = join(tempDir('par-wal-main-'), 'main-only.db');
  copyFileSync(path, mainOnly);
  assert.equal(sqlite3(mainOnly, 'SELECT count(*) FROM t;').trim(), '40000', 'the main file alone lacks them');

  const live = await build(path, 2);
  assert.equal(live.workers, 0, 'a live WAL DB falls back to one thread');
  const text = live.bytes.toString('utf8');
  assert.equal(linesOf(live.bytes, 't').length, 45000);
  assert.ok(text.includes(`\nINSERT INTO "t" VALUES(104999,'wal only 4999');\n`));
  assert.ok(text.includes(`\nINSERT INTO "t" VALUES(2000,'changed in wal');\n`));

  walWriter.pragma('wal_checkpoint(TRUNCATE)');
  const checkpointed = join(tempDir('par-wal-copy-'), 'checkpointed.db');
  copyFileSync(path, checkpointed);
  // A WAL DB without -wal is read from a private copy (removed afterwards: see build), on worker threads.
  const copy = await build(checkpointed, 2);
  assert.equal(copy.workers, 2, 'a private copy is dumped in parallel');
  assert.deepEqual(readdirSync(dirname(checkpointed)), ['checkpointed.db'], 'no -wal/-shm created beside it');
  assert.ok(live.bytes.equals(copy.bytes), 'the live WAL dump equals the dump of its checkpointed copy');
  assert.equal(live.checksum, copy.checksum);
});
