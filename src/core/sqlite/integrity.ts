/**
 * PRAGMA integrity_check, on two threads for large databases, and PRAGMA quick_check. A full
 * integrity_check equals quick_check (every page and b-tree, page accounting) plus, per table, the
 * cross-check of the table against its indexes (`integrity_check(<table>)`); the per-table part is
 * split between this thread and a worker with its own read-only connection.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { quoteIdentifier, quoteString } from '../sql/sqlLiteral.ts';
import { type Database, loadSqlite } from './sqlite.ts';

const ROLE = 'sqlite-snapshot-integrity';
/**
 * The cross-check looks each row up in each of its table's indexes, in rowid order: random reads
 * all over the indexes. With the 1 MB cache of a scan nearly every lookup is a read from the OS
 * (seconds of system time on a large index-heavy database); 16 MB per connection keeps the upper
 * levels and much of the leaves cached, within the restore's memory bar.
 */
const CROSS_CHECK_CACHE_PRAGMA = 'cache_size = -16384';
/** Below this many (rows × indexes), one thread checks faster than two start. */
const PARALLEL_MIN_WEIGHT = 200_000;

interface CheckRequest {
  role: typeof ROLE;
  path: string;
  tables: string[];
  limit: number;
}

/** The heading SQLite puts above a database's messages; it names no problem. */
const HEADING = /^\*\*\* in database \S+ \*\*\*$/;

/**
 * Problems reported by one integrity pragma, one per message; empty when it says "ok". SQLite
 * may pack several messages into one row, a line each, under a heading.
 */
function problems(db: Database, pragma: string): string[] {
  const rows = db.pragma(pragma, { simple: false }) as Record<string, string>[];
  const texts = rows.flatMap((row) => String(Object.values(row)[0]).split('\n')).filter((text) => !HEADING.test(text));
  return texts.length === 1 && texts[0] === 'ok' ? [] : texts;
}

/**
 * The messages of PRAGMA quick_check of `db`: none when it is sound; at most `limit`. One read of
 * every page, which also finds a damaged or cut-off file. Throws when the schema cannot be read.
 */
export const quickCheckProblems = (db: Database, limit: number): string[] => problems(db, `quick_check(${limit})`);

/** Stands for the whole-file quick_check among the per-table checks, so it is balanced like them. */
const QUICK_CHECK = '\u0000quick_check';

function checkTables(db: Database, tables: string[], limit: number): string[] {
  const found: string[] = [];
  for (const table of tables) {
    if (found.length >= limit) break;
    const pragma = table === QUICK_CHECK ? `quick_check(${limit})` : `integrity_check(${quoteString(table)})`;
    found.push(...problems(db, pragma));
  }
  return found;
}

if (!isMainThread && (workerData as CheckRequest | undefined)?.role === ROLE) {
  const request = workerData as CheckRequest;
  loadSqlite()
    .then((Sqlite) => {
      const db = new Sqlite(request.path, { readonly: true, fileMustExist: true });
      db.pragma(CROSS_CHECK_CACHE_PRAGMA);
      try {
        parentPort!.postMessage({ problems: checkTables(db, request.tables, request.limit) });
      } finally {
        db.close();
      }
    })
    .catch((error: unknown) => parentPort!.postMessage({ error: (error as Error).message }));
}

function runWorker(request: CheckRequest): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: request });
    worker.once('message', (reply: { problems?: string[]; error?: string }) =>
      reply.error === undefined ? resolve(reply.problems!) : reject(new Error(reply.error)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the integrity check worker stopped (exit code ${code})`)));
  });
}

const indexCount = (db: Database, table: string): number =>
  Number(db.prepare('SELECT count(*) FROM pragma_index_list(?)').pluck().get(table));

/** Splits tables into two groups of similar weight, heaviest first. */
function partition(weights: [string, number][]): [string[], string[]] {
  const groups: [string[], string[]] = [[], []];
  const totals = [0, 0];
  for (const [table, weight] of [...weights].sort((a, b) => b[1] - a[1])) {
    const lighter = totals[0]! <= totals[1]! ? 0 : 1;
    groups[lighter].push(table);
    totals[lighter]! += weight;
  }
  return groups;
}

/**
 * The messages of an integrity check of `db` (opened on `path`): none when it is sound; at most
 * about `limit`. Throws when the schema is too damaged for the check to run.
 */
export async function integrityProblems(db: Database, path: string, limit: number): Promise<string[]> {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name")
    .pluck()
    .all() as string[];
  let totalRows = 0;
  // A table's cross-check visits each row once per index: rows × (1 + indexes) is its work.
  const weights = tables.map((table): [string, number] => {
    const rows = Number(
      db
        .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`)
        .pluck()
        .get(),
    );
    totalRows += rows;
    return [table, rows * (1 + indexCount(db, table))];
  });
  if (weights.reduce((sum, [, weight]) => sum + weight, 0) < PARALLEL_MIN_WEIGHT) {
    return problems(db, `integrity_check(${limit})`);
  }
  // quick_check reads every page once: about as much work as one pass over every row.
  const [mine, theirs] = partition([...weights, [QUICK_CHECK, totalRows]]);
  const other = runWorker({ role: ROLE, path, tables: theirs, limit });
  // Awaited below; when this thread's part throws first, the worker's outcome is not news.
  other.catch(() => {});
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(CROSS_CHECK_CACHE_PRAGMA);
  try {
    const local = checkTables(db, mine, limit);
    return [...local, ...(await other)].slice(0, limit);
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
  }
}
