/**
 * Runs a query a user gave (a version query, a restore check): one read-only SELECT returning one
 * column. It runs under PRAGMA query_only, so SQLite itself refuses any write whatever the
 * statement; the keyword test also keeps out PRAGMAs, which can change settings.
 */

import { isKeyword, tokenize } from '../sql/sqlTokens.ts';
import type { Database } from './sqlite.ts';

/** Why a query cannot be used, as a phrase that follows the query's name. */
export class UserQueryError extends Error {}

/** The first `limit` values of the query's single column (integers as bigint). */
export function selectOneColumn(db: Database, sql: string, limit: number): unknown[] {
  const wasQueryOnly = db.pragma('query_only', { simple: true }) as number;
  db.pragma('query_only = ON');
  try {
    let statement: ReturnType<Database['prepare']>;
    try {
      // prepare() refuses text holding more than one statement, so nothing can ride along.
      statement = db.prepare(sql);
    } catch (error) {
      throw new UserQueryError(`is not one valid SQL statement: ${(error as Error).message}`);
    }
    let first: ReturnType<typeof tokenize>[number] | undefined;
    try {
      first = tokenize(sql)[0];
    } catch {
      first = undefined;
    }
    if (!statement.reader || !statement.readonly || !isKeyword(first, 'SELECT', 'WITH', 'VALUES')) {
      throw new UserQueryError('is not a read-only SELECT');
    }
    const columns = statement.columns().length;
    if (columns !== 1) throw new UserQueryError(`returns ${columns} columns; it must return exactly one`);
    const values: unknown[] = [];
    try {
      for (const row of statement.raw(true).safeIntegers(true).iterate() as Iterable<unknown[]>) {
        values.push(row[0]);
        if (values.length >= limit) break;
      }
    } catch (error) {
      throw new UserQueryError(`failed: ${(error as Error).message}`);
    }
    return values;
  } finally {
    db.pragma(`query_only = ${wasQueryOnly ? 'ON' : 'OFF'}`);
  }
}
