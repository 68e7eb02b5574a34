/**
 * Reads a dump file as text, in chunks, keeping only what is not yet consumed: memory stays flat
 * whatever the file size, and line numbers are known for error messages. Invalid UTF-8 is refused
 * (it could only be decoded lossily).
 */
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { refusal } from './errors.ts';

const READ_BYTES = 64 << 10;

export class DumpReader {
  /** Unconsumed text starts at `text[pos]`. */
  text = '';
  pos = 0;
  private readonly fd: number;
  /** Fatal: invalid UTF-8 throws instead of turning into U+FFFD; streaming: a sequence may straddle reads. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
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
        parts.push(this.decode(undefined));
        this.eof = true;
        break;
      }
      this.bytesRead += count;
      this.hash.update(this.buffer.subarray(0, count));
      const decoded = this.decode(this.buffer.subarray(0, count));
      parts.push(decoded);
      length += decoded.length;
    }
    this.text = parts.join('');
    return true;
  }

  private compact(): void {
    if (this.pos === 0) return;
    for (let at = this.text.indexOf('\n'); at >= 0 && at < this.pos; at = this.text.indexOf('\n', at + 1)) {
      this.linesBefore++;
    }
    this.text = this.text.slice(this.pos);
    this.pos = 0;
  }

  /** Decodes a chunk (undefined: the end), refusing invalid UTF-8. */
  private decode(bytes: Buffer | undefined): string {
    try {
      return bytes ? this.decoder.decode(bytes, { stream: true }) : this.decoder.decode();
    } catch (error) {
      if (!bytes) {
        // An incomplete character at the very end: the file was cut.
        throw refusal(
          'truncated',
          `${this.path} ends inside a UTF-8 character, before its final COMMIT.`,
          'The file is truncated: download the artifact again or rebuild it.',
          error,
        );
      }
      throw refusal(
        'hostile',
        `${this.path} is not valid UTF-8 (after line ${this.linesBefore + 1 + (this.text.match(/\n/g)?.length ?? 0)}).`,
        "A dump of TEXT that is not UTF-8 must encode it as CAST(X'..' AS TEXT), as sqlite-snapshot build does.",
        error,
      );
    }
  }
}
