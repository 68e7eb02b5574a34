/**
 * Exact per-table row counts: what the loader inserted from the dump, and the check that the new
 * database holds exactly that many rows in each table. A page-level check (quick_check) finds a
 * damaged file; only a count against the dump finds rows that went missing or appeared on the way
 * in (a trigger firing during the load, a constraint that silently drops or replaces a row, a
 * loader fault), so the restore compares them right after loading, before any migration runs.
 */
import { counted } from '../shared/plural.ts';
import { quoted } from '../shared/untrusted.ts';
import { quoteIdentifier } from '../sql/sqlLiteral.ts';
import { isKeyword, isName, tokenize } from '../sql/sqlTokens.ts';
import type { Database } from '../sqlite/sqlite.ts';

/** SQLite compares names case-insensitively for ASCII letters only; so does this key. */
export const tableKey = (name: string): string => name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

/**
 * The table and the number of rows of a plain `INSERT INTO t [(columns)] VALUES (…), (…)` that the
 * statement policy accepted: one row per parenthesised group after VALUES. Undefined for anything
 * else (the policy refuses it before it runs).
 */
export function insertedRows(sql: string): { table: string; rows: number } | undefined {
  const tokens = tokenize(sql);
  const name = tokens[2];
  if (!isKeyword(tokens[0], 'INSERT') || !isKeyword(tokens[1], 'INTO') || !isName(name)) return undefined;
  let at = 3;
  let depth = 0;
  // Skip the column list, if any: VALUES is the first keyword outside parentheses.
  for (; at < tokens.length && !(depth === 0 && isKeyword(tokens[at], 'VALUES')); at++) {
    const token = tokens[at]!;
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth--;
  }
  let rows = 0;
  for (at++; at < tokens.length; at++) {
    const token = tokens[at]!;
    if (token.kind !== 'punct') continue;
    if (token.value === '(' && depth++ === 0) rows++;
    else if (token.value === ')') depth--;
  }
  return { table: name!.value, rows };
}

/** Counts rows per table as the loader inserts them; `counter()` hands out one table's counter. */
export class TableRowCounts {
  private readonly counts = new Map<string, { name: string; rows: number }>();

  /** The counter of `table` (any spelling SQLite takes for it): the fast path keeps it and adds one per row. */
  counter(table: string): { rows: number } {
    const key = tableKey(table);
    let counter = this.counts.get(key);
    if (!counter) {
      counter = { name: table, rows: 0 };
      this.counts.set(key, counter);
    }
    return counter;
  }

  /** Rows per table, by its first spelling in the dump (a plain Map crosses threads). */
  toMap(): Map<string, number> {
    return new Map([...this.counts.values()].map(({ name, rows }) => [name, rows]));
  }
}

/**
 * One problem line per table whose row count in `db` differs from `expected` (by tableKey; tables
 * the dump inserted nothing into must be empty). Internal sqlite_ tables are not compared: SQLite
 * writes sqlite_sequence itself, and the dump carries no statistics by default.
 */
export function rowCountProblems(db: Database, inserted: ReadonlyMap<string, number>): string[] {
  const expected = new Map([...inserted].map(([name, rows]) => [tableKey(name), { name, rows }]));
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const table of tables) {
    seen.add(tableKey(table));
    const want = expected.get(tableKey(table))?.rows ?? 0;
    const have = Number(
      db
        .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`)
        .pluck()
        .get(),
    );
    if (have !== want) {
      problems.push(`table ${quoted(table)} holds ${counted(have, 'row')} after loading; the dump inserted ${want}`);
    }
  }
  for (const [key, { name, rows }] of expected) {
    if (!seen.has(key) && !key.startsWith('sqlite_') && rows > 0) {
      problems.push(
        `the dump inserted ${counted(rows, 'row')} into ${quoted(name)}, which is not a table of the restored database`,
      );
    }
  }
  return problems;
}
