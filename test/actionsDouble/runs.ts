/**
 * Workflow runs as the results service sees them: a public numeric run id (GITHUB_RUN_ID, used by the REST API)
 * and the backend ids carried in the runtime token (used by the Twirp services).
 */
import { randomUUID } from 'node:crypto';

export interface RunIdentity {
  /** GITHUB_RUN_ID: what the REST API and `findBy.workflowRunId` use. */
  runId: number;
  /** Backend ids from the token's `Actions.Results:<run>:<job>` scope: what the Twirp services use. */
  runBackendId: string;
  jobBackendId: string;
  /** ACTIONS_RUNTIME_TOKEN for this job. */
  runtimeToken: string;
}

export interface TokenScope {
  runBackendId: string;
  jobBackendId: string;
}

// Shaped like real run ids (ten digits) so nothing that parses them meets an unusually small number.
let nextRunId = 9_000_000_001;

export function newRun(): RunIdentity {
  return newJob(nextRunId++, randomUUID());
}

/** Another job of an existing run: same run ids, its own job backend id. */
export function newJob(runId: number, runBackendId: string): RunIdentity {
  const jobBackendId = randomUUID();
  return { runId, runBackendId, jobBackendId, runtimeToken: mintRuntimeToken(runBackendId, jobBackendId) };
}

/**
 * An unsigned JWT carrying the claims the clients decode. The clients never verify the signature (only the service
 * could), and the fake checks only the scope, so `alg: none` is enough. Other scopes sit before the results scope
 * as on GitHub, so a client that took the first scope blindly would fail here too.
 */
export function mintRuntimeToken(runBackendId: string, jobBackendId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'none' };
  const payload = {
    scp: `Actions.GenericRead:${runBackendId} Actions.UploadArtifacts:${runBackendId}:${jobBackendId} Actions.Results:${runBackendId}:${jobBackendId}`,
    iat: now,
    nbf: now,
    exp: now + 6 * 3600,
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:actions-double',
  };
  return `${base64url(header)}.${base64url(payload)}.`;
}

/** The run and job a bearer token speaks for, or undefined when it is not a runtime token of this shape. */
export function scopeOfToken(authorization: string | undefined): TokenScope | undefined {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  let claims: { scp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims.scp !== 'string') return undefined;
  for (const scope of claims.scp.split(' ')) {
    const [name, runBackendId, jobBackendId, ...rest] = scope.split(':');
    if (name === 'Actions.Results' && runBackendId && jobBackendId && rest.length === 0) {
      return { runBackendId, jobBackendId };
    }
  }
  return undefined;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
