/** The refusals of a replace that leave the target exactly as it was. */
import { refusal } from '../shared/errors.ts';

export const BUSY_HINT = 'Stop the application using the database (or let it finish), then run the restore again.';

/** The 'busy' refusal: the target is in use or not a plain file, and stays exactly as it was. */
export function notReplaced(targetPath: string, what: string, hint = BUSY_HINT, cause?: unknown): Error {
  return refusal('busy', `Restore target ${targetPath} ${what}; it was not replaced.`, hint, cause);
}
