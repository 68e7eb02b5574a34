/**
 * Snapshots through a real registry (docker-registry, CNCF Distribution): push, pull, resolve and
 * the tag scheme, checked with independent readers (the registry's own storage, skopeo) and
 * against what a careful user expects when something is wrong.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { ARTIFACT_TYPE, EMPTY_DIGEST } from '../../../src/core/oci/artifact.ts';
import { pullSnapshot } from '../../../src/core/oci/pull.ts';
import { pushSnapshot } from '../../../src/core/oci/push.ts';
import { parseReference } from '../../../src/core/oci/reference.ts';
import { resolveSnapshot } from '../../../src/core/oci/resolve.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { fileSha256, sqlite3, tempDir } from '../../helpers.ts';
import { type RegistryServer, startRegistry } from './registryServer.ts';
import { startTokenServer, TOKEN_USERS } from './tokenServer.ts';

let registry: RegistryServer;
const PROVENANCE = { created: '2026-12-06T00:00:00Z', source: 'https://example.test/acme/app', revision: 'abc123' };

before(async () => {
  registry = await startRegistry();
});
after(async () => {
  await registry?.stop();
});

/** A snapshot of a small database with the given versions. */
async function snapshot(controlVersion: bigint, model = 3n, cache = 7n, rows = 3): Promise<string> {
  const db = join(tempDir('oci-db-'), 'app.db');
  const values = Array.from({ length: rows }, (_, i) => `(${i + 1}, 'row ${i + 1} of ${controlVersion}')`).join(',');
  sqlite3(db, `CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES ${values};`);
  const outDir = join(tempDir('oci-snap-'), 'snapshot');
  await buildSnapshot({
    database: db,
    outDir,
    controlModelVersion: model,
    cacheSchemaVersion: cache,
    controlVersion,
    env: { SOURCE_DATE_EPOCH: '1765000000' },
  });
  return outDir;
}

const ref = (path: string) => parseReference(`${registry.host}/${path}`);

async function manifestOf(repository: string, reference: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://${registry.host}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
  });
  assert.equal(response.status, 200, `${repository}:${reference}`);
  return (await response.json()) as Record<string, unknown>;
}

test('push then pull gives the same two files; the dump layer digest is the manifest checksum', async () => {
  const dir = await snapshot(42n);
  const pushed = await pushSnapshot({ dir, reference: ref('acme/app'), provenance: PROVENANCE });
  assert.match(pushed.pinned, new RegExp(`^${registry.host}/acme/app@sha256:[0-9a-f]{64}$`));
  assert.deepEqual(pushed.tags.slice(0, 2), ['cm3-cs7-v42', 'cm3-cs7']);

  const image = (await manifestOf('acme/app', 'cm3-cs7-v42')) as {
    artifactType: string;
    config: { digest: string };
    layers: { digest: string; size: number; annotations: Record<string, string> }[];
    annotations: Record<string, string>;
  };
  assert.equal(image.artifactType, ARTIFACT_TYPE);
  assert.equal(image.config.digest, EMPTY_DIGEST);
  const checksum = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { checksum: string }).checksum;
  const dumpLayer = image.layers.find(
    (layer) => layer.annotations['org.opencontainers.image.title'] === 'snapshot.sql',
  );
  assert.equal(dumpLayer?.digest, checksum);
  assert.equal(dumpLayer?.digest, `sha256:${fileSha256(join(dir, 'snapshot.sql'))}`);
  assert.equal(image.annotations['org.sqlite-snapshot.control_version'], '42');
  assert.equal(image.annotations['org.opencontainers.image.revision'], 'abc123');

  const out = join(tempDir('oci-pull-'), 'pulled');
  const pulled = await pullSnapshot(ref('acme/app:cm3-cs7-v42'), out);
  assert.equal(pulled.pinned, pushed.pinned);
  assert.deepEqual(readdirSync(out).sort(), ['manifest.json', 'snapshot.sql']);
  for (const file of ['manifest.json', 'snapshot.sql']) {
    assert.equal(fileSha256(join(out, file)), fileSha256(join(dir, file)), file);
  }
  // Pinned by digest, the same snapshot comes back.
  const byDigest = join(tempDir('oci-pull-'), 'pinned');
  await pullSnapshot(parseReference(pushed.pinned), byDigest);
  assert.equal(fileSha256(join(byDigest, 'snapshot.sql')), fileSha256(join(dir, 'snapshot.sql')));
});

