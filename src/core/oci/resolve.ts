/**
 * `resolve`: the newest snapshot in a repository that this code can use. Every pushed snapshot has
 * a version tag, `cm<model>-cs<cache>-v<control_version>`, so the candidates are chosen from the
 * tag list alone (every page of it); then, newest first, each candidate's manifest is read and
 * checked (our artifact type, annotations that agree with the tag, the expected db migration
 * version) until one fits. Blobs are never downloaded. control_version is compared exactly, up to
 * 2^64-1.
 */
import { refusal } from '../shared/errors.ts';
import type { VerifyExpectations } from '../verify/verify.ts';
import { snapshotLayers, versionAnnotation } from './artifact.ts';
import { RegistryClient } from './client.ts';
import type { Credentials } from './credentials.ts';
import { formatReference, type RegistryReference } from './reference.ts';
import { getManifest, listTags } from './registry.ts';
import { annotatedControlVersion, isForeignTag, parseVersionTag, type VersionTag } from './tags.ts';

export interface Resolved {
  /** `registry/repository@sha256:…`. */
  pinned: string;
  digest: string;
  tag: string;
  controlModelVersion: bigint;
  cacheSchemaVersion: bigint;
  controlVersion: bigint;
}

interface Candidate extends VersionTag {
  tag: string;
}

const accepts = (accepted: bigint[] | undefined, value: bigint): boolean =>
  accepted === undefined || accepted.length === 0 || accepted.includes(value);

/**
 * The reference to pull: as given when it names a tag or a digest; for a repository alone, the
 * newest snapshot `expect` accepts, pinned by digest.
 */
export async function pinnedReference(
  reference: RegistryReference,
  expect: VerifyExpectations,
  credentials?: Credentials,
): Promise<{ reference: RegistryReference; resolved?: Resolved }> {
  if (reference.tag || reference.digest) return { reference };
  const resolved = await resolveSnapshot(reference, expect, credentials);
  return { reference: { ...reference, digest: resolved.digest }, resolved };
}

export async function resolveSnapshot(
  reference: RegistryReference,
  expect: VerifyExpectations,
  credentials?: Credentials,
): Promise<Resolved> {
  const client = new RegistryClient(reference, credentials, 'pull');
  const candidates: Candidate[] = [];
  for (const tag of await listTags(client)) {
    if (isForeignTag(tag)) continue;
    const named = parseVersionTag(tag);
    if (!named) continue;
    const { model, cache, version } = named;
    if (!accepts(expect.controlModelVersions, model) || !accepts(expect.cacheSchemaVersions, cache)) continue;
    if (expect.minControlVersion !== undefined && version < expect.minControlVersion) continue;
    candidates.push({ tag, model, cache, version });
  }
  candidates.sort((a, b) => (a.version === b.version ? 0 : a.version > b.version ? -1 : 1));
  for (const candidate of candidates) {
    const fetched = await getManifest(client, candidate.tag);
    if (!fetched) continue;
    try {
      snapshotLayers(fetched.json, candidate.tag);
    } catch {
      continue;
    }
    const annotations = (fetched.json as { annotations?: Record<string, unknown> }).annotations ?? {};
    const says = (field: string) => annotations[versionAnnotation(field)];
    // The tag is only a name: the manifest's own annotations must say the same versions.
    if (
      annotatedControlVersion(fetched.json) !== candidate.version ||
      says('control_model_version') !== String(candidate.model) ||
      says('cache_schema_version') !== String(candidate.cache)
    ) {
      continue;
    }
    if (expect.dbMigrationVersion !== undefined && says('db_migration_version') !== expect.dbMigrationVersion) continue;
    return {
      pinned: formatReference({ ...reference, tag: undefined, digest: fetched.digest }),
      digest: fetched.digest,
      tag: candidate.tag,
      controlModelVersion: candidate.model,
      cacheSchemaVersion: candidate.cache,
      controlVersion: candidate.version,
    };
  }
  const wanted = [
    expect.controlModelVersions?.length ? `control_model_version ${expect.controlModelVersions.join(' or ')}` : '',
    expect.cacheSchemaVersions?.length ? `cache_schema_version ${expect.cacheSchemaVersions.join(' or ')}` : '',
    expect.minControlVersion !== undefined ? `control_version >= ${expect.minControlVersion}` : '',
    expect.dbMigrationVersion !== undefined ? `db_migration_version "${expect.dbMigrationVersion}"` : '',
  ].filter(Boolean);
  throw refusal(
    'verification',
    `No snapshot in ${formatReference({ ...reference, tag: undefined })} fits ${wanted.length ? wanted.join(', ') : 'at all'}.`,
    'Push a snapshot built with versions this code accepts (sqlite-snapshot push), or widen the expected versions.',
  );
}
