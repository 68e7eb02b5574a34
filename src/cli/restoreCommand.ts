/** `sqlite-snapshot restore`: verify a snapshot and put it in place of a database, safely. */

import { restoreSnapshot } from '../core/restore/restore.ts';
import { usageError } from '../core/shared/errors.ts';
import { counted } from '../core/shared/plural.ts';
import { expectationsOption, migrateAndSanityOptions, type Options, parseCommand, stringValue } from './args.ts';
import { type CliIo, EXIT_OK, loadProgressReporter, toJson } from './output.ts';

export const RESTORE_HELP = `Usage: sqlite-snapshot restore <dir> --db <target> [options]

Verifies <dir>/snapshot.sql against <dir>/manifest.json, restores it into a new
temporary database next to <target>, migrates and checks it, then atomically
replaces <target>. <target> is untouched until that last step, and a target
that already holds data is only replaced with --force.

Options:
  --db <target>                            database to create or replace (required)
  --force                                  replace a target that holds data
  --no-backup                              with --force, do not keep <target>.bak-<UTC time>
  --migrations <dir>                       apply the .sql migrations in <dir> to the restored database
  --migrate-command <cmd>                  shell command migrating the restored database
                                           (its path is in $SNAPSHOT_DB and replaces {db})
  --require-table <name>                   a table that must exist afterwards (repeatable)
  --check-sql <select>                     a query that must return a truthy value
  --integrity quick|full                   quick_check and exact row counts against the dump
                                           (default), or the full integrity_check, which also
                                           cross-checks every index against its table (slower)
  --expect-control-model-version <N[,N…]>  accepted control model versions
  --expect-cache-schema-version <N[,N…]>   accepted cache schema versions
  --expect-db-migration-version <V>        required db migration version
  --expect-min-control-version <N>         lowest accepted control_version (fleet cursor)
  --json                                   print the result as JSON
  -h, --help                               show this help

Exit codes: 0 restored; 1 refused (verification failed, target holds data or is
in use, the dump holds a statement a dump never contains or is truncated, a
sanity check failed); 2 usage or I/O error.
`;

const OPTIONS: Options = {
  db: { type: 'string' },
  force: { type: 'boolean' },
  'no-backup': { type: 'boolean' },
  migrations: { type: 'string' },
  'migrate-command': { type: 'string' },
  'require-table': { type: 'string', multiple: true },
  'check-sql': { type: 'string' },
  integrity: { type: 'string' },
  'expect-control-model-version': { type: 'string' },
  'expect-cache-schema-version': { type: 'string' },
  'expect-db-migration-version': { type: 'string' },
  'expect-min-control-version': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('restore', args, OPTIONS, RESTORE_HELP, io, {
    count: 1,
    message: () => 'restore takes exactly one directory: the one holding snapshot.sql and manifest.json.',
  });
  if (!parsed) return EXIT_OK;
  const target = stringValue(parsed, 'db');
  if (!target)
    throw usageError(
      'restore needs --db <target>: the database to create or replace.',
      'Run: sqlite-snapshot restore --help',
    );
  const started = Date.now();
  const result = await restoreSnapshot({
    snapshotDir: parsed.positionals[0]!,
    target,
    force: parsed.values.force === true,
    backup: parsed.values['no-backup'] !== true,
    ...migrateAndSanityOptions(parsed, io.env),
    expect: expectationsOption(parsed),
    onProgress: loadProgressReporter(io),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (parsed.values.json) {
    io.stdout(
      `${toJson({ target: result.target, checksum: result.report.computedChecksum, rows: result.stats.rows, statements: result.stats.statements, backupPath: result.backupPath ?? null, replaced: !result.freshness.fresh })}\n`,
    );
  } else {
    io.stdout(
      `restored ${result.report.computedChecksum} into ${result.target} (${counted(result.stats.rows, 'row')}, ${seconds} s)\n` +
        (result.backupPath ? `  the previous database is kept as ${result.backupPath}\n` : ''),
    );
  }
  return EXIT_OK;
}
