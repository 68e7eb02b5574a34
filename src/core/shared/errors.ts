/**
 * Typed errors of the core. Every message names the thing that is wrong and says what to do;
 * the faces (CLI, Action) only decide how to show them and which exit code they mean.
 */

import type { Check } from './check.ts';
import { cliOption, spellOptions } from './options.ts';

/** Why an operation stopped: drives exit codes (CLI) and wording (Action). */
export type ErrorKind =
  /** The user asked for something malformed (bad flag value, missing argument). */
  | 'usage'
  /** A file could not be read or written, or is not what it should be (not SQLite, missing). */
  | 'io'
  /** The database holds something the dump format cannot carry losslessly. */
  | 'unsupported'
  /** An artifact failed verification. */
  | 'verification'
  /** The restore target holds data and `force` was not given. */
  | 'not-fresh'
  /** The restore target is in use by another process (open, locked) or is not a plain file. */
  | 'busy'
  /** The dump holds a statement a dump never contains (ATTACH, other PRAGMAs, …). */
  | 'hostile'
  /** The dump ends before its final COMMIT. */
  | 'truncated'
  /** A statement of the dump failed to execute (broken or inconsistent dump). */
  | 'invalid'
  /** The restored database failed a sanity check (integrity, foreign keys, required tables, user check). */
  | 'sanity';

/** Kinds that mean "the artifact or the target is not acceptable" (CLI exit 1), not a usage or I/O error (exit 2). */
export const REFUSAL_KINDS: ReadonlySet<ErrorKind> = new Set([
  'verification',
  'not-fresh',
  'busy',
  'hostile',
  'truncated',
  'invalid',
  'sanity',
]);

export class SnapshotError extends Error {
  readonly kind: ErrorKind;
  /** What the user can do about it; shown after the message. */
  readonly hint: string | undefined;
  /** A failed verification's checks, so a face can show each one (the Action annotates them). */
  readonly checks: readonly Check[] | undefined;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { hint?: string; cause?: unknown; checks?: readonly Check[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'SnapshotError';
    this.kind = kind;
    this.hint = options.hint;
    this.checks = options.checks;
  }
}

export const usageError = (message: string, hint?: string): SnapshotError =>
  new SnapshotError('usage', message, { hint });

export const ioError = (message: string, hint?: string, cause?: unknown): SnapshotError =>
  new SnapshotError('io', message, { hint, cause });

export const unsupportedError = (message: string, hint?: string): SnapshotError =>
  new SnapshotError('unsupported', message, { hint });

export const refusal = (kind: ErrorKind, message: string, hint?: string, cause?: unknown): SnapshotError =>
  new SnapshotError(kind, message, { hint, cause });

/** Renders an error with its hint, for logs and terminals, options spelled as command-line flags. */
export function describeError(error: unknown): string {
  if (error instanceof SnapshotError) {
    return error.hint ? `${error.message}\n  hint: ${spellOptions(error.hint, cliOption)}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
