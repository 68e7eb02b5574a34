/**
 * Inserts rows in batches: one multi-row `INSERT … VALUES(?,…),(?,…)` per batch costs one call
 * into SQLite instead of one per row. Rows of a batch are consecutive rows of one table, in dump
 * order, so the result is the same as inserting them one by one (triggers and AUTOINCREMENT
 * included).
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from './sqlite.ts';
import { quoteIdentifier } from './sqlLiteral.ts';

const MAX_ROWS = 256;
/** SQLite's default limit on bound parameters is 32766. */
const MAX_PARAMETERS = 32000;

export class RowBatchError extends Error {
  readonly table: string;
  readonly values: unknown[];

  constructor(table: string, values: unknown[], cause: unknown) {
    super((cause as Error).message, { cause });
    this.table = table;
    this.values = values;
  }
}

export class RowBatcher {
  private readonly db: Database;
  private readonly statements = new Map<string, Statement>();
  private table = '';
  private arity = 0;
  private limit = 0;
  private rows = 0;
  private values: unknown[] = [];

  constructor(db: Database) {
    this.db = db;
  }

  private statement(table: string, arity: number, rows: number): Statement {
    const key = `${arity}\u0000${rows}\u0000${table}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const row = `(${Array.from({ length: arity }, () => '?').join(',')})`;
      const sql = `INSERT INTO ${quoteIdentifier(table)} VALUES${Array.from({ length: rows }, () => row).join(',')}`;
      statement = this.db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }

  add(table: string, row: unknown[]): void {
    if (this.rows > 0 && (table !== this.table || row.length !== this.arity)) this.flush();
    if (this.rows === 0) {
      this.table = table;
      this.arity = row.length;
      this.limit = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, row.length))));
    }
    for (const value of row) this.values.push(value);
    if (++this.rows === this.limit) this.flush();
  }

  /** Inserts what is pending. On failure, finds the failing row by inserting one by one. */
  flush(): void {
    if (this.rows === 0) return;
    const { table, arity, rows, values } = this;
    this.rows = 0;
    this.values = [];
    this.db.exec('SAVEPOINT batch');
    try {
      this.statement(table, arity, rows).run(values);
      this.db.exec('RELEASE batch');
    } catch (error) {
      // Some errors (a full disk, I/O) make SQLite roll back the whole transaction: nothing to retry.
      if (!this.db.inTransaction) throw error;
      this.db.exec('ROLLBACK TO batch');
      this.db.exec('RELEASE batch');
      const single = this.statement(table, arity, 1);
      for (let start = 0; start < values.length; start += arity) {
        const row = values.slice(start, start + arity);
        try {
          single.run(row);
        } catch (rowError) {
          throw new RowBatchError(table, row, rowError);
        }
      }
      throw new RowBatchError(table, [], error);
    }
  }
}
