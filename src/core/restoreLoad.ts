/**
 * Loads a dump into a brand-new database file in two stages: this thread reads, checks and parses
 * the dump (the allow-list, the fast INSERT parser, the checksum), while a worker thread owns the
 * new database and carries the accepted statements out as they arrive. Parsing and inserting thus
 * run on two cores; a bounded number of batches in flight keeps memory flat.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ErrorKind, ioError, refusal, SnapshotError } from './errors.ts';
import { type LoadProgress, type LoadStats, loadDumpInto } from './loadDump.ts';
import { DatabaseTarget, type LoadTarget } from './loadTarget.ts';
import { option } from './options.ts';
import { type Database, loadSqlite } from './sqlite.ts';

const ROLE = 'sqlite-snapshot-restore';
const WORKER_YOUNG_GENERATION_MB = 8;
/** Values per batch sent to the worker, and batches in flight before the parser waits. */
const BATCH_VALUES = 16384;
const BATCHES_IN_FLIGHT = 8;

interface WorkerInit {
  role: typeof ROLE;
  dumpPath: string;
  dbPath: string;
  inFlight: SharedArrayBuffer;
}

/**
 * What the parser sends: begin, rows of one table (`a` values each, flattened into `v`; `l`: the
 * dump line of each row, for messages), a statement, the commit.
 */
type Operation =
  | { k: 'b' }
  | { k: 'r'; t: string; a: number; v: unknown[]; l: number[] }
  | { k: 'x'; sql: string; where: string }
  | { k: 'c'; where: string };
type ToWorker = Operation[] | { finish: true };
type FromWorker =
  | { finished: true }
  | { failed: { kind: ErrorKind | undefined; message: string; hint: string | undefined } };

/** Settings for the new database while it is loaded: it is discarded on failure, so no journal. */
function prepareNewDatabase(db: Database): void {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -4096');
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

const describeFailure = (error: unknown): FromWorker => ({
  failed: {
    kind: error instanceof SnapshotError ? error.kind : undefined,
    message: (error as Error).message,
    hint: error instanceof SnapshotError ? error.hint : undefined,
  },
});

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
    port.postMessage(describeFailure(explainLoadError(error, init.dbPath)));
  }
  port.on('message', (message: ToWorker) => {
    const batch = Array.isArray(message);
    try {
      if (failed || !db || !target) return;
      if (!batch) {
        // A plain rollback-journal file with no sidecars, ready to be renamed into place.
        db.pragma('journal_mode = DELETE');
        db.close();
        port.postMessage({ finished: true } satisfies FromWorker);
        return;
      }
      for (const operation of message) apply(target, operation);
    } catch (error) {
      failed = true;
      port.postMessage(describeFailure(explainLoadError(error, init.dbPath)));
    } finally {
      if (batch) {
        Atomics.sub(inFlight, 0, 1);
        Atomics.notify(inFlight, 0);
      }
    }
  });
}

function apply(target: DatabaseTarget, operation: Operation): void {
  switch (operation.k) {
    case 'b':
      target.begin();
      break;
    case 'r':
      for (let row = 0; row < operation.l.length; row++)
        target.rowOf(operation.t, operation.v, row * operation.a, operation.a, operation.l[row]!);
      break;
    case 'x':
      target.execute(operation.sql, operation.where);
      break;
    case 'c':
      target.commit();
      break;
  }
}

if (!isMainThread && (workerData as WorkerInit | undefined)?.role === ROLE) {
  void runWorker(workerData as WorkerInit);
}

/** The parser's side of the pipe: batches operations to the worker and paces itself by it. */
class WorkerTarget implements LoadTarget {
  private readonly worker: Worker;
  private readonly inFlight: Int32Array;
  private operations: Operation[] = [];
  private rows: Extract<Operation, { k: 'r' }> | undefined;
  private values = 0;
  failure: Error | undefined;
  /** Resolves when the worker finished, failed or stopped. */
  private readonly settled: Promise<void>;

  constructor(worker: Worker, inFlight: SharedArrayBuffer) {
    this.worker = worker;
    this.inFlight = new Int32Array(inFlight);
    let settle: () => void = () => {};
    this.settled = new Promise((resolve) => {
      settle = resolve;
    });
    worker.on('message', (message: FromWorker) => {
      if ('failed' in message) {
        const { kind, message: text, hint } = message.failed;
        this.failure ??= kind ? new SnapshotError(kind, text, { hint }) : new Error(text);
      }
      settle();
    });
    worker.on('error', (error) => {
      this.failure ??= error;
      settle();
    });
    worker.on('exit', () => {
      this.failure ??= new Error('the restore worker stopped before it finished');
      settle();
    });
  }

  private send(): void {
    if (this.operations.length === 0) return;
    Atomics.add(this.inFlight, 0, 1);
    this.worker.postMessage(this.operations satisfies ToWorker);
    this.operations = [];
    this.rows = undefined;
    this.values = 0;
  }

  begin(): void {
    this.operations.push({ k: 'b' });
  }

  row(table: string, values: unknown[], line: number): void {
    const rows = this.rows;
    if (rows && rows.t === table && rows.a === values.length) {
      for (const value of values) rows.v.push(value);
      rows.l.push(line);
    } else {
      this.rows = { k: 'r', t: table, a: values.length, v: values, l: [line] };
      this.operations.push(this.rows);
    }
    this.values += values.length;
    if (this.values >= BATCH_VALUES) this.send();
  }

  execute(sql: string, where: string): void {
    this.operations.push({ k: 'x', sql, where });
    this.rows = undefined;
  }

  commit(where: string): void {
    this.operations.push({ k: 'c', where });
    this.send();
  }

  async pace(): Promise<void> {
    this.send();
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
}

/**
 * Loads the dump open as `dumpFd` (named `dumpPath` in messages) into the new file `dbPath`; fails
 * (leaving `dbPath` for the caller to remove) when a statement is refused, the dump is truncated,
 * or its bytes are not `expectedChecksum`.
 */
export async function loadDumpIntoNewDatabase(
  dumpFd: number,
  dumpPath: string,
  dbPath: string,
  expectedChecksum: string,
  signal?: AbortSignal,
  onProgress?: (progress: LoadProgress) => void,
): Promise<LoadStats> {
  const inFlight = new SharedArrayBuffer(4);
  const init: WorkerInit = { role: ROLE, dumpPath, dbPath, inFlight };
  const worker = new Worker(new URL(import.meta.url), {
    workerData: init,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const target = new WorkerTarget(worker, inFlight);
  const onAbort = (): void => {
    target.failure ??= signal?.reason instanceof Error ? signal.reason : new Error('restore cancelled');
  };
  signal?.addEventListener('abort', onAbort);
  try {
    const stats = await loadDumpInto(target, dumpFd, dumpPath, onProgress);
    if (stats.checksum !== expectedChecksum) {
      throw refusal(
        'verification',
        `${dumpPath} changed after it was verified (its checksum is now ${stats.checksum}).`,
        'Something is writing to the snapshot directory; restore from an untouched copy.',
      );
    }
    await target.finish();
    return stats;
  } catch (error) {
    throw target.failure && error !== target.failure && !(error instanceof SnapshotError) ? target.failure : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
