/**
 * Statement completeness with the semantics of SQLite's `sqlite3_complete()` (complete.c): a text
 * is complete when it ends with a semicolon that is not inside a string, identifier quote, comment,
 * or the body of a `CREATE TRIGGER … END`. The dump uses it for the comment-safe terminator of
 * schema statements; the restore splitter uses the same state machine.
 */

/** The token classes of complete.c, for a caller that tokenizes on its own (rawLiterals.ts reads bytes). */
export const Token = {
  Semi: 0,
  Space: 1,
  Other: 2,
  Explain: 3,
  Create: 4,
  Temp: 5,
  Trigger: 6,
  End: 7,
} as const;
export type Token = (typeof Token)[keyof typeof Token];

// Rows: states INVALID(0) START(1) NORMAL(2) EXPLAIN(3) CREATE(4) TRIGGER(5) SEMI(6) END(7);
// columns: tokens. The automaton of complete.c; a text is complete when it ends in START.
const TRANSITIONS: readonly (readonly number[])[] = [
  /* INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];

/** The state after a complete statement (and the "complete" verdict). */
export const START_STATE = 1;
/** The state before any token has been seen: an empty text is not complete. */
export const INITIAL_STATE = 0;

/** The automaton's state after `token` in `state`. */
export const stepStatement = (state: number, token: Token): number => TRANSITIONS[state]![token]!;

/** Whitespace for complete.c (space, tab, newline, vertical tab, form feed, CR). */
export const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
/** An identifier byte or UTF-16 unit for complete.c: ASCII letters, digits, _ and $, and anything past ASCII. */
export const isIdChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) ||
  (c >= 0x41 && c <= 0x5a) ||
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x5f ||
  c === 0x24 ||
  c >= 0x80;

export function keywordToken(word: string): Token {
  switch (word.toLowerCase()) {
    case 'create':
      return Token.Create;
    case 'trigger':
      return Token.Trigger;
    case 'temp':
    case 'temporary':
      return Token.Temp;
    case 'end':
      return Token.End;
    case 'explain':
      return Token.Explain;
    default:
      return Token.Other;
  }
}

export interface ScanResult {
  /** Automaton state after the text; START_STATE means the text ends a statement. */
  state: number;
  /** Offset just past each statement-ending semicolon seen. */
  ends: number[];
  /** True when the text stops inside a quote or a comment. */
  open: boolean;
}

/**
 * Runs the automaton over `sql` starting from `state`. Returns the ends of complete statements,
 * so a streaming splitter can cut at them.
 */
export function scanStatements(sql: string, state: number = INITIAL_STATE): ScanResult {
  const ends: number[] = [];
  let i = 0;
  const n = sql.length;
  const step = (token: Token): void => {
    state = stepStatement(state, token);
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 0x3b) {
      step(Token.Semi);
      i++;
      if (state === START_STATE) ends.push(i);
    } else if (isSpace(c)) {
      step(Token.Space);
      i++;
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return { state, ends, open: true };
      step(Token.Space);
      i = close + 2;
    } else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      const newline = sql.indexOf('\n', i + 2);
      if (newline < 0) return { state, ends, open: state !== START_STATE };
      step(Token.Space);
      i = newline + 1;
    } else if (c === 0x5b) {
      const close = sql.indexOf(']', i + 1);
      if (close < 0) return { state, ends, open: true };
      step(Token.Other);
      i = close + 1;
    } else if (c === 0x27 || c === 0x22 || c === 0x60) {
      const quote = sql[i]!;
      let j = i + 1;
      for (;;) {
        const close = sql.indexOf(quote, j);
        if (close < 0) return { state, ends, open: true };
        // A doubled quote is an escaped quote inside the token.
        if (sql[close + 1] === quote) j = close + 2;
        else {
          j = close + 1;
          break;
        }
      }
      step(Token.Other);
      i = j;
    } else if (isIdChar(c)) {
      let j = i + 1;
      while (j < n && isIdChar(sql.charCodeAt(j))) j++;
      step(keywordToken(sql.slice(i, j)));
      i = j;
    } else {
      step(Token.Other);
      i++;
    }
  }
  return { state, ends, open: false };
}

/** `sqlite3_complete()`: does `sql` end exactly at the end of a statement? */
export function isCompleteStatement(sql: string): boolean {
  const result = scanStatements(sql);
  return !result.open && result.state === START_STATE;
}
