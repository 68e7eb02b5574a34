/**
 * The built-in migration runner (docs/format.md §5): plain `.sql` files in a directory, applied in numeric
 * version order, each in a transaction of its own together with its row in the bookkeeping table,
 * so a failing migration leaves nothing behind and the table always says exactly what ran.
 *
 * Decisions:
 * - A file is a migration when its name is `<digits>.sql` or `<digits>` + `_`/`-`/`.` + anything +
 *   `.sql`; `*.down.sql` and everything else in the directory are ignored. The version is the
 *   number (leading zeros do not count), so `1_a.sql` and `0001_b.sql` clash and are refused.
 * - The version is the key: an applied version is skipped even if its file was renamed or edited,
 *   and a not-yet-applied version runs even when a higher one already ran (what is in the table is
 *   what ran; nothing is reordered or re-run).
 * - Files wrapped in their own `BEGIN; … COMMIT;` (what many tools generate) are accepted: a BEGIN
 *   as the first statement and a COMMIT/END as the last one are dropped, since the runner opens and
 *   commits the transaction itself. Any other BEGIN, COMMIT, END or ROLLBACK (not ROLLBACK TO a
 *   savepoint) is refused before anything runs: it would commit half a migration, or leave the
 *   bookkeeping row outside the migration's transaction. SAVEPOINTs work as usual.
 * - Foreign keys stay as the connection has them. `PRAGMA foreign_keys` is a no-op inside a
 *   transaction, so a migration that rebuilds a referenced table must keep its rows consistent.
 * - applied_at is RFC 3339 UTC with seconds, SOURCE_DATE_EPOCH when set, so builds stay reproducible.
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createdAt } from '../format/manifest.ts';
import { ioError, refusal, usageError } from '../shared/errors.ts';
import type { Database } from '../sqlite/sqlite.ts';
import { runStatements, type ScriptStatement, skipTrivia, splitStatements } from '../sqlite/sqlScript.ts';

/** SQLite refuses user tables named sqlite_*, so the bookkeeping table goes without the prefix. */
export const MIGRATIONS_TABLE = 'snapshot_migrations';

export interface MigrationFile {
  version: bigint;
  /** The file's name, e.g. `0001_init.sql`; also what the bookkeeping row records. */
  name: string;
  path: string;
}

export interface MigrationOptions {
  /** Where SOURCE_DATE_EPOCH is read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The clock when SOURCE_DATE_EPOCH is unset. */
  now?: Date;
}

const MIGRATION_NAME = /^(\d+)(?:[_.-].*)?\.sql$/i;
const DOWN_MIGRATION = /\.down\.sql$/i;

function isFile(dir: string, entry: Dirent): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, entry.name)).isFile();
  } catch {
    return false; // a dangling link is not a migration
  }
}

/** The migrations in `dir`, sorted by version; refuses two files with the same version. */
export function listMigrations(dir: string): MigrationFile[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw ioError(`Migrations directory not found: ${dir}`, 'Check the migrations directory path.', error);
    }
    if (code === 'ENOTDIR') {
      throw usageError(
        `Migrations path ${dir} is not a directory.`,
        'Point migrations at the directory that holds the .sql files, not at a file.',
      );
    }
    throw ioError(
      `Cannot read migrations directory ${dir}: ${(error as Error).message}`,
      'Check its permissions.',
      error,
    );
  }
  const migrations: MigrationFile[] = [];
  for (const entry of entries) {
    const match = MIGRATION_NAME.exec(entry.name);
    if (!match || DOWN_MIGRATION.test(entry.name) || !isFile(dir, entry)) continue;
    migrations.push({ version: BigInt(match[1]!), name: entry.name, path: join(dir, entry.name) });
  }
  migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  for (let i = 1; i < migrations.length; i++) {
    const [a, b] = [migrations[i - 1]!, migrations[i]!];
    if (a.version === b.version) {
      throw usageError(
        `Migrations ${a.path} and ${b.path} have the same version ${a.version}.`,
        'Renumber one of them: each migration needs a version of its own.',
      );
    }
  }
  return migrations;
}

const WORD = /[A-Za-z_]\w*/y;

/** The first few keywords of a statement, upper-cased, skipping comments between them. */
function leadingWords(text: string, count: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (words.length < count) {
    WORD.lastIndex = skipTrivia(text, i);
    const match = WORD.exec(text);
    if (!match) break;
    words.push(match[0].toUpperCase());
    i = WORD.lastIndex;
  }
  return words;
}

