/**
 * Measures Node's built-in `node:sqlite` (DatabaseSync) against better-sqlite3 on rows shaped like
 * our bench (docs/node-sqlite.md):
 *
 *   node bench/nodeSqlite.ts [--rows 1000000] [--runs 3]
 *
 * Prints both SQLite builds, a few exactness checks side by side, then for each engine the seconds
 * to (a) read every row with a prepared statement in array mode, with plain numbers and with
 * 64-bit integers as BigInt (as the dump reads), also with all(); (b) insert the same rows into a new
 * database (journal_mode=OFF, synchronous=OFF, one transaction, one reused statement);
 * (c) CREATE INDEX on a text column of it. Each run alternates which engine goes first; the figures
 * are the medians over the runs, with the ratio node:sqlite / better-sqlite3.
 *
 * The source database is generated (seeded) in a temp directory, removed at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue } from 'node:sqlite';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { formatReal } from '../src/core/sql/sqlLiteral.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
if (!(Number.isInteger(ROWS) && ROWS > 0 && Number.isInteger(RUNS) && RUNS > 0)) {
  throw new Error('--rows and --runs must be positive integers');
}

const SCHEMA =
  'CREATE TABLE items(id INTEGER PRIMARY KEY, qty INTEGER, name TEXT NOT NULL, price REAL, payload BLOB, note TEXT)';
const SELECT = 'SELECT id, qty, name, price, payload, note FROM items';
const INSERT = 'INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)';
const INDEX = 'CREATE INDEX items_name ON items(name)';
/** As the restore sets them: no journal, no syncs, a small cache, helper threads for the sorter. */
const LOAD_PRAGMAS = [
  'journal_mode = OFF',
  'synchronous = OFF',
  'cache_size = -1024',
  `threads = ${Math.max(1, Math.min(4, availableParallelism() - 1))}`,
];

type Row = [number, number | null, string, number, Buffer, string | null];

/** Deterministic rows: ~40-character names in scattered order, 32-byte blobs, some NULLs. */
function generateRows(count: number): Row[] {
  let seed = 42;
  const next = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'ünïcödé', '日本語'];
  const word = (): string => words[Math.floor(next() * words.length)]!;
  const blobs = Buffer.alloc(count * 32);
  const rows: Row[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const payload = blobs.subarray(i * 32, i * 32 + 32);
    for (let j = 0; j < 32; j += 4) payload.writeUInt32LE(Math.floor(next() * 4294967296), j);
    const name = `${Math.floor(next() * 1e9)
      .toString(16)
      .padStart(8, '0')} ${word()} ${word()} ${word()} #${i}`.padEnd(40, '.');
    const qty = i % 10 === 0 ? null : Math.floor(next() * 1e6) - 500_000;
    const note = i % 3 === 0 ? null : `${word()} ${word()}`;
    rows[i] = [i + 1, qty, name, next() * 1e4, payload, note];
  }
  return rows;
}

interface Engine {
  name: string;
  /** Reads every row; returns how many, and how many had a non-NULL note (so the values are used). */
  read(path: string, mode: 'iterate' | 'iterate-bigint' | 'all'): [number, number];
  insert(path: string, rows: readonly Row[]): void;
  /** Runs `sql` on `path`; returns the first column of its first row, if any. */
  exec(path: string, sql: string): unknown;
}

function countRows(rows: Iterable<unknown[]>): [number, number] {
  let count = 0;
  let notes = 0;
  for (const row of rows) {
    count++;
    if (row[5] !== null) notes++;
  }
  return [count, notes];
}

/**
 * Both engines open databases in SQLite's defensive mode, which quietly keeps the rollback journal
 * when asked for journal_mode=OFF; better-sqlite3 leaves it in unsafe mode, node:sqlite with
 * `defensive: false`.
 */
function openBetter(path: string): Database.Database {
  const db = new Database(path);
  db.unsafeMode(true);
  return db;
}

const better: Engine = {
  name: 'better-sqlite3',
  read(path, mode) {
    const db = new Database(path, { readonly: true });
    try {
      const statement = db
        .prepare(SELECT)
        .raw(true)
        .safeIntegers(mode === 'iterate-bigint');
      return countRows((mode === 'all' ? statement.all() : statement.iterate()) as Iterable<unknown[]>);
    } finally {
      db.close();
    }
  },
  insert(path, rows) {
    const db = openBetter(path);
    try {
      for (const pragma of LOAD_PRAGMAS) db.pragma(pragma);
      if (db.pragma('journal_mode', { simple: true }) !== 'off') throw new Error('journal_mode is not OFF');
      db.exec(SCHEMA);
      const insert = db.prepare(INSERT);
      db.exec('BEGIN');
      for (const row of rows) insert.run(...row);
      db.exec('COMMIT');
    } finally {
      db.close();
    }
  },
  exec(path, sql) {
    const db = openBetter(path);
    try {
      for (const pragma of LOAD_PRAGMAS) db.pragma(pragma);
      const statement = db.prepare(sql);
      if (statement.reader) return statement.pluck().get();
      statement.run();
      return undefined;
    } finally {
      db.close();
    }
  },
};

