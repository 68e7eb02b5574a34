/**
 * src/core is a folder per capability, and imports go one way: each folder imports only from
 * itself and from the folders below it, never from the Action or the CLI. The linter rejects
 * import cycles; this test rejects an import that points up the layers, which a cycle rule alone
 * would let through until the day the lower module imports back.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers.ts';

/** Bottom to top. A folder may import from its own layer's folders only where listed together. */
const LAYERS: readonly (readonly string[])[] = [
  ['shared'],
  ['sql'],
  ['sqlite'],
  ['format'],
  ['place'],
  ['migrate'],
  ['build', 'verify'],
  ['oci'],
  ['load'],
  ['restore'],
  ['diff'],
];
const CORE = join(REPO_ROOT, 'src', 'core');
const layerOf = new Map(LAYERS.flatMap((folders, level) => folders.map((folder) => [folder, level] as const)));

/** Every relative module specifier of a TypeScript file: static imports, re-exports, dynamic imports. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/\bfrom\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/g)];
  return specifiers.map((match) => (match[1] ?? match[2])!);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

test('src/core holds no loose files: every module lives in its capability folder', () => {
  const loose = readdirSync(CORE, { withFileTypes: true }).filter((entry) => entry.isFile());
  assert.deepEqual(
    loose.map((entry) => entry.name),
    [],
  );
  const folders = readdirSync(CORE, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  assert.deepEqual(folders.sort(), [...layerOf.keys()].sort(), 'every folder has a place in LAYERS');
});

test('every import in src/core points to its own folder or a lower layer', () => {
  const upward: string[] = [];
  for (const file of sourceFiles(CORE)) {
    const folder = relative(CORE, file).split(sep)[0]!;
    for (const specifier of relativeImports(file)) {
      const target = normalize(join(dirname(file), specifier));
      const where = relative(CORE, target);
      if (where.startsWith('..')) {
        upward.push(`${relative(REPO_ROOT, file)} imports ${relative(REPO_ROOT, target)}, outside src/core`);
        continue;
      }
      const other = where.split(sep)[0]!;
      if (other === folder) continue;
      if (layerOf.get(other)! >= layerOf.get(folder)!) {
        upward.push(`${relative(REPO_ROOT, file)} (${folder}) imports ${where} (${other})`);
      }
    }
  }
  assert.deepEqual(upward, []);
});

test('the CLI and the Action are separate faces: neither imports the other', () => {
  const crossing: string[] = [];
  for (const [face, other] of [
    ['cli', 'action'],
    ['action', 'cli'],
  ] as const) {
    for (const file of sourceFiles(join(REPO_ROOT, 'src', face))) {
      for (const specifier of relativeImports(file)) {
        const target = relative(join(REPO_ROOT, 'src'), normalize(join(dirname(file), specifier)));
        if (target.split(sep)[0] === other) crossing.push(`${relative(REPO_ROOT, file)} imports src/${target}`);
      }
    }
  }
  assert.deepEqual(crossing, []);
});