test('skopeo sees an ordinary OCI artifact whose dump blob is named by the checksum', async () => {
  const dir = await snapshot(43n);
  await pushSnapshot({ dir, reference: ref('acme/skopeo'), provenance: PROVENANCE });
  const layout = join(tempDir('oci-layout-'), 'layout');
  execFileSync(
    'skopeo',
    ['copy', '--src-tls-verify=false', `docker://${registry.host}/acme/skopeo:cm3-cs7-v43`, `oci:${layout}`],
    {
      stdio: 'pipe',
    },
  );
  const checksum = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { checksum: string }).checksum;
  const blob = join(layout, 'blobs', 'sha256', checksum.slice('sha256:'.length));
  assert.ok(existsSync(blob), 'the dump is a blob named by its checksum');
  assert.equal(fileSha256(blob), fileSha256(join(dir, 'snapshot.sql')));
});

test('resolve picks the newest snapshot the expectations accept, exactly up to 2^64-1', async () => {
  const repository = 'acme/resolve';
  const max = (1n << 64n) - 1n;
  for (const [version, model] of [
    [5n, 3n],
    [max, 3n],
    [max - 1n, 3n],
    [900n, 4n],
  ] as const) {
    await pushSnapshot({ dir: await snapshot(version, model), reference: ref(repository), provenance: PROVENANCE });
  }
  const newest = await resolveSnapshot(ref(repository), { controlModelVersions: [3n], cacheSchemaVersions: [7n] });
  assert.equal(newest.controlVersion, max);
  assert.equal(newest.tag, `cm3-cs7-v${max}`);
  const model4 = await resolveSnapshot(ref(repository), { controlModelVersions: [2n, 4n] });
  assert.equal(model4.controlVersion, 900n);
  // The moving tag names the newest of its model and cache shape.
  const moving = (await manifestOf(repository, 'cm3-cs7')) as { annotations: Record<string, string> };
  assert.equal(moving.annotations['org.sqlite-snapshot.control_version'], String(max));
  await assert.rejects(
    resolveSnapshot(ref(repository), { controlModelVersions: [9n] }),
    (error: unknown) =>
      error instanceof SnapshotError &&
      error.kind === 'verification' &&
      /No snapshot in .*acme\/resolve fits control_model_version 9/.test(error.message),
  );
});

test('the moving tag never goes backwards, even under two concurrent pushes', async () => {
  const repository = 'acme/race';
  const [older, newer] = [await snapshot(10n), await snapshot(11n)];
  for (let round = 0; round < 3; round++) {
    await Promise.all([
      pushSnapshot({ dir: newer, reference: ref(repository), provenance: PROVENANCE }),
      pushSnapshot({ dir: older, reference: ref(repository), provenance: PROVENANCE }),
    ]);
    const moving = (await manifestOf(repository, 'cm3-cs7')) as { annotations: Record<string, string> };
    assert.equal(moving.annotations['org.sqlite-snapshot.control_version'], '11', `round ${round}`);
  }
  // An older push afterwards leaves it alone too.
  await pushSnapshot({ dir: await snapshot(3n), reference: ref(repository), provenance: PROVENANCE });
  const moving = (await manifestOf(repository, 'cm3-cs7')) as { annotations: Record<string, string> };
  assert.equal(moving.annotations['org.sqlite-snapshot.control_version'], '11');
});

test('a version tag is never moved to other content; pushing the same snapshot again is fine', async () => {
  const repository = 'acme/immutable';
  const first = await pushSnapshot({
    dir: await snapshot(7n, 3n, 7n, 3),
    reference: ref(repository),
    provenance: PROVENANCE,
  });
  const again = await pushSnapshot({
    dir: await snapshot(7n, 3n, 7n, 3),
    reference: ref(repository),
    provenance: PROVENANCE,
  });
  assert.equal(again.digest, first.digest, 'the same files keep their manifest');
  await assert.rejects(
    pushSnapshot({ dir: await snapshot(7n, 3n, 7n, 5), reference: ref(repository), provenance: PROVENANCE }),
    (error: unknown) =>
      error instanceof SnapshotError && /cm3-cs7-v7 already holds another snapshot/.test(error.message),
  );
});

