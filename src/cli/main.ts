/** The CLI's dispatcher: one function from argv to an exit code, so tests can call it in-process. */
import { describeError, REFUSAL_KINDS, SnapshotError } from '../core/errors.ts';
import { BUILD_HELP, buildCommand } from './buildCommand.ts';
import { DIFF_HELP, diffCommand } from './diffCommand.ts';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, inertIo } from './output.ts';
import { RESTORE_HELP, restoreCommand } from './restoreCommand.ts';
import { VERIFY_HELP, verifyCommand } from './verifyCommand.ts';

export const MAIN_HELP = `Usage: sqlite-snapshot <command> [options]

Commands:
  build    dump a SQLite database into snapshot.sql + manifest.json
  verify   check a snapshot directory's checksum, manifest and versions
  restore  verify a snapshot and safely put it in place of a database
  diff     compare two snapshots: manifest, schema and row counts

Run sqlite-snapshot <command> --help for a command's options.
`;

const COMMANDS: Record<string, { run: (args: string[], io: CliIo) => Promise<number>; help: string }> = {
  build: { run: buildCommand, help: BUILD_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  restore: { run: restoreCommand, help: RESTORE_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
};

export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  // Every word the CLI writes, results, progress and errors, leaves through the inert streams.
  const io = inertIo(rawIo);
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(MAIN_HELP);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`error: unknown command "${name}".\n\n${MAIN_HELP}`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    io.stderr(`error: ${describeError(error)}\n`);
    if (error instanceof SnapshotError) return REFUSAL_KINDS.has(error.kind) ? EXIT_FAILED : EXIT_USAGE;
    // An unexpected failure is a bug or an environment problem; show the stack to report it.
    if (error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}
