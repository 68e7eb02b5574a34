/**
 * Bundles the CLI with @vercel/ncc into dist/cli: one ESM file plus the prebuilt SQLite bindings
 * of every platform, runnable with no node_modules. `--out DIR` builds elsewhere (check-dist).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const root = resolve(import.meta.dirname, '..');
const out = resolve(root, values.out ?? 'dist');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

const entries = [{ entry: 'src/cli/index.ts', dir: 'cli' }];
for (const { entry, dir } of entries) {
  const target = join(out, dir);
  rmSync(target, { recursive: true, force: true });
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', target, '--quiet', '--target', 'es2023'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The CLI entry is executable through the package's `bin`.
  const main = join(target, 'index.js');
  const text = readFileSync(main, 'utf8');
  if (!text.startsWith('#!')) writeFileSync(main, `#!/usr/bin/env node\n${text}`);
  chmodSync(main, 0o755);
}
console.log(`built ${entries.map(({ dir }) => join(values.out ?? 'dist', dir)).join(', ')}`);
