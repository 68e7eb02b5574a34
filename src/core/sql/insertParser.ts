/**
 * The fast path of a restore: parses the single-row `INSERT INTO name VALUES(…);` statements that
 * dumps consist of into JS values, so they can be bound to a prepared statement instead of being
 * parsed by SQLite one by one. Only literal forms are understood (NULL, integers, reals, strings,
 * blobs, the shell's replace(…,char(N)) line breaks, schollz/sqlite3dump's Inf); anything else is
 * left to the general path, which checks and executes the statement as SQL. So is every form where
 * JS could store other bytes than SQLite would (a surrogate's char(), a NUL in a literal, a bare
 * keyword as the table name): both paths must store the same (test/core/sql/insertDifferential.test.ts).
 */
import { INT64_MAX, INT64_MIN } from '../shared/int64.ts';
import { closingQuote, isSqlKeyword } from './sqlTokens.ts';

export type ParsedInsert =
  /** `valuesAt`: where the values start; the text before it is the same for every row of the table. */
  | { kind: 'row'; table: string; values: unknown[]; valuesAt: number; end: number }
  /** The statement continues past the text read so far. */
  | { kind: 'more' }
  /** Not a form this parser handles; use the general path. */
  | { kind: 'general' };

const MORE = { kind: 'more' } as const;
const GENERAL = { kind: 'general' } as const;
const BARE_NAME = /[A-Za-z0-9_$\u0080-\uffff]/;

interface Parsed<T> {
  value: T;
  end: number;
}

/** A table name: "quoted", [bracketed], `backticked` or bare. */
function parseName(text: string, at: number): Parsed<string> | 'more' | undefined {
  const c = text[at];
  if (c === undefined) return 'more';
  if (c === '"' || c === '`') {
    const end = closingQuote(text, at, c);
    if (end < 0) return 'more';
    return { value: text.slice(at + 1, end - 1).replaceAll(c + c, c), end };
  }
  if (c === '[') {
    const end = text.indexOf(']', at);
    return end < 0 ? 'more' : { value: text.slice(at + 1, end), end: end + 1 };
  }
  let end = at;
  while (end < text.length && BARE_NAME.test(text[end]!)) end++;
  if (end === text.length) return 'more';
  if (end === at || /[0-9$]/.test(c)) return undefined;
  const name = text.slice(at, end);
  // A bare keyword is SQLite's to read (VALUES is a syntax error there, ABORT a name).
  return isSqlKeyword(name) ? undefined : { value: name, end };
}

function parseString(text: string, at: number): Parsed<string> | 'more' | undefined {
  const end = closingQuote(text, at, "'");
  if (end < 0) return 'more';
  const raw = text.slice(at + 1, end - 1);
  // SQLite's tokenizer stops at a NUL, so it refuses such a literal; leave that to it.
  if (raw.includes('\u0000')) return undefined;
  return { value: raw.includes("'") ? raw.replaceAll("''", "'") : raw, end };
}

/**
 * Nesting of replace() the fast path reads: a dump nests one for newlines and one for CRs. Deeper
 * nests go to SQLite, which refuses expressions deeper than its own limit; the parse is a loop, so
 * no nesting can exhaust the stack here.
 */
const MAX_REPLACE_NESTING = 4;
const REPLACE_CALL = 'replace(';
const CHAR_TAIL = /^,char\(([0-9]{1,7})\)\)/;

/** A code point SQLite's char() and JS agree on: not 0 (SQLite stops there), not a surrogate, in range. */
const isPlainCodePoint = (code: number): boolean => code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);

/** A string literal, or the shell's `replace(<expr>,'marker',char(N))` around one. */
function parseTextExpression(text: string, at: number): Parsed<string> | 'more' | undefined {
  let nesting = 0;
  while (text.startsWith(REPLACE_CALL, at + nesting * REPLACE_CALL.length)) {
    if (++nesting > MAX_REPLACE_NESTING) return undefined;
  }
  at += nesting * REPLACE_CALL.length;
  if (text[at] !== "'") return text.length - at < REPLACE_CALL.length ? 'more' : undefined;
  const literal = parseString(text, at);
  if (literal === 'more' || literal === undefined) return literal;
  let { value, end } = literal;
  for (; nesting > 0; nesting--) {
    if (text[end] !== ',') return text.length <= end ? 'more' : undefined;
    const marker = parseString(text, end + 1);
    if (marker === 'more' || marker === undefined) return marker;
    const tail = CHAR_TAIL.exec(text.slice(marker.end, marker.end + 20));
    if (!tail) return text.length - marker.end < 20 ? 'more' : undefined;
    const code = Number(tail[1]);
    // A surrogate's char() is bytes that are not UTF-8 (ED A0 80…); a JS string cannot carry them.
    if (!isPlainCodePoint(code) || marker.value === '') return undefined;
    value = value.replaceAll(marker.value, String.fromCodePoint(code));
    end = marker.end + tail[0].length;
  }
  return { value, end };
}

