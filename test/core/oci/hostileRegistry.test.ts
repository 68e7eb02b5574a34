/**
 * A registry is untrusted input too. Against small fake servers: a layer titled like a path is
 * refused before anything is written; credentials never follow a redirect to another host; 503s
 * are retried with backoff and then succeed, while a registry that keeps failing is one clear
 * error naming the status.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { ARTIFACT_TYPE, EMPTY_DIGEST, IMAGE_MANIFEST } from '../../../src/core/oci/artifact.ts';
import { pullSnapshot } from '../../../src/core/oci/pull.ts';
import { parseReference } from '../../../src/core/oci/reference.ts';
import { resolveSnapshot } from '../../../src/core/oci/resolve.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { sqlite3, tempDir } from '../../helpers.ts';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ host: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as { port: number }).port}`, server };
}
const close = (server: Server) => new Promise((resolve) => server.close(resolve));
const digestOf = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function manifestWith(layers: { title: string; digest: string; size: number }[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: IMAGE_MANIFEST,
    artifactType: ARTIFACT_TYPE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: 2 },
    layers: layers.map(({ title, digest, size }) => ({
      mediaType: 'application/octet-stream',
      digest,
      size,
      annotations: { 'org.opencontainers.image.title': title },
    })),
    annotations: {},
  });
}

test('a layer titled like a path (../manifest.json) is refused before anything is written', async () => {
  const body = 'x';
  const manifest = manifestWith([
    { title: '../manifest.json', digest: digestOf(body), size: 1 },
    { title: 'snapshot.sql', digest: digestOf(body), size: 1 },
  ]);
  let blobRequests = 0;
  const { host, server } = await serve((request, response) => {
    if (request.url?.includes('/manifests/')) {
      response.writeHead(200, { 'content-type': IMAGE_MANIFEST }).end(manifest);
      return;
    }
    blobRequests++;
    response.writeHead(200).end(body);
  });
  try {
    const parent = tempDir('hostile-title-');
    await assert.rejects(
      pullSnapshot(parseReference(`${host}/acme/app:v1`), join(parent, 'out')),
      (error: unknown) =>
        error instanceof SnapshotError &&
        /is not a sqlite-snapshot artifact: a layer is not titled/.test(error.message),
    );
    assert.equal(blobRequests, 0, 'no blob was even fetched');
    assert.deepEqual(readdirSync(parent), []);
    assert.equal(existsSync(join(parent, '..', 'manifest.json')), false);
  } finally {
    await close(server);
  }
});

test('credentials go to the registry, never to a redirect target on another host', async () => {
  const seen: { where: string; authorization: string | undefined }[] = [];
  const storage = await serve((request, response) => {
    seen.push({ where: 'storage', authorization: request.headers.authorization });
    response.writeHead(200).end('not what the manifest says');
  });
  const blob = 'x';
  const manifest = manifestWith([
    { title: 'manifest.json', digest: digestOf(blob), size: 1 },
    { title: 'snapshot.sql', digest: digestOf(blob), size: 1 },
  ]);
  const registry = await serve((request, response) => {
    seen.push({ where: 'registry', authorization: request.headers.authorization });
    if (!request.headers.authorization) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    if (request.url?.includes('/manifests/')) {
      response.writeHead(200, { 'content-type': IMAGE_MANIFEST }).end(manifest);
      return;
    }
    // Blobs live elsewhere, as S3-backed registries answer.
    response.writeHead(307, { location: `http://localhost:${storage.host.split(':')[1]}/blob` }).end();
  });
  try {
    await assert.rejects(
      pullSnapshot(parseReference(`${registry.host}/acme/app:v1`), join(tempDir('redirect-'), 'out'), {
        credentials: { username: 'ci', password: 'secret', source: 'the test' },
      }),
      SnapshotError,
    );
    assert.ok(seen.some((entry) => entry.where === 'registry' && entry.authorization?.startsWith('Basic ')));
    const atStorage = seen.filter((entry) => entry.where === 'storage');
    assert.ok(atStorage.length > 0, 'the redirect was followed');
    assert.deepEqual(
      atStorage.map((entry) => entry.authorization),
      atStorage.map(() => undefined),
      'no Authorization header reached the other host',
    );
  } finally {
    await close(registry.server);
    await close(storage.server);
  }
});

test('503s are retried with backoff; a registry that keeps failing is one error naming the status', async () => {
  let calls = 0;
  const flaky = await serve((_request, response) => {
    calls++;
    if (calls <= 2) {
      response.writeHead(503, { 'retry-after': '0' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name: 'acme/app', tags: [] }));
  });
  const broken = await serve((_request, response) => {
    response
      .writeHead(503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'maintenance' }] }));
  });
  try {
    await assert.rejects(
      resolveSnapshot(parseReference(`${flaky.host}/acme/app`), {}),
      (error: unknown) => error instanceof SnapshotError && /No snapshot in/.test(error.message),
    );
    assert.equal(calls, 3, 'two failures, then the answer');
    await assert.rejects(resolveSnapshot(parseReference(`${broken.host}/acme/app`), {}), (error: unknown) => {
      assert.ok(error instanceof SnapshotError && error.kind === 'io');
      assert.match(error.message, /could not list the tags: HTTP 503 \(UNAVAILABLE: maintenance\)/);
      assert.match(error.hint ?? '', /busy or failing: try again later/);
      return true;
    });
  } finally {
    await close(flaky.server);
    await close(broken.server);
  }
});

test('a destination filled while the pull downloads is refused at the rename, and what landed there is kept', async () => {
  const db = join(tempDir('race-db-'), 'app.db');
  sqlite3(db, "CREATE TABLE t(v); INSERT INTO t VALUES ('a');");
  const snapshotDir = join(tempDir('race-snap-'), 'snapshot');
  await buildSnapshot({ database: db, outDir: snapshotDir });
  const files = {
    manifest: readFileSync(join(snapshotDir, 'manifest.json')),
    dump: readFileSync(join(snapshotDir, 'snapshot.sql')),
  };
  const byDigest = new Map(Object.values(files).map((bytes) => [digestOf(bytes), bytes]));
  const manifest = manifestWith([
    { title: 'manifest.json', digest: digestOf(files.manifest), size: files.manifest.length },
    { title: 'snapshot.sql', digest: digestOf(files.dump), size: files.dump.length },
  ]);
  const destination = join(tempDir('race-out-'), 'out');
  const { host, server } = await serve((request, response) => {
    if (request.url?.includes('/manifests/')) {
      response.writeHead(200, { 'content-type': IMAGE_MANIFEST }).end(manifest);
      return;
    }
    const bytes = byDigest.get(request.url!.slice(request.url!.lastIndexOf('/') + 1))!;
    // Another process writes into the destination after the pull checked it.
    if (bytes === files.dump) {
      mkdirSync(destination, { recursive: true });
      writeFileSync(join(destination, 'theirs.txt'), 'keep me');
    }
    response.writeHead(200).end(bytes);
  });
  try {
    await assert.rejects(
      pullSnapshot(parseReference(`${host}/acme/app:v1`), destination),
      (error: unknown) =>
        error instanceof SnapshotError && /already exists and is not an empty directory/.test(error.message),
    );
    assert.deepEqual(readdirSync(destination), ['theirs.txt']);
    assert.equal(readFileSync(join(destination, 'theirs.txt'), 'utf8'), 'keep me');
    assert.deepEqual(readdirSync(join(destination, '..')), ['out'], 'no staging directory is left behind');
  } finally {
    await close(server);
  }
});
