/** Command-line parsing shared by the commands, on node:util parseArgs with strict checking. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseInteger, parseVersionList } from '../core/format/manifest.ts';
import type { MigrateOptions } from '../core/migrate/migrate.ts';
import { parseIntegrityChoice, type SanityOptions } from '../core/restore/sanity.ts';
import { usageError } from '../core/shared/errors.ts';
import { INT64_MAX, INT64_MIN, UINT64_MAX } from '../core/shared/int64.ts';
import type { VerifyExpectations } from '../core/verify/verify.ts';
import type { CliIo } from './output.ts';
import { suggestFlag } from './suggest.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

function parseCommandArgs(command: string, args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional.*$/, '.');
    const unknown = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
    const suggestion = unknown === undefined ? undefined : suggestFlag(command, unknown, Object.keys(options));
    throw usageError(
      suggestion ? `${message} Did you mean ${suggestion}?` : message,
      `Run: sqlite-snapshot ${command} --help`,
    );
  }
}

/**
 * A command's arguments with the part every command shares: --help printed (undefined is
 * returned: the command is done), and exactly `positionals.count` positional arguments, else the
 * usage error `positionals.message`.
 */
export function parseCommand(
  command: string,
  args: string[],
  options: Options,
  help: string,
  io: CliIo,
  positionals: { count: number; message: (got: string[]) => string; hint?: string },
): Parsed | undefined {
  const parsed = parseCommandArgs(command, args, options);
  if (parsed.values.help) {
    io.stdout(help);
    return undefined;
  }
  if (parsed.positionals.length !== positionals.count) {
    throw usageError(
      positionals.message(parsed.positionals),
      positionals.hint ?? `Run: sqlite-snapshot ${command} --help`,
    );
  }
  return parsed;
}

export const stringValue = (parsed: Parsed, name: string): string | undefined => {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
};

export const versionOption = (parsed: Parsed, name: string): bigint | undefined => {
  const text = stringValue(parsed, name);
  return text === undefined ? undefined : parseInteger(text, `--${name}`, INT64_MIN, INT64_MAX);
};

/** `N[,N…]`: the accepted values of an expected version. */
export const versionListOption = (parsed: Parsed, name: string): bigint[] | undefined => {
  const text = stringValue(parsed, name);
  return text === undefined ? undefined : parseVersionList(text, `--${name}`);
};

function minControlVersionOption(parsed: Parsed): bigint | undefined {
  const text = stringValue(parsed, 'expect-min-control-version');
  return text === undefined ? undefined : parseInteger(text, '--expect-min-control-version', 0n, UINT64_MAX);
}

/** The --expect-* options shared by verify and restore. */
export const expectationsOption = (parsed: Parsed): VerifyExpectations => ({
  controlModelVersions: versionListOption(parsed, 'expect-control-model-version'),
  cacheSchemaVersions: versionListOption(parsed, 'expect-cache-schema-version'),
  dbMigrationVersion: stringValue(parsed, 'expect-db-migration-version'),
  minControlVersion: minControlVersionOption(parsed),
});

/** `--integrity quick|full`, absent when not given (each command has its default). */
function integrityOption(parsed: Parsed): Pick<SanityOptions, 'integrity'> {
  const text = stringValue(parsed, 'integrity');
  return text === undefined ? {} : { integrity: parseIntegrityChoice(text, '--integrity') };
}

/** What runs on a restored database, shared by restore and verify's restore proof. */
export const migrateAndSanityOptions = (parsed: Parsed, env: NodeJS.ProcessEnv): MigrateOptions & SanityOptions => ({
  ...integrityOption(parsed),
  migrations: stringValue(parsed, 'migrations'),
  migrateCommand: stringValue(parsed, 'migrate-command'),
  requireTables: (parsed.values['require-table'] as string[] | undefined) ?? [],
  checkSql: stringValue(parsed, 'check-sql'),
  env,
});
