/** Streaming sha256 of a file: constant memory, large reads, one pass. */
import { createHash } from 'node:crypto';
import { read } from 'node:fs';
import { promisify } from 'node:util';

const readAt = promisify(read);

const READ_BYTES = 4 << 20;

/** `sha256:<hex>` of bytes in memory (a manifest, a small blob). */
export const sha256Of = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface FileDigest {
  /** `sha256:` + 64 lowercase hex. */
  checksum: string;
  size: number;
  /** The last bytes of the file (up to 64), for truncation checks without a second read. */
  tail: Buffer;
  /** The first bytes of the file (up to 64). */
  head: Buffer;
}

/**
 * Hashes the open file `fd` from its first byte, reading at explicit positions so that another
 * reader of the same descriptor (the loader) is not disturbed. The caller closes `fd`.
 */
export async function digestDescriptor(fd: number): Promise<FileDigest> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let size = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  for (;;) {
    const { bytesRead } = await readAt(fd, buffer, 0, READ_BYTES, size);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
    tail = Buffer.concat([tail, chunk.subarray(Math.max(0, bytesRead - 64))]).subarray(-64);
    size += bytesRead;
  }
  return { checksum: `sha256:${hash.digest('hex')}`, size, head, tail };
}
