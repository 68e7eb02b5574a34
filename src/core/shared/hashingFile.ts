/** Writes chunks to a file descriptor and hashes exactly the bytes written. */
import { createHash } from 'node:crypto';
import { writeSync } from 'node:fs';

export class HashingFile {
  private readonly hash = createHash('sha256');
  private written = 0;

  private readonly fd: number;

  /** `fd` must be open for writing; the caller closes it. */
  constructor(fd: number) {
    this.fd = fd;
  }

  write(chunk: Uint8Array): void {
    this.hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset, chunk.length - offset);
    this.written += chunk.length;
  }

  /**
   * Returns the lowercase hex sha256 and the byte count. No fsync here: the caller flushes the
   * file once, before a name points at it.
   */
  finish(): { sha256: string; size: number } {
    return { sha256: this.hash.digest('hex'), size: this.written };
  }
}
