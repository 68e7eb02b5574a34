/**
 * The database a build dumps: the user's fixture file as it is, or — when migrations, a migrate
 * command or seed files are given — a private copy of it (or a new empty database) migrated and
 * seeded in a temp directory. The user's fixture file is never modified.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MigrateOptions, migrateDatabaseFile } from '../migrate/migrate.ts';
import { ioError } from '../shared/errors.ts';
import { option } from '../shared/options.ts';
import { openSource } from '../sqlite/source.ts';
import { loadSqlite } from '../sqlite/sqlite.ts';
import { runSqlScript } from '../sqlite/sqlScript.ts';

export interface FixtureOptions extends MigrateOptions {
  /** The fixture database; absent: start from an empty database. */
  database?: string;
  /** SQL files applied after the migrations, in order, each in its own transaction. */
  seeds?: string[];
}

export interface Fixture {
  /** The database file to dump. */
  path: string;
  /** How to name it in messages. */
  label: string;
  /** Removes the private copy, if one was made. */
  close(): void;
}

function readSeed(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw ioError(
      `Cannot read seed file ${path}: ${(error as Error).message}`,
      `Check the ${option('seed')} path.`,
      error,
    );
  }
}

export async function prepareFixture(options: FixtureOptions): Promise<Fixture> {
  const seeds = options.seeds ?? [];
  const transforms = options.migrations !== undefined || options.migrateCommand !== undefined || seeds.length > 0;
  if (options.database !== undefined && !transforms) {
    return { path: options.database, label: options.database, close() {} };
  }
  const directory = mkdtempSync(join(tmpdir(), 'sqlite-snapshot-fixture-'));
  const path = join(directory, 'fixture.db');
  const close = (): void => rmSync(directory, { recursive: true, force: true });
  try {
    if (options.database !== undefined) {
      // The backup API copies a consistent snapshot, WAL content included, without writing the source.
      const source = await openSource(options.database);
      try {
        await source.db.backup(path);
      } finally {
        source.close();
      }
    }
    const Sqlite = await loadSqlite();
    // No fixture file: start from a new, empty database.
    if (options.database === undefined) new Sqlite(path).close();
    await migrateDatabaseFile(path, options, true);
    if (seeds.length > 0) {
      const db = new Sqlite(path);
      try {
        for (const seed of seeds) db.transaction(() => runSqlScript(db, readSeed(seed), seed))();
      } finally {
        db.close();
      }
    }
    const label = options.database === undefined ? 'the fixture database' : `the migrated copy of ${options.database}`;
    return { path, label, close };
  } catch (error) {
    close();
    throw error;
  }
}
