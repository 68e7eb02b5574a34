/**
 * A local double of GitHub's Actions results services (artifacts, cache) and of the REST endpoints for artifacts of
 * other runs, for running the real @actions/artifact and @actions/cache clients against: in this process with
 * `process.env` set from `env`, or in a child process given `env`.
 *
 * In-process users must set the environment before first importing @actions/artifact: @actions/github reads
 * GITHUB_API_URL once, at load. Everything else the clients read at call time, so switching runs is just switching env.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from './azurite.ts';
import { newJob, newRun, type RunIdentity } from './runs.ts';
import { startTwirpFake } from './twirpFake.ts';

export type { RunIdentity } from './runs.ts';

export interface ActionsDoubleOptions {
  /** `owner/repo` of every run; default `owner/repo`. */
  repository?: string;
  /** GITHUB_WORKSPACE for the runs (default download directory, base of cache paths); unset when omitted. */
  workspace?: string;
}

export interface RunHandle extends RunIdentity {
  /** Everything a process needs for the clients to act as this job of this run. */
  env: Record<string, string>;
}

export interface RecordedArtifact {
  name: string;
  id: number;
  size: number;
  /** As GitHub reports it: `sha256:<hex>`, the hash the client sent when finalizing. */
  digest: string | undefined;
  runBackendId: string;
  runId: number | undefined;
}

export interface RecordedCache {
  key: string;
  version: string;
  id: number;
  size: number;
}

export interface ActionsDouble {
  /** Environment of the first run (`run`). */
  env: Record<string, string>;
  run: RunHandle;
  repository: string;
  /** The token the REST fake accepts, for `findBy.token` (a `github-token` input). */
  restToken: string;
  /** A fresh run of the same repository: its own run id and backend ids, hence its own artifacts. */
  newRun(): RunHandle;
  /** Another job of a run (default: `run`): sees the run's artifacts, uploads under its own job id. */
  newJob(of?: RunIdentity): RunHandle;
  /** Finalized artifacts of all runs, oldest first. */
  artifacts(): RecordedArtifact[];
  /**
   * Replaces the stored archive of a finalized artifact while the service keeps the digest recorded at upload:
   * what a download sees when storage or the network damaged or swapped the bytes.
   */
  replaceArtifactBytes(id: number, bytes: Buffer): Promise<void>;
  /** Finalized cache entries, oldest first. */
  caches(): RecordedCache[];
  stop(): Promise<void>;
}

/** Sets variables in process.env; the returned function puts back exactly what was there. */
export function applyEnv(env: Record<string, string>): () => void {
  const saved = Object.keys(env).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Runs `fn` in this process with `env` set in process.env (as another job or run, say), then puts it back. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const restore = applyEnv(env);
  try {
    return await fn();
  } finally {
    restore();
  }
}

export async function startActionsDouble(options: ActionsDoubleOptions = {}): Promise<ActionsDouble> {
  const repository = options.repository ?? 'owner/repo';
  const restToken = `ghs_${randomBytes(18).toString('hex')}`;
  const runs = new Map<number, RunIdentity>();
  const root = mkdtempSync(join(tmpdir(), 'actions-double-'));
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(runnerTemp);

  const azurite = await startAzurite().catch((error: unknown) => {
    rmSync(root, { recursive: true, force: true });
    throw error;
  });
  const fake = await startTwirpFake({
    azurite,
    repository,
    token: restToken,
    runBackendIdOf: (runId) => runs.get(runId)?.runBackendId,
    runIdOf: (runBackendId) => [...runs.values()].find((run) => run.runBackendId === runBackendId)?.runId,
  }).catch(async (error: unknown) => {
    await azurite.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  });

  const handle = (identity: RunIdentity): RunHandle => {
    runs.set(identity.runId, identity);
    const env: Record<string, string> = {
      ACTIONS_RUNTIME_TOKEN: identity.runtimeToken,
      ACTIONS_RESULTS_URL: fake.resultsUrl,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      // Only read by the older cache protocol; pointing it here makes a fallback fail loudly instead of leaking out.
      ACTIONS_CACHE_URL: fake.resultsUrl,
      // The clients refuse anything that looks like GitHub Enterprise Server.
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: fake.apiUrl,
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: repository.split('/')[0] ?? '',
      GITHUB_RUN_ID: String(identity.runId),
      GITHUB_RUN_NUMBER: String(identity.runId % 1000),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_WORKFLOW: 'ci',
      GITHUB_JOB: 'test',
      GITHUB_ACTIONS: 'true',
      // The cache client stages archives here; without it, it would write under /home/actions/temp.
      RUNNER_TEMP: runnerTemp,
      ...(options.workspace ? { GITHUB_WORKSPACE: options.workspace } : {}),
    };
    return { ...identity, env };
  };

  const run = handle(newRun());
  let stopped: Promise<void> | undefined;
  return {
    env: run.env,
    run,
    repository,
    restToken,
    newRun: () => handle(newRun()),
    newJob: (of = run) => handle(newJob(of.runId, of.runBackendId)),
    artifacts: () =>
      fake.artifacts.finalized().map((record) => ({
        name: record.name,
        id: record.id,
        size: record.size,
        digest: record.digest,
        runBackendId: record.runBackendId,
        runId: [...runs.values()].find((r) => r.runBackendId === record.runBackendId)?.runId,
      })),
    replaceArtifactBytes: async (id, bytes) => {
      const record = fake.artifacts.byId(id);
      if (!record) throw new Error(`no finalized artifact with id ${id}`);
      // Keep the content type the client uploaded with: it decides whether a download is unpacked.
      const { contentType } = await azurite.container.getBlockBlobClient(record.blobName).getProperties();
      await azurite.container
        .getBlockBlobClient(record.blobName)
        .uploadData(bytes, { blobHTTPHeaders: { blobContentType: contentType } });
    },
    caches: () =>
      fake.caches.finalized().map((record) => ({
        key: record.key,
        version: record.version,
        id: record.id,
        size: record.size,
      })),
    stop: () => {
      stopped ??= (async () => {
        try {
          await fake.stop();
        } finally {
          await azurite.stop();
          rmSync(root, { recursive: true, force: true });
        }
      })();
      return stopped;
    },
  };
}
