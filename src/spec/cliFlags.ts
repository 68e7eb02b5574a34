/**
 * The command line's flags, once: each command's parser, its --help and the option tables of
 * docs/cli.md are made from this table. The Action's inputs are in actionInputs.ts; where a flag
 * and an input mean the same thing, actionInputs.ts names the flag (`VerbUse.flag`).
 */
import { cellProse, cellText } from '../core/shared/markdown.ts';

export const COMMANDS = ['build', 'verify', 'restore', 'diff', 'push', 'pull', 'resolve'] as const;
export type Command = (typeof COMMANDS)[number];

export interface FlagSpec {
  /** Without the dashes. */
  name: string;
  /** The value it takes, as help shows it (`<dir>`); none for a switch. */
  arg?: string;
  /** What it does, one sentence; the help wraps it. */
  help: string;
  /** What applies when it is not given (docs/cli.md's default column). */
  default?: string;
  /** May be given more than once. */
  multiple?: boolean;
  short?: string;
}

const JSON_FLAG = (what: string): FlagSpec => ({ name: 'json', help: `print ${what} as JSON` });
const HELP: FlagSpec = { name: 'help', short: 'h', help: 'show this help' };
const MIGRATE_COMMAND_NOTE = 'its database path is in $SNAPSHOT_DB and replaces {db}';
const INTEGRITY =
  'quick_check and exact per-table row counts against the dump (quick, the default), or the full integrity_check, which also cross-checks every index against its table (full, slower)';
const EXPECTATIONS: readonly FlagSpec[] = [
  { name: 'expect-control-model-version', arg: '<N[,N…]>', help: 'accepted control model versions' },
  { name: 'expect-cache-schema-version', arg: '<N[,N…]>', help: 'accepted cache schema versions' },
  { name: 'expect-db-migration-version', arg: '<V>', help: 'required db migration version' },
  {
    name: 'expect-min-control-version',
    arg: '<N>',
    help: 'lowest accepted control_version (the fleet cursor), exact up to 2^64-1',
  },
];

/** How to reach a registry: for push, pull, resolve, and a registry reference where a directory goes. */
const REGISTRY: readonly FlagSpec[] = [
  {
    name: 'plain-http',
    help: 'talk plain HTTP to the registry (implied for localhost and 127.0.0.1, never for other hosts)',
  },
  {
    name: 'username',
    arg: '<user>',
    help: 'registry user; the password or token on standard input (--password-stdin)',
  },
  { name: 'password-stdin', help: 'read the registry password or token from standard input' },
];