/** BEGIN / COMMIT (or END) / ROLLBACK of the whole transaction, else undefined. */
function transactionControl(text: string): string | undefined {
  const [first, second, third] = leadingWords(text, 3);
  if (first === 'BEGIN' || first === 'COMMIT' || first === 'END') return first;
  // ROLLBACK [TRANSACTION] TO [SAVEPOINT] x only unwinds a savepoint: that is fine inside a migration.
  if (first === 'ROLLBACK' && (second === 'TRANSACTION' ? third : second) !== 'TO') return first;
  return undefined;
}

/** The statements to run: a wrapping BEGIN … COMMIT dropped, any other transaction control refused. */
function migrationBody(migration: MigrationFile, statements: ScriptStatement[]): ScriptStatement[] {
  let body = statements;
  const first = body[0];
  const last = body.at(-1);
  if (first && last && first !== last && transactionControl(first.text) === 'BEGIN') {
    const end = transactionControl(last.text);
    if (end === 'COMMIT' || end === 'END') body = body.slice(1, -1);
  }
  for (const statement of body) {
    const control = transactionControl(statement.text);
    if (control === undefined) continue;
    throw refusal(
      'invalid',
      `${migration.path} line ${statement.line}: ${control} inside a migration; the runner runs each migration file in a transaction of its own.`,
      'Remove the transaction statements (one BEGIN first and one COMMIT last are tolerated), or split the file into one migration per transaction.',
    );
  }
  return body;
}

function readMigration(migration: MigrationFile): ScriptStatement[] {
  let sql: string;
  try {
    sql = readFileSync(migration.path, 'utf8');
  } catch (error) {
    throw ioError(
      `Cannot read migration ${migration.path}: ${(error as Error).message}`,
      'Check its permissions.',
      error,
    );
  }
  return migrationBody(migration, splitStatements(sql));
}

const highestVersion = (versions: readonly string[]): string =>
  versions
    .filter((version) => /^\d+$/.test(version))
    .map((version) => BigInt(version))
    .reduce<bigint | undefined>((max, version) => (max === undefined || version > max ? version : max), undefined)
    ?.toString() ?? '';

/**
 * Applies every migration in `dir` that the bookkeeping table does not list yet. Stops at the first
 * failure, which is rolled back; migrations applied before it stay. `version` is the highest version
 * applied so far, counting earlier runs; '' when none.
 */
export function runMigrations(
  db: Database,
  dir: string,
  options: MigrationOptions = {},
): { applied: MigrationFile[]; version: string } {
  const stamp = (): string => createdAt(options.env ?? process.env, options.now ?? new Date());
  stamp(); // a bad SOURCE_DATE_EPOCH fails before anything runs
  if (db.inTransaction) {
    throw usageError('Migrations must start outside a transaction: each migration runs in its own.');
  }
  const migrations = listMigrations(dir);
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const selectVersions = db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).pluck();
  const done = new Set(selectVersions.all() as string[]);
  const pending = migrations.filter((migration) => !done.has(migration.version.toString()));
  // Read and check every pending file first: a stray COMMIT in a later file fails before any runs.
  const bodies = pending.map(readMigration);
  const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
  const applied: MigrationFile[] = [];
  for (const [index, migration] of pending.entries()) {
    const hint = `Fix ${migration.path}: it was rolled back; the migrations before it stay applied and the ones after it were not run.`;
    db.exec('BEGIN IMMEDIATE');
    try {
      runStatements(db, bodies[index]!, migration.path, hint);
      if (!db.inTransaction) {
        // Only a transaction statement the up-front check did not see can get here; say what happened.
        throw refusal(
          'invalid',
          `${migration.path}: the migration ended the runner's transaction early, so part of it may be committed and it is not recorded as applied.`,
          'Remove BEGIN/COMMIT/ROLLBACK statements from the file and rebuild the database from scratch.',
        );
      }
      record.run(migration.version.toString(), migration.name, stamp());
      try {
        db.exec('COMMIT');
      } catch (error) {
        // A deferred constraint (e.g. a DEFERRABLE INITIALLY DEFERRED foreign key) is checked here.
        throw refusal(
          'invalid',
          `${migration.path}: the migration could not be committed: ${(error as Error).message}`,
          `${hint} A deferred constraint fails at the end of the file: fix the rows the migration leaves behind.`,
          error,
        );
      }
    } catch (error) {
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } catch {
        // The migration's own error says what went wrong; a failed ROLLBACK would only hide it.
      }
      throw error;
    }
    applied.push(migration);
  }
  return { applied, version: highestVersion(selectVersions.all() as string[]) };
}
