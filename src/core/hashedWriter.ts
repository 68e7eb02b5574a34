/**
 * A buffered file writer that hashes exactly the bytes it writes, in the same pass. Synchronous on
 * purpose: the SQLite reads that feed it are synchronous too, and large chunks keep syscalls rare.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

export class HashedWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private position = 0;
  private flushed = 0;
  private closed = false;

  constructor(path: string) {
    // 'wx': the caller picked a fresh temp name; never write through an existing file or link.
    this.fd = openSync(path, 'wx', 0o644);
  }

  /** Bytes written so far, including those still buffered. */
  get size(): number {
    return this.flushed + this.position;
  }

  /** Appends an ASCII-only string (keywords, numbers, hex); one byte per character. */
  ascii(text: string): void {
    if (this.position + text.length > this.buffer.length) this.makeRoom(text.length);
    this.position += this.buffer.write(text, this.position, 'latin1');
  }

  /** Appends any string as UTF-8. */
  utf8(text: string): void {
    const worstCase = text.length * 3;
    if (this.position + worstCase > this.buffer.length) this.makeRoom(worstCase);
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): void {
    if (this.position + data.length > this.buffer.length) this.makeRoom(data.length);
    this.buffer.set(data, this.position);
    this.position += data.length;
  }

  /** Appends one byte. */
  byte(value: number): void {
    if (this.position === this.buffer.length) this.flush();
    this.buffer[this.position++] = value;
  }

  /** Ensures `needed` free bytes: flushes, and grows the buffer for a value larger than a chunk. */
  makeRoom(needed: number): void {
    this.flush();
    if (needed > this.buffer.length) this.buffer = Buffer.allocUnsafe(needed);
  }

  /** Reserves `needed` bytes and returns the buffer and offset to write them at. */
  reserve(needed: number): { buffer: Buffer; offset: number } {
    if (this.position + needed > this.buffer.length) this.makeRoom(needed);
    return { buffer: this.buffer, offset: this.position };
  }

  /** Commits `count` bytes written into the reserved region. */
  advance(count: number): void {
    this.position += count;
  }

  flush(): void {
    if (this.position === 0) return;
    const chunk = this.buffer.subarray(0, this.position);
    this.hash.update(chunk);
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset, chunk.length - offset);
    this.flushed += chunk.length;
    this.position = 0;
    // A single huge value grew the buffer; give the memory back.
    if (this.buffer.length > CHUNK_BYTES) this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  }

  /** Flushes, fsyncs and closes; returns the lowercase hex sha256 and the byte count. */
  finish(): { sha256: string; size: number } {
    this.flush();
    fsyncSync(this.fd);
    this.close();
    return { sha256: this.hash.digest('hex'), size: this.flushed };
  }

  /** Closes without finishing (error path); safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
