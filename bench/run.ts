/**
 * `npm run bench`: measures the DESIGN §10 bars against their anchors in one run, on a generated
 * database of ~2M mixed rows, using the bundled CLI in dist/ as users run it. Prints one line per
 * figure: ours, the anchor's, the ratio and the bar. Peak RSS is also measured on a database half
 * the size, to show it stays flat as the database grows.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateBenchDb } from './generate.ts';
import { measureStartup } from './startup.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000000' },
    runs: { type: 'string', default: '3' },
    'startup-only': { type: 'boolean', default: false },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');
const cache = join(root, 'bench/.cache');
const cli = join(root, 'dist/cli/index.js');
const TIME = '/usr/bin/time';

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

async function benchDb(rowCount: number): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const path = join(cache, `bench-${rowCount}.db`);
  if (!existsSync(path)) {
    console.log(`generating ${rowCount} rows into ${path} …`);
    await generateBenchDb(`${path}.tmp`, rowCount);
    execFileSync('mv', [`${path}.tmp`, path]);
  }
  // Warm the page cache so both sides read from memory.
  execFileSync('sh', ['-c', `cat '${path}' > /dev/null`]);
  return path;
}

function line(figure: string, ours: number, anchor: number, unit: string, bar: string, pass: boolean): void {
  const ratio = ours / anchor;
  console.log(
    `${figure.padEnd(22)} ours ${ours.toFixed(2).padStart(7)} ${unit}  anchor ${anchor.toFixed(2).padStart(7)} ${unit}  ratio ${ratio.toFixed(2)}  bar ${bar}  ${pass ? 'PASS' : 'FAIL'}`,
  );
}

if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/index.js is missing: run npm run build');
// Start-up first, on a quiet machine: the dump runs below leave the page cache busy.
const startup = await measureStartup(root, 11);
line('action start-up', startup.ours, startup.anchor, 'ms', '<= 300 ms', startup.ours <= 300);
if (values['startup-only']) process.exit(0);

if (!existsSync(TIME)) throw new Error('GNU time is needed for peak RSS: apt-get install -y time');
if (!existsSync(cli)) throw new Error('dist/cli/index.js is missing: run npm run build');

const db = await benchDb(rows);
const half = await benchDb(Math.floor(rows / 2));
const work = join(cache, 'work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const out = join(work, 'snapshot');
console.log(`database: ${(statSync(db).size / 1e6).toFixed(0)} MB, ${rows} rows; median of ${runs} runs\n`);

const anchorDump = measure('sqlite3', [db, '.dump'], join(work, 'anchor.sql'));
const ourDump = measure(process.execPath, [cli, 'build', '--db', db, '--out', out]);
const dumpBytes = statSync(join(out, 'snapshot.sql')).size;
line(
  'dump wall time',
  ourDump.seconds,
  anchorDump.seconds,
  's',
  '<= 1.50',
  ourDump.seconds <= 1.5 * anchorDump.seconds,
);
const halfDump = measure(process.execPath, [cli, 'build', '--db', half, '--out', join(work, 'half')]);
console.log(
  `${'dump peak RSS'.padEnd(22)} ours ${ourDump.rssMb.toFixed(0).padStart(7)} MB  at half size ${halfDump.rssMb.toFixed(0).padStart(5)} MB  (sqlite3 ${anchorDump.rssMb.toFixed(0)} MB)  bar <= 150 MB and flat  ${ourDump.rssMb <= 150 && ourDump.rssMb <= halfDump.rssMb * 1.15 ? 'PASS' : 'FAIL'}`,
);

const restored = join(work, 'restored.db');
const anchorRestore = measure('sqlite3', [restored], undefined, join(out, 'snapshot.sql'), restored);
const ourRestore = measure(process.execPath, [cli, 'restore', out, '--db', restored], undefined, undefined, restored);
line(
  'restore wall time',
  ourRestore.seconds,
  anchorRestore.seconds,
  's',
  '<= 0.70',
  ourRestore.seconds <= 0.7 * anchorRestore.seconds,
);
const halfRestored = join(work, 'half-restored.db');
const halfRestore = measure(
  process.execPath,
  [cli, 'restore', join(work, 'half'), '--db', halfRestored],
  undefined,
  undefined,
  halfRestored,
);
console.log(
  `${'restore peak RSS'.padEnd(22)} ours ${ourRestore.rssMb.toFixed(0).padStart(7)} MB  at half size ${halfRestore.rssMb.toFixed(0).padStart(5)} MB  (sqlite3 ${anchorRestore.rssMb.toFixed(0)} MB)  bar <= 200 MB and flat  ${ourRestore.rssMb <= 200 && ourRestore.rssMb <= halfRestore.rssMb * 1.15 ? 'PASS' : 'FAIL'}`,
);

const anchorHash = measure('sha256sum', [join(out, 'snapshot.sql')]);
const ourVerify = measure(process.execPath, [cli, 'verify', out]);
line(
  'verify wall time',
  ourVerify.seconds,
  anchorHash.seconds,
  's',
  '<= 1.25',
  ourVerify.seconds <= 1.25 * anchorHash.seconds,
);
console.log(
  `\n(dump: ${(dumpBytes / 1e6).toFixed(0)} MB of SQL; anchor: sqlite3 ${execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]} .dump, sha256sum)`,
);
