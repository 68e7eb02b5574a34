/**
 * Reads a foreign dump byte by byte once it turned out not to be UTF-8. The sqlite3 CLI writes TEXT
 * that is not UTF-8 raw between the quotes of a string literal, and a JS string cannot carry those
 * bytes. Each such literal in the VALUES of an INSERT becomes `CAST(X'<its bytes>' AS TEXT)` — the
 * form our own dumps use (docs/format.md §2.3 rule 4) — so the loader stores exactly the original bytes.
 *
 * Every other byte passes through unchanged: invalid UTF-8 in a name, a keyword, a comment or a
 * CREATE statement is left for the decoder to refuse. CREATE text is stored by SQLite as written, so
 * rewriting a literal there (a DEFAULT, a CHECK, a trigger body) would restore a different schema.
 * Statement boundaries follow complete.c (sqlComplete.ts), so an INSERT inside a trigger body is
 * part of its CREATE, and the state carries across chunks: a literal may straddle any number of reads.
 */
import { isUtf8 } from 'node:buffer';
import { incompleteTail } from '../shared/utf8Bytes.ts';
import { StatementFollower } from './rawStatement.ts';
import { isIdChar, isSpace, Token } from './sqlComplete.ts';

const OUT = 0;
/** Inside '…'; STRING_QUOTE: just after a ' inside it, which ends it unless another ' follows. */
const STRING = 1;
const STRING_QUOTE = 2;
/** Inside "…", `…` or […]; NAME_QUOTE: just after a " or ` closer, which may be doubled. */
const NAME = 3;
const NAME_QUOTE = 4;
const LINE_COMMENT = 5;
const BLOCK_COMMENT = 6;
/** Just after a * inside a block comment. */
const BLOCK_STAR = 7;
/** Just after a - or a / outside everything: a comment starts if the next byte repeats it (or is *). */
const DASH = 8;
const SLASH = 9;
const WORD = 10;

const QUOTE = 0x27;

export interface ScanEnd {
  /** The last bytes to decode. */
  output: Buffer[];
  /** The bytes of a string literal the file ends inside (a truncated dump), not to be rewritten. */
  unterminated: Buffer | undefined;
}

export class RawLiteralScanner {
  private state = OUT;
  private readonly follow = new StatementFollower();
  private closer = 0;
  /** Copies of the bytes of a literal that began in an earlier chunk. */
  private held: Buffer[] = [];

