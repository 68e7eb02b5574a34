/**
 * `npm run demo`: the release and runtime jobs of the example project, with the bundled CLI
 * (dist/cli): build a snapshot from examples/migrations + examples/seed.sql, verify it against the
 * versions the example code expects, then restore it into a new runtime database. Output goes to
 * examples/.demo/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const examples = join(root, 'examples');
const work = join(examples, '.demo');
const snapshot = join(work, 'snapshot');
const cli = join(root, 'dist/cli.js');

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const run = (args: string[]): void => {
  console.log(`\n$ sqlite-snapshot ${args.join(' ')}`);
  execFileSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
};
run([
  'build',
  '--migrations',
  join(examples, 'migrations'),
  '--seed',
  join(examples, 'seed.sql'),
  '--out',
  snapshot,
  '--control-model-version',
  '3',
  '--cache-schema-version',
  '7',
  '--control-version-query',
  'SELECT cursor FROM control WHERE id = 1',
]);
run(['verify', snapshot, '--expect-control-model-version', '2,3', '--expect-cache-schema-version', '7']);
run([
  'restore',
  snapshot,
  '--db',
  join(work, 'app.db'),
  '--require-table',
  'nodes',
  '--check-sql',
  'SELECT count(*) FROM nodes',
]);
console.log(`\n${readFileSync(join(snapshot, 'manifest.json'), 'utf8')}`);
