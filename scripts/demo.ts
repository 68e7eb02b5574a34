/**
 * `npm run demo`: builds the example fixture database from examples/fixture/*.sql, snapshots it
 * with the bundled CLI (dist/cli), then verifies the snapshot against the versions the example
 * code expects. Output goes to examples/.demo/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSqlite } from '../src/core/sqlite.ts';

const root = resolve(import.meta.dirname, '..');
const work = join(root, 'examples/.demo');
const fixture = join(work, 'fixture.db');
const snapshot = join(work, 'snapshot');
const cli = join(root, 'dist/cli/index.js');

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const Database = await loadSqlite();
const db = new Database(fixture);
for (const file of ['schema.sql', 'seed.sql']) db.exec(readFileSync(join(root, 'examples/fixture', file), 'utf8'));
db.close();

const run = (args: string[]): void => {
  console.log(`\n$ sqlite-snapshot ${args.join(' ')}`);
  execFileSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
};
run([
  'build',
  '--db',
  fixture,
  '--out',
  snapshot,
  '--control-model-version',
  '3',
  '--cache-schema-version',
  '7',
  '--control-version',
  '9007199254740993',
  '--db-migration-version',
  '4',
]);
run(['verify', snapshot, '--expect-control-model-version', '2,3', '--expect-cache-schema-version', '7']);
console.log(`\n${readFileSync(join(snapshot, 'manifest.json'), 'utf8')}`);
