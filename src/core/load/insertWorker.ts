/**
 * The inserting half of a restore: a worker thread that owns the new database and carries out the
 * statements the parser accepted, as they arrive. Parsing and inserting thus run on two cores; a
 * bounded number of batches in flight keeps memory flat.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ErrorKind, ioError, SnapshotError } from '../shared/errors.ts';
import { option } from '../shared/options.ts';
import { type Database, loadSqlite } from '../sqlite/sqlite.ts';
import { DatabaseTarget, type LoadTarget } from './loadTarget.ts';
import { type PackedValues, packedTransfer, unpackValues, ValuePacker } from './rowPack.ts';

const ROLE = 'sqlite-snapshot-restore-insert';
/**
 * A worker's young generation, capped: V8 otherwise grows it the longer the run goes (up to 64 MB a
 * semi-space), so peak memory would grow with the size of the dump.
 */
export const WORKER_YOUNG_GENERATION_MB = 8;
/**
 * A batch is sent when it holds this many values, characters of text and blobs (and statements),
 * or operations; the parser waits while this many batches are in flight. Large batches keep the
 * fixed cost of a message small; the bounds keep memory flat whatever the rows hold.
 */
const BATCH_VALUES = 8192;
const BATCH_BYTES = 1 << 20;
const BATCH_OPERATIONS = 4096;
const BATCHES_IN_FLIGHT = 8;
/** Helper threads for CREATE INDEX's sorter: one per other core, at most SQLite's usual few. */
const SORTER_HELPER_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

interface WorkerInit {
  role: typeof ROLE;
  dumpPath: string;
  dbPath: string;
  inFlight: SharedArrayBuffer;
}

/**
 * What the parser sends: begin, rows of one table (`a` values each, taken in order from the
 * batch's packed values; `l`: the dump line of each row, for messages), a statement, the commit.
 */
type Operation =
  | { k: 'b' }
  | { k: 'r'; t: string; a: number; l: number[] }
  | { k: 'x'; sql: string; where: string }
  | { k: 'c'; where: string };
/** One batch: operations, and the values of their rows, packed (rowPack.ts). */
interface Batch {
  operations: Operation[];
  values: PackedValues;
}
type ToWorker = Batch | { finish: true };

/** A failure as it crosses threads: a SnapshotError keeps its kind and hint. */
export interface ThreadFailure {
  kind: ErrorKind | undefined;
  message: string;
  hint: string | undefined;
}
type FromWorker = { finished: true } | { failed: ThreadFailure };

export const describeFailure = (error: unknown): { failed: ThreadFailure } => ({
  failed: {
    kind: error instanceof SnapshotError ? error.kind : undefined,
    message: (error as Error).message,
    hint: error instanceof SnapshotError ? error.hint : undefined,
  },
});

export const rebuildFailure = ({ kind, message, hint }: ThreadFailure): Error =>
  kind ? new SnapshotError(kind, message, { hint }) : new Error(message);

/**
 * Settings for the new database while it is loaded (it is discarded on failure).
 * The cache is small: rows are appended, pages written once. CREATE INDEX sorts through SQLite's
 * external merge sort, in runs as large as the cache (1 MB at the least): measured on a 2M-row
 * table with three indexes, 1 MB runs sort faster than 4 or 16 MB ones (they stay in the CPU's
 * caches) and hold less memory. The indexes are built after the rows, when the parser is idle, so
 * the sorter gets helper threads for the other cores (PRAGMA threads): on two cores the three
 * index builds of that table take 2.1 s instead of 2.9 s, for the same peak memory.
 */
export function prepareNewDatabase(db: Database): void {
  // The rollback journal in memory: the file is thrown away on failure, so a journal on disk would
  // only cost writes, but a refused multi-row INSERT must still be undone before its rows are
  // retried one by one to name the culprit (journal_mode = OFF cannot undo a statement, and
  // SQLite's defensive mode, on here, ignores it anyway).
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1024');
  db.pragma(`threads = ${SORTER_HELPER_THREADS}`);
  // The dump's own PRAGMA foreign_keys=OFF is honoured by keeping them off throughout.
  db.pragma('foreign_keys = OFF');
  // Schema from a file is not trusted: no functions with side effects in views, triggers, defaults.
  db.pragma('trusted_schema = OFF');
}

