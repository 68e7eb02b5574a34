/**
 * Where the statements a loader accepted are carried out: a database on this thread, or one on a
 * worker thread (the loader then parses while SQLite inserts). Rows come in dump order and are
 * inserted in batches; statements and the COMMIT flush the rows before them.
 */
import { refusal, type SnapshotError } from '../shared/errors.ts';
import { printableShort, quoted } from '../shared/untrusted.ts';
import type { Database } from '../sqlite/sqlite.ts';
import { RowBatchError, RowBatcher } from './rowBatch.ts';

export interface LoadTarget {
  begin(): void;
  /** A row of `table` the fast path parsed; `line`: where its statement starts in the dump. */
  row(table: string, values: unknown[], line: number): void;
  /** A statement the allow-list accepted; `where` names its place for messages. */
  execute(sql: string, where: string): void;
  commit(where: string): void;
  /** Called between statements: may wait for the target to catch up; throws its failure. */
  pace(): Promise<void> | undefined;
  /** The load failed: drop what was done. */
  abandon(): void;
}

const BROKEN_DUMP_HINT =
  'The dump is inconsistent (it fills a table or column it does not create, breaks a constraint, or holds SQL SQLite cannot run): rebuild the snapshot with sqlite-snapshot build from its database.';

/** SQLite's message, which quotes names and SQL from the dump: on one line, controls escaped, cut short. */
function sqliteReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return printableShort(message, 300);
}

/**
 * Describes a refused row the way a user finds it in the dump: its line, and its table. The cause
 * is SQLite's own error, whose code tells a full disk from a broken dump.
 */
const rowRefusal = (error: RowBatchError, path: string): SnapshotError =>
  refusal(
    'invalid',
    `${path} line ${error.line}: SQLite refused the row of ${quoted(error.table)}: ${sqliteReason(error.cause)}`,
    BROKEN_DUMP_HINT,
    error.cause,
  );

/** Carries the load out on `db`, on this thread. */
export class DatabaseTarget implements LoadTarget {
  private readonly db: Database;
  private readonly batch: RowBatcher;
  private readonly path: string;

  constructor(db: Database, path: string) {
    this.db = db;
    this.path = path;
    this.batch = new RowBatcher(db);
  }

  private flush(): void {
    try {
      this.batch.flush();
    } catch (error) {
      throw error instanceof RowBatchError ? rowRefusal(error, this.path) : error;
    }
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  row(table: string, values: unknown[], line: number): void {
    this.rowOf(table, values, 0, values.length, line);
  }

  /** The row `values[start … start + arity)`: a worker's rows come flattened, one array per batch. */
  rowOf(table: string, values: readonly unknown[], start: number, arity: number, line: number): void {
    try {
      this.batch.add(table, values, start, arity, line);
    } catch (error) {
      throw error instanceof RowBatchError ? rowRefusal(error, this.path) : error;
    }
  }

  execute(sql: string, where: string): void {
    this.flush();
    try {
      this.db.exec(sql);
    } catch (error) {
      throw refusal(
        'invalid',
        `${where}: SQLite refused the statement: ${sqliteReason(error)}`,
        BROKEN_DUMP_HINT,
        error,
      );
    }
  }

  commit(): void {
    this.flush();
    this.db.exec('COMMIT');
  }

  pace(): undefined {
    return undefined;
  }

  abandon(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }
}
