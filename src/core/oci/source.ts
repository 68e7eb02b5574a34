/**
 * Where a command's snapshot comes from: a directory, or a registry. A reference with a tag or a
 * digest is pulled; one that names a repository only is resolved first, with the versions the
 * caller expects, to the newest snapshot that fits. Either way the snapshot is pulled into a
 * temporary directory (verified on the way in, see pull.ts), handed to the command, and removed.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileDigest } from '../shared/checksum.ts';
import type { VerifyExpectations } from '../verify/verify.ts';
import { type Credentials, findCredentials } from './credentials.ts';
import { pullSnapshot } from './pull.ts';
import { looksLikeReference, parseReference } from './reference.ts';
import { pinnedReference } from './resolve.ts';

export interface RegistryAccess {
  plainHttp?: boolean;
  /** Credentials the caller was given (--username/--password-stdin, Action inputs). */
  given?: { username?: string; password?: string; source: string };
  env: NodeJS.ProcessEnv;
}

/** Where a snapshot was found, for reports: the directory, or the pinned registry reference. */
export interface SnapshotOrigin {
  dir: string;
  /** `registry/repository@sha256:…` when it came from a registry. */
  pinned?: string;
  /** snapshot.sql's digest taken as it was pulled (see PullResult), so it is not read again. */
  dumpDigest?: FileDigest;
}

export const isRegistryLocation = (location: string): boolean => looksLikeReference(location, existsSync(location));

export function credentialsFor(registry: string, access: RegistryAccess): Credentials | undefined {
  return findCredentials(registry, access.env, access.given);
}

export async function withSnapshotAt<T>(
  location: string,
  access: RegistryAccess,
  expect: VerifyExpectations,
  use: (origin: SnapshotOrigin) => Promise<T>,
): Promise<T> {
  if (!isRegistryLocation(location)) return use({ dir: location });
  const given = parseReference(location, access.plainHttp);
  const credentials = credentialsFor(given.registry, access);
  const { reference } = await pinnedReference(given, expect, credentials);
  const temporary = mkdtempSync(join(tmpdir(), 'sqlite-snapshot-pull-'));
  try {
    const pulled = await pullSnapshot(reference, join(temporary, 'snapshot'), { credentials });
    return await use({ dir: pulled.dir, pinned: pulled.pinned, dumpDigest: pulled.dumpDigest });
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
