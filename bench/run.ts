/**
 * `npm run bench`: measures the docs/performance.md bars against their anchors in one run, using the
 * bundled CLI as users run it. Prints one line per figure: ours, the anchor's, the ratio, the bar,
 * PASS/FAIL and our peak RSS. Databases (bench/generate.ts):
 * - mixed, ~2M rows (~250 MB): dump, restore and verify; peak RSS also on half the size, to show
 *   it stays flat as the database grows;
 * - index-heavy, 2M rows in one table with three secondary indexes: restore end to end;
 * - with `--large`: mixed, 8M rows (~1 GB): restore, whose RSS must stay within the same bar;
 * - the mixed snapshot pushed to and pulled from a local docker-registry, against curl doing the
 *   same PUT and GET (bar: at least 0.8 of curl's speed, i.e. a time ratio <= 1.25; RSS <= 150 MB).
 * `--dist DIR` measures a bundle built elsewhere (`npm run build -- --out DIR`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchShape, generateBenchDb } from './generate.ts';
import { registryFigures } from './registry.ts';
import { measureStartup } from './startup.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '3' },
    large: { type: 'boolean', default: false },
    'large-rows': { type: 'string', default: '8000000' },
    dist: { type: 'string', default: 'dist' },
    'startup-only': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const cache = join(root, 'bench/.cache');
const dist = resolve(root, values.dist ?? 'dist');
const cli = join(dist, 'cli.js');
const TIME = '/usr/bin/time';
/** Peak RSS may grow this much from one database size to the next and still count as flat. */
const FLAT = 1.15;

interface Measure {
  seconds: number;
  rssMb: number;
}

/**
 * Runs a command under GNU time; stdout goes to `stdoutFile` when given, stdin comes from
 * `stdinFile`. `fresh` is removed before each run. Median of `runs`.
 */
function measure(command: string, args: string[], stdoutFile?: string, stdinFile?: string, fresh?: string): Measure {
  const samples: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    if (fresh) rmSync(fresh, { force: true });
    const input = stdinFile ? `< '${stdinFile}'` : '';
    const shell = `${TIME} -f '%e %M' ${[command, ...args].map((a) => `'${a}'`).join(' ')} ${input} ${stdoutFile ? `> '${stdoutFile}'` : '> /dev/null'}`;
    const result = spawnSync('sh', ['-c', shell], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
    const [seconds, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    samples.push({ seconds: seconds!, rssMb: kb! / 1024 });
  }
  samples.sort((a, b) => a.seconds - b.seconds);
  return samples[Math.floor(samples.length / 2)]!;
}

async function benchDb(rowCount: number, shape: BenchShape = 'mixed'): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const path = join(cache, shape === 'mixed' ? `bench-${rowCount}.db` : `bench-${shape}-${rowCount}.db`);
  if (!existsSync(path)) {
    console.log(`generating ${rowCount} ${shape} rows into ${path} …`);
    await generateBenchDb(`${path}.tmp`, rowCount, shape);
    execFileSync('mv', [`${path}.tmp`, path]);
  }
  // Warm the page cache so both sides read from memory.
  execFileSync('sh', ['-c', `cat '${path}' > /dev/null`]);
  return path;
}

const rss = (mb: number): string => `RSS ${mb.toFixed(0).padStart(4)} MB`;

function line(figure: string, ours: number, anchor: number, unit: string, bar: number, rssMb?: number): void {
  const ratio = ours / anchor;
  console.log(
    `${figure.padEnd(26)} ours ${ours.toFixed(2).padStart(7)} ${unit}  anchor ${anchor.toFixed(2).padStart(7)} ${unit}  ratio ${ratio.toFixed(2)}  bar <= ${bar.toFixed(2)}  ${ratio <= bar ? 'PASS' : 'FAIL'}${rssMb === undefined ? '' : `  ${rss(rssMb)}`}`,
  );
}

/** Peak RSS against its bar and against the same figure on a smaller database (flat as it grows). */
function rssLine(figure: string, ours: Measure, smaller: Measure, smallerLabel: string, bar: number): void {
  const pass = ours.rssMb <= bar && ours.rssMb <= smaller.rssMb * FLAT;
  console.log(
    `${figure.padEnd(26)} ours ${ours.rssMb.toFixed(0).padStart(7)} MB  at ${smallerLabel} ${smaller.rssMb.toFixed(0).padStart(5)} MB  bar <= ${bar} MB and flat  ${pass ? 'PASS' : 'FAIL'}`,
  );
}

/** Dumps `db` with our build (for the restores), once; the result is cached next to the database. */
function snapshotOf(db: string, name: string): string {
  const out = join(work, name);
  execFileSync(process.execPath, [cli, 'build', '--db', db, '--out', out], { stdio: 'ignore' });
  return out;
}

