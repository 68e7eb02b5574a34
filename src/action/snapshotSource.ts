/**
 * Which snapshot a verify or restore step reads. Every step of a job shares the default `path`, so
 * the files there are marked with where they came from (built by this job, or downloaded as which
 * artifact of which run), and a step only reuses them when they are what it asked for.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { usageError } from '../core/errors.ts';
import { downloadSnapshot, holdsSnapshot } from './artifacts.ts';
import type { ActionInputs, ArtifactSource } from './inputs.ts';
import type { ModeLog } from './modes.ts';
import type { ArtifactFacts } from './summary.ts';

/** Written next to snapshot.sql and manifest.json by the Action only; never uploaded. */
export const SOURCE_MARK_FILE = '.sqlite-snapshot-source.json';

export interface SourceMark {
  origin: 'built' | 'downloaded';
  /** The artifact's name (content-addressed when built with name-with-checksum). */
  artifact: string;
  /** The name asked for in artifact-name, before any checksum suffix. */
  baseName: string;
  /** Another run's id and repository; null for this run. */
  runId: number | null;
  repository: string | null;
  id?: number;
  digest?: string;
  originText?: string;
}

export function writeSourceMark(dir: string, mark: SourceMark): void {
  writeFileSync(join(dir, SOURCE_MARK_FILE), `${JSON.stringify(mark, null, 2)}\n`);
}

function readSourceMark(dir: string): SourceMark | undefined {
  const path = join(dir, SOURCE_MARK_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SourceMark;
  } catch {
    // An unreadable mark is treated as a download of something else: ours to replace.
    return { origin: 'downloaded', artifact: '', baseName: '', runId: null, repository: null };
  }
}

const requestedRun = (source: ArtifactSource) => ({
  runId: source.runId ?? null,
  repository: source.repository ? `${source.repository.owner}/${source.repository.repo}` : null,
});

function matches(mark: SourceMark, source: ArtifactSource): boolean {
  const { runId, repository } = requestedRun(source);
  const names = mark.origin === 'built' ? [mark.artifact, mark.baseName] : [mark.artifact];
  return names.includes(source.name) && mark.runId === runId && mark.repository === repository;
}

const factsOf = (mark: SourceMark): ArtifactFacts | undefined =>
  mark.id === undefined
    ? undefined
    : { name: mark.artifact, id: mark.id, digest: mark.digest, origin: mark.originText ?? 'this run' };

/** The snapshot directory to read: `path` when it holds the snapshot asked for, else the artifact downloaded into it. */
export async function locateSnapshot(
  inputs: ActionInputs,
  log: ModeLog,
): Promise<{ dir: string; artifact?: ArtifactFacts }> {
  const dir = resolve(inputs.path);
  const source = inputs.artifact;
  if (holdsSnapshot(dir)) {
    const mark = readSourceMark(dir);
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
      return { dir, artifact: factsOf(mark) };
    }
    if (mark.origin === 'built') {
      throw usageError(
        `${dir} holds the snapshot this job built (artifact "${mark.artifact}"), not the artifact "${source.name}"${source.runId === undefined ? '' : ` of run ${source.runId}`}.`,
        `Set path to another directory to download that artifact, or set artifact-name: ${mark.baseName} (and no run-id) to check what this job built.`,
      );
    }
    log.info(`${dir} holds the artifact "${mark.artifact}", not the one asked for: replacing it`);
  }
  const artifact = await log.group(`Downloading the artifact "${source.name}"`, () => downloadSnapshot(source, dir));
  writeSourceMark(dir, {
    origin: 'downloaded',
    artifact: source.name,
    baseName: source.name,
    ...requestedRun(source),
    id: artifact.id,
    digest: artifact.digest,
    originText: artifact.origin,
  });
  return { dir, artifact };
}
