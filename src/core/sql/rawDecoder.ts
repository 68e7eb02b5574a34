/**
 * Decodes a dump once it turned out not to be UTF-8 (see dumpReader.ts): its bytes go through the
 * literal scanner (rawLiterals.ts), which rewrites the row literals that are not UTF-8, and what
 * comes out is decoded strictly, so any invalid byte left is one that may not be there. A character
 * cut by a read waits for the next one.
 */

import { firstInvalidUtf8, incompleteTail } from '../shared/utf8Bytes.ts';
import { RawLiteralScanner } from './rawLiterals.ts';

/** Thrown by RawTextDecoder: bytes that are not UTF-8 where no rewrite applies, or a cut character at the end. */
export class BadBytes extends Error {
  /** Line breaks in the text given out by this call before the first bad byte (its line, counted from there). */
  readonly breaks: number;
  readonly cut: boolean;

  constructor(cut: boolean, breaks: number, cause?: unknown) {
    super(cut ? 'the bytes end inside a UTF-8 character' : 'invalid UTF-8', { cause });
    this.cut = cut;
    this.breaks = breaks;
  }
}

/** Fatal, and given whole characters only (the decoder carries cut ones itself). */
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class RawTextDecoder {
  private readonly scanner = new RawLiteralScanner();
  /** The start of a character cut by a read, to decode with the next bytes. */
  private pending: Buffer = Buffer.alloc(0);

  /** The text of `bytes` (which the caller may reuse after the call); a literal still open waits. */
  decode(bytes: Buffer): string {
    return this.text(this.scanner.push(bytes));
  }

  /** The rest of the text at the end of the file. */
  end(): string {
    const { output, unterminated } = this.scanner.end();
    const text = this.text(output);
    if (this.pending.length > 0) throw new BadBytes(true, 0);
    // A literal the file ends inside can never run (the loader refuses the dump as truncated);
    // decoded leniently, it lets that refusal name the real cause instead of its bytes.
    return unterminated ? text + new TextDecoder().decode(unterminated) : text;
  }

  private text(output: Buffer[]): string {
    const bytes = Buffer.concat([this.pending, ...output]);
    const complete = bytes.length - incompleteTail(bytes);
    // A copy: the scanner's slices point into the read buffer, which the next read overwrites.
    this.pending = Buffer.from(bytes.subarray(complete));
    const whole = bytes.subarray(0, complete);
    try {
      return STRICT.decode(whole);
    } catch (error) {
      const bad = firstInvalidUtf8(whole);
      let breaks = 0;
      for (let at = whole.indexOf(0x0a); at >= 0 && at < bad; at = whole.indexOf(0x0a, at + 1)) breaks++;
      throw new BadBytes(false, breaks, error);
    }
  }
}