/** Restore end to end: ours (verify, load, check, replace) against `sqlite3 new.db < snapshot.sql`. */
function restoreFigures(snapshot: string): { ours: Measure; anchor: Measure } {
  const restored = join(work, 'restored.db');
  const anchor = measure('sqlite3', [restored], undefined, join(snapshot, 'snapshot.sql'), restored);
  const ours = measure(process.execPath, [cli, 'restore', snapshot, '--db', restored], undefined, undefined, restored);
  rmSync(restored, { force: true });
  return { ours, anchor };
}

if (!existsSync(join(dist, 'index.js'))) throw new Error(`${dist}/index.js is missing: run npm run build`);
// Start-up first, on a quiet machine: the dump runs below leave the page cache busy.
const startup = await measureStartup(root, 11, dist);
console.log(
  `${'action start-up'.padEnd(26)} ours ${startup.ours.toFixed(2).padStart(7)} ms  anchor ${startup.anchor.toFixed(2).padStart(7)} ms  bar <= 300 ms  ${startup.ours <= 300 ? 'PASS' : 'FAIL'}`,
);
if (values['startup-only']) process.exit(0);

if (!existsSync(TIME)) throw new Error('GNU time is needed for peak RSS: apt-get install -y time');
if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);

const db = await benchDb(rows);
const half = await benchDb(Math.floor(rows / 2));
const indexed = await benchDb(rows, 'indexed');
const large = values.large ? await benchDb(Number(values['large-rows'])) : undefined;
const work = join(cache, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const out = join(work, 'snapshot');
console.log(`database: ${(statSync(db).size / 1e6).toFixed(0)} MB, ${rows} rows; median of ${runs} runs\n`);

const anchorDump = measure('sqlite3', [db, '.dump'], join(work, 'anchor.sql'));
const ourDump = measure(process.execPath, [cli, 'build', '--db', db, '--out', out]);
const dumpBytes = statSync(join(out, 'snapshot.sql')).size;
line('dump wall time', ourDump.seconds, anchorDump.seconds, 's', 1.5, ourDump.rssMb);
const halfDump = measure(process.execPath, [cli, 'build', '--db', half, '--out', join(work, 'half')]);
rssLine('dump peak RSS', ourDump, halfDump, 'half size', 150);
rmSync(join(work, 'anchor.sql'), { force: true });

const mixed = restoreFigures(out);
line('restore wall time', mixed.ours.seconds, mixed.anchor.seconds, 's', 0.7, mixed.ours.rssMb);
const halfRestore = restoreFigures(join(work, 'half'));
rssLine('restore peak RSS', mixed.ours, halfRestore.ours, 'half size', 200);

const anchorHash = measure('sha256sum', [join(out, 'snapshot.sql')]);
const ourVerify = measure(process.execPath, [cli, 'verify', out]);
line('verify wall time', ourVerify.seconds, anchorHash.seconds, 's', 1.25, ourVerify.rssMb);

console.log(`\nindex-heavy: ${(statSync(indexed).size / 1e6).toFixed(0)} MB, ${rows} rows in one table, 3 indexes`);
const heavy = restoreFigures(snapshotOf(indexed, 'indexed'));
line('restore wall time', heavy.ours.seconds, heavy.anchor.seconds, 's', 0.7, heavy.ours.rssMb);
rssLine('restore peak RSS', heavy.ours, mixed.ours, 'mixed', 200);

const has = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
if (has('docker-registry') && has('curl')) {
  console.log(`\nregistry: the ${(dumpBytes / 1e6).toFixed(0)} MB snapshot through a local docker-registry`);
  const registry = await registryFigures(cli, out, work, runs);
  line('push wall time', registry.push.seconds, registry.curlPush.seconds, 's', 1.25, registry.push.rssMb);
  line('pull wall time', registry.pull.seconds, registry.curlPull.seconds, 's', 1.25, registry.pull.rssMb);
  const peak = Math.max(registry.push.rssMb, registry.pull.rssMb);
  console.log(
    `${'push/pull peak RSS'.padEnd(26)} ours ${peak.toFixed(0).padStart(7)} MB  bar <= 150 MB  ${peak <= 150 ? 'PASS' : 'FAIL'}`,
  );
} else console.log('\nregistry: skipped (needs docker-registry and curl: apt-get install -y docker-registry curl)');

if (large) {
  console.log(`\nlarge: ${(statSync(large).size / 1e6).toFixed(0)} MB, ${values['large-rows']} rows (mixed)`);
  const big = restoreFigures(snapshotOf(large, 'large'));
  line('restore wall time', big.ours.seconds, big.anchor.seconds, 's', 0.7, big.ours.rssMb);
  rssLine('restore peak RSS', big.ours, mixed.ours, `${rows} rows`, 200);
}

console.log(
  `\n(dump: ${(dumpBytes / 1e6).toFixed(0)} MB of SQL; anchors: sqlite3 ${execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]} .dump, sqlite3 new.db < snapshot.sql, sha256sum)`,
);
rmSync(work, { recursive: true, force: true });
