/**
 * The Action's inputs and outputs, once. Every surface that lists them is generated from or read
 * through this table (`npm run generate`, and a test that fails when a generated file is stale):
 * the root action.yml (every input, with `mode`), the per-verb actions build/, verify/ and
 * restore/ (each with only its own inputs, named for what they mean there), the reusable
 * workflow's inputs and outputs, the tables in docs/action.md, the Action's input reader and its
 * "did you mean" for unknown inputs and CLI flags.
 */

export const VERBS = ['build', 'verify', 'restore'] as const;
export type Verb = (typeof VERBS)[number];

/** How a verb's own action names and explains an input; the CLI flag that means the same. */
export interface VerbUse {
  /** The input's name in that verb's action (default: the root name). */
  name?: string;
  description: string;
  /** The same thing on that command line (default: `--<name>`), or how it is given there. */
  flag?: string;
}

export interface InputSpec {
  /** Name in the root action.yml, which has every input and `mode`. */
  name: string;
  /** Description in the root action.yml, where one input may serve several modes. */
  description: string;
  /** Default as action.yml declares it; the runner passes it when the step does not set the input. */
  default?: string;
  /** The verbs that use it; an input of no verb (mode) exists only in the root action. */
  verbs: Partial<Record<Verb, VerbUse>>;
  /**
   * In the reusable workflow: an input of its own, only an expression passed to the action
   * (`passes`), or nothing (`false`: the action's default applies).
   */
  workflow: false | WorkflowInput | { passes: string };
}

/** A reusable-workflow input: its type, any wording or default of its own, what the job passes on. */
export interface WorkflowInput {
  type: 'string' | 'boolean' | 'number';
  description?: string;
  default?: string | boolean;
  /** The expression the job passes to the action (default: `${{ inputs.<name> }}`). */
  passes?: string;
  /** Why the input is declared as it is, written above it in the workflow. */
  comment?: string;
}

/** A GitHub Actions expression, `${{ … }}`. */
const expression = (inner: string): string => `\${{ ${inner} }}`;

const EXPECT = (what: string, accepted: string): VerbUse => ({ name: `expect-${what}`, description: accepted });
const ACCEPTED_LIST = (field: string): string =>
  `The ${field}s this code accepts, N or N,N,…: any other fails verification. Empty accepts any.`;
const PROOF =
  'When set, a verified snapshot is also restored into a throw-away database and checked (the restore proof):';

