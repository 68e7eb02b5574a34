/**
 * The double against the real @actions/artifact and @actions/cache clients, in this process. If either side drifts
 * from what GitHub does (wire format, ids, digests, key matching), these fail.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ActionsDouble, applyEnv, startActionsDouble, withEnv } from './index.ts';

type ArtifactModule = typeof import('@actions/artifact');
type CacheModule = typeof import('@actions/cache');

let work: string;
let double: ActionsDouble;
let restoreEnv: (() => void) | undefined;
let artifactLib: ArtifactModule;
let cache: CacheModule;

function file(dir: string, relative: string, content: Buffer | string): string {
  const path = join(dir, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'actions-double-test-'));
  double = await startActionsDouble({ workspace: work });
  restoreEnv = applyEnv(double.env);
  // Imported only now: @actions/github fixes its API base URL from GITHUB_API_URL when first loaded.
  artifactLib = await import('@actions/artifact');
  cache = await import('@actions/cache');
});

after(async () => {
  restoreEnv?.();
  restoreEnv = undefined;
  await double?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('artifact: upload, find by name, download with digest check', { timeout: 30_000 }, async () => {
  const client = new artifactLib.DefaultArtifactClient();
  const src = join(work, 'upload');
  const small = file(src, 'snapshot.json', '{"tables":3}\n');
  const big = randomBytes(300_000);
  const nested = file(src, 'data/db.sqlite', big);

  const uploaded = await client.uploadArtifact('snapshot', [small, nested], src, { retentionDays: 1 });
  assert.ok(uploaded.id && uploaded.id > 0);
  assert.ok(uploaded.size && uploaded.size > 0);
  // uploadArtifact reports the bare hex digest of the zip...
  assert.match(uploaded.digest ?? '', /^[0-9a-f]{64}$/);

  const { artifact } = await client.getArtifact('snapshot');
  assert.equal(artifact.id, uploaded.id);
  assert.equal(artifact.size, uploaded.size);
  // ...while the service (and so getArtifact) reports it prefixed, the form downloadArtifact compares.
  assert.equal(artifact.digest, `sha256:${uploaded.digest}`);
  assert.deepEqual(double.artifacts(), [
    {
      name: 'snapshot',
      id: uploaded.id,
      size: uploaded.size,
      digest: `sha256:${uploaded.digest}`,
      runBackendId: double.run.runBackendId,
      runId: double.run.runId,
    },
  ]);

  const out = join(work, 'download-ok');
  const ok = await client.downloadArtifact(artifact.id, { path: out, expectedHash: artifact.digest });
  assert.equal(ok.digestMismatch, false);
  assert.equal(readFileSync(join(out, 'snapshot.json'), 'utf8'), '{"tables":3}\n');
  assert.deepEqual(readFileSync(join(out, 'data/db.sqlite')), big);

  const wrong = await client.downloadArtifact(artifact.id, {
    path: join(work, 'download-wrong'),
    expectedHash: `sha256:${'0'.repeat(64)}`,
  });
  assert.equal(wrong.digestMismatch, true);
  // The bare hex from uploadArtifact is not the compared form: passing it as is reports a mismatch.
  const bare = await client.downloadArtifact(artifact.id, {
    path: join(work, 'download-bare'),
    expectedHash: uploaded.digest,
  });
  assert.equal(bare.digestMismatch, true);

  // Names are unique within a run, as on GitHub.
  await assert.rejects(client.uploadArtifact('snapshot', [small], src), /\(409\)/);

  // Another job of the same run sees the artifact and can download it.
  const sibling = double.newJob();
  const fromSibling = await withEnv(sibling.env, async () => {
    const found = await client.getArtifact('snapshot');
    return client.downloadArtifact(found.artifact.id, {
      path: join(work, 'download-sibling'),
      expectedHash: found.artifact.digest,
    });
  });
  assert.equal(fromSibling.digestMismatch, false);
  assert.deepEqual(readFileSync(join(work, 'download-sibling/data/db.sqlite')), big);
});

test('artifact: another run is invisible by name, reachable by run id with a token', { timeout: 30_000 }, async () => {
  const client = new artifactLib.DefaultArtifactClient();
  const src = join(work, 'other-run');
  const content = randomBytes(10_000);
  const path = file(src, 'other.bin', content);
  const other = double.newRun();
  const uploaded = await withEnv(other.env, () => client.uploadArtifact('from-other-run', [path], src));
  assert.ok(uploaded.id);

  await assert.rejects(client.getArtifact('from-other-run'), artifactLib.ArtifactNotFoundError);
  await assert.rejects(
    client.downloadArtifact(uploaded.id, { path: join(work, 'nope') }),
    artifactLib.ArtifactNotFoundError,
  );

  const [repositoryOwner = '', repositoryName = ''] = double.repository.split('/');
  const findBy = { token: double.restToken, workflowRunId: other.runId, repositoryOwner, repositoryName };
  const { artifact } = await client.getArtifact('from-other-run', { findBy });
  assert.equal(artifact.id, uploaded.id);
  assert.equal(artifact.digest, `sha256:${uploaded.digest}`);
  const listed = await client.listArtifacts({ findBy });
  assert.deepEqual(
    listed.artifacts.map((a) => a.name),
    ['from-other-run'],
  );

  const out = join(work, 'download-other');
  const result = await client.downloadArtifact(artifact.id, { path: out, findBy, expectedHash: artifact.digest });
  assert.equal(result.digestMismatch, false);
  assert.deepEqual(readFileSync(join(out, 'other.bin')), content);

  await assert.rejects(
    client.getArtifact('from-other-run', { findBy: { ...findBy, token: 'ghs_wrong' } }),
    /Bad credentials/,
  );
  await assert.rejects(client.getArtifact('from-other-run', { findBy: { ...findBy, workflowRunId: 1 } }), /Not Found/);
});

test('cache: exact key, restore-key prefix picks the newest, misses', { timeout: 30_000 }, async () => {
  const dir = join(work, 'cache-dir');
  const write = (text: string) => {
    rmSync(dir, { recursive: true, force: true });
    file(dir, 'state.txt', text);
  };
  const read = () => readFileSync(join(dir, 'state.txt'), 'utf8');

  // Created in this order on purpose: the newest ("a") is neither the first created nor the greatest key.
  write('first');
  assert.ok((await cache.saveCache([dir], 'deps-b')) > 0);
  write('second');
  assert.ok((await cache.saveCache([dir], 'deps-a')) > 0);
  // Entries are immutable: saving an existing key is refused (and reported as -1, not thrown).
  assert.equal(await cache.saveCache([dir], 'deps-b'), -1);
  assert.deepEqual(
    double.caches().map((entry) => entry.key),
    ['deps-b', 'deps-a'],
  );

  rmSync(dir, { recursive: true });
  assert.equal(await cache.restoreCache([dir], 'deps-b'), 'deps-b');
  assert.equal(read(), 'first');

  rmSync(dir, { recursive: true });
  assert.equal(await cache.restoreCache([dir], 'deps-c', ['nothing-', 'deps-']), 'deps-a');
  assert.equal(read(), 'second');

  // The primary key is itself tried as a prefix before the restore keys.
  assert.equal(await cache.restoreCache([dir], 'deps-', [], { lookupOnly: true }), 'deps-a');
  assert.equal(await cache.restoreCache([dir], 'other', ['zzz-']), undefined);
  // Other paths mean another cache version: nothing matches, whatever the key.
  assert.equal(await cache.restoreCache([join(work, 'elsewhere')], 'deps-b', [], { lookupOnly: true }), undefined);
});
