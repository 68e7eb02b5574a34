/**
 * The distribution API calls a snapshot needs, on a RegistryClient: blobs (exists, upload, fetch),
 * manifests (get, put) and tag listing with pagination. Manifests read back are checked against
 * their digest; their JSON is parsed, never trusted further than artifact.ts allows.
 */

import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { sha256Of } from '../shared/checksum.ts';
import { ioError } from '../shared/errors.ts';
import { IMAGE_MANIFEST } from './artifact.ts';
import type { RegistryClient } from './client.ts';

/** Manifests are small; a larger answer is not one of ours. */
const MANIFEST_MAX_BYTES = 4 << 20;
/** Tags are read a page at a time; this many pages at most (100,000 tags). */
const MAX_TAG_PAGES = 1000;

/** Whether the repository already holds the blob `digest`. */
export async function blobExists(client: RegistryClient, digest: string): Promise<boolean> {
  const response = await client.request('HEAD', client.path(`blobs/${digest}`), {
    accept: [404],
    what: `look for blob ${digest}`,
  });
  await response.body?.cancel();
  return response.status !== 404;
}

/** How a blob's bytes are sent: all at once (bytes or a stream), or read in chunks by position. */
export interface BlobSource {
  digest: string;
  size: number;
  /** The whole body: bytes, or a stream of a large file. */
  whole: () => Uint8Array | Readable;
  /** `length` bytes from `position` (a chunked upload reads the file by position). */
  read: (position: number, length: number) => Uint8Array;
  what: string;
}

/** Chunks of this size at least, when a registry asks for a chunked upload without saying a size. */
const DEFAULT_CHUNK_BYTES = 16 << 20;

/**
 * Uploads a blob: one PUT of the whole body, the way every registry accepts; in chunks (PATCH with
 * Content-Range, then a closing PUT) where the registry asks for them (OCI-Chunk-Min-Length), where
 * it refuses a body that large (413), or when `chunkBytes` says so.
 */
export async function uploadBlob(client: RegistryClient, blob: BlobSource, chunkBytes?: number): Promise<void> {
  const opened = await client.request('POST', client.path('blobs/uploads/'), {
    what: `start the upload of ${blob.what}`,
  });
  await opened.body?.cancel();
  const asked = Number(opened.headers.get('oci-chunk-min-length'));
  const chunk =
    chunkBytes ?? (Number.isSafeInteger(asked) && asked > 0 ? Math.max(asked, DEFAULT_CHUNK_BYTES) : undefined);
  const location = uploadLocation(client, opened);
  if (chunk !== undefined) return uploadInChunks(client, blob, location, chunk);
  const url = new URL(location);
  url.searchParams.set('digest', blob.digest);
  const headers = { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) };
  const body = blob.whole();
  if (body instanceof Uint8Array) {
    const put = await client.request('PUT', url.href, { headers, body, accept: [413], what: `upload ${blob.what}` });
    await put.body?.cancel();
    if (put.status === 413) return uploadBlob(client, blob, DEFAULT_CHUNK_BYTES);
    return;
  }
  try {
    (await client.stream('PUT', url.href, { headers, body, what: `upload ${blob.what}` })).resume();
  } catch (error) {
    // Too large for the registry (or a proxy before it) in one request: send it in chunks.
    if (error instanceof Error && /HTTP 413/.test(error.message)) return uploadBlob(client, blob, DEFAULT_CHUNK_BYTES);
    throw error;
  }
}

function uploadLocation(client: RegistryClient, response: Response): string {
  const location = response.headers.get('location');
  if (!location) throw ioError(`Registry ${client.reference.registry} answered an upload without a Location.`);
  return new URL(location, client.base).href;
}

async function uploadInChunks(client: RegistryClient, blob: BlobSource, start: string, chunk: number): Promise<void> {
  let location = start;
  for (let position = 0; position < blob.size; position += chunk) {
    const bytes = blob.read(position, Math.min(chunk, blob.size - position));
    const patched = await client.request('PATCH', location, {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(bytes.length),
        'content-range': `${position}-${position + bytes.length - 1}`,
      },
      body: bytes,
      what: `upload ${blob.what} (bytes ${position} to ${position + bytes.length - 1})`,
    });
    await patched.body?.cancel();
    location = uploadLocation(client, patched);
  }
  const url = new URL(location);
  url.searchParams.set('digest', blob.digest);
  const closed = await client.request('PUT', url.href, {
    headers: { 'content-length': '0' },
    what: `finish the upload of ${blob.what}`,
  });
  await closed.body?.cancel();
}

export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  json: unknown;
}

/** The manifest at a tag or digest; undefined when there is none. */
export async function getManifest(client: RegistryClient, reference: string): Promise<FetchedManifest | undefined> {
  const response = await client.request('GET', client.path(`manifests/${reference}`), {
    headers: { accept: IMAGE_MANIFEST },
    accept: [404],
    what: `read the manifest ${reference}`,
  });
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  const where = `${client.reference.registry}/${client.reference.repository}:${reference}`;
  if (bytes.length > MANIFEST_MAX_BYTES) throw ioError(`The manifest of ${where} is over 4 MiB: not a snapshot.`);
  const digest = sha256Of(bytes);
  if (reference.startsWith('sha256:') && digest !== reference) {
    throw ioError(
      `The registry answered ${where} with a manifest whose digest is ${digest}, so it was not used.`,
      'The registry or a proxy altered the manifest: pull from another mirror or push again.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw ioError(`The manifest of ${where} is not JSON.`, 'Point at a snapshot pushed with sqlite-snapshot push.');
  }
  return { bytes, digest, json };
}

export async function putManifest(client: RegistryClient, reference: string, bytes: Buffer): Promise<void> {
  const response = await client.request('PUT', client.path(`manifests/${reference}`), {
    headers: { 'content-type': IMAGE_MANIFEST },
    body: bytes,
    what: `write the manifest ${reference}`,
  });
  await response.body?.cancel();
}

/** Every tag of the repository, following the registry's pages (`Link: <…>; rel="next"`). */
export async function listTags(client: RegistryClient): Promise<string[]> {
  const tags: string[] = [];
  let next: string | undefined = client.path('tags/list?n=100');
  for (let page = 0; next !== undefined && page < MAX_TAG_PAGES; page++) {
    const response: Response = await client.request('GET', next, { accept: [404], what: 'list the tags' });
    if (response.status === 404) {
      await response.body?.cancel();
      return [];
    }
    const body = (await response.json().catch(() => undefined)) as { tags?: unknown } | undefined;
    if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))) {
      throw ioError(`Registry ${client.reference.registry} answered the tag list with something that is not one.`);
    }
    for (const tag of (body.tags as unknown[] | null | undefined) ?? []) if (typeof tag === 'string') tags.push(tag);
    const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '');
    next = link ? new URL(link[1]!, client.base).href : undefined;
  }
  return tags;
}

/** Streams a blob; the caller checks size and digest as it reads. */
export async function fetchBlob(client: RegistryClient, digest: string, what: string): Promise<IncomingMessage> {
  return client.stream('GET', client.path(`blobs/${digest}`), { what: `download ${what}` });
}
