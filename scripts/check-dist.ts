/** Fails when dist/ differs from a fresh build of the sources: dist/ is committed and must not go stale. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  execFileSync(process.execPath, [join(root, 'scripts/build.ts'), '--out', fresh], { cwd: root, stdio: 'inherit' });
  try {
    // Addons unpacked by a run of the bundle in this checkout are not part of it (.gitignore).
    execFileSync('diff', ['-r', '-q', '-x', '*.node', join(root, 'dist'), fresh], { stdio: 'inherit' });
  } catch {
    console.error('dist/ is stale: run `npm run build` and commit dist/.');
    process.exitCode = 1;
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
