/** A Node.js older than 22, for the tests that prove the bundles refuse it before any verdict. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A Node older than 22: $OLD_NODE when set (CI installs one), else the first on PATH behind the
 * npm scripts' Node 24 (the system Node 20 on development machines).
 */
export function olderNode(): string {
  const candidates = [
    ...(process.env.OLD_NODE ? [process.env.OLD_NODE] : []),
    ...(process.env.PATH ?? '')
      .split(':')
      .filter((dir) => !dir.includes('node_modules'))
      .map((dir) => join(dir, 'node')),
  ];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const major = Number(execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).split('.')[0]);
    if (major < 22) return candidate;
  }
  throw new Error('no Node older than 22 found: set OLD_NODE to a Node 20 binary (this test needs one)');
}
