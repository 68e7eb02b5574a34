/** The CLI's dispatcher: one function from argv to an exit code, so tests can call it in-process. */

import { jsonCheck } from '../core/shared/check.ts';
import { describeError, REFUSAL_KINDS, SnapshotError } from '../core/shared/errors.ts';
import { nearest } from '../core/shared/nearest.ts';
import { cliOption, spellOptions } from '../core/shared/options.ts';
import { VERSION } from '../core/shared/version.ts';
import { checkNodeVersion } from '../core/sqlite/sqlite.ts';
import { BUILD_HELP, buildCommand } from './buildCommand.ts';
import { DIFF_HELP, diffCommand } from './diffCommand.ts';
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, inertIo, toJson } from './output.ts';
import { PULL_HELP, PUSH_HELP, pullCommand, pushCommand, RESOLVE_HELP, resolveCommand } from './registryCommands.ts';
import { RESTORE_HELP, restoreCommand } from './restoreCommand.ts';
import { VERIFY_HELP, verifyCommand } from './verifyCommand.ts';

export const MAIN_HELP = `Usage: sqlite-snapshot <command> [options]

Commands:
  build    dump a SQLite database into snapshot.sql + manifest.json
  verify   check a snapshot directory's checksum, manifest and versions
  restore  verify a snapshot and safely put it in place of a database
  diff     compare two snapshots: manifest, schema and row counts
  push     push a snapshot to an OCI registry (ghcr.io, ECR, Docker Hub, Harbor, …)
  pull     download a snapshot from a registry, verified, into a directory
  resolve  find the newest snapshot in a registry that this code can use
  help     show a command's options: sqlite-snapshot help <command>

Options:
  -V, --version  print the version
  -h, --help     show this help

Where a command takes a snapshot directory, a registry reference works too:
  sqlite-snapshot restore ghcr.io/acme/app-snapshot --expect-control-model-version 3 --db app.db

Run sqlite-snapshot <command> --help for a command's options.
`;

const COMMANDS: Record<string, { run: (args: string[], io: CliIo) => Promise<number>; help: string }> = {
  build: { run: buildCommand, help: BUILD_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  restore: { run: restoreCommand, help: RESTORE_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
  push: { run: pushCommand, help: PUSH_HELP },
  pull: { run: pullCommand, help: PULL_HELP },
  resolve: { run: resolveCommand, help: RESOLVE_HELP },
};

/** The exit code an error means: 1 when the artifact or target was refused, 2 for usage, I/O and bugs. */
const exitCodeOf = (error: unknown): number =>
  error instanceof SnapshotError && REFUSAL_KINDS.has(error.kind) ? EXIT_FAILED : EXIT_USAGE;

/**
 * An error as the user sees it: two lines of text on stderr, or with --json one object on stdout
 * (the exit code is the same), so a script reading --json output never parses prose.
 */
function reportError(error: unknown, io: CliIo, json: boolean): number {
  const code = exitCodeOf(error);
  if (json) {
    const snapshotError = error instanceof SnapshotError ? error : undefined;
    io.stdout(
      `${toJson({
        ok: false,
        exitCode: code,
        error: {
          kind: snapshotError?.kind ?? 'internal',
          message: error instanceof Error ? error.message : String(error),
          ...(snapshotError?.hint ? { hint: spellOptions(snapshotError.hint, cliOption) } : {}),
          ...(snapshotError?.checks
            ? { checks: snapshotError.checks.filter((check) => !check.ok).map(jsonCheck) }
            : {}),
        },
      })}\n`,
    );
    return code;
  }
  io.stderr(`error: ${describeError(error)}\n`);
  // An unexpected failure is a bug or an environment problem; show the stack to report it.
  if (!(error instanceof SnapshotError) && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return code;
}

function unknownCommand(name: string): SnapshotError {
  const match = nearest(name, Object.keys(COMMANDS));
  return new SnapshotError(
    'usage',
    `unknown command ${JSON.stringify(name)}.${match ? ` Did you mean ${match}?` : ''}`,
    {
      hint: 'Run: sqlite-snapshot --help',
    },
  );
}

/**
 * Runs one command line. `nodeVersion` is the runtime's, checked before any command runs: a
 * runtime that cannot read a manifest exactly must not give a verdict on one.
 */
export async function main(argv: string[], rawIo: CliIo, nodeVersion = process.versions.node): Promise<number> {
  // Every word the CLI writes, results, progress and errors, leaves through the inert streams.
  const io = inertIo(rawIo);
  const [name, ...args] = argv;
  const json = args.includes('--json');
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(MAIN_HELP);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`sqlite-snapshot ${VERSION}\n`);
    return EXIT_OK;
  }
  if (name === 'help') {
    const topic = args[0];
    if (topic === undefined) {
      io.stdout(MAIN_HELP);
      return EXIT_OK;
    }
    const command = COMMANDS[topic];
    if (!command) return reportError(unknownCommand(topic), io, false);
    io.stdout(command.help);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) return reportError(unknownCommand(name), io, json);
  try {
    checkNodeVersion(nodeVersion);
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, io, json);
  }
}
