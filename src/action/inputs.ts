/**
 * The Action's inputs, read from the runner's INPUT_* variables and checked up front: a bad value
 * fails the step with a message that names the input, before any work starts.
 */
import { join } from 'node:path';
import { parseInteger, parseVersionList } from '../core/format/manifest.ts';
import { type IntegrityChoice, parseIntegrityChoice } from '../core/restore/sanity.ts';
import { usageError } from '../core/shared/errors.ts';
import { UINT64_MAX } from '../core/shared/int64.ts';
import { ACTION_INPUTS, VERBS, type Verb, verbInputName } from '../spec/actionInputs.ts';

const MODES = VERBS;
const DEFAULT_ARTIFACT_NAME = 'sqlite-snapshot';
export type Mode = (typeof MODES)[number];

/** Where an artifact is fetched from when `path` holds no snapshot. */
export interface ArtifactSource {
  name: string;
  /** Whether artifact-name was given; if not, verify and restore reuse what this job already has in path. */
  named: boolean;
  /** Another workflow run (with `repository` and `token`); absent means this run. */
  runId?: number;
  repository?: { owner: string; repo: string };
  token?: string;
}

export interface ActionInputs {
  mode: Mode;
  /** Build: the fixture to start from (optional). Restore: the database to create or replace. */
  database?: string;
  migrations?: string;
  migrateCommand?: string;
  seeds: string[];
  /** Build: accept a database that holds nothing (else the build fails). */
  allowEmpty: boolean;
  /** Build writes the first value; verify and restore accept any of them. */
  controlModelVersions?: bigint[];
  cacheSchemaVersions?: bigint[];
  controlVersion?: bigint;
  controlVersionQuery?: string;
  dbMigrationVersion?: string;
  dbMigrationVersionQuery?: string;
  sourceVersion?: string;
  /** Where the snapshot files are written (build) or read and downloaded to (verify, restore). */
  path: string;
  artifact: ArtifactSource;
  upload: boolean;
  /** Build: replace an artifact of the same name in this run (a re-run). */
  overwrite: boolean;
  /** Build: upload as `<artifact-name>-<16 hex digits of the checksum>`. */
  nameWithChecksum: boolean;
  retentionDays?: number;
  /** Build: save the snapshot as this branch's baseline in the Actions cache. */
  saveBaseline: boolean;
  /** Verify: compare with the newest baseline of `baselineBranch`. */
  compareBaseline: boolean;
  baselineBranch: string;
  force: boolean;
  backup: boolean;
  requireTables: string[];
  checkSql?: string;
  /** Restore and the restore proof: quick_check with row counts, or the full integrity_check. */
  integrity?: IntegrityChoice;
  /** Build: also push to this OCI registry reference. */
  publishTo?: string;
  /** Verify, restore: take the snapshot from this registry reference instead of an artifact. */
  from?: string;
  registryUsername?: string;
  registryPassword?: string;
  /** The job token (github-token), the ghcr.io password when none is given. */
  githubToken?: string;
  /** Inputs given a value that this mode does not use: the step warns rather than ignore them silently. */
  ignored: string[];
}

/**
 * Reads one input, by its root action name, as the runner passes it: trimmed. `label` gives the
 * name the step wrote, for messages (a verb's action may name the input differently).
 */
export interface InputReader {
  (name: string): string;
  label?: (name: string) => string;
}

const shown = (read: InputReader, name: string): string => read.label?.(name) ?? name;

/** The runner's variable for an input: INPUT_<NAME upper-cased, spaces as _>. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

export const envInputReader =
  (env: NodeJS.ProcessEnv): InputReader =>
  (name) =>
    (env[inputVariable(name)] ?? '').trim();

/**
 * The inputs of a verb's own action, read by their root names: `expect-control-model-version` in
 * verify/action.yml is what `control-model-version` is in the root action with mode: verify. The
 * verb is the mode; inputs that action does not have read as empty.
 */
export function verbInputReader(env: NodeJS.ProcessEnv, verb: Verb): InputReader {
  const read = envInputReader(env);
  const names = new Map(ACTION_INPUTS.map((spec) => [spec.name, verbInputName(spec, verb)]));
  const reader: InputReader = (name) => {
    if (name === 'mode') return verb;
    const own = names.get(name);
    return own === undefined ? '' : read(own);
  };
  reader.label = (name) => names.get(name) ?? name;
  return reader;
}

const optional = (text: string): string | undefined => (text === '' ? undefined : text);

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

function booleanInput(read: InputReader, rootName: string, fallback: boolean): boolean {
  const text = read(rootName);
  const name = shown(read, rootName);
  if (text === '') return fallback;
  if (/^(true|yes|1)$/i.test(text)) return true;
  if (/^(false|no|0)$/i.test(text)) return false;
  throw usageError(`Input "${name}" must be true or false, got "${text}".`, `Set ${name}: true or ${name}: false.`);
}

function integerInput(read: InputReader, rootName: string, min: bigint, max: bigint): bigint | undefined {
  const text = read(rootName);
  return text === '' ? undefined : parseInteger(text, `Input "${shown(read, rootName)}"`, min, max);
}

