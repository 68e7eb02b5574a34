/**
 * manifest.json: the nine fields, in this order, as a Go consumer unmarshals them (docs/format.md §1).
 * `control_version` is a uint64 and must survive above 2^53, so it is a bigint here and written as
 * a bare JSON number, never through a JS double.
 */
import { usageError } from '../shared/errors.ts';
import { INT64_MAX, INT64_MIN } from '../shared/int64.ts';

export const MANIFEST_KIND = 'bootstrap.sqlite.dump';
export const MANIFEST_FORMAT = 'sqlite3dump.sql';
export const DUMP_FILE = 'snapshot.sql';
export const MANIFEST_FILE = 'manifest.json';

export interface Manifest {
  kind: string;
  format: string;
  checksum: string;
  control_model_version: bigint;
  cache_schema_version: bigint;
  control_version: bigint;
  created_at: string;
  source_chassis_version: string;
  db_migration_version: string;
}

/** Field names in the order they are written; verify reports them in this order too. */
export const MANIFEST_FIELDS = [
  'kind',
  'format',
  'checksum',
  'control_model_version',
  'cache_schema_version',
  'control_version',
  'created_at',
  'source_chassis_version',
  'db_migration_version',
] as const satisfies readonly (keyof Manifest)[];

export type ManifestField = (typeof MANIFEST_FIELDS)[number];

/** 2-space JSON with a trailing newline; integers written from their exact decimal text. */
export function serializeManifest(manifest: Manifest): string {
  const lines = MANIFEST_FIELDS.map((field) => {
    const value = manifest[field];
    const text = typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
    return `  ${JSON.stringify(field)}: ${text}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** RFC 3339 UTC with seconds precision, e.g. 2026-11-27T04:05:34Z. */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * The creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
 */
export function createdAt(env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return formatTimestamp(now);
  if (!/^\d+$/.test(epoch) || Number(epoch) > 253402300799) {
    throw usageError(
      `SOURCE_DATE_EPOCH is "${epoch}", not a number of seconds since 1970-01-01 UTC.`,
      'Set it to an integer such as $(git log -1 --format=%ct), or unset it.',
    );
  }
  return formatTimestamp(new Date(Number(epoch) * 1000));
}

/** The producing code's version: explicit, else the commit SHA in Actions, else "dev". */
export function defaultSourceVersion(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_SHA && env.GITHUB_SHA !== '' ? env.GITHUB_SHA : 'dev';
}

/**
 * Parses a decimal integer option within [min, max]; `name` is how the user spelled the option.
 */
export function parseInteger(text: string, name: string, min: bigint, max: bigint): bigint {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) {
    throw usageError(`${name} must be a whole number, got "${text}".`);
  }
  const value = BigInt(trimmed);
  if (value < min || value > max) {
    throw usageError(`${name} must be between ${min} and ${max}, got ${trimmed}.`);
  }
  return value;
}

/** `N` or `N,N,…`: the accepted values of an expected version; `name` is how the user spelled the option. */
export function parseVersionList(text: string, name: string, hint?: string): bigint[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) throw usageError(`${name} takes N or N,N,…; got "${text}".`, hint);
  return parts.map((part) => parseInteger(part, name, INT64_MIN, INT64_MAX));
}
