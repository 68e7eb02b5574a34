/**
 * The last gate before a restored DB replaces the target (docs/format.md §4): integrity, foreign keys,
 * required tables and an optional user query. Every check runs and all problems are reported
 * together, so one failed restore shows everything that needs fixing.
 */
import { basename } from 'node:path';
import { rowCountProblems } from '../load/rowCounts.ts';
import { refusal, SnapshotError, usageError } from '../shared/errors.ts';
import { counted } from '../shared/plural.ts';
import { printable, quoted } from '../shared/untrusted.ts';
import { integrityProblems, quickCheckProblems } from '../sqlite/integrity.ts';
import { SCAN_CACHE_PRAGMA } from '../sqlite/source.ts';
import { type Database, loadSqlite } from '../sqlite/sqlite.ts';
import { selectOneColumn, UserQueryError } from '../sqlite/userQuery.ts';

/**
 * How the restored file itself is checked:
 * - `quick`: PRAGMA quick_check — every page and b-tree of the file is well formed, every page
 *   accounted for. Paired with the restore's exact per-table row counts against the dump, this is
 *   what a database this process has just written needs: it finds a damaged or truncated file and
 *   lost or extra rows, in about one read of the file.
 * - `full`: PRAGMA integrity_check — quick_check plus, row by row, that every index holds exactly
 *   its table's entries (and CHECK / NOT NULL constraints). It finds an index that disagrees with
 *   its table, which SQLite's own index builds do not produce; it costs an index lookup per row
 *   and index, several times the quick check on an index-heavy database.
 */
export const INTEGRITY_CHOICES = ['quick', 'full'] as const;
export type IntegrityChoice = (typeof INTEGRITY_CHOICES)[number];

/** What a restore runs when not told: see IntegrityChoice. */
export const DEFAULT_RESTORE_INTEGRITY: IntegrityChoice = 'quick';

/**
 * Reads the text of a flag or an input (`quick` or `full`, any case, spaces around ignored);
 * `label` names it in the error (`--integrity`, `Input "integrity"`).
 */
export function parseIntegrityChoice(text: string, label = 'The integrity check'): IntegrityChoice {
  const choice = text.trim().toLowerCase();
  if ((INTEGRITY_CHOICES as readonly string[]).includes(choice)) return choice as IntegrityChoice;
  throw usageError(
    `${label} must be one of ${INTEGRITY_CHOICES.join(', ')}, not ${quoted(text)}.`,
    'Use quick (quick_check and exact row counts, the default) or full (the full integrity_check, slower on index-heavy databases).',
  );
}

export interface SanityOptions {
  /**
   * quick_check or the full integrity_check (see IntegrityChoice). checkSanity on its own, which
   * may be handed any database, defaults to `full`; restore and the restore proof, which check a
   * database they have just loaded and counted, choose their own default.
   */
  integrity?: IntegrityChoice;
  /** Tables that must exist in the restored DB (names compare case-insensitively, as in SQL). */
  requireTables?: string[];
  /** One read-only SELECT returning one value; NULL, 0, '', an empty blob or no row fail the check. */
  checkSql?: string;
}

/**
 * A failed sanity check, with its problems, so each caller can say what it means there: a
 * restore did not replace its target; a restore proof failed.
 */
export class SanityError extends SnapshotError {
  readonly problems: readonly string[];

  constructor(database: string, problems: string[]) {
    super('sanity', `The restored database ${database} failed its sanity checks:\n${listProblems(problems)}`, {
      hint: 'Fix the snapshot or the migrations (or the required tables / check query).',
    });
    this.problems = problems;
  }
}

export const listProblems = (problems: readonly string[]): string =>
  problems.map((problem) => `  - ${problem}`).join('\n');

/** How many messages of a failed check are shown; the rest are counted. */
const SHOWN = 5;

/** Throws a SanityError listing every problem found in `db`; returns quietly when all checks hold. */
export async function checkSanity(db: Database, options: SanityOptions): Promise<void> {
  const problems = [
    ...(await checkIntegrity(db, options.integrity ?? 'full')),
    ...checkForeignKeys(db),
    ...checkRequiredTables(db, options.requireTables ?? []),
    ...(options.checkSql === undefined ? [] : checkUserQuery(db, options.checkSql)),
  ];
  if (problems.length === 0) return;
  throw new SanityError(basename(db.name), problems);
}

