/**
 * `pull`: a snapshot from a registry into a directory, whole or not at all. The two layers are
 * streamed into a private temporary directory next to the destination, each checked against its
 * size and digest as it arrives; the files are then verified like any snapshot (checksum,
 * manifest, the expected versions), and only then renamed into place. A failure at any point
 * leaves the destination as it was.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DUMP_FILE, MANIFEST_FILE } from '../format/manifest.ts';
import { describeFailedCheck } from '../shared/check.ts';
import type { FileDigest } from '../shared/checksum.ts';
import { ioError, refusal, usageError } from '../shared/errors.ts';
import { lstatOrUndefined } from '../shared/fileSystem.ts';
import { type VerifyExpectations, type VerifyReport, verifySnapshot } from '../verify/verify.ts';
import { type Descriptor, snapshotLayers } from './artifact.ts';
import { RegistryClient } from './client.ts';
import type { Credentials } from './credentials.ts';
import { formatReference, type RegistryReference } from './reference.ts';
import { fetchBlob, getManifest } from './registry.ts';

export interface PullResult {
  pinned: string;
  /** The manifest's digest, `sha256:…` (the end of `pinned`). */
  digest: string;
  dir: string;
  report: VerifyReport;
  /**
   * snapshot.sql's digest as it was written: a caller verifying the pulled copy again (with other
   * expectations) passes it to verifySnapshot instead of reading the dump a second time.
   */
  dumpDigest: FileDigest;
}

const occupied = (dir: string) =>
  usageError(
    `${dir} already exists and is not an empty directory, so nothing was pulled into it.`,
    'Pull into a new directory (--out), or remove it first.',
  );

/** Refuses early a destination that holds anything: a pull never mixes its files with others. */
function checkDestination(dir: string): void {
  const stats = lstatOrUndefined(dir);
  if (stats && (!stats.isDirectory() || readdirSync(dir).length > 0)) throw occupied(dir);
}

/**
 * Puts the verified staging directory in place. The rename itself is the final check: it replaces
 * only an absent or empty directory, so whatever landed in `dir` during the download is refused
 * and kept, never merged or lost (Windows will not rename over any directory: an empty one is
 * removed first there).
 */
function place(staging: string, dir: string): void {
  try {
    renameSync(staging, dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') throw occupied(dir);
    const stats = lstatOrUndefined(dir);
    if (code !== 'EPERM' || !stats?.isDirectory() || readdirSync(dir).length > 0) {
      throw code === 'EPERM'
        ? occupied(dir)
        : ioError(`Could not move the pulled snapshot into ${dir}: ${(error as Error).message}`, undefined, error);
    }
    rmdirSync(dir);
    renameSync(staging, dir);
  }
}

/**
 * Streams one layer to `path`, checking its size and sha256 as the bytes arrive; returns the
 * digest (with the file's first and last bytes) that verification then uses instead of a re-read.
 */
async function download(client: RegistryClient, layer: Descriptor, path: string, where: string): Promise<FileDigest> {
  const response = await fetchBlob(client, layer.digest, basename(path));
  const hash = createHash('sha256');
  let size = 0;
  let head: Buffer = Buffer.alloc(0);
  let tail: Buffer = Buffer.alloc(0);
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > layer.size) return done(new Error('more bytes than the manifest says'));
      hash.update(chunk);
      if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
      // A view of the chunk's end, copied only when a chunk is shorter than the tail kept.
      tail = chunk.length >= 64 ? chunk.subarray(-64) : Buffer.concat([tail, chunk]).subarray(-64);
      done(null, chunk);
    },
  });
  try {
    await pipeline(response, checked, createWriteStream(path, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 20 }));
  } catch (error) {
    if (/more bytes/.test((error as Error).message)) {
      throw refusal(
        'verification',
        `${where}: ${basename(path)} is larger than its manifest says (${layer.size} bytes).`,
        TAMPERED,
      );
    }
    throw ioError(`${where}: downloading ${basename(path)} failed: ${(error as Error).message}`, undefined, error);
  }
  const checksum = `sha256:${hash.digest('hex')}`;
  if (size !== layer.size || checksum !== layer.digest) {
    throw refusal(
      'verification',
      `${where}: ${basename(path)} as downloaded is ${size} bytes with digest ${checksum}, not the ${layer.size} bytes and ${layer.digest} its manifest names.`,
      TAMPERED,
    );
  }
  return { checksum, size, head, tail };
}

const TAMPERED = 'The registry served other bytes than were pushed: pull again, or push the snapshot again.';

export async function pullSnapshot(
  reference: RegistryReference,
  outDir: string,
  options: { credentials?: Credentials; expect?: VerifyExpectations } = {},
): Promise<PullResult> {
  const name = reference.digest ?? reference.tag;
  if (name === undefined) {
    throw usageError(
      `Pull needs a tag or a digest: ${formatReference(reference)}.`,
      'Add :<tag> or @sha256:<digest>, or find the newest fitting snapshot with sqlite-snapshot resolve.',
    );
  }
  const dir = resolve(outDir);
  checkDestination(dir);
  const where = formatReference(reference);
  const client = new RegistryClient(reference, options.credentials, 'pull');
  const fetched = await getManifest(client, name);
  if (!fetched) {
    throw ioError(
      `${where}: no such tag or digest in the registry.`,
      'Check the reference; list what fits with sqlite-snapshot resolve.',
    );
  }
  const layers = snapshotLayers(fetched.json, where);
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(join(dirname(dir), `.${basename(dir)}.pull-`));
  try {
    await download(client, layers.manifest, join(staging, MANIFEST_FILE), where);
    const dumpDigest = await download(client, layers.dump, join(staging, DUMP_FILE), where);
    // The dump was hashed as it was written into this private directory: verify without a re-read.
    const report = await verifySnapshot(staging, options.expect, dumpDigest);
    if (!report.ok) {
      const failed = report.checks.filter((check) => !check.ok);
      throw refusal(
        'verification',
        `${where} failed verification, so it was not placed in ${dir}: ${failed.map(describeFailedCheck).join('; ')}.`,
        'Pull a snapshot that fits (sqlite-snapshot resolve), or push one that does.',
        undefined,
      );
    }
    place(staging, dir);
    const pinned = formatReference({ ...reference, tag: undefined, digest: fetched.digest });
    return {
      pinned,
      digest: fetched.digest,
      dumpDigest,
      dir,
      report: { ...report, dumpPath: join(dir, DUMP_FILE), manifestPath: join(dir, MANIFEST_FILE) },
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
