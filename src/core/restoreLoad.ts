/**
 * Loads a dump into a brand-new database file on a worker thread. The worker has a small V8
 * nursery (the parser makes short-lived garbage) and the new database a modest page cache, so
 * memory stays flat whatever the dump size; this thread stays free.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type ErrorKind, ioError, refusal, SnapshotError } from './errors.ts';
import { type LoadStats, loadDump } from './loadDump.ts';
import { type Database, loadSqlite } from './sqlite.ts';

const ROLE = 'sqlite-snapshot-restore';
const WORKER_YOUNG_GENERATION_MB = 64;

interface LoadRequest {
  role: typeof ROLE;
  dumpPath: string;
  dbPath: string;
  expectedChecksum: string;
}

type LoadReply =
  | { ok: true; stats: LoadStats }
  | { ok: false; kind: ErrorKind | undefined; message: string; hint: string | undefined };

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
  const code = (error as { code?: string }).code ?? '';
  const cause = error instanceof SnapshotError ? error.cause : error;
  const causeCode = (cause as { code?: string } | undefined)?.code ?? code;
  if (causeCode.startsWith('SQLITE_FULL') || causeCode === 'ENOSPC') {
    return ioError(
      `No space left on the device while restoring into ${dirname(dbPath)}.`,
      'Free some space next to the target database (the restore needs room for a full copy, and for a backup with --force).',
      error,
    );
  }
  if (causeCode.startsWith('SQLITE_IOERR')) {
    return ioError(`I/O error while restoring into ${dirname(dbPath)}: ${(error as Error).message}`, undefined, error);
  }
  return error;
}

async function loadInWorker(request: LoadRequest): Promise<LoadStats> {
  try {
    return await loadAndCheck(request);
  } catch (error) {
    throw explainLoadError(error, request.dbPath);
  }
}

async function loadAndCheck(request: LoadRequest): Promise<LoadStats> {
  if (existsSync(request.dbPath)) throw new Error(`refusing to load into existing file ${request.dbPath}`);
  const Sqlite = await loadSqlite();
  const db = new Sqlite(request.dbPath);
  try {
    prepareNewDatabase(db);
    const stats = loadDump(db, request.dumpPath);
    if (stats.checksum !== request.expectedChecksum) {
      throw refusal(
        'verification',
        `${request.dumpPath} changed after it was verified (its checksum is now ${stats.checksum}).`,
        'Something is writing to the snapshot directory; restore from an untouched copy.',
      );
    }
    // A plain rollback-journal file with no sidecars, ready to be renamed into place.
    db.pragma('journal_mode = DELETE');
    return stats;
  } finally {
    db.close();
  }
}

if (!isMainThread && (workerData as LoadRequest | undefined)?.role === ROLE) {
  loadInWorker(workerData as LoadRequest).then(
    (stats) => parentPort!.postMessage({ ok: true, stats } satisfies LoadReply),
    (error: unknown) =>
      parentPort!.postMessage({
        ok: false,
        kind: error instanceof SnapshotError ? error.kind : undefined,
        message: (error as Error).message,
        hint: error instanceof SnapshotError ? error.hint : undefined,
      } satisfies LoadReply),
  );
}

/**
 * Loads `dumpPath` into the new file `dbPath`; fails (leaving `dbPath` for the caller to remove)
 * when a statement is refused, the dump is truncated, or its bytes are not `expectedChecksum`.
 */
export function loadDumpIntoNewDatabase(
  dumpPath: string,
  dbPath: string,
  expectedChecksum: string,
  signal?: AbortSignal,
): Promise<LoadStats> {
  const request: LoadRequest = { role: ROLE, dumpPath, dbPath, expectedChecksum };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: request,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    let settled = false;
    // Cancelled: stop the worker and settle once it is gone, so the caller may remove its files.
    signal?.addEventListener('abort', () => {
      if (settled) return;
      settled = true;
      void worker.terminate().then(() => reject(signal.reason));
    });
    worker.once('message', (reply: LoadReply) => {
      settled = true;
      if (reply.ok) resolve(reply.stats);
      else
        reject(
          reply.kind ? new SnapshotError(reply.kind, reply.message, { hint: reply.hint }) : new Error(reply.message),
        );
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the restore worker stopped unexpectedly (exit code ${code})`));
    });
  });
}