/** SQLite's "disk full" (and I/O errors) as an error that names the place and says what to do. */
function explainLoadError(error: unknown, dbPath: string): unknown {
  const cause = error instanceof SnapshotError ? error.cause : error;
  const code = (cause as { code?: string } | undefined)?.code ?? (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
    return ioError(
      `No space left on the device while restoring into ${dirname(dbPath)}.`,
      `Free some space next to the target database (the restore needs room for a full copy, and for a backup with ${option('force')}).`,
      error,
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return ioError(`I/O error while restoring into ${dirname(dbPath)}: ${(error as Error).message}`, undefined, error);
  }
  return error;
}

/** The worker: owns the new database and applies the operations in the order they come. */
async function runWorker(init: WorkerInit): Promise<void> {
  const port = parentPort!;
  const inFlight = new Int32Array(init.inFlight);
  let db: Database | undefined;
  let target: DatabaseTarget | undefined;
  let failed = false;
  try {
    if (existsSync(init.dbPath)) throw new Error(`refusing to load into existing file ${init.dbPath}`);
    const Sqlite = await loadSqlite();
    db = new Sqlite(init.dbPath);
    prepareNewDatabase(db);
    target = new DatabaseTarget(db, init.dumpPath);
  } catch (error) {
    failed = true;
    port.postMessage(describeFailure(explainLoadError(error, init.dbPath)) satisfies FromWorker);
  }
  port.on('message', (message: ToWorker) => {
    const batch = 'operations' in message;
    try {
      if (failed || !db || !target) return;
      if (!batch) {
        // A plain rollback-journal file with no sidecars, ready to be renamed into place.
        db.pragma('journal_mode = DELETE');
        db.close();
        port.postMessage({ finished: true } satisfies FromWorker);
        return;
      }
      const values = unpackValues(message.values);
      let next = 0;
      for (const operation of message.operations) next = apply(target, operation, values, next);
    } catch (error) {
      failed = true;
      port.postMessage(describeFailure(explainLoadError(error, init.dbPath)) satisfies FromWorker);
    } finally {
      if (batch) {
        Atomics.sub(inFlight, 0, 1);
        Atomics.notify(inFlight, 0);
      }
    }
  });
}

/** Applies one operation; rows take their values from `values[next …]`. Returns where the next rows' start. */
function apply(target: DatabaseTarget, operation: Operation, values: unknown[], next: number): number {
  switch (operation.k) {
    case 'b':
      target.begin();
      break;
    case 'r':
      for (let row = 0; row < operation.l.length; row++, next += operation.a)
        target.rowOf(operation.t, values, next, operation.a, operation.l[row]!);
      break;
    case 'x':
      target.execute(operation.sql, operation.where);
      break;
    case 'c':
      target.commit();
      break;
  }
  return next;
}

if (!isMainThread && (workerData as WorkerInit | undefined)?.role === ROLE) {
  void runWorker(workerData as WorkerInit);
}

/** The parser's side of the pipe: batches operations to the worker and paces itself by it. */
export class InsertWorkerTarget implements LoadTarget {
  private readonly worker: Worker;
  private readonly inFlight: Int32Array;
  private operations: Operation[] = [];
  private rows: Extract<Operation, { k: 'r' }> | undefined;
  private readonly values = new ValuePacker();
  /** Characters of the statements in `operations`. */
  private statementChars = 0;
  failure: Error | undefined;
  /** Resolves when the worker finished, failed or stopped. */
  private readonly settled: Promise<void>;

  /** Starts a worker that will create `dbPath` and load into it (`dumpPath` names the dump in messages). */
  constructor(dumpPath: string, dbPath: string) {
    const inFlight = new SharedArrayBuffer(4);
    const init: WorkerInit = { role: ROLE, dumpPath, dbPath, inFlight };
    this.worker = new Worker(new URL(import.meta.url), {
      workerData: init,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    this.inFlight = new Int32Array(inFlight);
    let settle: () => void = () => {};
    this.settled = new Promise((resolve) => {
      settle = resolve;
    });
    this.worker.on('message', (message: FromWorker) => {
      if ('failed' in message) this.failure ??= rebuildFailure(message.failed);
      settle();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      settle();
    });
    this.worker.on('exit', () => {
      this.failure ??= new Error('the restore worker stopped before it finished');
      settle();
    });
  }

  private send(): void {
    if (this.operations.length === 0) return;
    Atomics.add(this.inFlight, 0, 1);
    const values = this.values.pack();
    this.worker.postMessage({ operations: this.operations, values } satisfies ToWorker, packedTransfer(values));
    this.operations = [];
    this.rows = undefined;
    this.statementChars = 0;
  }

  private sendWhenFull(): void {
    if (
      this.values.size >= BATCH_VALUES ||
      this.values.bytes + this.statementChars >= BATCH_BYTES ||
      this.operations.length >= BATCH_OPERATIONS
    ) {
      this.send();
    }
  }

  begin(): void {
    this.operations.push({ k: 'b' });
  }

  row(table: string, values: unknown[], line: number): void {
    const rows = this.rows;
    if (rows && rows.t === table && rows.a === values.length) rows.l.push(line);
    else {
      this.rows = { k: 'r', t: table, a: values.length, l: [line] };
      this.operations.push(this.rows);
    }
    for (const value of values) this.values.add(value);
    this.sendWhenFull();
  }

  execute(sql: string, where: string): void {
    this.operations.push({ k: 'x', sql, where });
    this.rows = undefined;
    this.statementChars += sql.length;
    this.sendWhenFull();
  }

  commit(where: string): void {
    this.operations.push({ k: 'c', where });
    this.send();
  }

  /** Waits while the worker is behind. Sends nothing itself: small batches cost more per row. */
  async pace(): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      const pending = Atomics.load(this.inFlight, 0);
      if (pending < BATCHES_IN_FLIGHT) return;
      const wait = Atomics.waitAsync(this.inFlight, 0, pending, 1000);
      if (wait.async) await wait.value;
    }
  }

  /** Waits until the worker has applied everything and closed the database. */
  async finish(): Promise<void> {
    this.send();
    this.worker.postMessage({ finish: true } satisfies ToWorker);
    await this.settled;
    if (this.failure) throw this.failure;
  }

  abandon(): void {
    this.operations = [];
  }

  /** Stops the worker (it closes its database as it goes). */
  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}
