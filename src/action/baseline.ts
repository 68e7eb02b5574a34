/**
 * The branch baseline: a build on the default branch saves its snapshot in the Actions cache, and a
 * pull request's verify restores the newest one by key prefix to show what changed. The cache is
 * scoped so a pull request can read its base branch's entries; the client is loaded only when used.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from '../core/format/manifest.ts';

/** The workspace folder the cache archives; a fixed relative path keeps the cache version stable. */
const BASELINE_FOLDER = '.sqlite-snapshot-baseline';

/**
 * `…:<artifact>:<branch>:`, each part URI-encoded: then neither holds a colon, so the prefix of
 * `main` never matches a branch called `main-v2`, nor a comma, which cache keys refuse.
 */
export const baselineKeyPrefix = (artifactName: string, branch: string): string =>
  `sqlite-snapshot-baseline:${encodeURIComponent(artifactName)}:${encodeURIComponent(branch)}:`;

function baselineKey(artifactName: string, env: NodeJS.ProcessEnv): string {
  const branch = env.GITHUB_REF_NAME || 'local';
  return `${baselineKeyPrefix(artifactName, branch)}${env.GITHUB_RUN_ID || '0'}-${env.GITHUB_RUN_ATTEMPT || '1'}`;
}

/** The folder (absolute) and the path the cache client is given (relative to the working directory). */
function baselineLocation(env: NodeJS.ProcessEnv): { dir: string; cachePath: string } {
  const dir = join(env.GITHUB_WORKSPACE || process.cwd(), BASELINE_FOLDER);
  return { dir, cachePath: relative(process.cwd(), dir) || '.' };
}

export type SavedBaseline = { saved: true; key: string } | { saved: false; key: string; reason: string };

export async function saveBaseline(
  snapshotDir: string,
  artifactName: string,
  env: NodeJS.ProcessEnv,
): Promise<SavedBaseline> {
  const key = baselineKey(artifactName, env);
  const cache = await import('@actions/cache');
  // Asked before the dump is copied: without the service there is nothing to copy it for.
  if (!cache.isFeatureAvailable()) {
    return { saved: false, key, reason: 'the Actions cache service is not available to this job' };
  }
  const { dir, cachePath } = baselineLocation(env);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    for (const file of [DUMP_FILE, MANIFEST_FILE]) copyFileSync(join(snapshotDir, file), join(dir, file));
    // The client logs and returns -1 when the service refuses (key taken, quota); it throws on bad input.
    const id = await cache.saveCache([cachePath], key);
    return id === -1
      ? { saved: false, key, reason: 'the cache service did not accept it (see the warning above)' }
      : { saved: true, key };
  } catch (error) {
    return { saved: false, key, reason: (error as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RestoredBaseline {
  /** Where the baseline's two files are; remove with `dispose()` when done. */
  dir: string;
  key: string;
  dispose(): void;
}

export type BaselineLookup =
  | { found: true; baseline: RestoredBaseline }
  | { found: false; reason: 'none' | 'unavailable'; detail?: string };

/** The newest baseline of `branch`; a missing one or an unreachable cache is an answer, not an error. */
export async function restoreBaseline(
  artifactName: string,
  branch: string,
  env: NodeJS.ProcessEnv,
): Promise<BaselineLookup> {
  const prefix = baselineKeyPrefix(artifactName, branch);
  const { dir, cachePath } = baselineLocation(env);
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  dispose();
  try {
    const cache = await import('@actions/cache');
    if (!cache.isFeatureAvailable()) return { found: false, reason: 'unavailable' };
    const key = await cache.restoreCache([cachePath], prefix, [prefix]);
    if (key !== undefined) return { found: true, baseline: { dir, key, dispose } };
    dispose();
    return { found: false, reason: 'none' };
  } catch (error) {
    dispose();
    return { found: false, reason: 'unavailable', detail: (error as Error).message };
  }
}
