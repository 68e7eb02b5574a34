/**
 * The registry on the command line, as real processes against a real registry (docker-registry):
 * push prints the pinned reference, resolve finds the newest fitting snapshot, pull places a
 * verified copy, and verify, restore and diff take a reference where they take a directory, so a
 * fleet machine restores from the registry in one command. Credentials come from the flags, the
 * environment or the Docker config; failures are one clear line with the exit code scripts expect.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSnapshot } from '../../src/core/build/build.ts';
import { type RegistryServer, startRegistry } from '../core/oci/registryServer.ts';
import { CLI_ENTRY, fileSha256, sqlite3, tempDir } from '../helpers.ts';

let open: RegistryServer;
let secured: RegistryServer;
const USER = 'fleet';
const PASSWORD = 'pa55-word';

before(async () => {
  [open, secured] = await Promise.all([startRegistry(), startRegistry({ users: { [USER]: PASSWORD } })]);
});
after(async () => {
  await Promise.all([open?.stop(), secured?.stop()]);
});

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const result = spawnSync(process.execPath, [CLI_ENTRY, ...args], {
    encoding: 'utf8',
    input: options.input ?? '',
    env: { PATH: process.env.PATH, HOME: tempDir('cli-home-'), ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function snapshot(controlVersion: bigint, rows: number): Promise<string> {
  const db = join(tempDir('cli-oci-db-'), 'app.db');
  const values = Array.from({ length: rows }, (_, i) => `(${i + 1}, 'v${controlVersion}')`).join(',');
  sqlite3(db, `CREATE TABLE nodes(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO nodes VALUES ${values};`);
  const outDir = join(tempDir('cli-oci-snap-'), 'snapshot');
  await buildSnapshot({ database: db, outDir, controlModelVersion: 3n, cacheSchemaVersion: 7n, controlVersion });
  return outDir;
}

test('push prints the pinned reference; resolve and restore from the repository pick the newest that fits', async () => {
  const repo = `${open.host}/acme/fleet`;
  const older = await snapshot(1n, 2);
  const newer = await snapshot(2n, 5);
  const first = cli(['push', older, repo]);
  assert.equal(first.code, 0, first.stderr);
  const pushed = cli(['push', newer, `${repo}:release`, '--tag', 'stable']);
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, new RegExp(`^${repo.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}\\n$`));
  assert.match(pushed.stderr, /tagged cm3-cs7-v2, cm3-cs7, release, stable/);

  const resolved = cli([
    'resolve',
    repo,
    '--expect-control-model-version',
    '2,3',
    '--expect-cache-schema-version',
    '7',
  ]);
  assert.equal(resolved.code, 0, resolved.stderr);
  assert.equal(resolved.stdout, pushed.stdout);

  // A fleet machine: one command, from the repository to a restored database.
  const target = join(tempDir('cli-oci-restore-'), 'app.db');
  const restored = cli(['restore', repo, '--expect-control-model-version', '3', '--db', target]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.equal(sqlite3(target, 'SELECT count(*), min(v) FROM nodes;'), '5|v2\n');

  const none = cli(['resolve', repo, '--expect-cache-schema-version', '8']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr.trimEnd().split('\n').length, 2, none.stderr);
  assert.match(none.stderr, /^error: No snapshot in .*acme\/fleet fits cache_schema_version 8\.\n {2}hint: /);
});

test('pull places a verified copy; verify and diff take references', async () => {
  const repo = `${open.host}/acme/pull`;
  const dir = await snapshot(5n, 3);
  const pinned = cli(['push', dir, repo]).stdout.trim();
  const out = join(tempDir('cli-oci-pull-'), 'copy');
  const pulled = cli(['pull', `${repo}:cm3-cs7-v5`, '--out', out]);
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.equal(pulled.stdout, `pulled ${pinned} into ${out}\n`);
  assert.equal(fileSha256(join(out, 'snapshot.sql')), fileSha256(join(dir, 'snapshot.sql')));

  // A destination that holds anything is refused, and left as it was.
  const busy = join(tempDir('cli-oci-busy-'), 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'keep.txt'), 'mine');
  const refused = cli(['pull', `${repo}:cm3-cs7-v5`, '--out', busy]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /already exists and is not an empty directory/);
  assert.deepEqual(readdirSync(busy), ['keep.txt']);

  const verified = cli(['verify', `oci://${repo}:cm3-cs7-v5`, '--expect-control-model-version', '3']);
  assert.equal(verified.code, 0, verified.stderr);
  assert.ok(verified.stdout.startsWith(`OK: ${pinned} snapshot.sql matches its manifest.`), verified.stdout);
  const mismatch = cli(['verify', pinned, '--expect-control-model-version', '4']);
  assert.equal(mismatch.code, 1);
  assert.match(mismatch.stdout, /control_model_version\s+expected 4, got 3/);

  const diff = cli(['diff', pinned, out, '--exit-code']);
  assert.equal(diff.code, 0, diff.stdout + diff.stderr);
});

test('credentials from --password-stdin, the environment or the Docker config; none or wrong is one clear line', async () => {
  const repo = `${secured.host}/acme/private`;
  const dir = await snapshot(9n, 2);
  const anonymous = cli(['push', dir, repo]);
  assert.equal(anonymous.code, 2);
  assert.match(anonymous.stderr, /^error: Registry 127\.0\.0\.1:\d+, repository acme\/private: could not .*: HTTP 401/);
  assert.match(anonymous.stderr, /hint: The registry refused no credentials\./);

  const viaStdin = cli(['push', dir, repo, '--username', USER, '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(viaStdin.code, 0, viaStdin.stderr);

  const viaEnv = cli(['resolve', repo], {
    env: { SQLITE_SNAPSHOT_REGISTRY_USERNAME: USER, SQLITE_SNAPSHOT_REGISTRY_PASSWORD: PASSWORD },
  });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);

  const dockerConfig = tempDir('docker-config-');
  writeFileSync(
    join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [secured.host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } }),
  );
  const target = join(tempDir('cli-oci-private-'), 'app.db');
  const viaDocker = cli(['restore', repo, '--db', target], { env: { DOCKER_CONFIG: dockerConfig } });
  assert.equal(viaDocker.code, 0, viaDocker.stderr);
  assert.ok(existsSync(target));

  const wrong = cli(['resolve', repo, '--username', USER, '--password-stdin'], { input: 'not-it\n' });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /HTTP 401/);
  assert.match(wrong.stderr, /refused the credentials from --username\/--password-stdin/);
  assert.doesNotMatch(wrong.stderr + wrong.stdout, /not-it/, 'the secret is never printed');
});

test('an unreachable registry and a malformed reference are one clear line, exit 2', () => {
  const unreachable = cli(['resolve', '127.0.0.1:1/acme/app']);
  assert.equal(unreachable.code, 2);
  assert.match(
    unreachable.stderr,
    /^error: Registry 127\.0\.0\.1:1, repository acme\/app: could not list the tags: the registry could not be reached/,
  );
  const malformed = cli(['pull', 'ghcr.io/Acme/App:tag', '--out', join(tempDir(), 'x')]);
  assert.equal(malformed.code, 2);
  assert.match(
    malformed.stderr,
    /"ghcr\.io\/Acme\/App:tag" is not a registry reference: "Acme\/App" is not a repository name/,
  );
});
