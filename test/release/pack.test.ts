/**
 * The npm package as a user gets it: `npm pack` holds the bundle and no sources, the tarball
 * installs offline into an empty directory (it has no dependencies: dist/ is self-contained), and
 * the installed `sqlite-snapshot` command builds and verifies a snapshot and refuses a tampered one.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, sep } from 'node:path';
import { before, test } from 'node:test';
import { REPO_ROOT, sha256File, sqlite3, tempDir } from '../helpers.ts';

interface PackageJson {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
}
interface PackResult {
  filename: string;
  files: { path: string; mode: number }[];
}

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;

/**
 * The environment of the npm and CLI processes: the project's Node 24 first on PATH (the bin's
 * `#!/usr/bin/env node` finds it), no npm_* variables of an outer `npm run` (its
 * npm_config_local_prefix would install into the checkout), and an empty npm cache, so nothing a
 * dependency would need can come from it.
 */
function childEnv(cache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  env.npm_config_cache = cache;
  env.npm_config_update_notifier = 'false';
  return env;
}

let env: NodeJS.ProcessEnv = {};
let tarball = '';
let packed: PackResult | undefined;
let installDir = '';
let bin = '';

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}
const output = (result: SpawnSyncReturns<string>): string =>
  `exit ${result.status} ${result.signal ?? ''} ${result.error?.message ?? ''}\n${result.stdout}${result.stderr}`;

before(() => {
  env = childEnv(tempDir('pack-cache-'));
  const destination = tempDir('pack-tarball-');
  const result = run('npm', ['pack', '--json', '--pack-destination', destination], REPO_ROOT);
  assert.equal(result.status, 0, output(result));
  // The JSON is the tarball's own file list, as `npm pack --dry-run --json` gives it.
  const results = JSON.parse(result.stdout) as PackResult[];
  assert.equal(results.length, 1);
  packed = results[0]!;
  tarball = join(destination, packed.filename);
  assert.ok(existsSync(tarball), `${tarball} was written`);
});

test('the tarball holds the bundle, the prebuilt bindings, the entry files and the license, and no sources or tests', () => {
  const paths = packed!.files.map((file) => file.path);
  for (const path of [
    'package.json',
    'dist/cli.js',
    'dist/action.js',
    'dist/index.js',
    'dist/package.json',
    'dist/prebuilds/index.json',
    'dist/prebuilds/linux-x64.node.br',
    'dist/prebuilds/win32-x64.node.br',
    'action.yml',
    'build/action.yml',
    'verify/action.yml',
    'restore/action.yml',
    'LICENSE',
    'README.md',
  ]) {
    assert.ok(paths.includes(path), `${path} is in the tarball:\n${paths.join('\n')}`);
  }
  const unwanted = paths.filter((path) => /^(src|test|bench|scripts|examples|node_modules|\.github|\.ci)\//.test(path));
  assert.deepEqual(unwanted, [], 'no sources, tests, benchmarks or node_modules');
  assert.ok(!paths.some((path) => path.endsWith('.ts')), 'no TypeScript');
  // An addon unpacked by a run of the bundle in the checkout is not shipped: the packed ones are.
  assert.ok(!paths.some((path) => path.endsWith('.node')), 'no unpacked addon');
  assert.equal(PACKAGE.bin['sqlite-snapshot'], 'dist/cli.js');
});

test('the tarball installs offline into an empty directory, with nothing but itself', () => {
  installDir = tempDir('pack-install-');
  assert.deepEqual(readdirSync(installDir), []);
  const result = run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--prefix', installDir, tarball],
    installDir,
  );
  assert.equal(result.status, 0, output(result));
  const installed = join(installDir, 'node_modules', PACKAGE.name);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as PackageJson;
  assert.equal(manifest.version, PACKAGE.version);
  assert.deepEqual(manifest.dependencies ?? {}, {}, 'the package has no run-time dependencies');
  const modules = readdirSync(join(installDir, 'node_modules')).filter((name) => !name.startsWith('.'));
  assert.deepEqual(modules, [PACKAGE.name], 'no other package was installed');
  bin = join(installDir, 'node_modules', '.bin', 'sqlite-snapshot');
  assert.ok(existsSync(bin), 'the bin is linked');
  assert.ok(realpathSync(bin).startsWith(realpathSync(installed) + sep), 'the bin is the installed package’s');
});

test('the installed command prints the package version', () => {
  const result = run(bin, ['--version'], installDir);
  assert.equal(result.status, 0, output(result));
  assert.equal(result.stdout, `sqlite-snapshot ${PACKAGE.version}\n`);
});

test('the installed command builds a snapshot, verifies it, and refuses a tampered copy', () => {
  const work = tempDir('pack-snapshot-');
  const db = join(work, 'fixture.db');
  sqlite3(
    db,
    "CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items VALUES (1, 'one'), (2, 'two');",
  );
  const out = join(work, 'out');
  const built = run(bin, ['build', '--db', db, '--out', out], work);
  assert.equal(built.status, 0, output(built));
  // The manifest's checksum is the dump's, computed here independently.
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { checksum: string };
  assert.equal(manifest.checksum, sha256File(join(out, 'snapshot.sql')));

  const verified = run(bin, ['verify', out], work);
  assert.equal(verified.status, 0, output(verified));
  assert.match(verified.stdout, /^OK: /);

  const tampered = join(work, 'tampered');
  cpSync(out, tampered, { recursive: true });
  appendFileSync(join(tampered, 'snapshot.sql'), '\n');
  const refused = run(bin, ['verify', tampered], work);
  assert.equal(refused.status, 1, output(refused));
  assert.match(refused.stdout, /FAIL checksum/);
});
