/**
 * The Action and OCI registries: `publish-to` pushes what a build made, `from` pulls (or resolves,
 * then pulls) what a verify or restore reads. Credentials: the registry-username and
 * registry-password inputs; else, on ghcr.io only, the run's actor and the job token (github-token),
 * which never go to another registry; else the SQLITE_SNAPSHOT_REGISTRY_* variables or the Docker
 * config on the runner.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provenanceFrom } from '../core/oci/artifact.ts';
import { type Credentials, findCredentials } from '../core/oci/credentials.ts';
import { pullSnapshot } from '../core/oci/pull.ts';
import { type PushResult, pushSnapshot } from '../core/oci/push.ts';
import { parseReference } from '../core/oci/reference.ts';
import { pinnedReference } from '../core/oci/resolve.ts';
import type { FileDigest } from '../core/shared/checksum.ts';
import type { VerifyExpectations } from '../core/verify/verify.ts';
import type { ActionInputs } from './inputs.ts';
import type { ModeLog } from './modeLog.ts';

function credentials(inputs: ActionInputs, env: NodeJS.ProcessEnv, registry: string): Credentials | undefined {
  if (inputs.registryUsername || inputs.registryPassword) {
    return findCredentials(registry, env, {
      username: inputs.registryUsername ?? env.GITHUB_ACTOR,
      password: inputs.registryPassword,
      source: 'the registry-username and registry-password inputs',
    });
  }
  if (registry === 'ghcr.io' && inputs.githubToken) {
    return {
      username: env.GITHUB_ACTOR || 'github-actions',
      password: inputs.githubToken,
      source: 'the job token (github-token) as the run’s actor',
    };
  }
  return findCredentials(registry, env);
}

export interface RegistryOutputs {
  'oci-reference': string;
  'oci-digest': string;
}

export async function publishSnapshot(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
  dir: string,
): Promise<PushResult> {
  const reference = parseReference(inputs.publishTo!);
  const pushed = await log.group(`Pushing the snapshot to ${inputs.publishTo}`, () =>
    pushSnapshot({
      dir,
      reference,
      credentials: credentials(inputs, env, reference.registry),
      provenance: provenanceFrom(env),
    }),
  );
  log.info(`pushed ${pushed.pinned} (tags ${pushed.tags.join(', ')})`);
  return pushed;
}

/** Pulls the snapshot `from` names into a new directory under RUNNER_TEMP; a repository is resolved first. */
export async function pullFrom(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
  expect: VerifyExpectations,
): Promise<{
  dir: string;
  pinned: string;
  digest: string;
  dumpDigest: FileDigest;
  artifact?: undefined;
  baseName?: undefined;
}> {
  const given = parseReference(inputs.from!);
  const access = credentials(inputs, env, given.registry);
  const { reference, resolved } = await log.group(`Finding ${inputs.from}`, () =>
    pinnedReference(given, expect, access),
  );
  if (resolved) log.info(`resolved ${resolved.tag}: ${resolved.pinned}`);
  const parent = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'sqlite-snapshot-from-'));
  const pulled = await log.group(`Pulling ${inputs.from}`, () =>
    pullSnapshot(reference, join(parent, 'snapshot'), { credentials: access }),
  );
  return { dir: pulled.dir, pinned: pulled.pinned, digest: pulled.digest, dumpDigest: pulled.dumpDigest };
}
