/**
 * Where the statements a loader accepted are carried out: a database on this thread, or one on a
 * worker thread (the loader then parses while SQLite inserts). Rows come in dump order and are
 * inserted in batches; statements and the COMMIT flush the rows before them.
 */
import { refusal } from './errors.ts';
import { RowBatchError, RowBatcher } from './rowBatch.ts';
import type { Database } from './sqlite.ts';

export interface LoadTarget {
  begin(): void;
  row(table: string, values: unknown[]): void;
  /** A statement the allow-list accepted; `where` names its place for messages. */
  execute(sql: string, where: string): void;
  commit(where: string): void;
  /** Called between statements: may wait for the target to catch up; throws its failure. */
  pace(): Promise<void> | undefined;
  /** The load failed: drop what was done. */
  abandon(): void;
}

/** Describes a refused row the way a user can find it in the dump. */
function rowRefusal(error: RowBatchError, path: string): Error {
  const shown = error.values.map((value) =>
    typeof value === 'bigint' ? `${value}` : (JSON.stringify(value) ?? String(value)),
  );
  const row = shown.length > 0 ? ` ${error.table}(${shown.join(', ').slice(0, 200)})` : ` into ${error.table}`;
  return refusal('invalid', `${path}: SQLite refused the row${row}: ${error.message}`, undefined, error);
}

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

  row(table: string, values: unknown[]): void {
    try {
      this.batch.add(table, values);
    } catch (error) {
      throw error instanceof RowBatchError ? rowRefusal(error, this.path) : error;
    }
  }

  execute(sql: string, where: string): void {
    this.flush();
    try {
      this.db.exec(sql);
    } catch (error) {
      throw refusal('invalid', `${where}: SQLite refused the statement: ${(error as Error).message}`, undefined, error);
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