test('a blob changed in the registry’s storage is refused on pull, and nothing reaches the directory', async () => {
  const dir = await snapshot(99n, 3n, 7n, 50);
  await pushSnapshot({ dir, reference: ref('acme/tamper'), provenance: PROVENANCE });
  const checksum = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { checksum: string }).checksum;
  const hex = checksum.slice('sha256:'.length);
  const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
  const bytes = readFileSync(data);
  const at = bytes.length - 10;
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(data, bytes);
  const out = join(tempDir('oci-tamper-'), 'pulled');
  await assert.rejects(
    pullSnapshot(ref('acme/tamper:cm3-cs7-v99'), out),
    (error: unknown) =>
      error instanceof SnapshotError &&
      error.kind === 'verification' &&
      /snapshot\.sql as downloaded/.test(error.message),
  );
  assert.equal(existsSync(out), false);
  assert.deepEqual(readdirSync(join(out, '..')), [], 'no staging directory is left behind');
});

test('an unknown repository, an unreachable registry and a non-snapshot each end in one clear error', async () => {
  await assert.rejects(pullSnapshot(ref('acme/none:latest'), join(tempDir(), 'x')), (error: unknown) => {
    assert.ok(error instanceof SnapshotError);
    assert.match(error.message, /acme\/none:latest: no such tag or digest|HTTP 404/);
    return true;
  });
  await assert.rejects(resolveSnapshot(parseReference('127.0.0.1:1/acme/app'), {}), (error: unknown) => {
    assert.ok(error instanceof SnapshotError && error.kind === 'io');
    assert.match(
      error.message,
      /Registry 127\.0\.0\.1:1, repository acme\/app: could not list the tags: the registry could not be reached/,
    );
    return true;
  });
  // Something else under a tag: an image manifest without our artifact type.
  const config = Buffer.from('{}');
  const upload = await fetch(`http://${registry.host}/v2/acme/other/blobs/uploads/`, { method: 'POST' });
  const location = new URL(upload.headers.get('location')!, `http://${registry.host}`);
  location.searchParams.set('digest', EMPTY_DIGEST);
  await fetch(location, { method: 'PUT', body: config, headers: { 'content-type': 'application/octet-stream' } });
  const foreign = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: EMPTY_DIGEST, size: 2 },
    layers: [],
  };
  const put = await fetch(`http://${registry.host}/v2/acme/other/manifests/v1`, {
    method: 'PUT',
    body: JSON.stringify(foreign),
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  assert.equal(put.status, 201);
  await assert.rejects(pullSnapshot(ref('acme/other:v1'), join(tempDir(), 'x')), /is not a sqlite-snapshot artifact/);
});

test('Basic auth: the right credentials push and pull; wrong or none are one clear error naming what was tried', async () => {
  const secured = await startRegistry({ users: { ci: 's3cret' } });
  try {
    const reference = parseReference(`${secured.host}/acme/private`);
    const dir = await snapshot(1n);
    const good = { username: 'ci', password: 's3cret', source: 'the test' };
    const pushed = await pushSnapshot({ dir, reference, credentials: good, provenance: PROVENANCE });
    await pullSnapshot(parseReference(pushed.pinned), join(tempDir(), 'pulled'), { credentials: good });
    await assert.rejects(
      pushSnapshot({ dir, reference, credentials: { ...good, password: 'wrong' }, provenance: PROVENANCE }),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotError);
        assert.match(error.message, /HTTP 401/);
        assert.match(error.hint ?? '', /refused the credentials from the test/);
        assert.doesNotMatch(`${error.message} ${error.hint}`, /wrong|s3cret/, 'never a secret in a message');
        return true;
      },
    );
    await assert.rejects(resolveSnapshot(reference, {}), (error: unknown) => {
      assert.ok(error instanceof SnapshotError);
      assert.match(error.message, /HTTP 401/);
      assert.match(error.hint ?? '', /refused no credentials/);
      return true;
    });
  } finally {
    await secured.stop();
  }
});

