/**
 * Typed errors of the core. Every message names the thing that is wrong and says what to do;
 * the faces (CLI, Action) only decide how to show them and which exit code they mean.
 */

/** Why an operation stopped: drives exit codes (CLI) and wording (Action). */
export type ErrorKind =
  /** The user asked for something malformed (bad flag value, missing argument). */
  | 'usage'
  /** A file could not be read or written, or is not what it should be (not SQLite, missing). */
  | 'io'
  /** The database holds something the dump format cannot carry losslessly. */
  | 'unsupported'
  /** An artifact failed verification. */
  | 'verification';

export class SnapshotError extends Error {
  readonly kind: ErrorKind;
  /** What the user can do about it; shown after the message. */
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SnapshotError';
    this.kind = kind;
    this.hint = options.hint;
  }
}

export const usageError = (message: string, hint?: string): SnapshotError =>
  new SnapshotError('usage', message, { hint });

export const ioError = (message: string, hint?: string, cause?: unknown): SnapshotError =>
  new SnapshotError('io', message, { hint, cause });

export const unsupportedError = (message: string, hint?: string): SnapshotError =>
  new SnapshotError('unsupported', message, { hint });

/** Renders an error with its hint, for logs and terminals. */
export function describeError(error: unknown): string {
  if (error instanceof SnapshotError) {
    return error.hint ? `${error.message}\n  hint: ${error.hint}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
