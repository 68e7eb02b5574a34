/**
 * The manifest's version facts that come from the database (docs/format.md §5). `db_migration_version` is
 * explicit, else a user query, else read from the bookkeeping table a migration tool left behind;
 * `control_version` is explicit or a user query. Each table is read the way its own tool reads it,
 * so the recorded version is the one that tool would report for the same DB.
 */
import { refusal, usageError } from '../shared/errors.ts';
import { UINT64_MAX } from '../shared/int64.ts';
import { formatReal, quoteIdentifier } from '../sql/sqlLiteral.ts';
import type { Database } from '../sqlite/sqlite.ts';
import { selectOneColumn, UserQueryError } from '../sqlite/userQuery.ts';

/** A value and where it came from, as a phrase for the build log. */
export interface VersionFact<T> {
  value: T;
  source: string;
}

/** Empty option text (an Action input left at its default '') means "not given". */
const given = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

export function detectDbMigrationVersion(
  db: Database,
  options: { explicit?: string; query?: string },
): VersionFact<string> {
  // A dirty DB is refused whoever names its version: its schema matches no version at all.
  refuseDirtyGolangMigrate(db);
  if (given(options.explicit)) return { value: options.explicit, source: 'explicit --db-migration-version' };
  if (given(options.query)) {
    const label = queryLabel('db_migration_version', options.query);
    const value = runValueQuery(db, options.query, label);
    const text = versionText(value);
    if (text === undefined) {
      throw usageError(`${label} returned ${describeValue(value)}; it must return text or a number.`);
    }
    return { value: text, source: 'query' };
  }
  for (const rule of RULES) {
    const table = findTable(db, rule);
    const value = table === undefined ? undefined : rule.read(db, table);
    if (value !== undefined) return { value, source: rule.source };
  }
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  if (userVersion !== 0) return { value: String(userVersion), source: 'PRAGMA user_version' };
  return { value: '', source: 'none found' };
}

export function resolveControlVersion(
  db: Database,
  options: { explicit?: bigint; query?: string },
): VersionFact<bigint> {
  if (options.explicit !== undefined) {
    if (options.explicit < 0n || options.explicit > UINT64_MAX) {
      throw usageError(`--control-version must be between 0 and ${UINT64_MAX}, got ${options.explicit}.`);
    }
    return { value: options.explicit, source: 'explicit --control-version' };
  }
  // A fleet cursor nobody set is at its start: 0 is what a Go consumer's zero value would read too.
  if (!given(options.query)) return { value: 0n, source: 'default (none given)' };
  const label = queryLabel('control_version', options.query);
  const value = runValueQuery(db, options.query, label);
  // Above 2^63-1 a uint64 cannot be an SQLite INTEGER, so its decimal text is accepted as well.
  const parsed =
    typeof value === 'bigint' ? value : typeof value === 'string' && DIGITS.test(value) ? BigInt(value) : -1n;
  if (parsed < 0n || parsed > UINT64_MAX) {
    throw usageError(
      `${label} returned ${describeValue(value)}; control_version must be a whole number from 0 to ${UINT64_MAX}.`,
      'Return an INTEGER ≥ 0, or the decimal digits as TEXT for values above 9223372036854775807.',
    );
  }
  return { value: parsed, source: 'query' };
}

const queryLabel = (field: string, sql: string): string => `The ${field} query \`${sql.trim()}\``;

/** The user's query's single non-NULL value; every other outcome is a usage error naming the query. */
function runValueQuery(db: Database, sql: string, label: string): unknown {
  const hint = 'Give one read-only SELECT returning one row with one column, e.g. SELECT max(version) FROM migrations.';
  let values: unknown[];
  try {
    values = selectOneColumn(db, sql, 2);
  } catch (error) {
    if (!(error instanceof UserQueryError)) throw error;
    const pragmaHint = error.message.startsWith('is not a read-only')
      ? ' A PRAGMA reads as a table: SELECT user_version FROM pragma_user_version.'
      : '';
    throw usageError(`${label} ${error.message}.`, `${hint}${pragmaHint}`);
  }
  if (values.length === 0) throw usageError(`${label} returned no row; it must return exactly one.`, hint);
  if (values.length > 1) {
    throw usageError(`${label} returned more than one row; it must return exactly one.`, 'Add ORDER BY … LIMIT 1.');
  }
  if (values[0] === null) throw usageError(`${label} returned NULL; it must return a value.`, hint);
  return values[0];
}