test('token auth (the Docker token spec, RS256): anonymous pulls, a reader cannot push, a pusher can', async () => {
  const tokens = await startTokenServer();
  const guarded = await startRegistry({ token: tokens.auth });
  try {
    const reference = parseReference(`${guarded.host}/acme/tokens`);
    const dir = await snapshot(12n);
    const pusher = { username: 'pusher', password: TOKEN_USERS.pusher!.password, source: 'the pusher' };
    const reader = { username: 'reader', password: TOKEN_USERS.reader!.password, source: 'the reader' };
    const pushed = await pushSnapshot({ dir, reference, credentials: pusher, provenance: PROVENANCE });
    assert.ok((tokens.issued.get('pusher') ?? 0) > 0, 'a token was asked for with the credentials');

    // Anonymous: the token server grants pull, so resolve and pull work with no credentials at all.
    const resolved = await resolveSnapshot(reference, { controlModelVersions: [3n] });
    assert.equal(resolved.pinned, pushed.pinned);
    const out = join(tempDir('oci-token-'), 'pulled');
    await pullSnapshot(parseReference(pushed.pinned), out);
    assert.equal(fileSha256(join(out, 'snapshot.sql')), fileSha256(join(dir, 'snapshot.sql')));
    assert.ok((tokens.issued.get('') ?? 0) > 0, 'anonymous tokens were issued');

    // A pull-only token pushing: one clear error that says which permission is missing.
    await assert.rejects(
      pushSnapshot({ dir: await snapshot(13n), reference, credentials: reader, provenance: PROVENANCE }),
      (error: unknown) => {
        assert.ok(error instanceof SnapshotError && error.kind === 'io');
        assert.match(
          error.message,
          /Registry 127\.0\.0\.1:\d+, repository acme\/tokens: could not start the upload of .*: HTTP 401/,
        );
        assert.match(
          error.hint ?? '',
          /The credentials from the reader may not write this repository: grant write access/,
        );
        return true;
      },
    );
    // Wrong password: the token server refuses, and the message says where.
    await assert.rejects(
      resolveSnapshot(reference, {}, { ...pusher, password: 'nope' }),
      (error: unknown) =>
        error instanceof SnapshotError && /could not get a token from 127\.0\.0\.1:\d+: HTTP 401/.test(error.message),
    );
  } finally {
    await guarded.stop();
    await tokens.stop();
  }
});

test('a server answering garbage is one clear error, not a crash', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' }).end('<html>not a registry</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    await assert.rejects(
      resolveSnapshot(parseReference(`127.0.0.1:${port}/acme/app`), {}),
      (error: unknown) =>
        error instanceof SnapshotError && /answered the tag list with something that is not one/.test(error.message),
    );
    await assert.rejects(
      pullSnapshot(parseReference(`127.0.0.1:${port}/acme/app:v1`), join(tempDir(), 'x')),
      (error: unknown) =>
        error instanceof SnapshotError && /The manifest of .*acme\/app:v1 is not JSON/.test(error.message),
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a chunked upload (PATCH with Content-Range, then PUT) gives the same snapshot as a whole one', async () => {
  const dir = await snapshot(21n, 3n, 7n, 4000);
  const size = readFileSync(join(dir, 'snapshot.sql')).length;
  const methods: string[] = [];
  const realFetch = globalThis.fetch;
  // Watch the requests go by (they still go to the real registry).
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    methods.push(init?.method ?? 'GET');
    return realFetch(input, init);
  }) as typeof fetch;
  let pushed: Awaited<ReturnType<typeof pushSnapshot>>;
  try {
    pushed = await pushSnapshot({ dir, reference: ref('acme/chunked'), provenance: PROVENANCE, chunkBytes: 32 << 10 });
  } finally {
    globalThis.fetch = realFetch;
  }
  const patches = methods.filter((method) => method === 'PATCH').length;
  assert.ok(patches >= Math.floor(size / (32 << 10)), `${patches} chunks for ${size} bytes`);
  const out = join(tempDir('oci-chunked-'), 'pulled');
  await pullSnapshot(parseReference(pushed.pinned), out);
  assert.equal(fileSha256(join(out, 'snapshot.sql')), fileSha256(join(dir, 'snapshot.sql')));
});
