/**
 * Loads a dump into a brand-new database file in two stages, both on worker threads: a parser reads,
 * checks and parses the dump (the allow-list, the fast INSERT parser, the checksum) and hands the
 * accepted statements to an inserter that owns the new database (insertWorker.ts). Parsing and
 * inserting thus run on two cores.
 *
 * The parser runs on a worker, not on the calling thread, for memory: V8 grows a thread's young
 * generation the longer it allocates (16, 32, 64 MB, …), and parsing allocates for every row, so on
 * the calling thread peak memory grew with the size of the dump. A worker's young generation can be
 * capped; the calling thread only relays progress and stays small.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { refusal, SnapshotError } from '../shared/errors.ts';
import {
  describeFailure,
  InsertWorkerTarget,
  rebuildFailure,
  type ThreadFailure,
  WORKER_YOUNG_GENERATION_MB,
} from './insertWorker.ts';
import { type LoadProgress, type LoadStats, loadDumpInto } from './loadDump.ts';

const ROLE = 'sqlite-snapshot-restore-parse';

interface ParserInit {
  role: typeof ROLE;
  dumpFd: number;
  dumpPath: string;
  dbPath: string;
}

type FromParser = { progress: LoadProgress } | { done: LoadStats } | { failed: ThreadFailure };

/** Parses the dump on this thread and inserts through an insert worker; the worker is stopped at the end. */
async function parseAndInsert(
  dumpFd: number,
  dumpPath: string,
  dbPath: string,
  onProgress: (progress: LoadProgress) => void,
): Promise<LoadStats> {
  const target = new InsertWorkerTarget(dumpPath, dbPath);
  try {
    const stats = await loadDumpInto(target, dumpFd, dumpPath, onProgress);
    await target.finish();
    return stats;
  } catch (error) {
    // The inserter's own failure (a refused row, a full disk) explains a later one here.
    throw target.failure && error !== target.failure && !(error instanceof SnapshotError) ? target.failure : error;
  } finally {
    await target.terminate();
  }
}

if (!isMainThread && (workerData as ParserInit | undefined)?.role === ROLE) {
  const init = workerData as ParserInit;
  const port = parentPort!;
  parseAndInsert(init.dumpFd, init.dumpPath, init.dbPath, (progress) =>
    port.postMessage({ progress } satisfies FromParser),
  ).then(
    (stats) => port.postMessage({ done: stats } satisfies FromParser),
    (error: unknown) => port.postMessage(describeFailure(error) satisfies FromParser),
  );
}

/**
 * Loads the dump open as `dumpFd` (named `dumpPath` in messages) into the new file `dbPath`; fails
 * (leaving `dbPath` for the caller to remove) when a statement is refused, the dump is truncated,
 * or its bytes are not `expectedChecksum`. `signal` stops the load (both threads) at once.
 */
export async function loadDumpIntoNewDatabase(
  dumpFd: number,
  dumpPath: string,
  dbPath: string,
  expectedChecksum: string,
  signal?: AbortSignal,
  onProgress?: (progress: LoadProgress) => void,
): Promise<LoadStats> {
  const init: ParserInit = { role: ROLE, dumpFd, dumpPath, dbPath };
  const worker = new Worker(new URL(import.meta.url), {
    workerData: init,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  let onAbort = (): void => {};
  try {
    const stats = await new Promise<LoadStats>((resolve, reject) => {
      onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('restore cancelled'));
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort);
      worker.on('message', (message: FromParser) => {
        if ('progress' in message) onProgress?.(message.progress);
        else if ('done' in message) resolve(message.done);
        else reject(rebuildFailure(message.failed));
      });
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('the restore worker stopped before it finished')));
    });
    if (stats.checksum !== expectedChecksum) {
      throw refusal(
        'verification',
        `${dumpPath} changed after it was verified (its checksum is now ${stats.checksum}).`,
        'Something is writing to the snapshot directory; restore from an untouched copy.',
      );
    }
    return stats;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Stops the parser and, with it, the insert worker it started.
    await worker.terminate();
  }
}
