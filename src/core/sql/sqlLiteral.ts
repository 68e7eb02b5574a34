/**
 * How each SQLite value is written in the dump (docs/format.md §2.3 rule 4). The row query hands values over
 * already tagged by storage class, so no type is ever guessed:
 *   INTEGER → decimal text made by SQLite (exact over 64 bits), REAL → JS number,
 *   TEXT → its raw bytes as a Buffer (NUL and invalid UTF-8 survive), BLOB → `X'..'` made by SQLite.
 */
import { isUtf8 } from 'node:buffer';
import type { ChunkWriter } from '../shared/chunkWriter.ts';

const QUOTE = 0x27;

/** Shortest text that reads back as the same double, always recognisable as REAL. */
export function formatReal(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '1e999';
  if (value === Number.NEGATIVE_INFINITY) return '-1e999';
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  if (text.includes('e')) return text.replace('e+', 'e');
  return text.includes('.') ? text : `${text}.0`;
}

/** Quotes an identifier the SQL way: `"` around, inner `"` doubled. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Quotes a string as an SQL literal: `'` around, inner `'` doubled (no newline handling). */
export const quoteString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Picks a marker absent from `text`, as the sqlite3 shell does for its replace() escapes. */
function unusedMarker(text: string, first: string, second: string): string {
  if (!text.includes(first)) return first;
  if (!text.includes(second)) return second;
  for (let i = 0; ; i++) {
    const candidate = `(${first}${i})`;
    if (!text.includes(candidate)) return candidate;
  }
}

/** TEXT with newlines or CRs, written the shell's way: replace('a\nb','\n',char(10)). */
export function escapedLineBreaks(text: string, hasNewline: boolean, hasReturn: boolean): string {
  const newlineMarker = hasNewline ? unusedMarker(text, '\\n', '\\012') : '';
  const returnMarker = hasReturn ? unusedMarker(text, '\\r', '\\015') : '';
  let body = text.replaceAll("'", "''");
  if (hasNewline) body = body.replaceAll('\n', newlineMarker);
  if (hasReturn) body = body.replaceAll('\r', returnMarker);
  let literal = `${hasNewline ? 'replace(' : ''}${hasReturn ? 'replace(' : ''}'${body}'`;
  if (hasReturn) literal += `,'${returnMarker}',char(13))`;
  if (hasNewline) literal += `,'${newlineMarker}',char(10))`;
  return literal;
}

const HEX_CHUNK = 1 << 19;

function writeHex(out: ChunkWriter, bytes: Uint8Array): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < buffer.length; offset += HEX_CHUNK) {
    out.ascii(buffer.toString('hex', offset, Math.min(offset + HEX_CHUNK, buffer.length)));
  }
}

/** Writes TEXT given as its stored bytes. */
export function writeTextBytes(out: ChunkWriter, bytes: Buffer): void {
  const length = bytes.length;
  let quotes = 0;
  let newline = false;
  let carriageReturn = false;
  let nul = false;
  let nonAscii = false;
  for (let i = 0; i < length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) quotes++;
    else if (c < 0x0e) {
      if (c === 0) nul = true;
      else if (c === 0x0a) newline = true;
      else if (c === 0x0d) carriageReturn = true;
    } else if (c >= 0x80) nonAscii = true;
  }
  if (nul || (nonAscii && !isUtf8(bytes))) {
    // Not representable as a plain literal: the exact bytes, typed back to TEXT.
    out.ascii("CAST(X'");
    writeHex(out, bytes);
    out.ascii("' AS TEXT)");
    return;
  }
  if (newline || carriageReturn) {
    out.utf8(escapedLineBreaks(bytes.toString('utf8'), newline, carriageReturn));
    return;
  }
  out.byte(QUOTE);
  if (quotes === 0) out.bytes(bytes);
  else {
    let start = 0;
    for (let at = bytes.indexOf(QUOTE); at >= 0; at = bytes.indexOf(QUOTE, at + 1)) {
      out.bytes(bytes.subarray(start, at + 1));
      out.byte(QUOTE);
      start = at + 1;
    }
    out.bytes(bytes.subarray(start));
  }
  out.byte(QUOTE);
}

/** The SELECT expression that hands a column's value over tagged by storage class. */
export function taggedValueExpression(quotedColumn: string): string {
  return (
    `CASE typeof(${quotedColumn}) WHEN 'integer' THEN CAST(${quotedColumn} AS TEXT) ` +
    `WHEN 'text' THEN CAST(${quotedColumn} AS BLOB) ` +
    `WHEN 'blob' THEN 'X''' || lower(hex(${quotedColumn})) || '''' ELSE ${quotedColumn} END`
  );
}

/** Writes one tagged value (see taggedValueExpression). */
export function writeTaggedValue(out: ChunkWriter, value: unknown): void {
  if (value === null) out.ascii('NULL');
  else if (typeof value === 'string') out.ascii(value);
  else if (typeof value === 'number') out.ascii(formatReal(value));
  else writeTextBytes(out, value as Buffer);
}
