/**
 * Runs a user's SQL script (a migration or a seed file) one statement at a time, so a failure names
 * the file and the line where the failing statement starts instead of SQLite's bare message.
 * Statements are split with the complete.c automaton (sqlComplete.ts), which keeps a
 * `CREATE TRIGGER … BEGIN …; END;` body whole.
 */
import { refusal } from '../shared/errors.ts';
import { scanStatements } from '../sql/sqlComplete.ts';
import type { Database } from './sqlite.ts';

export interface ScriptStatement {
  /** The statement from its first token through its `;` (or the end of the script). */
  text: string;
  /** 1-based line of the statement's first token. */
  line: number;
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * The offset of the first token at or after `from`, skipping whitespace and comments. A comment
 * left open at the end counts as running to the end, as SQLite's tokenizer treats it.
 */
export function skipTrivia(sql: string, from: number, to: number = sql.length): number {
  let i = from;
  while (i < to) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      const newline = sql.indexOf('\n', i + 2);
      i = newline < 0 || newline >= to ? to : newline + 1;
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 || close + 2 > to ? to : close + 2;
    } else break;
  }
  return i;
}

/**
 * Splits a script into statements with their starting lines. Empty statements (only whitespace,
 * comments, or a lone `;`) are dropped; a trailing statement without `;` is kept, so SQLite gets
 * to run it or to say what is wrong with it (an unclosed quote, a trigger without END).
 */
export function splitStatements(sql: string): ScriptStatement[] {
  const { ends } = scanStatements(sql);
  const statements: ScriptStatement[] = [];
  // Lines are counted incrementally: a seed file can hold many thousands of statements.
  let line = 1;
  let counted = 0;
  // A UTF-8 byte order mark (editors on Windows add one) is not SQL.
  let start = sql.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const end of [...ends, sql.length]) {
    const first = skipTrivia(sql, start, end);
    const empty = first >= end || (first === end - 1 && sql[first] === ';');
    if (!empty) {
      for (let i = sql.indexOf('\n', counted); i >= 0 && i < first; i = sql.indexOf('\n', i + 1)) line++;
      counted = first;
      statements.push({ text: sql.slice(first, end), line });
    }
    start = end;
  }
  return statements;
}

/**
 * Executes statements in order; the first failure throws a refusal naming `file` and the line.
 * Returns how many statements ran. `hint` replaces the default advice (callers know the context).
 */
export function runStatements(
  db: Database,
  statements: readonly ScriptStatement[],
  file: string,
  hint?: string,
): number {
  for (const statement of statements) {
    try {
      // exec, not prepare: a statement that returns rows (a SELECT, a PRAGMA) is still fine to run.
      db.exec(statement.text);
    } catch (error) {
      throw refusal(
        'invalid',
        `${file} line ${statement.line}: ${error instanceof Error ? error.message : String(error)}`,
        hint ?? `Fix the statement that starts on line ${statement.line} of ${file}, then run again.`,
        error,
      );
    }
  }
  return statements.length;
}

/** Runs a whole script statement by statement (see splitStatements); returns the number run. */
export function runSqlScript(db: Database, sql: string, file: string): number {
  return runStatements(db, splitStatements(sql), file);
}
