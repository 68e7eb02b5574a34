/**
 * "Did you mean …" on the command line: the nearest flag to what was typed, and the flag that
 * means what an Action input of the same name means, so a habit from workflows costs one glance.
 */
import { nearest } from '../core/shared/nearest.ts';

/**
 * The Action's input names that mean something else on the command line, by command: accepted
 * versions are `--expect-…` in verify and restore, the database is `--db`, the directory an argument.
 */
const FLAGS_FOR_ACTION_INPUTS: Record<string, Record<string, string>> = {
  build: {
    database: '--db',
    path: '--out <dir>',
    'expect-control-model-version': '--control-model-version',
    'expect-cache-schema-version': '--cache-schema-version',
    'expect-db-migration-version': '--db-migration-version',
  },
  verify: {
    path: 'the directory as an argument: sqlite-snapshot verify <dir>',
    'control-model-version': '--expect-control-model-version',
    'cache-schema-version': '--expect-cache-schema-version',
    'db-migration-version': '--expect-db-migration-version',
    'min-control-version': '--expect-min-control-version',
    'control-version': '--expect-min-control-version',
  },
  restore: {
    database: '--db',
    path: 'the directory as an argument: sqlite-snapshot restore <dir> --db <target>',
    'control-model-version': '--expect-control-model-version',
    'cache-schema-version': '--expect-cache-schema-version',
    'db-migration-version': '--expect-db-migration-version',
    'min-control-version': '--expect-min-control-version',
    'control-version': '--expect-min-control-version',
    backup: 'nothing: a backup is kept by default (--no-backup turns it off)',
  },
};

/** What to suggest for an unknown flag `--name` of `command`, whose own flags are `known`. */
export function suggestFlag(command: string, name: string, known: readonly string[]): string | undefined {
  const translated = FLAGS_FOR_ACTION_INPUTS[command]?.[name];
  if (translated) return translated;
  const match = nearest(name, known);
  return match === undefined ? undefined : `--${match}`;
}
