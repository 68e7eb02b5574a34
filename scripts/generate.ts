/**
 * Writes the files generated from the option spec (src/spec): the action.yml files, the reusable
 * workflow's inputs and outputs, the tables of docs/action.md. `--check` writes nothing and exits 1
 * naming each stale file, as check-dist does for dist/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GENERATED_FILES } from '../src/spec/generatedFiles.ts';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
const root = resolve(import.meta.dirname, '..');
const biome = join(root, 'node_modules/@biomejs/biome/bin/biome');

/** The text as the repository's formatter leaves it, so generated files pass `npm run lint`. */
export function formatted(path: string, text: string): string {
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${path}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
  });
}

export function generatedText(path: string, render: (current: string) => string): { current: string; next: string } {
  const file = join(root, path);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return { current, next: formatted(path, render(current)) };
}

if (import.meta.main) {
  const stale: string[] = [];
  for (const { path, render } of GENERATED_FILES) {
    const { current, next } = generatedText(path, render);
    if (current === next) continue;
    stale.push(path);
    if (values.check) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), next);
  }
  if (values.check && stale.length > 0) {
    console.error(`Stale generated files (run npm run generate): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log(stale.length === 0 ? 'generated files are up to date' : `wrote ${stale.join(', ')}`);
}
