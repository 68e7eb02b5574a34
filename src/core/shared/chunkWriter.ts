/**
 * Collects output into fixed-size buffers and hands each one over when it is full (or at `end`).
 * Where the buffers come from is the caller's choice: reused in place when the consumer is
 * synchronous, or a bounded pool of buffers passed between threads.
 */

export const CHUNK_BYTES = 1 << 20;

export interface ChunkSink {
  /** Receives `length` bytes at the start of `buffer`; owns `buffer` afterwards. */
  take(buffer: Buffer, length: number): void;
  /** Supplies the next empty buffer of CHUNK_BYTES. */
  next(): Buffer;
}

/** A sink for a synchronous consumer: one buffer, reused after each hand-over. */
export function reusingSink(consume: (bytes: Buffer) => void): ChunkSink {
  const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  return { take: (full, length) => consume(full.subarray(0, length)), next: () => buffer };
}

export class ChunkWriter {
  private readonly sink: ChunkSink;
  private buffer: Buffer;
  private position = 0;
  private emitted = 0;

  constructor(sink: ChunkSink) {
    this.sink = sink;
    this.buffer = sink.next();
  }

  /** Bytes written so far, including those not yet handed over. */
  get size(): number {
    return this.emitted + this.position;
  }

  /** Appends an ASCII-only string (keywords, numbers, hex); one byte per character. */
  ascii(text: string): void {
    if (this.position + text.length > CHUNK_BYTES) {
      this.bytes(Buffer.from(text, 'latin1'));
      return;
    }
    this.position += this.buffer.write(text, this.position, 'latin1');
  }

  /** Appends any string as UTF-8. */
  utf8(text: string): void {
    if (this.position + text.length * 3 > CHUNK_BYTES) {
      this.bytes(Buffer.from(text, 'utf8'));
      return;
    }
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  /** Appends raw bytes, across as many chunks as they need. */
  bytes(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.position === CHUNK_BYTES) this.emit();
      const count = Math.min(data.length - offset, CHUNK_BYTES - this.position);
      this.buffer.set(data.subarray(offset, offset + count), this.position);
      this.position += count;
      offset += count;
    }
  }

  /** Appends one byte. */
  byte(value: number): void {
    if (this.position === CHUNK_BYTES) this.emit();
    this.buffer[this.position++] = value;
  }

  /** Hands over what is buffered, even a partial chunk. */
  end(): void {
    if (this.position > 0) this.emit();
  }

  private emit(): void {
    const full = this.buffer;
    const length = this.position;
    this.emitted += length;
    this.position = 0;
    this.sink.take(full, length);
    this.buffer = this.sink.next();
  }
}