/** Digits, sign, point and exponent: the characters a numeric literal is made of. */
function isNumberChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d || code === 0x2b || code === 0x65 || code === 0x45
  );
}

function parseNumber(text: string, at: number): Parsed<unknown> | 'more' | undefined {
  // Read on when the text stops inside "-Inf": the general path cannot read Inf at all.
  if (text.length - at < 4 && ('-Inf'.startsWith(text.slice(at)) || 'Inf'.startsWith(text.slice(at)))) return 'more';
  if (text.startsWith('-Inf', at) || text.startsWith('Inf', at)) {
    const negative = text[at] === '-';
    return { value: negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY, end: at + (negative ? 4 : 3) };
  }
  let end = at + 1;
  let integer = true;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code >= 0x30 && code <= 0x39) continue;
    if (!isNumberChar(code)) break;
    integer = false;
  }
  if (end === text.length) return 'more';
  const literal = text.slice(at, end);
  if (integer && literal !== '-') {
    // Up to 18 digits always fit in 64 bits; longer ones are checked (SQLite reads larger as REAL).
    if (end - at <= 18) return { value: BigInt(literal), end };
    const exact = BigInt(literal);
    return { value: exact >= INT64_MIN && exact <= INT64_MAX ? exact : Number(literal), end };
  }
  const value = Number(literal);
  // Number() accepts forms SQLite does not read the same way ("1e", "--1"); leave those to SQLite.
  if (Number.isNaN(value) || !/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(literal)) return undefined;
  return { value, end };
}

/** Decodes hex digits; undefined when any character is not one (Buffer.from stops early there). */
function decodeHex(hex: string): Buffer | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const bytes = Buffer.from(hex, 'hex');
  return bytes.length * 2 === hex.length ? bytes : undefined;
}

function parseValue(text: string, at: number): Parsed<unknown> | 'more' | undefined {
  const c = text[at];
  if (c === undefined) return 'more';
  if (c === "'" || c === 'r') return parseTextExpression(text, at);
  if (c === 'N') {
    if (text.length - at < 4) return 'more';
    return text.startsWith('NULL', at) ? { value: null, end: at + 4 } : undefined;
  }
  if ((c === 'X' || c === 'x') && at + 1 === text.length) return 'more';
  if ((c === 'X' || c === 'x') && text[at + 1] === "'") {
    const end = closingQuote(text, at + 1, "'");
    if (end < 0) return 'more';
    const bytes = decodeHex(text.slice(at + 2, end - 1));
    return bytes ? { value: bytes, end } : undefined;
  }
  if (c === '-' || c === 'I' || (c >= '0' && c <= '9')) return parseNumber(text, at);
  return undefined;
}

export type ParsedValues = { kind: 'values'; values: unknown[]; end: number } | { kind: 'more' } | { kind: 'general' };

/** Parses `v1,v2,…);` starting at `at` (just after `VALUES(`). */
export function parseValues(text: string, at: number): ParsedValues {
  const values: unknown[] = [];
  for (;;) {
    const value = parseValue(text, at);
    if (value === 'more') return MORE;
    if (!value) return GENERAL;
    values.push(value.value);
    at = value.end;
    const next = text[at];
    if (next === ',') at++;
    else if (next === ')') {
      if (at + 1 >= text.length) return MORE;
      return text[at + 1] === ';' ? { kind: 'values', values, end: at + 2 } : GENERAL;
    } else return next === undefined ? MORE : GENERAL;
  }
}

/** Parses the statement at `start` (which begins with `INSERT INTO `). */
export function parseInsert(text: string, start: number): ParsedInsert {
  const name = parseName(text, start + 12);
  if (name === 'more') return MORE;
  if (!name) return GENERAL;
  if (text.length - name.end < 8) return MORE;
  if (!text.startsWith(' VALUES(', name.end)) return GENERAL;
  const valuesAt = name.end + 8;
  const parsed = parseValues(text, valuesAt);
  if (parsed.kind !== 'values') return parsed;
  return { kind: 'row', table: name.value, values: parsed.values, valuesAt, end: parsed.end };
}
