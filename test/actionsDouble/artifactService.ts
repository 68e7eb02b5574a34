/**
 * github.actions.results.api.v1.ArtifactService over Azurite. Artifacts belong to a workflow run (its backend id);
 * a job sees every artifact of its own run and none of another run's, as on GitHub.
 */
import { randomUUID } from 'node:crypto';
import type { Azurite } from './azurite.ts';
import { scopeOfToken, type TokenScope } from './runs.ts';
import { int, str, TwirpError, type TwirpMethod, timestamp } from './twirp.ts';

export interface ArtifactRecord {
  /** Assigned at finalize; 0 while the upload is pending. */
  id: number;
  name: string;
  runBackendId: string;
  jobBackendId: string;
  blobName: string;
  mimeType: string;
  size: number;
  /** The hash the client sent at finalize, stored and served back verbatim (`sha256:<hex>`), as GitHub does. */
  digest: string | undefined;
  createdAt: Date;
  expiresAt: Date | undefined;
  finalized: boolean;
}

export class ArtifactService {
  readonly #azurite: Azurite;
  readonly #records: ArtifactRecord[] = [];
  // Ids are global across runs and repositories on GitHub, so one counter for every run of the double.
  #nextId = 5_000_000_001;

  constructor(azurite: Azurite) {
    this.#azurite = azurite;
  }

  /** Finalized artifacts of every run, oldest first. */
  finalized(): ArtifactRecord[] {
    return this.#records.filter((record) => record.finalized);
  }

  /** What a job of the run can see: finalized and not expired. */
  visibleIn(runBackendId: string): ArtifactRecord[] {
    const now = Date.now();
    return this.finalized().filter(
      (record) =>
        record.runBackendId === runBackendId && (record.expiresAt === undefined || record.expiresAt.getTime() > now),
    );
  }

  byId(id: number): ArtifactRecord | undefined {
    return this.finalized().find((record) => record.id === id);
  }

  /** A read SAS URL; the disposition carries the file name a download without archive saves under. */
  readUrl(record: ArtifactRecord): string {
    const fileName = record.mimeType === 'application/zip' ? `${record.name}.zip` : record.name;
    const disposition = `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
    return this.#azurite.signedUrl(record.blobName, 'read', disposition);
  }

  async remove(record: ArtifactRecord): Promise<void> {
    this.#records.splice(this.#records.indexOf(record), 1);
    await this.#azurite.container.getBlockBlobClient(record.blobName).deleteIfExists();
  }

  methods(): Record<string, TwirpMethod> {
    return {
      CreateArtifact: async (request, authorization) => {
        const scope = checkScope(request, authorization, true);
        const name = requireName(request);
        if (this.visibleIn(scope.runBackendId).some((record) => record.name === name)) {
          throw new TwirpError('already_exists', 'an artifact with this name already exists on the workflow run');
        }
        // A pending upload of the same name is an earlier attempt that never finalized; the retry replaces it.
        this.#dropPending(scope.runBackendId, name);
        const expiresAt = str(request, 'expires_at');
        const record: ArtifactRecord = {
          id: 0,
          name,
          ...scope,
          blobName: `artifacts/${scope.runBackendId}/${randomUUID()}`,
          mimeType: str(request, 'mime_type') || 'application/zip',
          size: 0,
          digest: undefined,
          createdAt: new Date(),
          expiresAt: expiresAt ? new Date(expiresAt) : undefined,
          finalized: false,
        };
        this.#records.push(record);
        return { ok: true, signed_upload_url: this.#azurite.signedUrl(record.blobName, 'upload') };
      },

      FinalizeArtifact: async (request, authorization) => {
        const scope = checkScope(request, authorization, true);
        const name = requireName(request);
        const record = this.#records.find(
          (r) =>
            !r.finalized &&
            r.runBackendId === scope.runBackendId &&
            r.jobBackendId === scope.jobBackendId &&
            r.name === name,
        );
        if (!record) throw new TwirpError('not_found', `no pending upload for artifact ${name}`);
        const size = int(request, 'size') ?? 0;
        // The client reports the size from upload progress; a disagreement with storage means it lost data.
        const stored = await this.#azurite.blobSize(record.blobName);
        if (stored !== size) {
          throw new TwirpError('invalid_argument', `artifact ${name}: size ${size} but ${stored ?? 'no'} bytes stored`);
        }
        record.size = size;
        record.digest = str(request, 'hash') || undefined;
        record.id = this.#nextId++;
        record.finalized = true;
        return { ok: true, artifact_id: String(record.id) };
      },

      ListArtifacts: async (request, authorization) => {
        const scope = checkScope(request, authorization, false);
        const nameFilter = request.name_filter === undefined ? undefined : str(request, 'name_filter');
        const idFilter = int(request, 'id_filter');
        const artifacts = this.visibleIn(scope.runBackendId)
          .filter((record) => nameFilter === undefined || record.name === nameFilter)
          .filter((record) => idFilter === undefined || record.id === idFilter)
          .map((record) => ({
            workflow_run_backend_id: record.runBackendId,
            workflow_job_run_backend_id: record.jobBackendId,
            database_id: String(record.id),
            name: record.name,
            size: String(record.size),
            created_at: timestamp(record.createdAt),
            ...(record.digest ? { digest: record.digest } : {}),
          }));
        return { artifacts };
      },

      GetSignedArtifactURL: async (request, authorization) => {
        const scope = checkScope(request, authorization, false);
        const record = this.#named(scope, requireName(request));
        return { signed_url: this.readUrl(record) };
      },

      DeleteArtifact: async (request, authorization) => {
        const scope = checkScope(request, authorization, false);
        const record = this.#named(scope, requireName(request));
        await this.remove(record);
        return { ok: true, artifact_id: String(record.id) };
      },
    };
  }

  #named(scope: TokenScope, name: string): ArtifactRecord {
    const record = this.visibleIn(scope.runBackendId).find((r) => r.name === name);
    if (!record) throw new TwirpError('not_found', `artifact ${name} not found`);
    return record;
  }

  #dropPending(runBackendId: string, name: string) {
    for (let i = this.#records.length - 1; i >= 0; i--) {
      const record = this.#records[i]!;
      if (!record.finalized && record.runBackendId === runBackendId && record.name === name) this.#records.splice(i, 1);
    }
  }
}

/**
 * The request names its run (and job); the token must grant exactly that, or the service refuses. Reads may name
 * another job of the same run: a download asks for the URL under the uploading job's ids.
 */
function checkScope(request: Record<string, unknown>, authorization: string | undefined, ownJob: boolean): TokenScope {
  const granted = scopeOfToken(authorization);
  if (!granted) throw new TwirpError('unauthenticated', 'missing or invalid runtime token');
  const runBackendId = str(request, 'workflow_run_backend_id');
  const jobBackendId = str(request, 'workflow_job_run_backend_id');
  if (runBackendId !== granted.runBackendId || (ownJob && jobBackendId !== granted.jobBackendId)) {
    throw new TwirpError('permission_denied', 'the token does not grant access to this workflow run or job');
  }
  return { runBackendId, jobBackendId };
}

function requireName(request: Record<string, unknown>): string {
  const name = str(request, 'name');
  if (!name) throw new TwirpError('invalid_argument', 'name is required');
  return name;
}