function describeValue(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `the text '${value}'`;
  if (typeof value === 'number') return `the REAL ${formatReal(value)}`;
  if (Buffer.isBuffer(value)) return `a ${value.length}-byte blob`;
  return String(value);
}

const DIGITS = /^\d+$/;

/** A cell as version text: INTEGER exact (bigint), TEXT as is, REAL as JS prints it; NULL and BLOB are none. */
function versionText(value: unknown): string | undefined {
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : undefined;
}

/** Numeric order when every version is digits (so '10' beats '9'), else SQLite's BINARY order. */
function highest(values: readonly unknown[]): string | undefined {
  const versions = values.map(versionText).filter((text): text is string => text !== undefined && text !== '');
  const numeric = versions.every((text) => DIGITS.test(text));
  const compare = (a: string, b: string): number => {
    if (numeric && BigInt(a) !== BigInt(b)) return BigInt(a) > BigInt(b) ? 1 : -1;
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  };
  return versions.reduce<string | undefined>(
    (best, text) => (best === undefined || compare(text, best) > 0 ? text : best),
    undefined,
  );
}

/** golang-migrate and goose store Go bools; drivers write 1, but hand-made rows may say 'true'. */
const isTrue = (value: unknown): boolean =>
  value === 1n || value === 1 || (typeof value === 'string' && /^(1|t|true)$/i.test(value.trim()));

const column = (db: Database, sql: string): unknown[] => db.prepare(sql).pluck().safeIntegers(true).all();
const rows = (db: Database, sql: string): unknown[][] =>
  db.prepare(sql).raw(true).safeIntegers(true).all() as unknown[][];
const first = (db: Database, sql: string): unknown[] | undefined =>
  db.prepare(sql).raw(true).safeIntegers(true).get() as unknown[] | undefined;

/** Keeps NULL and BLOB cells out of ORDER BY … LIMIT 1, where they would hide a usable row. */
const usable = (name: string): string => `typeof(${name}) IN ('integer', 'real', 'text')`;

interface Rule {
  source: string;
  table: string;
  /** Columns the tool's table has; a same-named table without them belongs to someone else. */
  columns: string[];
  /** A column whose presence means the table belongs to another rule. */
  without?: string;
  /** The version, or undefined when the table holds no usable row (the next rule then applies). */
  read: (db: Database, table: string) => string | undefined;
}

/** Told apart from dbmate/Rails, which use the same table name, by its `dirty` column. */
const GOLANG_MIGRATE: Rule = {
  source: 'golang-migrate schema_migrations',
  table: 'schema_migrations',
  columns: ['version', 'dirty'],
  // Dirty rows were refused before detection began; a nil version (-1) is no version.
  read: (db, table) => highest(column(db, `SELECT version FROM ${table}`).filter((v) => DIGITS.test(String(v)))),
};