  /**
   * Scans `chunk` (read into a buffer the caller reuses) and returns what to decode, in order:
   * unchanged slices of `chunk`, to decode before the next read, and whole literals, rewritten
   * when they are row values that are not UTF-8. A literal still open at the end is held back.
   */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const n = chunk.length;
    /** Bytes before `from` are in `out`; a literal's bytes in this chunk start at `start`. */
    let from = 0;
    let start = 0;
    let i = 0;
    // Most chunks of a dump hold no invalid byte at all; then no literal that begins and ends in
    // this chunk needs a look of its own (the bytes of a character cut by the reads are left out).
    let lead = 0;
    while (lead < 3 && lead < n && (chunk[lead]! & 0xc0) === 0x80) lead++;
    const clean = isUtf8(chunk.subarray(lead, n - incompleteTail(chunk)));
    while (i < n) {
      const state = this.state;
      if (state === STRING) {
        const quote = chunk.indexOf(QUOTE, i);
        i = quote < 0 ? n : quote + 1;
        if (quote >= 0) this.state = STRING_QUOTE;
      } else if (state === STRING_QUOTE) {
        if (chunk[i] === QUOTE) {
          this.state = STRING;
          i++;
        } else {
          // The literal ended just before this byte, which is read again outside it. A literal
          // that began in this chunk and stays as it is remains part of the slice around it.
          if (this.held.length > 0) {
            const bytes = Buffer.concat([...this.takeHeld(), chunk.subarray(start, i)]);
            out.push(this.rewrite(bytes) ?? bytes);
            from = i;
          } else if (!clean && this.follow.rowValue()) {
            const rewritten = this.rewrite(chunk.subarray(start, i));
            if (rewritten) {
              if (from < start) out.push(chunk.subarray(from, start));
              out.push(rewritten);
              from = i;
            }
          }
          this.state = OUT;
          this.follow.token(Token.Other);
        }
      } else if (state === NAME) {
        const close = chunk.indexOf(this.closer, i);
        i = close < 0 ? n : close + 1;
        if (close >= 0) this.state = this.closer === 0x5d ? this.endToken(OUT) : NAME_QUOTE;
      } else if (state === NAME_QUOTE) {
        if (chunk[i] === this.closer) {
          this.state = NAME;
          i++;
        } else this.state = this.endToken(OUT);
      } else if (state === LINE_COMMENT) {
        const newline = chunk.indexOf(0x0a, i);
        i = newline < 0 ? n : newline + 1;
        if (newline >= 0) this.state = OUT;
      } else if (state === BLOCK_COMMENT) {
        const star = chunk.indexOf(0x2a, i);
        i = star < 0 ? n : star + 1;
        if (star >= 0) this.state = BLOCK_STAR;
      } else if (state === BLOCK_STAR) {
        const c = chunk[i++]!;
        if (c === 0x2f) this.state = OUT;
        else if (c !== 0x2a) this.state = BLOCK_COMMENT;
      } else if (state === DASH || state === SLASH) {
        if (chunk[i] === (state === DASH ? 0x2d : 0x2a)) {
          // A comment is whitespace to complete.c.
          this.follow.token(Token.Space);
          this.state = state === DASH ? LINE_COMMENT : BLOCK_COMMENT;
          i++;
        } else this.state = this.endToken(OUT);
      } else if (state === WORD) {
        let end = i;
        while (end < n && isIdChar(chunk[end]!)) end++;
        this.follow.wordPart(chunk, i, end);
        i = end;
        if (end < n) {
          this.state = OUT;
          this.follow.endWord();
        }
      } else {
        const c = chunk[i]!;
        if (c === QUOTE) {
          start = i++;
          this.follow.beginLiteral();
          this.state = STRING;
        } else if (c === 0x22 || c === 0x60 || c === 0x5b) {
          this.closer = c === 0x5b ? 0x5d : c;
          this.state = NAME;
          i++;
        } else if (c === 0x2d || c === 0x2f) {
          this.state = c === 0x2d ? DASH : SLASH;
          i++;
        } else if (isIdChar(c)) {
          this.follow.beginWord(c);
          this.state = WORD;
        } else {
          this.follow.token(c === 0x3b ? Token.Semi : isSpace(c) ? Token.Space : Token.Other);
          i++;
        }
      }
    }
    if (this.state === STRING || this.state === STRING_QUOTE) {
      // Whether the literal gets rewritten is known only once it closes: hold a copy of its bytes.
      if (from < start) out.push(chunk.subarray(from, start));
      this.held.push(Buffer.from(chunk.subarray(start, n)));
    } else if (from < n) out.push(chunk.subarray(from, n));
    return out;
  }

  /** The end of the file: a literal that closed on its last byte is complete; one still open is not. */
  end(): ScanEnd {
    if (this.state === STRING_QUOTE) {
      this.state = OUT;
      const bytes = Buffer.concat(this.takeHeld());
      return { output: [this.rewrite(bytes) ?? bytes], unterminated: undefined };
    }
    if (this.state === STRING) return { output: [], unterminated: Buffer.concat(this.takeHeld()) };
    return { output: [], unterminated: undefined };
  }

  private takeHeld(): Buffer[] {
    const held = this.held;
    this.held = [];
    return held;
  }

  /**
   * A whole literal, quotes included, as CAST(X'..' AS TEXT) of its bytes (with '' back to '), or
   * undefined to keep it: it is UTF-8, or not a row value. Its line breaks stay as line breaks after
   * the hex, so later line numbers still match the file.
   */
  private rewrite(bytes: Buffer): Buffer | undefined {
    if (!this.follow.rowValue() || isUtf8(bytes)) return undefined;
    const content = unquote(bytes.subarray(1, bytes.length - 1));
    // SQLite's tokenizer stops at a NUL, so the sqlite3 CLI could never load such a literal either.
    if (content.includes(0)) return undefined;
    let breaks = 0;
    for (let at = content.indexOf(0x0a); at >= 0; at = content.indexOf(0x0a, at + 1)) breaks++;
    return Buffer.from(`CAST(X'${content.toString('hex')}'${'\n'.repeat(breaks)} AS TEXT)`, 'latin1');
  }

  /** Ends a one-token state (a name, a lone - or /) and returns the state to go on in. */
  private endToken(next: number): number {
    this.follow.token(Token.Other);
    return next;
  }
}

/** The bytes between a literal's quotes with each '' back to one '. */
function unquote(content: Buffer): Buffer {
  if (!content.includes(QUOTE)) return content;
  const out = Buffer.allocUnsafe(content.length);
  let length = 0;
  for (let at = 0; at < content.length; at++) {
    out[length++] = content[at]!;
    if (content[at] === QUOTE) at++;
  }
  return out.subarray(0, length);
}
