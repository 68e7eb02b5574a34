/**
 * `npm run kill-trials -- --kills 300`: the long form of the restore crash test. A real
 * `sqlite-snapshot restore --force` (the bundled CLI) is killed with SIGKILL at random moments,
 * many times, over a populated target; after each kill the target must be exactly the old or the
 * new database, intact, with no -wal/-journal beside it, and every `.bak-*` file must be the old
 * database whole. The run ends with one restore that must succeed and sweep every temp directory
 * the killed runs left. Prints one line of counts; exits 1 on the first broken promise.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSnapshot } from '../src/core/build.ts';
import { loadSqlite } from '../src/core/sqlite.ts';
import { type KillableRun, runKillable } from '../test/killable.ts';
import { seededRandom } from '../test/random.ts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '200' },
    rows: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
  },
});
const kills = Number(values.kills);
const rows = Number(values.rows);
/** Reproducible kill moments for a given --seed. */
const random = seededRandom(Number(values.seed));

const cli = join(resolve(import.meta.dirname, '..'), 'dist/cli/index.js');
const work = mkdtempSync(join(tmpdir(), 'restore-kill-'));
const Sqlite = await loadSqlite();

async function fingerprint(database: string): Promise<string> {
  const out = join(mkdtempSync(join(work, 'fp-')), 'snap');
  const built = await buildSnapshot({ database, outDir: out, env: { SOURCE_DATE_EPOCH: '0' } });
  return built.manifest.checksum;
}

function fail(message: string): never {
  console.error(`FAIL ${message}`);
  process.exit(1);
}

// The new content (rows of mixed values, an index) and an old DB of its own.
const source = join(work, 'source.db');
const db = new Sqlite(source);
db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER, price REAL, tag BLOB)');
db.exec('CREATE INDEX items_name ON items (name)');
const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?, ?, ?)');
db.transaction(() => {
  for (let i = 1; i <= rows; i++) insert.run(i, `item ${(i * 7919) % 100003}`, i % 1000, i / 7, Buffer.from([i & 255]));
})();
db.close();
const snapshot = join(work, 'snapshot');
await buildSnapshot({ database: source, outDir: snapshot, env: { SOURCE_DATE_EPOCH: '0' } });
const newPrint = readFileSync(join(snapshot, 'manifest.json'), 'utf8').match(/"checksum": "([^"]+)"/)![1]!;
const oldDb = join(work, 'old.db');
const old = new Sqlite(oldDb);
old.exec("CREATE TABLE app_state (k TEXT PRIMARY KEY, v BLOB); INSERT INTO app_state VALUES ('a', zeroblob(4000000));");
old.close();
const oldBytes = readFileSync(oldDb);
const oldPrint = await fingerprint(oldDb);

const dir = join(work, 'target');
mkdirSync(dir);
const target = join(dir, 'app.db');

const restore = (killAfterMs?: number): Promise<KillableRun> =>
  runKillable([cli, 'restore', snapshot, '--db', target, '--force'], killAfterMs);

copyFileSync(oldDb, target);
const full = await restore();
if (full.code !== 0) fail(`an uninterrupted restore exited ${full.code}`);
const counts = { old: 0, new: 0, finished: 0, maxTempDirs: 0 };
for (let i = 0; i < kills; i++) {
  for (const name of readdirSync(dir)) if (name.startsWith('app.db.bak-')) rmSync(join(dir, name));
  copyFileSync(oldDb, target);
  const delay = Math.round(random() * full.ms * 1.1);
  const run = await restore(delay);
  if (run.signal !== 'SIGKILL') counts.finished++;
  for (const suffix of ['-wal', '-journal'])
    if (existsSync(`${target}${suffix}`)) fail(`kill ${i} at ${delay} ms left ${suffix}`);
  const untouched = readFileSync(target).equals(oldBytes);
  const print = untouched ? oldPrint : await fingerprint(target);
  if (print !== oldPrint && print !== newPrint) fail(`kill ${i} at ${delay} ms: the target is neither old nor new`);
  const check = spawnSync('sqlite3', [target, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
  if (check.stdout.trim() !== 'ok') fail(`kill ${i} at ${delay} ms: integrity_check says ${check.stdout.trim()}`);
  for (const name of readdirSync(dir).filter((entry) => entry.startsWith('app.db.bak-'))) {
    if (!readFileSync(join(dir, name)).equals(oldBytes)) fail(`kill ${i} at ${delay} ms left a partial ${name}`);
  }
  counts[print === oldPrint ? 'old' : 'new']++;
  counts.maxTempDirs = Math.max(
    counts.maxTempDirs,
    readdirSync(dir).filter((name) => name.startsWith('.sqlite-snapshot-restore-')).length,
  );
}
copyFileSync(oldDb, target);
const last = await restore();
if (last.code !== 0) fail(`the restore after the kills exited ${last.code}`);
const left = readdirSync(dir).filter((name) => name.startsWith('.sqlite-snapshot-restore-'));
if (left.length > 0) fail(`${left.length} temp directories were not swept`);
console.log(
  `restore kill trials: ${kills} kills over a ${full.ms} ms run (${rows} rows): target old ${counts.old}, new ${counts.new}, ` +
    `finished before the kill ${counts.finished}; at most ${counts.maxTempDirs} temp dirs left between runs, all swept; ` +
    'no partial backup, no journal, integrity ok every time',
);
rmSync(work, { recursive: true, force: true });
