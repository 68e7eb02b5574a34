/**
 * Reads a dump file as text, in chunks, keeping only what is not yet consumed: memory stays flat
 * whatever the file size, and line numbers are known for error messages.
 *
 * The checksum is taken over the raw bytes as they are read. Text is decoded as strict UTF-8; a
 * foreign dump (sqlite3 CLI) writes TEXT that is not UTF-8 raw between quotes, so at the first
 * invalid byte the reader goes over to a byte scanner (rawLiterals.ts) for the rest of the file:
 * such row literals become CAST(X'..' AS TEXT), the form of our own dumps, and invalid UTF-8
 * anywhere else is refused with its line. Dumps that are UTF-8 never pay for the scan.
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { refusal, type SnapshotError } from '../shared/errors.ts';
import { incompleteTail } from '../shared/utf8Bytes.ts';
import { BadBytes, RawTextDecoder } from './rawDecoder.ts';

const READ_BYTES = 64 << 10;

export class DumpReader {
  /**
   * Unconsumed text starts at `text[pos]`. The consumer moves `pos` only to a point between
   * statements (never inside a literal, a name or a comment): the byte scanner starts from there.
   */
  text = '';
  pos = 0;
  private readonly fd: number;
  /** Fatal: invalid UTF-8 throws instead of turning into U+FFFD; streaming: a sequence may straddle reads. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  /**
   * The last (up to 3) bytes given to `decoder`: when it throws, the start of a character it was
   * holding back from the previous read is among them.
   */
  private readonly tail = Buffer.alloc(3);
  private tailLength = 0;
  /** Set at the first invalid UTF-8: the rest of the file goes through it. */
  private raw: RawTextDecoder | undefined;
  private readonly path: string;
  private eof = false;
  /** Bytes read from the file so far. */
  bytesRead = 0;
  /** sha256 of the bytes read: the file is checked against its manifest as it is loaded. */
  private readonly hash = createHash('sha256');
  /** Lines before `text[0]`. */
  private linesBefore = 0;
  private readonly buffer = Buffer.allocUnsafe(READ_BYTES);

  /**
   * Reads the open file `fd` from its first byte, at explicit positions (another reader may share
   * the descriptor); `path` names it in messages. The caller closes `fd`.
   */
  constructor(fd: number, path: string) {
    this.path = path;
    this.fd = fd;
  }

  /** `sha256:<hex>` of the whole file; call once the end has been reached. */
  checksum(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }

  /** 1-based line number of `text[index]`. */
  lineAt(index: number): number {
    let line = this.linesBefore + 1;
    for (let at = this.text.indexOf('\n'); at >= 0 && at < index; at = this.text.indexOf('\n', at + 1)) line++;
    return line;
  }

  /**
   * Appends at least `minimumChars` more characters (or up to the end of the file). Returns false
   * at the end of the file. Drops consumed text first, so the buffer holds one statement's worth.
   */
  more(minimumChars = 1): boolean {
    if (this.eof) return false;
    this.compact();
    const target = this.text.length + minimumChars;
    const parts: string[] = [this.text];
    let length = this.text.length;
    while (length < target) {
      const count = readSync(this.fd, this.buffer, 0, READ_BYTES, this.bytesRead);
      if (count === 0) {
        parts.push(this.raw ? this.rawText(parts, undefined) : this.decode(undefined));
        this.eof = true;
        break;
      }
      this.bytesRead += count;
      const chunk = this.buffer.subarray(0, count);
      this.hash.update(chunk);
      if (this.raw) {
        const decoded = this.rawText(parts, chunk);
        parts.push(decoded);
        length += decoded.length;
        continue;
      }
      const decoded = this.decode(chunk);
      if (decoded === undefined) {
        // Not UTF-8: scan again from the start of the unconsumed text, which the loader only ever
        // leaves between two statements, so a literal that began in earlier reads is rewritten whole.
        const text = this.startScanning(parts, chunk);
        parts.length = 0;
        parts.push(text);
        length = text.length;
        continue;
      }
      parts.push(decoded);
      length += decoded.length;
    }
    this.text = parts.join('');
    return true;
  }

  /**
   * Goes over to the byte scanner: the text decoded since the last statement boundary (`parts`),
   * the character start `decoder` was holding back, and `chunk`, read again as bytes. Returns their
   * text as the scanner gives it.
   */
  private startScanning(parts: string[], chunk: Buffer): string {
    this.raw = new RawTextDecoder();
    const tail = this.tail.subarray(0, this.tailLength);
    const holding = tail.subarray(tail.length - incompleteTail(tail));
    return this.rawText([], Buffer.concat([Buffer.from(parts.join(''), 'utf8'), holding, chunk]));
  }

  /** The text of `bytes` through the scanner (undefined: the end); `parts`: the text before, for a refusal's line. */
  private rawText(parts: string[], bytes: Buffer | undefined): string {
    try {
      return bytes ? this.raw!.decode(bytes) : this.raw!.end();
    } catch (error) {
      if (!(error instanceof BadBytes)) throw error;
      if (error.cut) throw this.cutCharacter(error);
      let line = this.linesBefore + 1 + error.breaks;
      for (const part of parts) line += countBreaks(part);
      throw refusal(
        'hostile',
        `${this.path} line ${line}: not valid UTF-8 outside the string literals of rows.`,
        "Only a string literal among the VALUES of an INSERT may hold TEXT that is not UTF-8 (it is restored byte for byte); names, keywords, comments and CREATE statements (SQLite keeps their text as written) must be UTF-8. sqlite-snapshot build writes such TEXT as CAST(X'..' AS TEXT).",
        error,
      );
    }
  }

  private cutCharacter(cause: unknown): SnapshotError {
    // An incomplete character at the very end: the file was cut.
    return refusal(
      'truncated',
      `${this.path} ends inside a UTF-8 character, before its final COMMIT.`,
      'The file is truncated: download the artifact again or rebuild it.',
      cause,
    );
  }

  private compact(): void {
    if (this.pos === 0) return;
    for (let at = this.text.indexOf('\n'); at >= 0 && at < this.pos; at = this.text.indexOf('\n', at + 1)) {
      this.linesBefore++;
    }
    this.text = this.text.slice(this.pos);
    this.pos = 0;
  }

  /**
   * Decodes a chunk (undefined: the end) on the common path; undefined when the chunk is not UTF-8
   * (the caller goes over to the scanner). Remembers the chunk's last bytes for that case.
   */
  private decode(bytes: Buffer): string | undefined;
  private decode(bytes: undefined): string;
  private decode(bytes: Buffer | undefined): string | undefined {
    if (!bytes) {
      try {
        return this.decoder.decode();
      } catch (error) {
        throw this.cutCharacter(error);
      }
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: true });
    } catch {
      return undefined;
    }
    this.keepTail(bytes);
    return text;
  }

  private keepTail(bytes: Buffer): void {
    const length = bytes.length;
    if (length >= 3) {
      bytes.copy(this.tail, 0, length - 3, length);
      this.tailLength = 3;
      return;
    }
    // A short read (the file's last bytes): keep what fits of the previous tail before it.
    const keep = Math.min(this.tailLength, 3 - length);
    this.tail.copy(this.tail, 0, this.tailLength - keep, this.tailLength);
    bytes.copy(this.tail, keep);
    this.tailLength = keep + length;
  }
}

const countBreaks = (text: string): number => {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
};
