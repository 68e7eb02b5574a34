/**
 * `push`: a verified snapshot directory into a registry. The files are opened once, verified, and
 * those same open files are uploaded (the registry checks each blob against its digest, so a file
 * changed since verification is refused there). Blobs the repository has are skipped. Tags: an
 * immutable `cm<model>-cs<cache>-v<control_version>`, refused when it already names other content;
 * a moving `cm<model>-cs<cache>` that only moves forward; and the user's own.
 */

import { createReadStream, readSync } from 'node:fs';
import { DUMP_FILE, MANIFEST_FILE, type Manifest } from '../format/manifest.ts';
import { withSnapshotFiles } from '../format/snapshotFiles.ts';
import { describeFailedCheck } from '../shared/check.ts';
import { sha256Of } from '../shared/checksum.ts';
import { refusal, usageError } from '../shared/errors.ts';
import { verifySnapshot } from '../verify/verify.ts';
import { EMPTY_BLOB, EMPTY_DIGEST, imageManifest, LAYER_MEDIA_TYPES, type Provenance } from './artifact.ts';
import { RegistryClient } from './client.ts';
import type { Credentials } from './credentials.ts';
import { formatReference, type RegistryReference } from './reference.ts';
import { type BlobSource, blobExists, getManifest, putManifest, uploadBlob } from './registry.ts';
import { advanceMovingTag, immutableTag, movingTag } from './tags.ts';

export interface PushOptions {
  dir: string;
  reference: RegistryReference;
  /** Tags of the user's own, besides the two the snapshot's versions give. */
  tags?: string[];
  credentials?: Credentials;
  provenance: Provenance;
  /** Upload in chunks of this many bytes (otherwise only where the registry asks for chunks). */
  chunkBytes?: number;
}

export interface PushResult {
  /** `registry/repository@sha256:…`: the pushed snapshot, pinned. */
  pinned: string;
  digest: string;
  tags: string[];
}

export async function pushSnapshot(options: PushOptions): Promise<PushResult> {
  const { reference } = options;
  if (reference.digest) {
    throw usageError(
      `Push to a repository or a tag, not a digest: ${formatReference(reference)}.`,
      'The digest is what the push prints.',
    );
  }
  return withSnapshotFiles(options.dir, async (files) => {
    const report = await verifySnapshot(files);
    if (!report.ok) {
      const failed = report.checks.filter((check) => !check.ok);
      throw refusal(
        'verification',
        `${options.dir} failed verification, so it was not pushed: ${failed.map(describeFailedCheck).join('; ')}.`,
        'Rebuild the snapshot with sqlite-snapshot build.',
      );
    }
    const manifest = report.manifest as Manifest;
    const client = new RegistryClient(reference, options.credentials, 'pull,push');
    const manifestDescriptor = {
      mediaType: LAYER_MEDIA_TYPES[MANIFEST_FILE]!,
      digest: sha256Of(files.manifestBytes),
      size: files.manifestBytes.length,
    };
    const dumpDescriptor = {
      mediaType: LAYER_MEDIA_TYPES[DUMP_FILE]!,
      digest: report.computedChecksum,
      size: report.dumpBytes,
    };
    const inMemory = (bytes: Buffer, digest: string, what: string): BlobSource => ({
      digest,
      size: bytes.length,
      whole: () => bytes,
      read: (position, length) => bytes.subarray(position, position + length),
      what,
    });
    const blobs: BlobSource[] = [
      inMemory(EMPTY_BLOB, EMPTY_DIGEST, 'the empty config'),
      inMemory(files.manifestBytes, manifestDescriptor.digest, 'manifest.json'),
      {
        digest: dumpDescriptor.digest,
        size: dumpDescriptor.size,
        // The file verification read, from its start; the descriptor stays open.
        whole: () => createReadStream('', { fd: files.dumpFd, start: 0, autoClose: false, highWaterMark: 1 << 20 }),
        read: (position, length) => {
          const bytes = Buffer.allocUnsafe(length);
          const count = readSync(files.dumpFd, bytes, 0, length, position);
          return bytes.subarray(0, count);
        },
        what: 'snapshot.sql',
      },
    ];
    for (const blob of blobs) {
      if (await blobExists(client, blob.digest)) continue;
      await uploadBlob(client, blob, options.chunkBytes);
    }
    const image = imageManifest(manifest, { manifest: manifestDescriptor, dump: dumpDescriptor }, options.provenance);
    let bytes: Buffer = Buffer.from(JSON.stringify(image));
    let digest = sha256Of(bytes);
    const fixed = immutableTag(manifest);
    const existing = await getManifest(client, fixed);
    if (existing && sameSnapshot(existing.json, image)) {
      // Pushed before (a re-run): the same files keep the manifest they were first pushed with.
      bytes = existing.bytes;
      digest = existing.digest;
    } else if (existing) {
      throw refusal(
        'verification',
        `${formatReference({ ...reference, tag: fixed })} already holds another snapshot (${existing.digest}); a version tag is never moved.`,
        'Build the new snapshot with a higher control_version (or other versions), or delete that tag in the registry first.',
      );
    }
    // The manifest by digest first, so every tag names content that is already there.
    if (!existing) {
      await putManifest(client, digest, bytes);
      await putManifest(client, fixed, bytes);
    }
    const own = [...new Set([...(reference.tag ? [reference.tag] : []), ...(options.tags ?? [])])];
    for (const tag of own) if (tag !== fixed) await putManifest(client, tag, bytes);
    const moving = movingTag(manifest);
    await advanceMovingTag(client, manifest);
    return {
      pinned: formatReference({ ...reference, tag: undefined, digest }),
      digest,
      tags: [fixed, moving, ...own.filter((tag) => tag !== fixed && tag !== moving)],
    };
  });
}

/** The same two files under another manifest (another push time): the version tag may stay. */
function sameSnapshot(existing: unknown, image: { layers: { digest: string }[] }): boolean {
  const layers = (existing as { layers?: { digest?: string }[] }).layers ?? [];
  return (
    layers.length === image.layers.length &&
    layers.every((layer, index) => layer.digest === image.layers[index]!.digest)
  );
}