function summarise(items: string[]): string {
  const shown = items.slice(0, SHOWN).join('; ');
  return items.length > SHOWN ? `${shown}; and ${items.length - SHOWN} more` : shown;
}

async function checkIntegrity(db: Database, choice: IntegrityChoice): Promise<string[]> {
  const pragma = choice === 'full' ? 'integrity_check' : 'quick_check';
  try {
    // Asking for one message more than shown tells whether there are more without listing 100.
    const texts =
      choice === 'full' ? await integrityProblems(db, db.name, SHOWN + 1) : quickCheckProblems(db, SHOWN + 1);
    if (texts.length === 0) return [];
    // SQLite's messages name the dump's tables and indexes: one printable line.
    const shown = printable(texts.slice(0, SHOWN).join('; '));
    return [`PRAGMA ${pragma} failed: ${texts.length > SHOWN ? `${shown}; …` : shown}`];
  } catch (error) {
    // Damage to the schema itself makes the check throw instead of report.
    return [`PRAGMA ${pragma} could not run: ${printable((error as Error).message)}`];
  }
}

interface ForeignKeyViolation {
  table: string;
  rowid: number | bigint | null;
  parent: string;
}

function checkForeignKeys(db: Database): string[] {
  try {
    const rows = db.prepare('PRAGMA foreign_key_check').safeIntegers(true).all() as ForeignKeyViolation[];
    if (rows.length === 0) return [];
    const described = rows.map(
      (row) =>
        `${quoted(row.table)} ${row.rowid === null ? '(WITHOUT ROWID row)' : `rowid ${row.rowid}`} → missing parent in ${quoted(row.parent)}`,
    );
    return [`PRAGMA foreign_key_check found ${counted(rows.length, 'violation')}: ${summarise(described)}`];
  } catch (error) {
    // e.g. "foreign key mismatch": a foreign key naming columns without a unique index.
    return [`PRAGMA foreign_key_check could not run: ${(error as Error).message}`];
  }
}

function checkRequiredTables(db: Database, required: string[]): string[] {
  const present = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE");
  const missing = required.filter((name) => present.get(name) === undefined);
  if (missing.length === 0) return [];
  return [
    `required table${missing.length === 1 ? '' : 's'} missing: ${missing.map((name) => quoted(name)).join(', ')}`,
  ];
}

/** SQL's falsy values as the user query can return them (integers come back as bigint). */
function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === 0 || value === 0n || value === '') return false;
  if (Buffer.isBuffer(value)) return value.length > 0;
  return true;
}

function describeValue(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value}'`;
  if (Buffer.isBuffer(value)) return `a ${value.length}-byte blob`;
  return String(value);
}

function checkUserQuery(db: Database, sql: string): string[] {
  const label = `check query \`${sql.trim()}\``;
  try {
    const [value, ...rest] = selectOneColumn(db, sql, 1);
    if (rest.length === 0 && value === undefined) return [`${label} returned no row; it must return a truthy value`];
    if (!isTruthy(value)) return [`${label} returned ${describeValue(value)}; it must return a truthy value`];
    return [];
  } catch (error) {
    if (error instanceof UserQueryError) return [`${label} ${error.message}`];
    return [`${label} failed: ${(error as Error).message}`];
  }
}

/**
 * Opens the database a load has just written at `path` and throws a sanity refusal unless each
 * table holds exactly the rows the loader inserted from `dumpPath` (`inserted`: LoadStats.rowsByTable).
 */
export async function checkLoadedRows(
  path: string,
  dumpPath: string,
  inserted: ReadonlyMap<string, number>,
): Promise<void> {
  const Sqlite = await loadSqlite();
  const db = new Sqlite(path, { readonly: true, fileMustExist: true });
  let problems: string[];
  try {
    db.pragma(SCAN_CACHE_PRAGMA);
    problems = rowCountProblems(db, inserted);
  } finally {
    db.close();
  }
  if (problems.length === 0) return;
  throw refusal(
    'sanity',
    `The database loaded from ${basename(dumpPath)} does not hold exactly the rows of the dump, so it was not used:\n${listProblems(problems)}`,
    'A trigger or a constraint in the dump changed rows while they were loaded, or rows were lost: rebuild the snapshot with sqlite-snapshot build from its database.',
  );
}
