/**
 * github.actions.results.api.v1.CacheService over Azurite. Every run of the double is the same repository and
 * branch, so all runs share one cache scope, as consecutive runs on one branch do on GitHub.
 */
import { randomUUID } from 'node:crypto';
import type { Azurite } from './azurite.ts';
import { scopeOfToken } from './runs.ts';
import { int, str, strList, TwirpError, type TwirpMethod } from './twirp.ts';

export interface CacheRecord {
  /** Assigned at finalize; 0 while the upload is pending. */
  id: number;
  key: string;
  version: string;
  blobName: string;
  size: number;
  /** Creation order: "newest" for restore keys means most recently created. */
  sequence: number;
  finalized: boolean;
}

export class CacheService {
  readonly #azurite: Azurite;
  readonly #records: CacheRecord[] = [];
  #sequence = 0;
  #nextId = 1;

  constructor(azurite: Azurite) {
    this.#azurite = azurite;
  }

  finalized(): CacheRecord[] {
    return this.#records.filter((record) => record.finalized);
  }

  /**
   * GitHub's matching, always within the same version: an exact hit on the key, else the newest entry whose key
   * starts with the key, else the same for each restore key in order.
   */
  lookup(key: string, restoreKeys: string[], version: string): CacheRecord | undefined {
    const candidates = this.finalized().filter((record) => record.version === version);
    const exact = candidates.find((record) => record.key === key);
    if (exact) return exact;
    for (const prefix of [key, ...restoreKeys]) {
      const newest = candidates
        .filter((record) => record.key.startsWith(prefix))
        .reduce<CacheRecord | undefined>(
          (best, record) => (best && best.sequence > record.sequence ? best : record),
          undefined,
        );
      if (newest) return newest;
    }
    return undefined;
  }

  methods(): Record<string, TwirpMethod> {
    return {
      CreateCacheEntry: async (request, authorization) => {
        authenticate(authorization);
        const { key, version } = keyAndVersion(request);
        // Entries are immutable: a second writer of the same key and version is refused even while the first
        // is still uploading; the client logs it and carries on without saving.
        if (this.#records.some((record) => record.key === key && record.version === version)) {
          throw new TwirpError('already_exists', 'cache entry with the same key, version, and scope already exists');
        }
        const record: CacheRecord = {
          id: 0,
          key,
          version,
          blobName: `caches/${randomUUID()}`,
          size: 0,
          sequence: this.#sequence++,
          finalized: false,
        };
        this.#records.push(record);
        return { ok: true, signed_upload_url: this.#azurite.signedUrl(record.blobName, 'upload') };
      },

      FinalizeCacheEntryUpload: async (request, authorization) => {
        authenticate(authorization);
        const { key, version } = keyAndVersion(request);
        const record = this.#records.find((r) => !r.finalized && r.key === key && r.version === version);
        if (!record) throw new TwirpError('not_found', `no pending cache entry for key ${key}`);
        const size = int(request, 'size_bytes') ?? 0;
        const stored = await this.#azurite.blobSize(record.blobName);
        if (stored !== size) {
          throw new TwirpError('invalid_argument', `cache ${key}: size ${size} but ${stored ?? 'no'} bytes stored`);
        }
        record.size = size;
        record.id = this.#nextId++;
        record.finalized = true;
        return { ok: true, entry_id: String(record.id) };
      },

      GetCacheEntryDownloadURL: async (request, authorization) => {
        authenticate(authorization);
        const { key, version } = keyAndVersion(request);
        const record = this.lookup(key, strList(request, 'restore_keys'), version);
        // A miss is a normal answer, not an error: the client reports it quietly as "not found".
        if (!record) return { ok: false, signed_download_url: '', matched_key: '' };
        return {
          ok: true,
          signed_download_url: this.#azurite.signedUrl(record.blobName, 'read'),
          matched_key: record.key,
        };
      },
    };
  }
}

function authenticate(authorization: string | undefined) {
  if (!scopeOfToken(authorization)) throw new TwirpError('unauthenticated', 'missing or invalid runtime token');
}

function keyAndVersion(request: Record<string, unknown>): { key: string; version: string } {
  const key = str(request, 'key');
  const version = str(request, 'version');
  if (!key || !version) throw new TwirpError('invalid_argument', 'key and version are required');
  return { key, version };
}
