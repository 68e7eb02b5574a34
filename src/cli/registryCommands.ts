/** `sqlite-snapshot push`, `pull` and `resolve`: snapshots in an OCI registry. */
import { provenanceFrom } from '../core/oci/artifact.ts';
import { pullSnapshot } from '../core/oci/pull.ts';
import { pushSnapshot } from '../core/oci/push.ts';
import { parseReference } from '../core/oci/reference.ts';
import { pinnedReference, resolveSnapshot } from '../core/oci/resolve.ts';
import { credentialsFor } from '../core/oci/source.ts';
import { usageError } from '../core/shared/errors.ts';
import { parseArgsOptions, renderFlagHelp } from '../spec/cliFlags.ts';
import { expectationsOption, type Options, parseCommand, stringValue } from './args.ts';
import { type CliIo, EXIT_OK, toJson } from './output.ts';
import { registryAccess } from './registryAccess.ts';

const REFERENCE_FORM = 'REF is [oci://]host[:port]/repository[:tag|@sha256:<digest>], e.g. ghcr.io/acme/app-snapshot.';
const CREDENTIALS = `Credentials: --username with --password-stdin, else SQLITE_SNAPSHOT_REGISTRY_USERNAME and
SQLITE_SNAPSHOT_REGISTRY_PASSWORD, else the Docker config ($DOCKER_CONFIG or ~/.docker/config.json,
as docker login writes it), else anonymous.`;

export const PUSH_HELP = `Usage: sqlite-snapshot push <dir> <REF> [options]

Verifies the snapshot in <dir>, then pushes it to an OCI registry as an artifact of two files
(manifest.json and snapshot.sql) and prints it pinned by digest: REF@sha256:…. It is tagged
cm<model>-cs<cache>-v<control_version> (never moved to other content) and cm<model>-cs<cache>
(moved only forward, to the newest control_version), plus REF's tag and any --tag.
${REFERENCE_FORM}

${renderFlagHelp('push')}

${CREDENTIALS}
Exit codes: 0 pushed, 1 the snapshot failed verification or a version tag holds another
snapshot, 2 usage, network or registry error.
`;

export const PULL_HELP = `Usage: sqlite-snapshot pull <REF> --out <dir> [options]

Downloads a snapshot from an OCI registry into <dir>, checking each file's size and digest as it
arrives, verifies it (and the --expect-… versions), and only then puts it in <dir>, which must be
new or empty. A REF with no tag or digest is resolved first to the newest snapshot that fits.
${REFERENCE_FORM}

${renderFlagHelp('pull')}

${CREDENTIALS}
Exit codes: 0 pulled, 1 verification failed or no snapshot fits, 2 usage, network or registry error.
`;

export const RESOLVE_HELP = `Usage: sqlite-snapshot resolve <REPO> [options]

Prints the newest snapshot in <REPO> that this code can use, pinned by digest (REPO@sha256:…):
the highest control_version among those whose versions the --expect-… options accept. Reads tags
and manifests only, never the dumps.

${renderFlagHelp('resolve')}

${CREDENTIALS}
Exit codes: 0 found, 1 no snapshot fits, 2 usage, network or registry error.
`;

const PUSH_OPTIONS: Options = parseArgsOptions('push');
const PULL_OPTIONS: Options = parseArgsOptions('pull');
const RESOLVE_OPTIONS: Options = parseArgsOptions('resolve');

export async function pushCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('push', args, PUSH_OPTIONS, PUSH_HELP, io, {
    count: 2,
    message: () => 'push takes a snapshot directory and a registry reference: sqlite-snapshot push <dir> <REF>.',
  });
  if (!parsed) return EXIT_OK;
  const [dir, text] = parsed.positionals as [string, string];
  const access = await registryAccess(parsed, io);
  const reference = parseReference(text, access.plainHttp);
  const env = io.env;
  const result = await pushSnapshot({
    dir,
    reference,
    tags: (parsed.values.tag as string[] | undefined) ?? [],
    credentials: credentialsFor(reference.registry, access),
    provenance: provenanceFrom(env),
  });
  io.stdout(parsed.values.json ? `${toJson(result)}\n` : `${result.pinned}\n`);
  if (!parsed.values.json) io.stderr(`tagged ${result.tags.join(', ')}\n`);
  return EXIT_OK;
}

export async function pullCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('pull', args, PULL_OPTIONS, PULL_HELP, io, {
    count: 1,
    message: () => 'pull takes one registry reference: sqlite-snapshot pull <REF> --out <dir>.',
  });
  if (!parsed) return EXIT_OK;
  const out = stringValue(parsed, 'out');
  if (!out)
    throw usageError(
      'pull needs --out <dir>: where snapshot.sql and manifest.json go.',
      'Run: sqlite-snapshot pull --help',
    );
  const access = await registryAccess(parsed, io);
  const given = parseReference(parsed.positionals[0]!, access.plainHttp);
  const credentials = credentialsFor(given.registry, access);
  const expect = expectationsOption(parsed);
  const { reference } = await pinnedReference(given, expect, credentials);
  const result = await pullSnapshot(reference, out, { credentials, expect });
  io.stdout(
    parsed.values.json
      ? `${toJson({ pinned: result.pinned, dir: result.dir, checksum: result.report.computedChecksum })}\n`
      : `pulled ${result.pinned} into ${result.dir}\n`,
  );
  return EXIT_OK;
}

export async function resolveCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('resolve', args, RESOLVE_OPTIONS, RESOLVE_HELP, io, {
    count: 1,
    message: () => 'resolve takes one repository: sqlite-snapshot resolve <REPO> --expect-… .',
  });
  if (!parsed) return EXIT_OK;
  const access = await registryAccess(parsed, io);
  const reference = parseReference(parsed.positionals[0]!, access.plainHttp);
  if (reference.tag || reference.digest) {
    throw usageError(
      `resolve takes a repository, not a tag or digest: ${parsed.positionals[0]}.`,
      'Drop the :tag or @digest; resolve finds the tag.',
    );
  }
  const resolved = await resolveSnapshot(
    reference,
    expectationsOption(parsed),
    credentialsFor(reference.registry, access),
  );
  io.stdout(parsed.values.json ? `${toJson(resolved)}\n` : `${resolved.pinned}\n`);
  return EXIT_OK;
}