/** `N` in build; `N` or `N,N,…` (the accepted values) in verify and restore. */
function versionListInput(read: InputReader, rootName: string, mode: Mode): bigint[] | undefined {
  const text = read(rootName);
  const name = shown(read, rootName);
  if (text === '') return undefined;
  const versions = parseVersionList(text, `Input "${name}"`, `Set ${name} to whole numbers.`);
  if (mode === 'build' && versions.length > 1) {
    throw usageError(
      `Input "${name}" is the one version a build writes, got a list "${text}".`,
      'Lists of accepted versions are for mode: verify and mode: restore.',
    );
  }
  return versions;
}

function integrityInput(read: InputReader): Pick<ActionInputs, 'integrity'> {
  const text = read('integrity');
  return text === '' ? {} : { integrity: parseIntegrityChoice(text, 'Input "integrity"') };
}

function modeInput(read: InputReader): Mode {
  const text = read('mode') || 'build';
  if ((MODES as readonly string[]).includes(text)) return text as Mode;
  throw usageError(
    `Input "mode" must be one of ${MODES.join(', ')}, got "${text}".`,
    'Set mode: build, verify or restore.',
  );
}

function artifactSource(read: InputReader, env: NodeJS.ProcessEnv): ArtifactSource {
  const given = read('artifact-name');
  const name = given || DEFAULT_ARTIFACT_NAME;
  if (/[\\/":<>|*?\r\n]/.test(name)) {
    throw usageError(
      `Input "artifact-name" "${name}" holds a character artifact names cannot contain (\\ / " : < > | * ? or a newline).`,
      'Choose a name of letters, digits, dots, dashes and underscores.',
    );
  }
  const named = given !== '';
  const runId = integerInput(read, 'run-id', 1n, BigInt(Number.MAX_SAFE_INTEGER));
  const repositoryText = read('repository') || env.GITHUB_REPOSITORY || '';
  // This very run, named by its id, is this run: no token or REST lookup needed.
  const thisRun = String(runId) === env.GITHUB_RUN_ID && repositoryText === (env.GITHUB_REPOSITORY ?? '');
  if (runId === undefined || thisRun) return { name, named };
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repositoryText);
  if (!match) {
    throw usageError(
      `Input "repository" must be owner/name, got "${repositoryText}".`,
      'Set repository: owner/name of the run that uploaded the artifact.',
    );
  }
  const token = read('github-token');
  if (token === '') {
    throw usageError(
      'Input "github-token" is needed to download an artifact of another run (run-id is set).',
      'Leave github-token at its default (the job token, with permissions actions: read) or pass a token that can read that repository.',
    );
  }
  return { name, named, runId: Number(runId), repository: { owner: match[1]!, repo: match[2]! }, token };
}

/**
 * Inputs a step set (to something other than action.yml's default, which the runner passes
 * anyway) that this mode does not use. Only the root action has them: a verb's own action has
 * only its own inputs.
 */
const ignoredInputs = (read: InputReader, mode: Mode): string[] =>
  ACTION_INPUTS.filter((spec) => spec.name !== 'mode' && spec.verbs[mode] === undefined)
    .filter((spec) => !['', spec.default ?? ''].includes(read(spec.name)))
    .map((spec) => spec.name);

export function readInputs(read: InputReader, env: NodeJS.ProcessEnv): ActionInputs {
  const mode = modeInput(read);
  const database = optional(read('database'));
  if (mode === 'restore' && database === undefined) {
    throw usageError(
      'Input "database" is required in mode: restore: it is the database to create or replace.',
      'Set database: path/to/app.db.',
    );
  }
  // The service caps it at the repository's maximum (90 days by default, up to 400 for private ones).
  const retention = integerInput(read, 'retention-days', 1n, 400n);
  const runnerTemp = env.RUNNER_TEMP || env.TMPDIR || '/tmp';
  return {
    mode,
    database,
    migrations: optional(read('migrations')),
    migrateCommand: optional(read('migrate-command')),
    seeds: lines(read('seed')),
    allowEmpty: booleanInput(read, 'allow-empty', false),
    controlModelVersions: versionListInput(read, 'control-model-version', mode),
    cacheSchemaVersions: versionListInput(read, 'cache-schema-version', mode),
    controlVersion: integerInput(read, 'control-version', 0n, UINT64_MAX),
    controlVersionQuery: optional(read('control-version-query')),
    dbMigrationVersion: optional(read('db-migration-version')),
    dbMigrationVersionQuery: optional(read('db-migration-version-query')),
    sourceVersion: optional(read('source-version')),
    path: read('path') || join(runnerTemp, 'sqlite-snapshot'),
    artifact: artifactSource(read, env),
    upload: booleanInput(read, 'upload', true),
    overwrite: booleanInput(read, 'overwrite', false),
    nameWithChecksum: booleanInput(read, 'name-with-checksum', false),
    retentionDays: retention === undefined ? undefined : Number(retention),
    saveBaseline: booleanInput(read, 'save-baseline', false),
    compareBaseline: booleanInput(read, 'compare-baseline', false),
    baselineBranch: read('baseline-branch') || 'main',
    force: booleanInput(read, 'force', false),
    backup: booleanInput(read, 'backup', true),
    requireTables: lines(read('require-table')),
    checkSql: optional(read('check-sql')),
    ...integrityInput(read),
    publishTo: optional(read('publish-to')),
    from: optional(read('from')),
    registryUsername: optional(read('registry-username')),
    registryPassword: optional(read('registry-password')),
    githubToken: optional(read('github-token')),
    ignored: ignoredInputs(read, mode),
  };
}