export const CLI_FLAGS: Record<Command, readonly FlagSpec[]> = {
  build: [
    { name: 'db', arg: '<file>', help: 'fixture database', default: 'an empty database' },
    { name: 'out', arg: '<dir>', help: 'output directory, created if missing', default: 'required' },
    { name: 'migrations', arg: '<dir>', help: 'apply the .sql migrations in <dir> (numeric prefix order)' },
    { name: 'migrate-command', arg: '<cmd>', help: `run a migrator; ${MIGRATE_COMMAND_NOTE}` },
    { name: 'seed', arg: '<file.sql>', help: 'apply a SQL file after the migrations (repeatable)', multiple: true },
    { name: 'control-model-version', arg: '<N>', help: 'version of the control/event model', default: '0' },
    {
      name: 'cache-schema-version',
      arg: '<N>',
      help: 'version of the cache shape the dump restores into',
      default: '0',
    },
    { name: 'control-version', arg: '<N>', help: 'fleet cursor, 0..18446744073709551615', default: '0' },
    { name: 'control-version-query', arg: '<SQL>', help: 'read control_version from the database (one integer)' },
    { name: 'db-migration-version', arg: '<V>', help: 'migration version of the dumped database', default: 'detected' },
    {
      name: 'db-migration-version-query',
      arg: '<SQL>',
      help: 'read it from the database (default: detected from the bookkeeping of this tool, golang-migrate, goose, dbmate/Rails, Atlas, Prisma, Drizzle or Django, else PRAGMA user_version)',
    },
    {
      name: 'source-version',
      arg: '<S>',
      help: 'version of the producing code',
      default: '$GITHUB_SHA, else "dev"',
    },
    {
      name: 'threads',
      arg: '<N>',
      help: 'threads reading rows',
      default: '2 for databases of 32 MiB or more, else 1',
    },
    {
      name: 'allow-empty',
      help: 'accept a database with no tables (otherwise an error: most often a misspelt --db, --migrations or --seed)',
    },
    JSON_FLAG('the result'),
    HELP,
  ],
  verify: [
    { name: 'migrations', arg: '<dir>', help: 'restore proof: apply the .sql migrations in <dir>' },
    {
      name: 'migrate-command',
      arg: '<cmd>',
      help: `restore proof: shell command migrating the restored database; ${MIGRATE_COMMAND_NOTE}`,
    },
    {
      name: 'require-table',
      arg: '<name>',
      help: 'restore proof: a table that must exist (repeatable)',
      multiple: true,
    },
    { name: 'check-sql', arg: '<select>', help: 'restore proof: a query that must return a truthy value' },
    { name: 'integrity', arg: 'quick|full', help: `restore proof: ${INTEGRITY}` },
    ...EXPECTATIONS,
    ...REGISTRY,
    JSON_FLAG('the report'),
    HELP,
  ],
  restore: [
    { name: 'db', arg: '<target>', help: 'database to create or replace', default: 'required' },
    { name: 'force', help: 'replace a target that holds data' },
    { name: 'no-backup', help: 'with --force, do not keep <target>.bak-<UTC time>' },
    { name: 'migrations', arg: '<dir>', help: 'apply the .sql migrations in <dir> to the restored database' },
    {
      name: 'migrate-command',
      arg: '<cmd>',
      help: `shell command migrating the restored database; ${MIGRATE_COMMAND_NOTE}`,
    },
    { name: 'require-table', arg: '<name>', help: 'a table that must exist afterwards (repeatable)', multiple: true },
    { name: 'check-sql', arg: '<select>', help: 'a query that must return a truthy value' },
    { name: 'integrity', arg: 'quick|full', help: INTEGRITY },
    ...EXPECTATIONS,
    ...REGISTRY,
    JSON_FLAG('the result'),
    HELP,
  ],
  diff: [
    JSON_FLAG('the differences'),
    { name: 'markdown', help: 'print the differences as Markdown (a job summary, a PR comment)' },
    { name: 'exit-code', help: 'exit 1 when the snapshots differ, as git diff --exit-code does' },
    ...REGISTRY,
    HELP,
  ],
  push: [
    {
      name: 'tag',
      arg: '<tag>',
      help: 'also tag the snapshot so (repeatable); cm<model>-cs<cache>-v<control_version> and cm<model>-cs<cache> are always set',
      multiple: true,
    },
    ...REGISTRY,
    JSON_FLAG('the result'),
    HELP,
  ],
  pull: [
    { name: 'out', arg: '<dir>', help: 'directory to pull into: new or empty', default: 'required' },
    ...EXPECTATIONS,
    ...REGISTRY,
    JSON_FLAG('the result'),
    HELP,
  ],
  resolve: [...EXPECTATIONS, ...REGISTRY, JSON_FLAG('the result'), HELP],
};

/** A command's flags as node:util parseArgs takes them. */
export function parseArgsOptions(
  command: Command,
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  return Object.fromEntries(
    CLI_FLAGS[command].map((flag) => [
      flag.name,
      {
        type: flag.arg === undefined ? 'boolean' : 'string',
        ...(flag.multiple ? { multiple: true } : {}),
        ...(flag.short ? { short: flag.short } : {}),
      },
    ]),
  );
}

const WIDTH = 100;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** The `Options:` block of a command's --help: flags in a column, their help wrapped beside them. */
export function renderFlagHelp(command: Command): string {
  const flags = CLI_FLAGS[command];
  const label = (flag: FlagSpec) =>
    `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`;
  const column = Math.min(Math.max(...flags.map((flag) => label(flag).length)) + 2, 42);
  const lines = ['Options:'];
  for (const flag of flags) {
    const help = flag.default && flag.default !== 'required' ? `${flag.help} (default: ${flag.default})` : flag.help;
    const text = flag.default === 'required' ? `${help} (required)` : help;
    const [first = '', ...rest] = wrap(text, WIDTH - 2 - column);
    const name = label(flag);
    if (name.length + 2 > column) lines.push(`  ${name}`, `  ${' '.repeat(column)}${first}`);
    else lines.push(`  ${name.padEnd(column)}${first}`);
    for (const more of rest) lines.push(`  ${' '.repeat(column)}${more}`);
  }
  return lines.join('\n');
}

/** docs/cli.md's table of a command's flags. */
export function renderFlagTable(command: Command): string {
  return [
    '| Option | Default | Meaning |',
    '| --- | --- | --- |',
    ...CLI_FLAGS[command]
      .filter((flag) => flag.name !== 'help')
      .map(
        (flag) =>
          `| ${cellText(`--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`)} | ${cellProse(flag.default ?? '')} | ${cellProse(flag.help)} |`,
      ),
  ].join('\n');
}
