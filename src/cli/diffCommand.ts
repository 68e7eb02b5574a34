/** `sqlite-snapshot diff`: what changed between two snapshot directories. */

import { diffSnapshots } from '../core/diff/diff.ts';
import { renderDiffMarkdown } from '../core/diff/diffMarkdown.ts';
import { renderDiffJson, renderDiffText } from '../core/diff/diffRender.ts';
import { hasDifferences } from '../core/diff/diffTypes.ts';
import { withSnapshotAt } from '../core/oci/source.ts';
import { usageError } from '../core/shared/errors.ts';
import { parseArgsOptions, renderFlagHelp } from '../spec/cliFlags.ts';
import { type Options, parseCommand } from './args.ts';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './output.ts';
import { registryAccess } from './registryAccess.ts';

export const DIFF_HELP = `Usage: sqlite-snapshot diff <old-dir|REF> <new-dir|REF> [options]

Compares two snapshot directories: the manifest fields that differ, the schema
(tables and their columns, indexes, views, triggers) and each table's row
count. Both snapshots are verified first, then loaded into throw-away
databases; a snapshot that fails verification is not compared. Every manifest
field counts, created_at included (set SOURCE_DATE_EPOCH for reproducible
builds).

${renderFlagHelp('diff')}

Exit codes: 0 compared (with --exit-code: no differences); 1 the snapshots
differ (only with --exit-code), or a snapshot failed verification or holds a
statement a dump never contains; 2 usage or I/O error.
`;

const OPTIONS: Options = parseArgsOptions('diff');

export async function diffCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('diff', args, OPTIONS, DIFF_HELP, io, {
    count: 2,
    message: () => 'diff takes exactly two directories: the old snapshot and the new one.',
  });
  if (!parsed) return EXIT_OK;
  if (parsed.values.json && parsed.values.markdown) {
    throw usageError('--json and --markdown cannot be combined: pick one output form.');
  }
  const [oldAt, newAt] = parsed.positionals as [string, string];
  const access = await registryAccess(parsed, io);
  // Either side may be a registry reference, pulled into a temporary directory first.
  const diff = await withSnapshotAt(oldAt, access, {}, (old) =>
    withSnapshotAt(newAt, access, {}, async (updated) => ({
      ...(await diffSnapshots(old.dir, updated.dir)),
      // A pulled side is named by its reference, not by the temporary copy.
      oldDir: old.pinned ?? old.dir,
      newDir: updated.pinned ?? updated.dir,
    })),
  );
  if (parsed.values.json) io.stdout(`${renderDiffJson(diff)}\n`);
  else if (parsed.values.markdown) io.stdout(renderDiffMarkdown(diff));
  else io.stdout(renderDiffText(diff));
  return parsed.values['exit-code'] && hasDifferences(diff) ? EXIT_FAILED : EXIT_OK;
}