const openNode = (path: string, options: { readOnly?: boolean; readBigInts?: boolean } = {}): DatabaseSync =>
  new DatabaseSync(path, { defensive: false, returnArrays: true, ...options });

const nodeSqlite: Engine = {
  name: 'node:sqlite',
  read(path, mode) {
    const db = openNode(path, { readOnly: true, readBigInts: mode === 'iterate-bigint' });
    try {
      const statement = db.prepare(SELECT);
      return countRows((mode === 'all' ? statement.all() : statement.iterate()) as unknown as Iterable<unknown[]>);
    } finally {
      db.close();
    }
  },
  insert(path, rows) {
    const db = openNode(path);
    try {
      for (const pragma of LOAD_PRAGMAS) db.exec(`PRAGMA ${pragma}`);
      const mode = (db.prepare('PRAGMA journal_mode').get() as unknown as SQLOutputValue[])[0];
      if (mode !== 'off') throw new Error('journal_mode is not OFF');
      db.exec(SCHEMA);
      const insert = db.prepare(INSERT);
      db.exec('BEGIN');
      for (const row of rows) insert.run(...(row as SQLInputValue[]));
      db.exec('COMMIT');
    } finally {
      db.close();
    }
  },
  exec(path, sql) {
    const db = openNode(path);
    try {
      for (const pragma of LOAD_PRAGMAS) db.exec(`PRAGMA ${pragma}`);
      const row = db.prepare(sql).get() as unknown as SQLOutputValue[] | undefined;
      return row?.[0];
    } finally {
      db.close();
    }
  },
};

