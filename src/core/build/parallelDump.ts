/**
 * The dump on several threads: the planning connection holds the read transaction and writes the
 * static units; worker threads, each with its own read-only connection opened while that
 * transaction is held, write the row units. Each worker fills a small pool of buffers that travel
 * to this thread and back (transferred, never copied or reallocated), so memory stays flat; the
 * sink receives bytes strictly in unit order, identical to a single-threaded dump.
 *
 * Only used where every connection is guaranteed the same snapshot: a rollback-journal database
 * (the planning connection's SHARED lock keeps any writer from committing) or a private copy.
 */
import {
  isMainThread,
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import { CHUNK_BYTES, type ChunkSink, ChunkWriter, reusingSink } from '../shared/chunkWriter.ts';
import { heapKeeper } from '../shared/heap.ts';
import type { TableInfo } from '../sqlite/schema.ts';
import { SCAN_CACHE_PRAGMA } from '../sqlite/source.ts';
import { type Database, loadSqlite } from '../sqlite/sqlite.ts';
import { type DumpProgress, type DumpStats, planDump } from './dump.ts';
import { dumpTableRows, type RowRange } from './rowWriter.ts';

const ROLE = 'sqlite-snapshot-dump';
/** Buffers per worker: bounds each worker's output in flight to this many MiB. */
const POOL_BUFFERS = 4;
/** Units queued per worker, so a worker never waits for this thread to hand it the next one. */
const UNITS_AHEAD = 2;
/** The row loop makes short-lived garbage; a small nursery keeps each worker's memory flat. */
const WORKER_YOUNG_GENERATION_MB = 4;

interface WorkerInit {
  role: typeof ROLE;
  path: string;
  tables: TableInfo[];
  /** Buffers come back on this port; `returned` counts them so a full pool can Atomics.wait. */
  returns: MessagePort;
  returned: SharedArrayBuffer;
}

type ToWorker = { unit: number; table: number; range: RowRange | undefined };
type FromWorker =
  | { type: 'ready' }
  | { type: 'chunk'; unit: number; buffer: ArrayBuffer; length: number }
  | { type: 'end'; unit: number; rows: number }
  | { type: 'error'; message: string; code: string | undefined };

const errorMessage = (error: unknown): FromWorker => ({
  type: 'error',
  message: (error as Error).message,
  code: (error as { code?: string }).code,
});

/** The worker's pool: new buffers up to POOL_BUFFERS, then only those handed back. */
function poolSink(init: WorkerInit, unit: () => number): ChunkSink {
  const returned = new Int32Array(init.returned);
  let allocated = 0;
  let seen = 0;
  return {
    take(buffer, length) {
      const message: FromWorker = { type: 'chunk', unit: unit(), buffer: buffer.buffer as ArrayBuffer, length };
      parentPort!.postMessage(message, [buffer.buffer as ArrayBuffer]);
    },
    next() {
      for (;;) {
        const back = receiveMessageOnPort(init.returns);
        if (back) return Buffer.from(back.message as ArrayBuffer);
        if (allocated < POOL_BUFFERS) {
          allocated++;
          return Buffer.allocUnsafeSlow(CHUNK_BYTES);
        }
        Atomics.wait(returned, 0, seen, 1000);
        seen = Atomics.load(returned, 0);
      }
    },
  };
}

/** The worker's side: one connection, one read transaction, units on request. */
async function runWorker(init: WorkerInit): Promise<void> {
  const port = parentPort!;
  let db: Database;
  try {
    const Sqlite = await loadSqlite();
    db = new Sqlite(init.path, { readonly: true, fileMustExist: true, timeout: 10000 });
    db.pragma(SCAN_CACHE_PRAGMA);
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    port.postMessage(errorMessage(error));
    return;
  }
  let current = -1;
  const out = new ChunkWriter(poolSink(init, () => current));
  const keepHeapFlat = heapKeeper();
  port.postMessage({ type: 'ready' } satisfies FromWorker);
  port.on('message', (message: ToWorker) => {
    current = message.unit;
    try {
      const rows = dumpTableRows(db, out, init.tables[message.table]!, message.range, () => keepHeapFlat(out.size));
      out.end();
      port.postMessage({ type: 'end', unit: message.unit, rows } satisfies FromWorker);
    } catch (error) {
      port.postMessage(errorMessage(error));
    }
  });
}

if (!isMainThread && (workerData as WorkerInit | undefined)?.role === ROLE) {
  void runWorker(workerData as WorkerInit);
}

interface DumpWorker {
  thread: Worker;
  returns: MessagePort;
  returned: Int32Array;
}

interface UnitOutput {
  chunks: { buffer: ArrayBuffer; length: number }[];
  ended: boolean;
  rows: number;
  worker: DumpWorker;
}

/**
 * Writes the dump of `db` (opened on `readPath`) with `threads` worker threads reading rows.
 * Opens the planning transaction itself and keeps it until every worker is done.
 */
export async function writeDumpParallel(
  db: Database,
  path: string,
  readPath: string,
  threads: number,
  sink: (bytes: Buffer) => void,
  onProgress?: (progress: DumpProgress) => void,
): Promise<DumpStats> {
  db.exec('BEGIN');
  const workers: DumpWorker[] = [];
  try {
    const { schema, units } = planDump(db, path);
    const tableIndex = new Map(schema.tables.map((table, index) => [table, index]));
    const outputs = new Map<number, UnitOutput>();
    const idle: DumpWorker[] = [];
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const signal = (): void => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };

    for (let index = 0; index < threads; index++) {
      const channel = new MessageChannel();
      const returned = new SharedArrayBuffer(4);
      const init: WorkerInit = { role: ROLE, path: readPath, tables: schema.tables, returns: channel.port2, returned };
      const thread = new Worker(new URL(import.meta.url), {
        workerData: init,
        transferList: [channel.port2],
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      const worker: DumpWorker = { thread, returns: channel.port1, returned: new Int32Array(returned) };
      thread.on('message', (message: FromWorker) => {
        if (message.type === 'ready') for (let slot = 0; slot < UNITS_AHEAD; slot++) idle.push(worker);
        else if (message.type === 'chunk') outputs.get(message.unit)?.chunks.push(message);
        else if (message.type === 'end') {
          const output = outputs.get(message.unit)!;
          output.ended = true;
          output.rows = message.rows;
          idle.push(worker);
        } else failure ??= Object.assign(new Error(message.message), { code: message.code });
        signal();
      });
      thread.on('error', (error) => {
        failure ??= error;
        signal();
      });
      // Workers only stop when terminated at the end; one that exits sooner would leave its units unwritten.
      thread.on('exit', (code) => {
        failure ??= new Error(`a dump worker stopped before it finished (exit code ${code})`);
        signal();
      });
      workers.push(worker);
    }

    const rowUnits = units.flatMap((unit, index) => (unit.kind === 'rows' ? [index] : []));
    let nextRowUnit = 0;
    const assign = (): void => {
      while (idle.length > 0 && nextRowUnit < rowUnits.length) {
        const unitIndex = rowUnits[nextRowUnit++]!;
        const unit = units[unitIndex]!;
        if (unit.kind !== 'rows') continue;
        const worker = idle.shift()!;
        outputs.set(unitIndex, { chunks: [], ended: false, rows: 0, worker });
        const request: ToWorker = { unit: unitIndex, table: tableIndex.get(unit.table)!, range: unit.range };
        worker.thread.postMessage(request);
      }
    };

    let bytes = 0;
    const write = (data: Buffer): void => {
      bytes += data.length;
      sink(data);
    };
    const statics = new ChunkWriter(reusingSink(write));
    let rows = 0;
    const tableRows = new Map<string, number>();
    for (let unitIndex = 0; unitIndex < units.length; unitIndex++) {
      const unit = units[unitIndex]!;
      if (unit.kind === 'static') {
        unit.write(statics);
        statics.end();
        continue;
      }
      for (;;) {
        if (failure) throw failure;
        assign();
        const output = outputs.get(unitIndex);
        for (const chunk of output?.chunks.splice(0) ?? []) {
          write(Buffer.from(chunk.buffer, 0, chunk.length));
          // Hand the buffer back to its worker and wake it if its pool ran dry.
          output!.worker.returns.postMessage(chunk.buffer, [chunk.buffer]);
          Atomics.add(output!.worker.returned, 0, 1);
          Atomics.notify(output!.worker.returned, 0);
        }
        if (output?.ended) {
          outputs.delete(unitIndex);
          rows += output.rows;
          const tableTotal = (tableRows.get(unit.table.name) ?? 0) + output.rows;
          tableRows.set(unit.table.name, tableTotal);
          onProgress?.({ table: unit.table.name, rows: tableTotal, bytes });
          break;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    }
    return { tables: schema.tables.length, rows };
  } finally {
    await Promise.all(workers.map((worker) => worker.thread.terminate()));
    for (const worker of workers) worker.returns.close();
    db.exec('COMMIT');
  }
}
