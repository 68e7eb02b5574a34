/** `sqlite-snapshot restore`: verify a snapshot and put it in place of a database, safely. */

import { withSnapshotAt } from '../core/oci/source.ts';
import { restoreSnapshot } from '../core/restore/restore.ts';
import { usageError } from '../core/shared/errors.ts';
import { counted } from '../core/shared/plural.ts';
import { parseArgsOptions, renderFlagHelp } from '../spec/cliFlags.ts';
import { expectationsOption, migrateAndSanityOptions, type Options, parseCommand, stringValue } from './args.ts';
import { type CliIo, EXIT_OK, loadProgressReporter, toJson } from './output.ts';
import { registryAccess } from './registryAccess.ts';

export const RESTORE_HELP = `Usage: sqlite-snapshot restore <dir|REF> --db <target> [options]

Verifies <dir>/snapshot.sql against <dir>/manifest.json, restores it into a new
temporary database next to <target>, migrates and checks it, then atomically
replaces <target>. <target> is untouched until that last step, and a target
that already holds data is only replaced with --force.

<REF> is a snapshot in an OCI registry (see push): pulled first, or for a repository with no
tag, resolved to the newest snapshot the --expect-… versions accept, as a fleet machine does:
  sqlite-snapshot restore ghcr.io/acme/app-snapshot --expect-control-model-version 3 --db app.db

${renderFlagHelp('restore')}

Exit codes: 0 restored; 1 refused (verification failed, target holds data or is
in use, the dump holds a statement a dump never contains or is truncated, a
sanity check failed); 2 usage or I/O error.
`;

const OPTIONS: Options = parseArgsOptions('restore');

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
  const expect = expectationsOption(parsed);
  // A registry reference is pulled (a repository resolved with the expected versions) first.
  const result = await withSnapshotAt(parsed.positionals[0]!, await registryAccess(parsed, io), expect, ({ dir }) =>
    restoreSnapshot({
      snapshotDir: dir,
      target,
      force: parsed.values.force === true,
      backup: parsed.values['no-backup'] !== true,
      ...migrateAndSanityOptions(parsed, io.env),
      expect,
      onProgress: loadProgressReporter(io),
    }),
  );
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
