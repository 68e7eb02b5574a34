/**
 * The last gate before a restored DB replaces the target (DESIGN §5): integrity, foreign keys,
 * required tables and an optional user query. Every check runs and all problems are reported
 * together, so one failed restore shows everything that needs fixing.
 */
import { basename } from 'node:path';
import { SnapshotError } from './errors.ts';
import { integrityProblems } from './integrity.ts';
import { counted } from './plural.ts';
import type { Database } from './sqlite.ts';
import { quoted } from './untrusted.ts';
import { selectOneColumn, UserQueryError } from './userQuery.ts';

export interface SanityOptions {
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
    ...(await checkIntegrity(db)),
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

async function checkIntegrity(db: Database): Promise<string[]> {
  try {
    // Asking for one message more than shown tells whether there are more without listing 100.
    const texts = await integrityProblems(db, db.name, SHOWN + 1);
    if (texts.length === 0) return [];
    const shown = texts.slice(0, SHOWN).join('; ');
    return [`PRAGMA integrity_check failed: ${texts.length > SHOWN ? `${shown}; …` : shown}`];
  } catch (error) {
    // Damage to the schema itself makes the check throw instead of report.
    return [`PRAGMA integrity_check could not run: ${(error as Error).message}`];
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
