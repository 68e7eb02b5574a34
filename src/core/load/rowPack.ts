/**
 * Row values in transit from the parser to the inserting thread. postMessage serializes an array
 * value by value, and a bigint or a Buffer costs several times a string; packed, a batch's
 * numbers and blobs cross as a few typed arrays, moved rather than copied, and only the texts are
 * serialized one by one. That cuts what the parser, the busier of the two threads, spends on each
 * row by more than half. The inserter unpacks them.
 *
 * The packer fills arrays it keeps and hands out exact-size copies: fresh memory for every batch
 * costs a page fault per page, which on a virtual machine is dearer than the copy.
 *
 * Storage classes survive the trip exactly: integers stay bigint (INTEGER), numbers stay numbers
 * (REAL), text stays text, blobs stay bytes.
 */

import { INT64_MAX, INT64_MIN } from '../shared/int64.ts';

const NULL = 0;
const REAL = 1;
const INTEGER = 2;
const TEXT = 3;
const BLOB = 4;

/** A batch's values, as they cross threads. */
export interface PackedValues {
  /** The storage class of each value (NULL, REAL, …), in order. */
  kinds: Uint8Array;
  reals: Float64Array;
  integers: BigInt64Array;
  texts: string[];
  /** Every blob, one after the other; `blobEnds[i]` is where the i-th ends. */
  blobs: Uint8Array;
  blobEnds: Float64Array;
}

/** The memory a packed batch moves to the other thread (the packer keeps none of it). */
export const packedTransfer = (packed: PackedValues): ArrayBuffer[] =>
  [packed.kinds, packed.reals, packed.integers, packed.blobs, packed.blobEnds].map(
    (array) => array.buffer as ArrayBuffer,
  );

/** The storage class of a value the parser made; throws for what no typed array would carry exactly. */
function kindOf(value: unknown): number {
  if (value === null) return NULL;
  if (typeof value === 'bigint') {
    // A typed array would wrap a larger one silently; the parser makes REAL of those, as SQLite does.
    if (value < INT64_MIN || value > INT64_MAX) throw new RangeError(`integer ${value} is outside 64 bits`);
    return INTEGER;
  }
  if (typeof value === 'number') return REAL;
  if (typeof value === 'string') return TEXT;
  if (value instanceof Uint8Array) return BLOB;
  throw new TypeError(`cannot pack a ${typeof value} value`);
}

/** Doubles `array`'s room until it holds `size`, keeping its first `used` items. */
function grown<T extends Uint8Array | Float64Array | BigInt64Array>(array: T, used: number, size: number): T {
  if (size <= array.length) return array;
  let length = Math.max(array.length, 1024);
  while (length < size) length *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array.subarray(0, used) as never);
  return bigger;
}

export class ValuePacker {
  private kinds = new Uint8Array(16384);
  private count = 0;
  private reals = new Float64Array(4096);
  private realCount = 0;
  private integers = new BigInt64Array(4096);
  private integerCount = 0;
  private texts: string[] = [];
  private textChars = 0;
  private blobs = new Uint8Array(64 << 10);
  private blobBytes = 0;
  private blobEnds = new Float64Array(4096);
  private blobCount = 0;

  /** Values added since the last pack(). */
  get size(): number {
    return this.count;
  }

  /** Characters of text and bytes of blobs added since the last pack(), to bound a batch's memory. */
  get bytes(): number {
    return this.textChars + this.blobBytes;
  }

  /** Adds one value as the parser made it: null, bigint, number, string or Buffer. */
  add(value: unknown): void {
    const kind = kindOf(value);
    if (this.count === this.kinds.length) this.kinds = grown(this.kinds, this.count, this.count + 1);
    this.kinds[this.count++] = kind;
    switch (kind) {
      case INTEGER:
        if (this.integerCount === this.integers.length) {
          this.integers = grown(this.integers, this.integerCount, this.integerCount + 1);
        }
        this.integers[this.integerCount++] = value as bigint;
        break;
      case REAL:
        if (this.realCount === this.reals.length) this.reals = grown(this.reals, this.realCount, this.realCount + 1);
        this.reals[this.realCount++] = value as number;
        break;
      case TEXT:
        this.texts.push(value as string);
        this.textChars += (value as string).length;
        break;
      case BLOB:
        this.addBlob(value as Uint8Array);
        break;
    }
  }

  private addBlob(bytes: Uint8Array): void {
    const end = this.blobBytes + bytes.length;
    this.blobs = grown(this.blobs, this.blobBytes, end);
    this.blobs.set(bytes, this.blobBytes);
    this.blobBytes = end;
    if (this.blobCount === this.blobEnds.length)
      this.blobEnds = grown(this.blobEnds, this.blobCount, this.blobCount + 1);
    this.blobEnds[this.blobCount++] = end;
  }

  /** The values added since the last pack(), as exact-size copies to move (packedTransfer); starts a new batch. */
  pack(): PackedValues {
    const packed: PackedValues = {
      kinds: this.kinds.slice(0, this.count),
      reals: this.reals.slice(0, this.realCount),
      integers: this.integers.slice(0, this.integerCount),
      texts: this.texts,
      blobs: this.blobs.slice(0, this.blobBytes),
      blobEnds: this.blobEnds.slice(0, this.blobCount),
    };
    this.count = this.realCount = this.integerCount = this.textChars = this.blobBytes = this.blobCount = 0;
    this.texts = [];
    return packed;
  }
}

/** The values of a packed batch, in order, as the parser made them (blobs as views of one block). */
export function unpackValues(packed: PackedValues): unknown[] {
  const { kinds, reals, integers, texts, blobs, blobEnds } = packed;
  const values = new Array<unknown>(kinds.length);
  let real = 0;
  let integer = 0;
  let text = 0;
  let blob = 0;
  let blobStart = 0;
  for (let at = 0; at < kinds.length; at++) {
    switch (kinds[at]) {
      case NULL:
        values[at] = null;
        break;
      case REAL:
        values[at] = reals[real++];
        break;
      case INTEGER:
        values[at] = integers[integer++];
        break;
      case TEXT:
        values[at] = texts[text++];
        break;
      default: {
        const end = blobEnds[blob++]!;
        values[at] = blobs.subarray(blobStart, end);
        blobStart = end;
      }
    }
  }
  return values;
}
