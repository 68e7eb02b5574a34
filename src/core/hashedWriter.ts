/**
 * A buffered file writer that hashes exactly the bytes it writes. The producer (the dump loop,
 * synchronous like the SQLite reads that feed it) fills slots of a shared ring; a worker thread
 * hashes and writes them on the other core. The interface stays synchronous: Atomics.wait blocks
 * the producer only when the ring is full, which also keeps memory flat.
 */
import { Worker } from 'node:worker_threads';

const SLOT_BYTES = 1 << 20;
const SLOTS = 8;
// Control words: produced slots, consumed slots, state, then the length of each slot.
const PRODUCED = 0;
const CONSUMED = 1;
const STATE = 2;
const LENGTHS = 3;
// States: the producer sets RUNNING, FINISHING and ABORTING; the worker answers FAILED, DONE, STOPPED.
const RUNNING = 0;
const FINISHING = 1;
const FAILED = 2;
const DONE = 3;
const ABORTING = 4;
const STOPPED = 5;
const DIGEST_BYTES = 64;
/** A slot not taken for this long means the worker is gone; fail instead of hanging. */
const STALL_LIMIT_MS = 120_000;

/** Runs in the worker: hash and write each produced slot, in order. Plain JS: it is not bundled. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { writeSync, fsyncSync } = require('node:fs');
const { fd, control, data, digest, slots, slotBytes } = workerData;
const words = new Int32Array(control);
const hash = createHash('sha256');
const finish = (state, text) => {
  Buffer.from(digest).write(text.slice(0, ${DIGEST_BYTES}).padEnd(${DIGEST_BYTES}), 'latin1');
  Atomics.store(words, ${STATE}, state);
  Atomics.notify(words, ${STATE});
  Atomics.notify(words, ${CONSUMED});
};
let consumed = 0;
try {
  for (;;) {
    // The timeout covers a state change made between the check below and this wait.
    Atomics.wait(words, ${PRODUCED}, consumed, 50);
    if (Atomics.load(words, ${STATE}) === ${ABORTING}) break;
    const produced = Atomics.load(words, ${PRODUCED});
    while (consumed < produced && Atomics.load(words, ${STATE}) !== ${ABORTING}) {
      const slot = consumed % slots;
      const length = Atomics.load(words, ${LENGTHS} + slot);
      const chunk = Buffer.from(data, slot * slotBytes, length);
      hash.update(chunk);
      let offset = 0;
      while (offset < length) offset += writeSync(fd, chunk, offset, length - offset);
      consumed++;
      Atomics.store(words, ${CONSUMED}, consumed);
      Atomics.notify(words, ${CONSUMED});
    }
    if (Atomics.load(words, ${STATE}) === ${FINISHING} && consumed === Atomics.load(words, ${PRODUCED})) break;
  }
  if (Atomics.load(words, ${STATE}) === ${ABORTING}) finish(${STOPPED}, '');
  else {
    fsyncSync(fd);
    finish(${DONE}, hash.digest('hex'));
  }
} catch (error) {
  finish(${FAILED}, String((error && error.code) || error));
}
`;

export class HashedWriter {
  private readonly control = new SharedArrayBuffer(4 * (LENGTHS + SLOTS));
  private readonly words = new Int32Array(this.control);
  private readonly data = new SharedArrayBuffer(SLOT_BYTES * SLOTS);
  private readonly digest = new SharedArrayBuffer(DIGEST_BYTES);
  private readonly worker: Worker;
  private produced = 0;
  private buffer: Buffer;
  private position = 0;
  private flushed = 0;
  private finished = false;

  /** `fd` must be open for writing; the caller closes it. */
  constructor(fd: number) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { fd, control: this.control, data: this.data, digest: this.digest, slots: SLOTS, slotBytes: SLOT_BYTES },
    });
    this.worker.unref();
    this.buffer = this.slotBuffer(0);
  }

  private slotBuffer(index: number): Buffer {
    return Buffer.from(this.data, (index % SLOTS) * SLOT_BYTES, SLOT_BYTES);
  }

  /** Bytes written so far, including those still buffered. */
  get size(): number {
    return this.flushed + this.position;
  }

  /** Appends an ASCII-only string (keywords, numbers, hex); one byte per character. */
  ascii(text: string): void {
    if (this.position + text.length > SLOT_BYTES) {
      if (text.length > SLOT_BYTES) return this.bytes(Buffer.from(text, 'latin1'));
      this.flush();
    }
    this.position += this.buffer.write(text, this.position, 'latin1');
  }

  /** Appends any string as UTF-8. */
  utf8(text: string): void {
    const worstCase = text.length * 3;
    if (this.position + worstCase > SLOT_BYTES) {
      if (worstCase > SLOT_BYTES) return this.bytes(Buffer.from(text, 'utf8'));
      this.flush();
    }
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  /** Appends raw bytes, across as many slots as they need. */
  bytes(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.position === SLOT_BYTES) this.flush();
      const count = Math.min(data.length - offset, SLOT_BYTES - this.position);
      this.buffer.set(data.subarray(offset, offset + count), this.position);
      this.position += count;
      offset += count;
    }
  }

  /** Appends one byte. */
  byte(value: number): void {
    if (this.position === SLOT_BYTES) this.flush();
    this.buffer[this.position++] = value;
  }

  /** Hands the current slot to the worker; waits while every slot is still in use. */
  flush(): void {
    if (this.position === 0) return;
    this.throwIfFailed();
    Atomics.store(this.words, LENGTHS + (this.produced % SLOTS), this.position);
    this.produced++;
    Atomics.store(this.words, PRODUCED, this.produced);
    Atomics.notify(this.words, PRODUCED);
    this.flushed += this.position;
    this.position = 0;
    const stalledAt = Date.now() + STALL_LIMIT_MS;
    for (;;) {
      const consumed = Atomics.load(this.words, CONSUMED);
      if (this.produced - consumed < SLOTS) break;
      this.throwIfFailed();
      if (Atomics.wait(this.words, CONSUMED, consumed, 1000) === 'timed-out' && Date.now() > stalledAt) {
        throw new Error(`the writer thread made no progress for ${STALL_LIMIT_MS / 1000} s`);
      }
    }
    this.buffer = this.slotBuffer(this.produced);
  }

  private throwIfFailed(): void {
    if (Atomics.load(this.words, STATE) !== FAILED) return;
    const code = Buffer.from(this.digest).toString('latin1').trim();
    const error = new Error(code === 'ENOSPC' ? 'no space left on device' : `write failed: ${code}`) as NodeJS.ErrnoException;
    error.code = code;
    throw error;
  }

  /** Blocks until the worker reports one of `states`; returns it. */
  private waitForWorker(states: number[]): number {
    const stalledAt = Date.now() + STALL_LIMIT_MS;
    for (;;) {
      const state = Atomics.load(this.words, STATE);
      if (states.includes(state)) return state;
      if (Date.now() > stalledAt) throw new Error(`the writer thread did not finish within ${STALL_LIMIT_MS / 1000} s`);
      Atomics.wait(this.words, STATE, state, 100);
    }
  }

  /** Writes what is buffered, waits for the worker to write and fsync; returns hex sha256 and size. */
  finish(): { sha256: string; size: number } {
    this.flush();
    this.finished = true;
    Atomics.store(this.words, STATE, FINISHING);
    Atomics.notify(this.words, PRODUCED);
    this.waitForWorker([DONE, FAILED]);
    this.throwIfFailed();
    void this.worker.terminate();
    return { sha256: Buffer.from(this.digest).toString('latin1'), size: this.flushed };
  }

  /**
   * Stops the worker without finishing (error path); returns once it no longer touches the file,
   * so the caller may close the descriptor. Safe to call twice.
   */
  close(): void {
    if (this.finished) return;
    this.finished = true;
    if (Atomics.load(this.words, STATE) === RUNNING) {
      Atomics.store(this.words, STATE, ABORTING);
      Atomics.notify(this.words, PRODUCED);
    }
    this.waitForWorker([STOPPED, FAILED, DONE]);
    void this.worker.terminate();
  }
}