/** Seconds that `work` takes. */
function time(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

const median = (list: number[]): number => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

// ---- Exactness: the same probes on both engines, one in-memory connection each. ----

/** The project's literal for a double, as the dump writes it. */
const realLiteral = formatReal;

const bitsOf = (value: unknown): string => {
  if (typeof value !== 'number') return `not a number: ${String(value)}`;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

const REALS = [
  0.1,
  1 / 3,
  1e308,
  -1.7976931348623157e308,
  5e-324,
  2.2250738585072014e-308,
  -0,
  2 ** 53 + 2,
  123456789012345680000,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];
const INT64 = [9223372036854775807n, -9223372036854775808n, 9007199254740993n, -9007199254740993n];

/** One engine's view of a connection: a value query and a bound insert, both in array mode. */
interface Probe {
  value(sql: string, bigints?: boolean): unknown;
  run(sql: string, ...params: unknown[]): void;
}

function betterProbe(): Probe {
  const db = new Database(':memory:');
  return {
    value: (sql, bigints = false) => db.prepare(sql).pluck().safeIntegers(bigints).get(),
    run: (sql, ...params) => void db.prepare(sql).run(...params),
  };
}

function nodeProbe(): Probe {
  const db = new DatabaseSync(':memory:', { returnArrays: true });
  return {
    value: (sql, bigints = false) => {
      const statement = db.prepare(sql);
      statement.setReadBigInts(bigints);
      return (statement.get() as unknown as SQLOutputValue[])[0];
    },
    run: (sql, ...params) => void db.prepare(sql).run(...(params as SQLInputValue[])),
  };
}

const attempt = (work: () => string): string => {
  try {
    return work();
  } catch (error) {
    return `throws ${(error as { code?: string }).code ?? (error as Error).message}`;
  }
};

function exactness(probe: Probe): string[] {
  probe.run('CREATE TABLE r(x)');
  for (const value of REALS) probe.run('INSERT INTO r VALUES (?)', value);
  const readBack = REALS.map((_, i) => probe.value(`SELECT x FROM r WHERE rowid = ${i + 1}`));
  const boundExact = readBack.every((value, i) => bitsOf(value) === bitsOf(REALS[i]));
  const literalExact = readBack.every(
    (value) =>
      probe.value(`SELECT typeof(${realLiteral(value as number)})`) === 'real' &&
      bitsOf(probe.value(`SELECT ${realLiteral(value as number)}`)) === bitsOf(value),
  );
  probe.run('INSERT INTO r VALUES (?)', Number.NaN);
  const nan = probe.value('SELECT typeof(x) FROM r ORDER BY rowid DESC LIMIT 1');
  const bigints = INT64.map((n) => probe.value(`SELECT ${n}`, true));
  const blob = probe.value("SELECT x'00ff10'") as Uint8Array;
  const badUtf8 = "CAST(x'61ff62c3' AS TEXT)";
  const raw = probe.value(`SELECT CAST(${badUtf8} AS BLOB)`) as Uint8Array;
  return [
    boundExact ? 'exact' : 'differs',
    literalExact ? 'exact' : 'differs',
    `stored as ${String(nan)}`,
    bigints.every((n, i) => n === INT64[i]) ? 'exact BigInt' : `differs: ${bigints.join(', ')}`,
    attempt(() => String(probe.value('SELECT 9007199254740993'))),
    `${blob.constructor.name} ${Buffer.from(blob).toString('hex')}`,
    JSON.stringify(probe.value(`SELECT ${badUtf8}`)),
    `${raw.constructor.name} ${Buffer.from(raw).toString('hex')}`,
    String(probe.value(`SELECT typeof(${badUtf8})`)),
  ];
}

const CHECKS = [
  'REAL bound and read back (bits)',
  'REAL read back, written as literal',
  'NaN bound',
  'int64 as BigInt (±2^63 bounds, ±(2^53+1))',
  '2^53+1 read as a number',
  "BLOB x'00ff10'",
  'non-UTF-8 TEXT read as string',
  'same TEXT via CAST AS BLOB',
  'its typeof()',
];

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log();
}

// ---- Main ----

const work = mkdtempSync(join(tmpdir(), 'node-sqlite-bench-'));
try {
  const versions = [betterProbe(), nodeProbe()].map((probe) => String(probe.value('SELECT sqlite_version()')));
  console.log(`Node ${process.versions.node}; SQLite ${versions[0]} (better-sqlite3), ${versions[1]} (node:sqlite)\n`);
  const betterChecks = exactness(betterProbe());
  const nodeChecks = exactness(nodeProbe());
  printTable(
    ['check', 'better-sqlite3', 'node:sqlite'],
    CHECKS.map((check, i) => [check, betterChecks[i]!, nodeChecks[i]!]),
  );

  const source = join(work, 'source.db');
  const rows = generateRows(ROWS);
  better.insert(source, rows);
  console.log(`${ROWS} rows; ${RUNS} run(s), engine order alternating\n`);

  const READS = [
    ['read iterate()', 'iterate'],
    ['read iterate(), BigInt', 'iterate-bigint'],
    ['read all()', 'all'],
  ] as const;
  const phases = [...READS.map(([phase]) => phase), 'insert', 'create index'];
  const seconds = new Map<string, number[]>();
  const record = (engine: Engine, phase: string, value: number): void => {
    const key = `${engine.name}/${phase}`;
    seconds.set(key, [...(seconds.get(key) ?? []), value]);
  };
  for (let run = 0; run < RUNS; run++) {
    const engines = run % 2 === 0 ? [better, nodeSqlite] : [nodeSqlite, better];
    for (const engine of engines) {
      for (const [phase, mode] of READS) {
        let counted: [number, number] = [0, 0];
        record(
          engine,
          phase,
          time(() => (counted = engine.read(source, mode))),
        );
        if (counted[0] !== ROWS) throw new Error(`${engine.name} read ${counted[0]} rows, not ${ROWS}`);
      }
      const target = join(work, `target-${run}-${engine === better ? 'better' : 'node'}.db`);
      record(
        engine,
        'insert',
        time(() => engine.insert(target, rows)),
      );
      record(
        engine,
        'create index',
        time(() => engine.exec(target, INDEX)),
      );
      const count = Number(engine.exec(target, 'SELECT count(*) FROM items INDEXED BY items_name'));
      if (count !== ROWS) throw new Error(`${engine.name} wrote ${count} rows, not ${ROWS}`);
      rmSync(target);
    }
  }

  printTable(
    ['phase (seconds: median, range)', 'better-sqlite3', 'node:sqlite', 'node:sqlite / better-sqlite3'],
    phases.map((phase) => {
      const runs = [better, nodeSqlite].map((engine) => seconds.get(`${engine.name}/${phase}`)!);
      const [b, n] = runs.map(median) as [number, number];
      const cell = (list: number[]): string =>
        `${median(list).toFixed(3)} (${Math.min(...list).toFixed(2)}–${Math.max(...list).toFixed(2)})`;
      return [phase, cell(runs[0]!), cell(runs[1]!), (n / b).toFixed(2)];
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