/** In detection order: the first rule whose table yields a version wins. */
const RULES: readonly Rule[] = [
  {
    source: 'sqlite-snapshot snapshot_migrations',
    table: 'snapshot_migrations',
    columns: ['version'],
    read: (db, table) => highest(column(db, `SELECT version FROM ${table}`).filter((v) => DIGITS.test(String(v)))),
  },
  GOLANG_MIGRATE,
  {
    source: 'goose goose_db_version',
    table: 'goose_db_version',
    columns: ['id', 'version_id', 'is_applied'],
    read: (db, table) => {
      // goose's own walk: newest row first; a version whose newest row says "not applied" was rolled back.
      const settled = new Set<string>();
      for (const [versionId, applied] of rows(db, `SELECT version_id, is_applied FROM ${table} ORDER BY id DESC`)) {
        const version = versionText(versionId);
        // Version 0 is the row goose writes when it creates the table, not a migration.
        if (version === undefined || version === '0' || settled.has(version)) continue;
        if (isTrue(applied)) return version;
        settled.add(version);
      }
      return undefined;
    },
  },
  {
    source: 'dbmate/Rails schema_migrations',
    table: 'schema_migrations',
    columns: ['version'],
    without: 'dirty',
    read: (db, table) => highest(column(db, `SELECT version FROM ${table}`)),
  },
  {
    source: 'Atlas atlas_schema_revisions',
    table: 'atlas_schema_revisions',
    columns: ['version', 'applied', 'total'],
    read: (db, table) => {
      // Fully applied revisions only; Atlas keeps its own rows (`.atlas_cloud_identifiers`) under a leading dot.
      const versions = column(db, `SELECT version FROM ${table} WHERE applied = total`);
      return highest(versions.filter((v) => typeof v !== 'string' || !v.startsWith('.')));
    },
  },
  {
    source: 'Prisma _prisma_migrations',
    table: '_prisma_migrations',
    columns: ['migration_name', 'finished_at', 'rolled_back_at'],
    read: (db, table) => {
      const sql = `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
        AND ${usable('migration_name')} ORDER BY finished_at DESC, migration_name DESC LIMIT 1`;
      return versionText(first(db, sql)?.[0]);
    },
  },
  {
    source: 'Drizzle __drizzle_migrations',
    table: '__drizzle_migrations',
    columns: ['hash', 'created_at'],
    // Drizzle itself takes the newest created_at (its journal's millisecond stamp) as the current state.
    read: (db, table) =>
      versionText(
        first(
          db,
          `SELECT created_at FROM ${table} WHERE ${usable('created_at')} ORDER BY created_at DESC LIMIT 1`,
        )?.[0],
      ),
  },
  {
    source: 'Django django_migrations',
    table: 'django_migrations',
    columns: ['id', 'app', 'name'],
    read: (db, table) => {
      const row = first(
        db,
        `SELECT app, name FROM ${table} WHERE ${usable('app')} AND ${usable('name')} ORDER BY id DESC LIMIT 1`,
      );
      return row === undefined ? undefined : `${versionText(row[0])}.${versionText(row[1])}`;
    },
  },
];

function refuseDirtyGolangMigrate(db: Database): void {
  const table = findTable(db, GOLANG_MIGRATE);
  if (table === undefined) return;
  // golang-migrate keeps one row; should there be more, any dirty one makes the DB untrustworthy.
  const dirty = rows(db, `SELECT version, dirty FROM ${table}`).find((row) => isTrue(row[1]));
  if (dirty === undefined) return;
  const version = versionText(dirty[0]) ?? 'NULL';
  throw refusal(
    'invalid',
    `The database is in a dirty golang-migrate state at version ${version}: that migration failed part-way, so the schema matches no known version and is not snapshotted.`,
    `Repair the database, run \`migrate force ${version}\` (or the version before it if the failed migration's changes were undone), then migrate again.`,
  );
}

/** The rule's table in `main` as a quoted SQL name, when it exists with the tool's columns. */
function findTable(db: Database, rule: Rule): string | undefined {
  const found = db
    .prepare(
      "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE AND sql NOT LIKE 'CREATE VIRTUAL%'",
    )
    .pluck()
    .get(rule.table) as string | undefined;
  if (found === undefined) return undefined;
  const names = db.prepare('SELECT name FROM pragma_table_xinfo(?, ?)').pluck().all(found, 'main') as string[];
  const columns = new Set(names.map((name) => name.toLowerCase()));
  if (!rule.columns.every((name) => columns.has(name))) return undefined;
  if (rule.without !== undefined && columns.has(rule.without)) return undefined;
  return `main.${quoteIdentifier(found)}`;
}
