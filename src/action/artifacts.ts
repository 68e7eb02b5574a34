/**
 * The snapshot as one workflow artifact (snapshot.sql + manifest.json), through @actions/artifact.
 * The client is imported only when an artifact is uploaded or downloaded: it is most of the
 * bundle, and a step that needs no artifact should not pay for loading it.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DUMP_FILE, MANIFEST_FILE } from '../core/format/manifest.ts';
import { ioError, refusal, SnapshotError } from '../core/shared/errors.ts';
import type { ArtifactSource } from './inputs.ts';
import type { ArtifactFacts } from './summary.ts';

async function loadClient() {
  // The client reads the runner's variables itself; without them its own error says little.
  if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
    throw ioError(
      'Workflow artifacts are only reachable inside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN or ACTIONS_RESULTS_URL is not set).',
      'Run this step in a workflow job; elsewhere set upload: false (build) or point path at a directory holding snapshot.sql and manifest.json (verify, restore).',
    );
  }
  return new (await import('@actions/artifact')).DefaultArtifactClient();
}

/** The upload reports bare hex; the service lists and compares `sha256:<hex>`. */
const normalizeDigest = (digest: string | undefined): string | undefined =>
  digest === undefined || digest === '' ? undefined : digest.startsWith('sha256:') ? digest : `sha256:${digest}`;

const SUFFIX_DIGITS = 16;
const checksumHex = (checksum: string): string => checksum.replace(/^sha256:/, '').slice(0, SUFFIX_DIGITS);

/** `<name>-<first 16 hex digits of the checksum>`: a distinct snapshot gets a distinct artifact name. */
export const contentAddressedName = (name: string, checksum: string): string => `${name}-${checksumHex(checksum)}`;

/** The name a build was asked for, from a content-addressed name of this checksum; other names as they are. */
export function baseArtifactName(name: string, checksum: string): string {
  const suffix = `-${checksumHex(checksum)}`;
  return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : name;
}

/** "this run", or "run 123 of owner/repo". */
export const describeOrigin = (runId: number | undefined, repository: string | undefined): string =>
  runId === undefined ? 'this run' : `run ${runId} of ${repository}`;

function clientError(error: unknown, what: string, hint: string): SnapshotError {
  if (error instanceof SnapshotError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return ioError(`${what}: ${message}`, hint, error);
}

export interface UploadOptions {
  retentionDays?: number;
  /** Replace an artifact of the same name in this run (a re-run of the job) instead of failing. */
  overwrite?: boolean;
}

async function deleteIfPresent(client: Awaited<ReturnType<typeof loadClient>>, name: string): Promise<void> {
  try {
    await client.deleteArtifact(name);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ArtifactNotFoundError')) {
      throw clientError(error, `Could not delete the artifact "${name}" to overwrite it`, 'Re-run the job.');
    }
  }
}

export async function uploadSnapshot(name: string, dir: string, options: UploadOptions = {}): Promise<ArtifactFacts> {
  const client = await loadClient();
  if (options.overwrite) await deleteIfPresent(client, name);
  try {
    const files = [join(dir, DUMP_FILE), join(dir, MANIFEST_FILE)];
    const retentionDays = options.retentionDays;
    const uploaded = await client.uploadArtifact(name, files, dir, retentionDays ? { retentionDays } : {});
    return { name, id: uploaded.id, digest: normalizeDigest(uploaded.digest) };
  } catch (error) {
    throw clientError(
      error,
      `Could not upload the artifact "${name}"`,
      'Artifact names are unique per run: when the job is re-run, set overwrite: true; give each job or matrix leg its own artifact-name; or set upload: false.',
    );
  }
}

/**
 * The client unpacks into its target before it compares the digest, so it gets a fresh folder
 * inside `dir` (same file system, and `dir` is where it may write); only a download that passed the
 * check is moved up into `dir`.
 */
async function inStagingFolder<T>(dir: string, work: (staging: string) => Promise<T>): Promise<T> {
  let staging: string;
  try {
    mkdirSync(dir, { recursive: true });
    staging = mkdtempSync(join(dir, '.sqlite-snapshot-download-'));
  } catch (error) {
    throw ioError(
      `Cannot create a folder for the download in ${dir}: ${(error as Error).message}`,
      'Set path to a directory this job can write to.',
      error,
    );
  }
  try {
    const result = await work(staging);
    for (const file of [DUMP_FILE, MANIFEST_FILE]) {
      rmSync(join(dir, file), { force: true });
      // A file missing from the artifact stays missing: verify names it.
      if (existsSync(join(staging, file))) renameSync(join(staging, file), join(dir, file));
    }
    return result;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Downloads the artifact and checks the archive against the digest the service recorded at upload
 * (the client only reports a mismatch, so it is refused here) before its files reach `dir`.
 */
export async function downloadSnapshot(
  source: ArtifactSource,
  dir: string,
  warn: (line: string) => void,
): Promise<ArtifactFacts> {
  const client = await loadClient();
  const origin = describeOrigin(
    source.runId,
    source.repository && `${source.repository.owner}/${source.repository.repo}`,
  );
  const findBy =
    source.runId === undefined
      ? undefined
      : {
          findBy: {
            token: source.token!,
            workflowRunId: source.runId,
            repositoryOwner: source.repository!.owner,
            repositoryName: source.repository!.repo,
          },
        };
  let found: Awaited<ReturnType<typeof client.getArtifact>>['artifact'];
  try {
    found = (await client.getArtifact(source.name, findBy)).artifact;
  } catch (error) {
    const missing = error instanceof Error && error.name === 'ArtifactNotFoundError';
    throw clientError(
      error,
      missing
        ? `No artifact named "${source.name}" in ${origin}`
        : `Could not look up the artifact "${source.name}" in ${origin}`,
      source.runId === undefined
        ? 'Make this job need the job that built the snapshot (needs:), set artifact-name to the name it uploaded, ' +
            'set run-id/repository/github-token to fetch it from another run, or point path at a snapshot directory.'
        : 'Check run-id, repository and artifact-name, and that github-token may read Actions artifacts there ' +
            '(permissions: actions: read); artifacts expire after their retention days.',
    );
  }
  const digest = normalizeDigest(found.digest);
  if (!digest) {
    warn(
      `The artifact service recorded no digest for "${source.name}" (id ${found.id}): only the manifest's checksum guards it.`,
    );
  }
  await inStagingFolder(dir, async (staging) => {
    let digestMismatch: boolean | undefined;
    try {
      const result = await client.downloadArtifact(found.id, { ...findBy, path: staging, expectedHash: digest });
      digestMismatch = result.digestMismatch;
    } catch (error) {
      throw clientError(
        error,
        `Could not download the artifact "${source.name}" (id ${found.id}) from ${origin}`,
        'Re-run the job; if it keeps failing, the artifact may have expired or been deleted.',
      );
    }
    if (digestMismatch) {
      throw refusal(
        'verification',
        `The artifact "${source.name}" (id ${found.id}) from ${origin} does not match the digest recorded when it was uploaded (${digest}): it was damaged or replaced in transit, and nothing of it was kept.`,
        'Re-run the job; if it fails again, rebuild and re-upload the snapshot.',
      );
    }
  });
  return { name: source.name, id: found.id, digest, origin };
}
