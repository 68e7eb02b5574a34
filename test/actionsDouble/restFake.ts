/**
 * The few GitHub REST endpoints the artifact client calls when `findBy` names another run or repository: list a
 * run's artifacts, get and delete one, and the zip download that redirects to blob storage.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ArtifactRecord, ArtifactService } from './artifactService.ts';
import { sendJson } from './twirp.ts';

export interface RestFakeOptions {
  artifacts: ArtifactService;
  /** `owner/repo`: the only repository that exists. */
  repository: string;
  /** The token a caller must present, as a `github-token` input would carry it. */
  token: string;
  /** Backend id of a run by its public id, undefined for runs that never existed. */
  runBackendIdOf(runId: number): string | undefined;
  /** Public id of a run by its backend id. */
  runIdOf(runBackendId: string): number | undefined;
}

/** Prefix under which the API is served; GITHUB_API_URL is the server's origin plus this. */
export const API_PREFIX = '/api';

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const REPO = /^\/api\/repos\/([^/]+)\/([^/]+)\/actions\/(.+)$/;
const RUN_ARTIFACTS = /^runs\/(\d+)\/artifacts$/;
const ARTIFACT = /^artifacts\/(\d+)(\/zip)?$/;
const NOT_FOUND: Reply = {
  status: 404,
  body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
};

export function handleRest(req: IncomingMessage, res: ServerResponse, options: RestFakeOptions, apiUrl: string): void {
  req.resume();
  reply(req, options, apiUrl).then(
    ({ status, body, headers }) => {
      if (body === undefined) res.writeHead(status, { 'content-length': '0', ...headers }).end();
      else sendJson(res, status, body, headers);
    },
    (error: Error) => sendJson(res, 500, { message: error.message }),
  );
}

async function reply(req: IncomingMessage, options: RestFakeOptions, apiUrl: string): Promise<Reply> {
  const url = new URL(req.url ?? '/', apiUrl);
  // Octokit sends `token <t>` for opaque tokens and `bearer <t>` for JWT-shaped ones; both are GitHub-valid.
  const presented = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (presented !== options.token) {
    return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
  }
  const [, owner, repo, rest] = REPO.exec(url.pathname) ?? [];
  if (!owner || !repo || !rest || `${owner}/${repo}`.toLowerCase() !== options.repository.toLowerCase()) {
    return NOT_FOUND;
  }

  const runMatch = RUN_ARTIFACTS.exec(rest);
  if (runMatch && req.method === 'GET') {
    const runBackendId = options.runBackendIdOf(Number(runMatch[1]));
    if (!runBackendId) return NOT_FOUND;
    const name = url.searchParams.get('name');
    const all = options.artifacts.visibleIn(runBackendId).filter((record) => name === null || record.name === name);
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
    const artifacts = all.slice((page - 1) * perPage, page * perPage).map((r) => toJson(r, apiUrl, options));
    return { status: 200, body: { total_count: all.length, artifacts } };
  }

  const [, id, zip] = ARTIFACT.exec(rest) ?? [];
  const record = id ? options.artifacts.byId(Number(id)) : undefined;
  if (!record) return NOT_FOUND;
  if (zip && req.method === 'GET') {
    // As on GitHub: a short-lived signed blob URL in Location; the client follows it without credentials.
    return { status: 302, headers: { location: options.artifacts.readUrl(record) } };
  }
  if (!zip && req.method === 'DELETE') {
    await options.artifacts.remove(record);
    return { status: 204 };
  }
  if (!zip && req.method === 'GET') return { status: 200, body: toJson(record, apiUrl, options) };
  return NOT_FOUND;
}

function toJson(record: ArtifactRecord, apiUrl: string, options: RestFakeOptions) {
  const self = `${apiUrl}/repos/${options.repository}/actions/artifacts/${record.id}`;
  return {
    id: record.id,
    node_id: Buffer.from(`Artifact${record.id}`).toString('base64'),
    name: record.name,
    size_in_bytes: record.size,
    url: self,
    archive_download_url: `${self}/zip`,
    expired: false,
    digest: record.digest ?? null,
    created_at: record.createdAt.toISOString(),
    updated_at: record.createdAt.toISOString(),
    expires_at: record.expiresAt?.toISOString() ?? null,
    workflow_run: { id: options.runIdOf(record.runBackendId) ?? null, head_branch: 'main' },
  };
}
