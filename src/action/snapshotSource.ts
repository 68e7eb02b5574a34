/**
 * Which snapshot a verify or restore step reads. Steps of a job share the default `path`, so the
 * Action records what it built or downloaded there (a mark in RUNNER_TEMP, which the runner empties
 * for every job, bound to the files' fingerprint), and a step reuses the files only when they are
 * what it asked for.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from '../core/format/manifest.ts';
import { usageError } from '../core/shared/errors.ts';
import { describeOrigin, downloadSnapshot } from './artifacts.ts';
import type { ActionInputs, ArtifactSource } from './inputs.ts';
import type { ModeLog } from './modeLog.ts';
import type { ArtifactFacts } from './summary.ts';

export interface SourceMark {
  origin: 'built' | 'downloaded';
  /** The artifact's name (content-addressed when built with name-with-checksum). */
  artifact: string;
  /** The name asked for in artifact-name, before any checksum suffix (a download's is its name). */
  baseName: string;
  /** Another run's id and repository; null for this run. */
  runId: number | null;
  repository: string | null;
  id?: number;
  digest?: string;
}

interface StoredMark extends SourceMark {
  /** The files the mark describes: anything written over them since makes it void. */
  fingerprint: string;
}

/** Where the mark of `dir` is kept; none outside a runner, whose own files in `path` are then used as they are. */
function markPath(dir: string, env: NodeJS.ProcessEnv): string | undefined {
  if (!env.RUNNER_TEMP) return undefined;
  // The real path: a symlink to the folder is the same folder.
  const real = existsSync(dir) ? realpathSync(dir) : resolve(dir);
  const key = createHash('sha256').update(real).digest('hex').slice(0, 32);
  return join(env.RUNNER_TEMP, '.sqlite-snapshot-marks', `${key}.json`);
}

/** The manifest's bytes and the dump's size and modification time: cheap, and changed by any rewrite. */
function fingerprint(dir: string): string {
  const hash = createHash('sha256');
  if (existsSync(join(dir, MANIFEST_FILE))) hash.update(readFileSync(join(dir, MANIFEST_FILE)));
  if (existsSync(join(dir, DUMP_FILE))) {
    const stats = statSync(join(dir, DUMP_FILE));
    hash.update(`|${stats.size}|${stats.mtimeMs}`);
  }
  return hash.digest('hex');
}

/**
 * Records what `dir` now holds. Best effort: without a mark the files count as the user's own,
 * which is safe (verify still checks them), so a RUNNER_TEMP that cannot be written stops nothing.
 * The old mark is never removed first: until new files land it still describes the old ones, and
 * once they do its fingerprint no longer matches.
 */
export function writeSourceMark(dir: string, env: NodeJS.ProcessEnv, mark: SourceMark): void {
  try {
    const path = markPath(dir, env);
    if (!path) return;
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, `${JSON.stringify({ ...mark, fingerprint: fingerprint(dir) } satisfies StoredMark)}\n`);
  } catch {
    // See above: no mark is a defined state.
  }
}

function readSourceMark(dir: string, env: NodeJS.ProcessEnv): SourceMark | undefined {
  try {
    const path = markPath(dir, env);
    if (!path || !existsSync(path)) return undefined;
    const mark = JSON.parse(readFileSync(path, 'utf8')) as StoredMark;
    return mark.fingerprint === fingerprint(dir) ? mark : undefined;
  } catch {
    return undefined;
  }
}

const requestedRun = (source: ArtifactSource) => ({
  runId: source.runId ?? null,
  repository: source.repository ? `${source.repository.owner}/${source.repository.repo}` : null,
});

function matches(mark: SourceMark, source: ArtifactSource): boolean {
  const { runId, repository } = requestedRun(source);
  const sameRun = mark.runId === runId && mark.repository === repository;
  // No artifact-name: whatever this job built or downloaded is meant, unless run-id asks for another run.
  if (!source.named) return source.runId === undefined || sameRun;
  if (!sameRun) return false;
  return [mark.artifact, mark.baseName].includes(source.name);
}

const factsOf = (mark: SourceMark): ArtifactFacts | undefined =>
  mark.id === undefined
    ? undefined
    : {
        name: mark.artifact,
        id: mark.id,
        digest: mark.digest,
        origin: describeOrigin(mark.runId ?? undefined, mark.repository ?? undefined),
      };

export interface LocatedSnapshot {
  dir: string;
  artifact?: ArtifactFacts;
  /** The artifact name the snapshot was built or downloaded as, before any checksum suffix (baselines use it). */
  baseName?: string;
}

/** Whether `dir` holds (part of) a snapshot, so verify and restore use it instead of downloading. */
export const holdsSnapshot = (dir: string): boolean =>
  existsSync(join(dir, DUMP_FILE)) || existsSync(join(dir, MANIFEST_FILE));

/** The snapshot directory to read: `path` when it holds the snapshot asked for, else the artifact downloaded into it. */
export async function locateSnapshot(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
): Promise<LocatedSnapshot> {
  const dir = resolve(inputs.path);
  const source = inputs.artifact;
  if (holdsSnapshot(dir)) {
    const mark = readSourceMark(dir, env);
    if (!mark) {
      if (source.runId !== undefined) {
        throw usageError(
          `${dir} already holds a snapshot that this action did not download, so the artifact of run ${source.runId} would be ignored.`,
          'Point path at an empty directory for the download, or leave run-id empty to check the files in path.',
        );
      }
      log.info(`using the snapshot in ${dir}`);
      return { dir };
    }
    if (matches(mark, source)) {
      log.info(`using the ${mark.origin} artifact "${mark.artifact}" in ${dir}`);
      return { dir, artifact: factsOf(mark), baseName: mark.baseName };
    }
    if (mark.origin === 'built') {
      throw usageError(
        `${dir} holds the snapshot this job built (artifact "${mark.artifact}"), not the artifact "${source.name}"${source.runId === undefined ? '' : ` of run ${source.runId}`}.`,
        `Set path to another directory to download that artifact, or leave artifact-name and run-id empty to check what this job built.`,
      );
    }
    log.info(`${dir} holds the artifact "${mark.artifact}", not the one asked for: replacing it`);
  }
  const artifact = await log.group(`Downloading the artifact "${source.name}"`, () =>
    downloadSnapshot(source, dir, (line) => log.warning(line)),
  );
  writeSourceMark(dir, env, {
    origin: 'downloaded',
    artifact: source.name,
    baseName: source.name,
    ...requestedRun(source),
    id: artifact.id,
    digest: artifact.digest,
  });
  return { dir, artifact, baseName: source.name };
}
