/**
 * Inserts rows in batches: one multi-row `INSERT … VALUES(?,…),(?,…)` per batch costs one call
 * into SQLite instead of one per row. Rows of a batch are consecutive rows of one table, in dump
 * order, so the result is the same as inserting them one by one (triggers and AUTOINCREMENT
 * included).
 */
import type { Statement } from 'better-sqlite3';
import { quoteIdentifier } from '../sql/sqlLiteral.ts';
import type { Database } from '../sqlite/sqlite.ts';

const MAX_ROWS = 256;
/** SQLite's default limit on bound parameters is 32766. */
const MAX_PARAMETERS = 32000;

/** SQLite refused a row: which one, and where the dump holds it. */
export class RowBatchError extends Error {
  readonly table: string;
  /** The refused row's values; empty when only the batch as a whole failed. */
  readonly values: unknown[];
  /** The dump line of the refused row (of the batch's first row when no single row failed). */
  readonly line: number;

  constructor(table: string, values: unknown[], line: number, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.table = table;
    this.values = values;
    this.line = line;
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
  /** The dump line of each pending row, to name the one SQLite refuses. */
  private lines: number[] = [];

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

  /** Adds the row `values[start … start + arity)` of `table`, found on `line` of the dump. */
  add(table: string, values: readonly unknown[], start: number, arity: number, line: number): void {
    if (this.rows > 0 && (table !== this.table || arity !== this.arity)) this.flush();
    if (this.rows === 0) {
      this.table = table;
      this.arity = arity;
      this.limit = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, arity))));
    }
    for (let at = start; at < start + arity; at++) this.values.push(values[at]);
    this.lines.push(line);
    if (++this.rows === this.limit) this.flush();
  }

  /**
   * Inserts what is pending. On failure, finds the failing row by inserting one by one: SQLite's
   * message is the same either way (a missing table or a trigger that does not compile fails to
   * prepare; a constraint fails on its row), and the row's line is what the user needs.
   */
  flush(): void {
    if (this.rows === 0) return;
    const { table, arity, rows, values, lines } = this;
    this.rows = 0;
    this.values = [];
    this.lines = [];
    this.db.exec('SAVEPOINT batch');
    try {
      this.statement(table, arity, rows).run(values);
      this.db.exec('RELEASE batch');
      return;
    } catch (error) {
      // Some errors (a full disk, I/O) make SQLite roll back the whole transaction: nothing to retry.
      if (!this.db.inTransaction) throw error;
      this.db.exec('ROLLBACK TO batch');
      this.db.exec('RELEASE batch');
      this.insertOneByOne(table, arity, values, lines);
      throw new RowBatchError(table, [], lines[0]!, error);
    }
  }

  private insertOneByOne(table: string, arity: number, values: unknown[], lines: number[]): void {
    for (let row = 0; row < lines.length; row++) {
      const rowValues = values.slice(row * arity, (row + 1) * arity);
      try {
        this.statement(table, arity, 1).run(rowValues);
      } catch (error) {
        if (!this.db.inTransaction) throw error;
        throw new RowBatchError(table, rowValues, lines[row]!, error);
      }
    }
  }
}
