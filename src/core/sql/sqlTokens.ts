/**
 * A small SQL tokenizer, enough to classify the statements of a dump and to check that the
 * values of an INSERT are literals: identifiers (bare or quoted), strings, blobs, numbers and
 * single-character punctuation; whitespace and comments are skipped.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'blob' | 'number' | 'punct';

export interface SqlToken {
  kind: TokenKind;
  /** Identifier name (unquoted), string content (unescaped), blob hex, number text or the punctuation character. */
  value: string;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isIdStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

/** Index just past the closing `quote` that starts at `start`, honouring doubled quotes; -1 if open. */
export function closingQuote(text: string, start: number, quote: string): number {
  let at = start + 1;
  for (;;) {
    const close = text.indexOf(quote, at);
    if (close < 0) return -1;
    if (text[close + 1] !== quote) return close + 1;
    at = close + 2;
  }
}

/** Tokenizes one statement; throws on an unterminated quote or comment. */
export function tokenize(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (isSpace(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(sql, i, c);
      if (end < 0) throw new Error('unterminated quote');
      const value = sql.slice(i + 1, end - 1).replaceAll(c + c, c);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value });
      i = end;
    } else if (c === '[') {
      const end = sql.indexOf(']', i);
      if (end < 0) throw new Error('unterminated identifier');
      tokens.push({ kind: 'quoted', value: sql.slice(i + 1, end) });
      i = end + 1;
    } else if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const end = closingQuote(sql, i + 1, "'");
      if (end < 0) throw new Error('unterminated blob');
      tokens.push({ kind: 'blob', value: sql.slice(i + 2, end - 1) });
      i = end;
    } else if (/[0-9.]/.test(c) && (c !== '.' || /[0-9]/.test(sql[i + 1] ?? ''))) {
      const match = /^(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)/.exec(sql.slice(i, i + 400))!;
      tokens.push({ kind: 'number', value: match[0] });
      i += match[0].length;
    } else if (isIdStart(c)) {
      let end = i + 1;
      while (end < sql.length && isIdPart(sql[end]!)) end++;
      tokens.push({ kind: 'word', value: sql.slice(i, end) });
      i = end;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

/** Case-insensitive keyword test on a bare word token. */
export const isKeyword = (token: SqlToken | undefined, ...words: string[]): boolean =>
  token?.kind === 'word' && words.includes(token.value.toUpperCase());

/** A table or object name: a bare word or a quoted identifier (or a string, which SQLite accepts). */
export const isName = (token: SqlToken | undefined): boolean =>
  token?.kind === 'word' || token?.kind === 'quoted' || token?.kind === 'string';

/**
 * SQLite's keywords (the 147 of its keyword table). A bare one is not always a name: SQLite reads
 * some as names and refuses others, so callers leave such words to SQLite.
 */
const SQL_KEYWORDS = new Set(
  `ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY
  CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE
  CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP
  EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM
  FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT
  INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING
  NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY
  RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK
  ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE
  UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/),
);

/** Is `word` (any case) one of SQLite's keywords? */
export const isSqlKeyword = (word: string): boolean => SQL_KEYWORDS.has(word.toUpperCase());
