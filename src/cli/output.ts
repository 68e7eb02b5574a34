import { describeDumpProgress, humanDuration, loadProgressDescriber, throttled } from '../core/restore/progress.ts';
import { inertText } from '../core/shared/untrusted.ts';

/** Where the CLI writes: results to stdout, progress and errors to stderr. Injectable for tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (progress lines are rewritten in place). */
  stderrIsTty: boolean;
  /** All of standard input, for secrets given with --password-stdin. */
  readStdin?: () => Promise<string>;
}

/**
 * The same streams, written through `inertText`: whatever a command prints may quote a snapshot,
 * and in a terminal an ESC byte acts, in a workflow step a line starting with `::` does. JSON
 * output stays valid JSON with the same values (see inertText).
 */
export const inertIo = (io: CliIo): CliIo => ({
  ...io,
  stdout: (text) => io.stdout(inertText(text)),
  stderr: (text) => io.stderr(inertText(text)),
});

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export { toJson } from '../core/shared/json.ts';

/** Progress on stderr every couple of seconds, with the time so far, so short work stays quiet. */
function progressReporter<T>(io: CliIo, describe: (progress: T) => string): (progress: T) => void {
  const started = Date.now();
  return throttled(2000, (progress: T) =>
    io.stderr(`${describe(progress)}; ${humanDuration((Date.now() - started) / 1000)} so far\n`),
  );
}

export const dumpProgressReporter = (io: CliIo) => progressReporter(io, describeDumpProgress);
export const loadProgressReporter = (io: CliIo) => progressReporter(io, loadProgressDescriber());
