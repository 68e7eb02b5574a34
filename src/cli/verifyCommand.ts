/** `sqlite-snapshot verify`: check an artifact directory against the manifest and expectations. */

import { withSnapshotAt } from '../core/oci/source.ts';
import { verifyWithRestoreProof, wantsRestoreProof } from '../core/restore/restoreProof.ts';
import { jsonCheck, printableCheck } from '../core/shared/check.ts';
import { cliOption, spellOptions } from '../core/shared/options.ts';
import { type VerifyReport, verifySnapshot } from '../core/verify/verify.ts';
import { parseArgsOptions, renderFlagHelp } from '../spec/cliFlags.ts';
import { expectationsOption, migrateAndSanityOptions, type Options, parseCommand } from './args.ts';
import { type CliIo, EXIT_FAILED, EXIT_OK, loadProgressReporter, toJson } from './output.ts';
import { registryAccess } from './registryAccess.ts';

export const VERIFY_HELP = `Usage: sqlite-snapshot verify <dir|REF> [options]

Checks <dir>/snapshot.sql against <dir>/manifest.json: the manifest's nine
fields and their types, kind, format, checksum syntax and value, size, and the
versions the code expects. Every check runs; every failure is reported.

With --migrations, --migrate-command, --require-table, --check-sql or --integrity, a verified
snapshot is also restored into a throw-away database, migrated with this code's
migrations and sanity-checked (the "restore" check): proof that it still fits.

<REF> is a snapshot in an OCI registry (see push): pulled first, or for a repository with no
tag, resolved to the newest snapshot the --expect-… versions accept.

${renderFlagHelp('verify')}

Exit codes: 0 all checks hold, 1 verification failed, 2 usage or I/O error.
`;

const OPTIONS: Options = parseArgsOptions('verify');

/** The longest name the columns are aligned to: a longer one (an odd extra key) overflows its row alone. */
const NAME_COLUMN = 24;

export function renderReport(report: VerifyReport): string {
  const lines = [
    report.ok ? `OK: ${report.dumpPath} matches its manifest.` : `FAILED: ${report.dumpPath} failed verification.`,
  ];
  // Names (an extra manifest key) and values come from the manifest: each on its one line, escaped.
  const rows = report.checks.map(printableCheck);
  const width = Math.min(NAME_COLUMN, Math.max(...rows.map((row) => row.name.length)));
  for (const row of rows) {
    const mark = row.ok ? 'ok  ' : 'FAIL';
    lines.push(
      `  ${mark} ${row.name.padEnd(width)}  ${row.ok ? row.actual : `expected ${row.expected}, got ${row.actual}`}`,
    );
    if (!row.ok && row.hint) lines.push(`       ${' '.repeat(width)}  fix: ${row.hint}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('verify', args, OPTIONS, VERIFY_HELP, io, {
    count: 1,
    message: () => 'verify takes exactly one directory: the one holding snapshot.sql and manifest.json.',
  });
  if (!parsed) return EXIT_OK;
  const proof = { ...migrateAndSanityOptions(parsed, io.env), onProgress: loadProgressReporter(io) };
  const expect = expectationsOption(parsed);
  // A registry reference is pulled (or resolved with the expected versions, then pulled) first.
  const report = await withSnapshotAt(
    parsed.positionals[0]!,
    await registryAccess(parsed, io),
    expect,
    async ({ dir, pinned, dumpDigest }) => {
      const verified = await (wantsRestoreProof(proof)
        ? verifyWithRestoreProof(dir, expect, proof)
        : verifySnapshot(dir, expect, dumpDigest));
      // The pulled copy is gone once this returns: name the snapshot by its reference instead.
      return pinned
        ? { ...verified, dumpPath: `${pinned} snapshot.sql`, manifestPath: `${pinned} manifest.json` }
        : verified;
    },
  );
  // The advice names options; on the command line they are flags.
  const checks = report.checks.map((check) =>
    check.hint ? { ...check, hint: spellOptions(check.hint, cliOption) } : check,
  );
  io.stdout(
    parsed.values.json
      ? `${toJson({ ...report, checks: checks.map(jsonCheck) })}\n`
      : renderReport({ ...report, checks }),
  );
  return report.ok ? EXIT_OK : EXIT_FAILED;
}
