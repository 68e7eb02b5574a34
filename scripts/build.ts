/**
 * Bundles both faces into one ESM file with @vercel/ncc: dist/index.js, plus the prebuilt SQLite
 * bindings of every platform, compressed (dist/prebuilds), runnable with no node_modules. The artifact and
 * cache clients become chunks of their own, loaded only when used. Next to it go the entry files
 * that import it: dist/action.js (action.yml's `main`), dist/action-<verb>.js (each verb's own
 * action, <verb>/action.yml) and dist/cli.js (the package's `bin`).
 * `--out DIR` builds elsewhere (check-dist).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants } from 'node:zlib';
import { PACKED_INDEX, type PackedIndex, packedName } from '../src/core/sqlite/packedBinding.ts';
import { PLATFORM_KEYS } from '../src/core/sqlite/sqlite.ts';
import { VERBS } from '../src/spec/actionInputs.ts';
import { actionEntry } from '../src/spec/renderAction.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const root = resolve(import.meta.dirname, '..');
const out = resolve(root, values.out ?? 'dist');
const ncc = join(root, 'node_modules/@vercel/ncc/dist/ncc/cli.js');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [ncc, 'build', 'src/index.ts', '-o', out, '--quiet', '--target', 'es2023'], {
  cwd: root,
  stdio: 'inherit',
});

/**
 * The prebuilt addons, brotli-compressed (17 MB as they are, about 7 MB packed), with the digest
 * each must have once unpacked. Whatever addon files the bundler copied are replaced by these.
 */
const prebuilds = join(out, 'prebuilds');
rmSync(prebuilds, { recursive: true, force: true });
mkdirSync(prebuilds);
const index: PackedIndex = {};
for (const key of PLATFORM_KEYS) {
  const addon = readFileSync(join(root, 'node_modules/better-sqlite3/prebuilds', `${key}.node`));
  index[key] = { sha256: createHash('sha256').update(addon).digest('hex') };
  const packed = brotliCompressSync(addon, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
  });
  writeFileSync(join(prebuilds, packedName(key)), packed);
}
writeFileSync(join(prebuilds, PACKED_INDEX), `${JSON.stringify(index, null, 2)}\n`);
const stray = readdirSync(out, { recursive: true }).filter((name) => String(name).endsWith('.node'));
if (stray.length > 0) throw new Error(`addon files left in ${out}: ${stray.join(', ')}`);

/** The entry files: a few lines each, so both faces load the one bundle. */
const ENTRIES: Record<string, string> = {
  [actionEntry(undefined)]: `// The GitHub Action's entry (action.yml runs it): the code is in index.js.
import { runAction } from './index.js';

await runAction();
`,
  ...Object.fromEntries(
    VERBS.map((verb) => [
      actionEntry(verb),
      `// The entry of ${verb}/action.yml, the ${verb} action: the code is in index.js.
import { runAction } from './index.js';

await runAction(process.env, '${verb}');
`,
    ]),
  ),
  'cli.js': `#!/usr/bin/env node
// The sqlite-snapshot command's entry (package.json bin): the code is in index.js.
import { processIo, runCli } from './index.js';

process.exitCode = await runCli(process.argv.slice(2), processIo());
`,
};
for (const [name, text] of Object.entries(ENTRIES)) writeFileSync(join(out, name), text);
// The CLI entry is executable through the package's `bin`.
chmodSync(join(out, 'cli.js'), 0o755);
console.log(`built ${join(values.out ?? 'dist', 'index.js')} and ${Object.keys(ENTRIES).join(', ')}`);
