/**
 * UTF-8 at the byte level, for the dump reader's slow path (rawLiterals.ts): where a chunk may be
 * cut without splitting a character, and where the first byte that is not UTF-8 sits, so a refusal
 * can name its line. The validity rules are the WHATWG decoder's (TextDecoder): no overlong forms,
 * no surrogates (ED A0..BF), nothing past U+10FFFF.
 */

/** Bytes a sequence starting with `lead` should have; 0 when `lead` can never start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The range the second byte of a sequence must fall in: narrower after E0, ED, F0 and F4. */
function secondByteOk(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0 && second <= 0xbf;
  if (lead === 0xed) return second >= 0x80 && second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90 && second <= 0xbf;
  if (lead === 0xf4) return second >= 0x80 && second <= 0x8f;
  return second >= 0x80 && second <= 0xbf;
}

/**
 * How many bytes at the end of `bytes` begin a character that the next bytes may complete: a valid
 * start of a sequence, cut short. They are held back until more bytes arrive. Anything else
 * (complete, or already invalid) is 0: the decoder judges it now.
 */
export function incompleteTail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= 3 && back <= end; back++) {
    const byte = bytes[end - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = sequenceLength(byte);
    if (length <= back) return 0;
    if (back >= 2 && !secondByteOk(byte, bytes[end - back + 1]!)) return 0;
    return back;
  }
  return 0;
}

/** Index of the first byte of the first invalid (or cut) sequence in `bytes`; -1 when all is UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length; ) {
    const lead = bytes[at]!;
    const length = sequenceLength(lead);
    if (length === 0 || at + length > bytes.length) return at;
    if (length > 1 && !secondByteOk(lead, bytes[at + 1]!)) return at;
    for (let next = 2; next < length; next++) if ((bytes[at + next]! & 0xc0) !== 0x80) return at;
    at += length;
  }
  return -1;
}
