/** Command-line parsing shared by the commands, on node:util parseArgs with strict checking. */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from '../core/errors.ts';
import { INT64_MAX, INT64_MIN, parseInteger } from '../core/manifest.ts';
import type { VerifyExpectations } from '../core/verify.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(command: string, args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw usageError(
      (error as Error).message.replace(/\. To specify a positional.*$/, '.'),
      `Run: sqlite-snapshot ${command} --help`,
    );
  }
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
  if (text === undefined) return undefined;
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw usageError(`--${name} takes N or N,N,…; got "${text}".`);
  return parts.map((part) => parseInteger(part, `--${name}`, INT64_MIN, INT64_MAX));
};

/** The --expect-* options shared by verify and restore. */
export const expectationsOption = (parsed: Parsed): VerifyExpectations => ({
  controlModelVersions: versionListOption(parsed, 'expect-control-model-version'),
  cacheSchemaVersions: versionListOption(parsed, 'expect-cache-schema-version'),
  dbMigrationVersion: stringValue(parsed, 'expect-db-migration-version'),
});
