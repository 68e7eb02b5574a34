/**
 * A build that snapshots nothing is almost always a mistake (a misspelt input name leaves the
 * database, the migrations and the seeds unset), and an empty snapshot restores "successfully"
 * over nothing. So an empty result fails unless it was asked for.
 */

import { isBookkeepingTable } from '../place/fresh.ts';
import { SnapshotError } from '../shared/errors.ts';
import { option } from '../shared/options.ts';
import type { Database } from '../sqlite/sqlite.ts';

/**
 * Whether the database holds no schema object but SQLite's own and migration bookkeeping (with
 * the bookkeeping tables' indexes and triggers: tbl_name is the table an object belongs to).
 */
export function holdsNothing(db: Database): boolean {
  const owners = db.prepare('SELECT tbl_name FROM sqlite_schema').pluck().all() as string[];
  return owners.every(isBookkeepingTable);
}

/** The refusal of an empty build; says what was (not) given so that a misspelt option shows. */
export function emptyBuildError(
  label: string,
  given: { database?: string; migrations?: string; seeds: number },
): SnapshotError {
  const missing = [
    given.database === undefined ? 'no database' : undefined,
    given.migrations === undefined ? 'no migrations' : undefined,
    given.seeds === 0 ? 'no seed files' : undefined,
  ].filter((text) => text !== undefined);
  const what = missing.length > 0 ? ` (${missing.join(', ')} given)` : '';
  return new SnapshotError(
    'usage',
    `Nothing to snapshot: ${label} holds no tables, views, indexes or triggers${what}.`,
    {
      hint: `Check the spelling of the options that name the database, migrations and seed files (${option('db')}, ${option('migrations')}, ${option('seed')}); pass ${option('allow-empty')} if an empty snapshot is what you want.`,
    },
  );
}