export const ACTION_INPUTS: readonly InputSpec[] = [
  {
    name: 'mode',
    description:
      'What to do: build (dump a database into a snapshot and upload it), verify (check a snapshot against its manifest and the versions this code expects) or restore (verify, then safely put it in place of a database).',
    default: 'build',
    verbs: {},
    workflow: { type: 'string' },
  },
  {
    name: 'database',
    description:
      'build: the fixture database to dump (default: start from an empty database, then migrations and seeds). restore: the database to create or replace (required).',
    verbs: {
      build: {
        description: 'The fixture database to dump (default: start from an empty database, then migrations and seeds).',
        flag: '--db',
      },
      restore: { description: 'The database to create or replace (required).', flag: '--db' },
    },
    workflow: {
      type: 'string',
      description:
        'build: the fixture database to dump, relative to the checkout (default: an empty database, then migrations and seeds). restore: the database to create or replace (required).',
    },
  },
  {
    name: 'migrations',
    description:
      'Directory of .sql migrations applied in numeric prefix order: to a private copy of the fixture (build), to the restored database (restore), or to a throw-away restore of the snapshot (verify: the restore proof).',
    verbs: {
      build: {
        description: 'Directory of .sql migrations applied, in numeric prefix order, to a private copy of the fixture.',
      },
      verify: { description: `${PROOF} directory of .sql migrations applied to it in numeric prefix order.` },
      restore: {
        description: 'Directory of .sql migrations applied to the restored database in numeric prefix order.',
      },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'migrate-command',
    description:
      "Shell command that migrates the database (build, restore, verify's restore proof), run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.",
    verbs: {
      build: {
        description:
          'Shell command that migrates the private copy of the fixture, run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.',
      },
      verify: {
        description: `${PROOF} shell command that migrates it, run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.`,
      },
      restore: {
        description:
          'Shell command that migrates the restored database, run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.',
      },
    },
    workflow: {
      type: 'string',
      description:
        "Shell command that migrates the database (build, restore, verify's restore proof), run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}. Install its tools with setup-command.",
    },
  },
  {
    name: 'seed',
    description: 'build: SQL files applied after the migrations, one per line.',
    verbs: { build: { description: 'SQL files applied after the migrations, one per line.' } },
    workflow: { type: 'string' },
  },
  {
    name: 'allow-empty',
    description:
      'build: accept a database that holds no tables, views, indexes or triggers (otherwise the build fails: most often a misspelt database, migrations or seed input).',
    default: 'false',
    verbs: {
      build: {
        description:
          'Accept a database that holds no tables, views, indexes or triggers (otherwise the build fails: most often a misspelt database, migrations or seed input).',
      },
    },
    workflow: { type: 'boolean', default: false },
  },
  {
    name: 'control-model-version',
    description:
      'build: the control model version written in the manifest (default 0). verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
    verbs: {
      build: { description: 'The control model version written in the manifest (default 0).' },
      verify: EXPECT('control-model-version', ACCEPTED_LIST('control model version')),
      restore: EXPECT('control-model-version', ACCEPTED_LIST('control model version')),
    },
    workflow: {
      type: 'string',
      description:
        'build: the control model version written in the manifest. verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
    },
  },
  {
    name: 'cache-schema-version',
    description:
      'build: the cache schema version written in the manifest (default 0). verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
    verbs: {
      build: { description: 'The cache schema version written in the manifest (default 0).' },
      verify: EXPECT('cache-schema-version', ACCEPTED_LIST('cache schema version')),
      restore: EXPECT('cache-schema-version', ACCEPTED_LIST('cache schema version')),
    },
    workflow: {
      type: 'string',
      description:
        'build: the cache schema version written in the manifest. verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
    },
  },
  {
    name: 'control-version',
    description:
      'build: the fleet cursor written in the manifest, 0..18446744073709551615 (default 0, or read by control-version-query). verify/restore: the lowest accepted control_version; empty accepts any.',
    verbs: {
      build: {
        description:
          'The fleet cursor written in the manifest, 0..18446744073709551615 (default 0, or read by control-version-query).',
      },
      verify: EXPECT('min-control-version', 'The lowest control_version this code accepts. Empty accepts any.'),
      restore: EXPECT('min-control-version', 'The lowest control_version this code accepts. Empty accepts any.'),
    },
    workflow: {
      type: 'string',
      comment: 'A string: the cursor is a uint64, beyond the integers a number input holds exactly.',
    },
  },
  {
    name: 'control-version-query',
    description: 'build: a SQL query returning control_version (one integer) from the database.',
    verbs: { build: { description: 'A SQL query returning control_version (one integer) from the database.' } },
    workflow: { type: 'string' },
  },
  {
    name: 'db-migration-version',
    description:
      'build: the migration version written in the manifest (default: read by db-migration-version-query, else detected). verify/restore: the required version; empty accepts any.',
    verbs: {
      build: {
        description:
          'The migration version written in the manifest (default: read by db-migration-version-query, else detected).',
      },
      verify: EXPECT('db-migration-version', 'The db_migration_version this code requires. Empty accepts any.'),
      restore: EXPECT('db-migration-version', 'The db_migration_version this code requires. Empty accepts any.'),
    },
    workflow: { type: 'string' },
  },
  {
    name: 'db-migration-version-query',
    description:
      "build: a SQL query returning db_migration_version from the database (default: detected from the migration tool's bookkeeping, else PRAGMA user_version).",
    verbs: {
      build: {
        description:
          "A SQL query returning db_migration_version from the database (default: detected from the migration tool's bookkeeping, else PRAGMA user_version).",
      },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'source-version',
    description: "build: the producing code's version written in the manifest (default: the commit SHA, $GITHUB_SHA).",
    verbs: {
      build: {
        description: "The producing code's version written in the manifest (default: the commit SHA, $GITHUB_SHA).",
      },
    },
    workflow: {
      type: 'string',
      description:
        "build: the producing code's version written in the manifest (default: the commit SHA of the calling run).",
    },
  },
  {
    name: 'path',
    description:
      'Directory of snapshot.sql and manifest.json: written by build; read by verify/restore, which download the artifact into it when it holds no snapshot (default: $RUNNER_TEMP/sqlite-snapshot).',
    verbs: {
      build: {
        description: 'Directory snapshot.sql and manifest.json are written to (default: $RUNNER_TEMP/sqlite-snapshot).',
        flag: '--out <dir>',
      },
      verify: {
        description:
          'Directory of snapshot.sql and manifest.json; the artifact is downloaded into it when it holds no snapshot (default: $RUNNER_TEMP/sqlite-snapshot).',
        flag: 'the directory as an argument: sqlite-snapshot verify <dir>',
      },
      restore: {
        description:
          'Directory of snapshot.sql and manifest.json; the artifact is downloaded into it when it holds no snapshot (default: $RUNNER_TEMP/sqlite-snapshot).',
        flag: 'the directory as an argument: sqlite-snapshot restore <dir> --db <target>',
      },
    },
    workflow: false,
  },
  {
    name: 'artifact-name',
    description:
      'Name of the workflow artifact holding both files: uploaded by build, downloaded by verify/restore (default: sqlite-snapshot). Left empty in verify/restore, a snapshot this job already built or downloaded into path is used; set, only that artifact is.',
    verbs: {
      build: { description: 'Name of the workflow artifact the snapshot is uploaded as (default: sqlite-snapshot).' },
      verify: {
        description:
          'Name of the workflow artifact to download (default: sqlite-snapshot). Left empty, a snapshot this job already built or downloaded into path is used; set, only that artifact is.',
      },
      restore: {
        description:
          'Name of the workflow artifact to download (default: sqlite-snapshot). Left empty, a snapshot this job already built or downloaded into path is used; set, only that artifact is.',
      },
    },
    workflow: {
      type: 'string',
      description:
        'Name of the workflow artifact holding snapshot.sql and manifest.json: uploaded by build, downloaded by verify/restore (default: sqlite-snapshot).',
    },
  },
  {
    name: 'upload',
    description: 'build: upload the snapshot as the artifact artifact-name.',
    default: 'true',
    verbs: { build: { description: 'Upload the snapshot as the artifact artifact-name.' } },
    workflow: {
      type: 'boolean',
      default: true,
      description:
        'build: upload the snapshot as the artifact artifact-name (the only way the snapshot leaves this job).',
    },
  },
  {
    name: 'overwrite',
    description:
      'build: replace an artifact of the same name already uploaded in this run (as when a job is re-run) instead of failing.',
    default: 'false',
    verbs: {
      build: {
        description:
          'Replace an artifact of the same name already uploaded in this run (as when a job is re-run) instead of failing.',
      },
    },
    workflow: { type: 'boolean', default: false },
  },
  {
    name: 'name-with-checksum',
    description:
      'build: upload as <artifact-name>-<first 16 hex digits of the checksum>, so every distinct snapshot has its own artifact name (the artifact-name output tells it; pass that to verify/restore).',
    default: 'false',
    verbs: {
      build: {
        description:
          'Upload as <artifact-name>-<first 16 hex digits of the checksum>, so every distinct snapshot has its own artifact name (the artifact-name output tells it; pass that to verify/restore).',
      },
    },
    workflow: { type: 'boolean', default: false },
  },
  {
    name: 'retention-days',
    description:
      "build: days to keep the artifact, 1 to 400, capped by the repository's maximum (default: the repository's setting).",
    verbs: {
      build: {
        description:
          "Days to keep the artifact, 1 to 400, capped by the repository's maximum (default: the repository's setting).",
      },
    },
    workflow: {
      type: 'number',
      description:
        "build: days to keep the artifact, 1 to 400, capped by the repository's maximum (unset or 0: the repository's setting).",
      comment: "An unset number input is 0; the job passes empty, which the action reads as the repository's setting.",
      passes: expression("inputs.retention-days || ''"),
    },
  },
  {
    name: 'run-id',
    description:
      'verify/restore: download the artifact from this workflow run instead of the current one (needs repository and github-token).',
    verbs: {
      verify: {
        description:
          'Download the artifact from this workflow run instead of the current one (needs repository and github-token).',
      },
      restore: {
        description:
          'Download the artifact from this workflow run instead of the current one (needs repository and github-token).',
      },
    },
    workflow: {
      type: 'string',
      description:
        'verify/restore: download the artifact from this workflow run instead of the current one (needs actions: read, and the token secret for another private repository).',
    },
  },
  {
    name: 'repository',
    description: 'verify/restore with run-id: owner/name of the repository of that run (default: this repository).',
    verbs: {
      verify: { description: 'With run-id: owner/name of the repository of that run (default: this repository).' },
      restore: { description: 'With run-id: owner/name of the repository of that run (default: this repository).' },
    },
    workflow: {
      type: 'string',
      description:
        'verify/restore with run-id: owner/name of the repository of that run (default: the calling repository).',
    },
  },
  {
    name: 'github-token',
    description:
      "verify/restore with run-id: a token that may read that run's artifacts (permissions: actions: read). With publish-to or from on ghcr.io and no registry-password: the registry password (permissions: packages: write to push, packages: read to pull).",
    default: expression('github.token'),
    verbs: {
      build: {
        description:
          'With publish-to on ghcr.io and no registry-password: the registry password (permissions: packages: write).',
      },
      verify: {
        description:
          "With run-id: a token that may read that run's artifacts (permissions: actions: read). With from on ghcr.io and no registry-password: the registry password (packages: read).",
      },
      restore: {
        description:
          "With run-id: a token that may read that run's artifacts (permissions: actions: read). With from on ghcr.io and no registry-password: the registry password (packages: read).",
      },
    },
    // The workflow takes it as a secret, never as an input that would show in the run's log.
    workflow: { passes: expression('secrets.token || github.token') },
  },
  {
    name: 'save-baseline',
    description:
      "build: also save the snapshot in the Actions cache as this branch's baseline, for pull requests to compare with (typically on pushes to the default branch).",
    default: 'false',
    verbs: {
      build: {
        description:
          "Also save the snapshot in the Actions cache as this branch's baseline, for pull requests to compare with (typically on pushes to the default branch).",
      },
    },
    workflow: { type: 'boolean', default: false },
  },
  {
    name: 'compare-baseline',
    description:
      'verify: restore the latest baseline of baseline-branch from the Actions cache and add what changed since (manifest fields, schema, row counts) to the job summary; a missing baseline is a notice, not a failure.',
    default: 'false',
    verbs: {
      verify: {
        description:
          'Restore the latest baseline of baseline-branch from the Actions cache and add what changed since (manifest fields, schema, row counts) to the job summary; a missing baseline is a notice, not a failure.',
      },
    },
    workflow: {
      type: 'boolean',
      default: false,
      description:
        'verify: restore the latest baseline of baseline-branch from the Actions cache and add what changed since to the job summary; a missing baseline is a notice, not a failure.',
    },
  },
  {
    name: 'baseline-branch',
    description:
      "verify with compare-baseline: the branch whose latest baseline to compare with (default: the repository's default branch, else main).",
    default: expression('github.event.repository.default_branch'),
    verbs: {
      verify: {
        description:
          "With compare-baseline: the branch whose latest baseline to compare with (default: the repository's default branch, else main).",
      },
    },
    workflow: { type: 'string', default: expression('github.event.repository.default_branch') },
  },
  {
    name: 'publish-to',
    description:
      'build: also push the snapshot to this OCI registry reference after the artifact upload, e.g. ghcr.io/acme/app-snapshot (tagged cm<model>-cs<cache>-v<control_version> and cm<model>-cs<cache>, plus its own tag); sets oci-reference and oci-digest.',
    verbs: {
      build: {
        description:
          'Also push the snapshot to this OCI registry reference after the artifact upload, e.g. ghcr.io/acme/app-snapshot (tagged cm<model>-cs<cache>-v<control_version> and cm<model>-cs<cache>, plus its own tag); sets oci-reference and oci-digest.',
      },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'from',
    description:
      'verify/restore: take the snapshot from this OCI registry reference instead of an artifact: a tag or digest is pulled, a repository is resolved to the newest snapshot the expected versions accept.',
    verbs: {
      verify: {
        description:
          'Take the snapshot from this OCI registry reference instead of an artifact: a tag or digest is pulled, a repository is resolved to the newest snapshot the expected versions accept.',
      },
      restore: {
        description:
          'Take the snapshot from this OCI registry reference instead of an artifact: a tag or digest is pulled, a repository is resolved to the newest snapshot the expected versions accept.',
      },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'registry-username',
    description:
      'publish-to/from: the registry user (default: on ghcr.io, the actor of the run; elsewhere SQLITE_SNAPSHOT_REGISTRY_USERNAME or the Docker config).',
    verbs: {
      build: { description: 'With publish-to: the registry user (default: on ghcr.io, the actor of the run).' },
      verify: { description: 'With from: the registry user (default: on ghcr.io, the actor of the run).' },
      restore: { description: 'With from: the registry user (default: on ghcr.io, the actor of the run).' },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'registry-password',
    description:
      'publish-to/from: the registry password or token (default: on ghcr.io, github-token; elsewhere SQLITE_SNAPSHOT_REGISTRY_PASSWORD or the Docker config). Pass it from a secret.',
    verbs: {
      build: {
        description:
          'With publish-to: the registry password or token (default: on ghcr.io, github-token). Pass it from a secret.',
      },
      verify: {
        description:
          'With from: the registry password or token (default: on ghcr.io, github-token). Pass it from a secret.',
      },
      restore: {
        description:
          'With from: the registry password or token (default: on ghcr.io, github-token). Pass it from a secret.',
      },
    },
    // The workflow takes it as a secret, never as an input.
    workflow: { passes: expression('secrets.registry-password') },
  },
  {
    name: 'force',
    description: 'restore: replace a database that already holds data (refused otherwise).',
    default: 'false',
    verbs: { restore: { description: 'Replace a database that already holds data (refused otherwise).' } },
    workflow: { type: 'boolean', default: false },
  },
  {
    name: 'backup',
    description: 'restore with force: keep the replaced database as <database>.bak-<UTC time>.',
    default: 'true',
    verbs: {
      restore: {
        description: 'With force: keep the replaced database as <database>.bak-<UTC time>.',
        flag: 'nothing: a backup is kept by default (--no-backup turns it off)',
      },
    },
    workflow: { type: 'boolean', default: true },
  },
  {
    name: 'require-table',
    description: "restore, and verify's restore proof: tables that must exist in the restored database, one per line.",
    verbs: {
      verify: { description: `${PROOF} tables that must exist in it, one per line.` },
      restore: { description: 'Tables that must exist in the restored database, one per line.' },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'check-sql',
    description:
      "restore, and verify's restore proof: a query that must return a truthy value on the restored database.",
    verbs: {
      verify: { description: `${PROOF} a query that must return a truthy value on it.` },
      restore: { description: 'A query that must return a truthy value on the restored database.' },
    },
    workflow: { type: 'string' },
  },
  {
    name: 'integrity',
    description:
      "restore, and verify's restore proof: quick (PRAGMA quick_check plus exact per-table row counts against the dump, the default) or full (the full PRAGMA integrity_check, which also cross-checks every index against its table; slower on index-heavy databases). Setting it in verify asks for the restore proof.",
    verbs: {
      verify: {
        description: `${PROOF} quick (PRAGMA quick_check plus exact per-table row counts against the dump, the default) or full (the full PRAGMA integrity_check, which also cross-checks every index against its table; slower on index-heavy databases).`,
      },
      restore: {
        description:
          'quick (PRAGMA quick_check plus exact per-table row counts against the dump, the default) or full (the full PRAGMA integrity_check, which also cross-checks every index against its table; slower on index-heavy databases).',
      },
    },
    workflow: {
      type: 'string',
      description:
        "restore, and verify's restore proof: quick (quick_check plus exact row counts against the dump, the default) or full (the full integrity_check, slower on index-heavy databases).",
    },
  },
];

/** The name an input has in `verb`'s own action, or undefined when that action has no such input. */
export function verbInputName(input: InputSpec, verb: Verb): string | undefined {
  const use = input.verbs[verb];
  return use === undefined ? undefined : (use.name ?? input.name);
}

/** Every name an input has in some action: the root one's and each verb's own. */
export const inputAliases = (input: InputSpec): string[] => [
  ...new Set([input.name, ...VERBS.flatMap((verb) => verbInputName(input, verb) ?? [])]),
];

/** The inputs of an action: the root one (`verb` undefined) or a verb's own. */
export function inputsOf(verb: Verb | undefined): { name: string; description: string; spec: InputSpec }[] {
  if (verb === undefined)
    return ACTION_INPUTS.map((spec) => ({ name: spec.name, description: spec.description, spec }));
  return ACTION_INPUTS.flatMap((spec) => {
    const use = spec.verbs[verb];
    return use === undefined ? [] : [{ name: use.name ?? spec.name, description: use.description, spec }];
  });
}
