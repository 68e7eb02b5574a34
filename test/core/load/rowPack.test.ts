/**
 * Row values packed for the trip from the parser to the inserting thread come back as the parser
 * made them, storage class and bytes: across a real worker boundary, batch after batch (the packer
 * reuses its arrays), for rows wider than the packer's first arrays.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { type PackedValues, packedTransfer, unpackValues, ValuePacker } from '../../../src/core/load/rowPack.ts';
import { INT64_MAX, INT64_MIN } from '../../../src/core/shared/int64.ts';

/** Sends a packed batch through a real message port, moving its memory as the restore does. */
function throughPort(packed: PackedValues): PackedValues {
  const { port1, port2 } = new MessageChannel();
  try {
    port1.postMessage(packed, packedTransfer(packed));
    assert.equal(packed.kinds.byteLength, 0, 'the packed memory was moved, not copied');
    return receiveMessageOnPort(port2)!.message as PackedValues;
  } finally {
    port1.close();
    port2.close();
  }
}

const VALUES: unknown[] = [
  null,
  0n,
  -1n,
  INT64_MAX,
  INT64_MIN,
  1.5,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  3,
  '',
  'plain',
  "o'hara ünïcödé 日本語 🙂",
  'line\nbreak\u0000nul',
  Buffer.alloc(0),
  Buffer.from([0, 1, 2, 255]),
  Buffer.alloc(100_000, 7),
];

test('every storage class comes back exactly, batch after batch', () => {
  const packer = new ValuePacker();
  for (let batch = 0; batch < 3; batch++) {
    const sent = [...VALUES, `batch ${batch}`, BigInt(batch)];
    for (const value of sent) packer.add(value);
    assert.equal(packer.size, sent.length);
    const received = unpackValues(throughPort(packer.pack()));
    assert.equal(packer.size, 0, 'pack() starts a new batch');
    assert.equal(received.length, sent.length);
    sent.forEach((value, at) => {
      const got = received[at];
      if (value instanceof Uint8Array) {
        assert.ok(got instanceof Uint8Array, `value ${at} is bytes`);
        assert.deepEqual(Buffer.from(got), Buffer.from(value), `value ${at}`);
      } else {
        assert.equal(typeof got, typeof value, `value ${at} keeps its type`);
        assert.ok(Object.is(got, value), `value ${at}: ${String(got)} is ${String(value)}`);
      }
    });
  }
});

test('a batch wider than the first arrays grows them; bytes count text and blobs', () => {
  const packer = new ValuePacker();
  const sent: unknown[] = [];
  for (let i = 0; i < 40_000; i++) sent.push(i % 3 === 0 ? BigInt(i) : i % 3 === 1 ? i + 0.5 : Buffer.from([i & 255]));
  for (const value of sent) packer.add(value);
  packer.add('abc');
  assert.equal(packer.bytes, Math.floor(40_000 / 3) + 3, 'one byte per blob, three characters');
  const received = unpackValues(throughPort(packer.pack()));
  assert.equal(received.length, 40_001);
  assert.equal(received[39_999], 39_999n);
  assert.deepEqual([...(received[39_998] as Uint8Array)], [39_998 & 255]);
  assert.equal(received[39_997], 39_997.5);
  assert.equal(received[40_000], 'abc');
});

test('what a typed array would silently wrap or drop is refused', () => {
  const packer = new ValuePacker();
  assert.throws(() => packer.add(INT64_MAX + 1n), /outside 64 bits/);
  assert.throws(() => packer.add(undefined), /cannot pack/);
  assert.throws(() => packer.add({}), /cannot pack/);
  assert.equal(packer.size, 0, 'a refused value is not counted');
});
