/**
 * The bundled Action and an OCI registry (docker-registry on 127.0.0.1): build with publish-to
 * pushes and outputs the pinned reference; verify and restore with from pull, or resolve a
 * repository with the expected versions first, on the root action and on the verb actions. The
 * registry password is masked in the log, and the job token is never sent to a registry other than
 * ghcr.io.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type RegistryServer, startRegistry } from '../core/oci/registryServer.ts';
import { sqlite3, tempDir } from '../helpers.ts';
import { EXAMPLE_BUILD_INPUTS, explain, installAction, runAction } from './actionRunner.ts';

let open: RegistryServer;
let secured: RegistryServer;
let action: string;

before(async () => {
  action = installAction();
  [open, secured] = await Promise.all([startRegistry(), startRegistry({ users: { ci: 'registry-s3cret' } })]);
});
after(async () => {
  await Promise.all([open?.stop(), secured?.stop()]);
});

test('build with publish-to pushes after the build; verify and restore take the snapshot from the registry', async () => {
  const repository = `${open.host}/acme/app-snapshot`;
  const built = await runAction(action, {
    inputs: { mode: 'build', ...EXAMPLE_BUILD_INPUTS, upload: 'false', 'publish-to': repository },
  });
  assert.equal(built.code, 0, explain(built));
  assert.match(
    built.outputs['oci-reference']!,
    new RegExp(`^${repository.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`),
  );
  assert.equal(built.outputs['oci-reference'], `${repository}@${built.outputs['oci-digest']}`);
  assert.match(built.stdout, /::group::Pushing the snapshot to /);
  assert.match(built.stdout, /tags cm3-cs7-v9007199254740993, cm3-cs7/);

  // A PR check on the verify action: the newest snapshot that fits this code's versions.
  const verified = await runAction(action, {
    verb: 'verify',
    inputs: { from: repository, 'expect-control-model-version': '2,3', 'expect-cache-schema-version': '7' },
  });
  assert.equal(verified.code, 0, explain(verified));
  assert.equal(verified.outputs['oci-reference'], built.outputs['oci-reference']);
  assert.equal(verified.outputs.checksum, built.outputs.checksum);
  assert.equal(verified.outputs['artifact-id'], '', 'no artifact was used');

  const misfit = await runAction(action, {
    inputs: { mode: 'verify', from: repository, 'control-model-version': '4' },
  });
  assert.equal(misfit.code, 1, explain(misfit));
  assert.match(misfit.errors[0] ?? '', /No snapshot in .*acme\/app-snapshot fits control_model_version 4/);

  const target = join(tempDir('action-oci-restore-'), 'app.db');
  const restored = await runAction(action, {
    inputs: { mode: 'restore', from: `${repository}:cm3-cs7`, database: target, 'require-table': 'nodes' },
  });
  assert.equal(restored.code, 0, explain(restored));
  assert.equal(sqlite3(target, 'SELECT cursor FROM control;'), '9007199254740993\n');
  assert.equal(restored.outputs['oci-digest'], built.outputs['oci-digest']);
});

test('registry credentials from the inputs; the password is masked; the job token stays off other registries', async () => {
  const repository = `${secured.host}/acme/private`;
  const inputs = { mode: 'build', ...EXAMPLE_BUILD_INPUTS, upload: 'false', 'publish-to': repository };
  // The job token is for ghcr.io only: another registry sees no credentials, and says so.
  const withoutCredentials = await runAction(action, {
    inputs: { ...inputs, 'github-token': 'ghs_job-token-not-for-you' },
    env: { GITHUB_ACTOR: 'octocat' },
  });
  assert.equal(withoutCredentials.code, 1, explain(withoutCredentials));
  assert.match(withoutCredentials.errors[0] ?? '', /HTTP 401/);
  assert.match(withoutCredentials.errors[0] ?? '', /refused no credentials/);

  const pushed = await runAction(action, {
    inputs: { ...inputs, 'registry-username': 'ci', 'registry-password': 'registry-s3cret' },
  });
  assert.equal(pushed.code, 0, explain(pushed));
  assert.ok(pushed.stdout.includes('::add-mask::registry-s3cret'), 'the password is masked before anything is logged');
  assert.equal(pushed.stdout.split('registry-s3cret').length, 2, 'and appears nowhere else');

  const target = join(tempDir('action-oci-private-'), 'app.db');
  const restored = await runAction(action, {
    verb: 'restore',
    inputs: { from: repository, database: target, 'registry-username': 'ci', 'registry-password': 'registry-s3cret' },
  });
  assert.equal(restored.code, 0, explain(restored));
});
