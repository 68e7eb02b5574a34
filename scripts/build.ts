/**
 * Bundles the Action (dist/index.js) and the CLI (dist/cli/index.js) with @vercel/ncc: ESM files
 * plus the prebuilt SQLite bindings of every platform, runnable with no node_modules. The artifact
 * and cache clients become chunks of their own, loaded only when used. `--out DIR` builds
 * elsewhere (check-dist).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const root = resolve(import.meta.dirname, '..');
const out = resolve(root, values.out ?? 'dist');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

// The Action goes first: it owns the root of the output directory, the CLI a folder inside it.
const entries = [
  { entry: 'src/index.ts', dir: '', executable: false },
  { entry: 'src/cli/index.ts', dir: 'cli', executable: true },
];
rmSync(out, { recursive: true, force: true });
for (const { entry, dir, executable } of entries) {
  const target = join(out, dir);
  execFileSync(process.execPath, [ncc, 'build', entry, '-o', target, '--quiet', '--target', 'es2023'], {
    cwd: root,
    stdio: 'inherit',
  });
  // The CLI entry is executable through the package's `bin`.
  if (!executable) continue;
  const main = join(target, 'index.js');
  const text = readFileSync(main, 'utf8');
  if (!text.startsWith('#!')) writeFileSync(main, `#!/usr/bin/env node\n${text}`);
  chmodSync(main, 0o755);
}
console.log(`built ${entries.map(({ dir }) => join(values.out ?? 'dist', dir, 'index.js')).join(', ')}`);
