/**
 * Brings a database file to the code's migration level: the built-in runner (a directory of .sql
 * files), then an external migrate command. The same step for a build's fixture and a restore's
 * temp database.
 */

import { loadSqlite } from '../sqlite/sqlite.ts';
import { runMigrateCommand } from './migrateCommand.ts';
import { runMigrations } from './migrations.ts';

export interface MigrateOptions {
  /** Directory of .sql migrations for the built-in runner. */
  migrations?: string;
  /** Shell command migrating the database (path in SNAPSHOT_DB and `{db}`), after `migrations`. */
  migrateCommand?: string;
  /** Environment of the command; at restore, SOURCE_DATE_EPOCH there also dates the runner's applied_at. */
  env?: NodeJS.ProcessEnv;
}

/**
 * `reproducible`: for a build, whose snapshot is content-addressed: the runner's applied_at must
 * not make two builds of the same migrations differ, so it is always the Unix epoch. Not
 * SOURCE_DATE_EPOCH: that dates created_at, and a release built with it and a pull request built
 * without would then differ in content. A restore records the real time.
 */
export async function migrateDatabaseFile(path: string, options: MigrateOptions, reproducible = false): Promise<void> {
  if (options.migrations !== undefined) {
    const Sqlite = await loadSqlite();
    const db = new Sqlite(path, { fileMustExist: true });
    const env = options.env ?? process.env;
    try {
      const runnerEnv = reproducible ? { ...env, SOURCE_DATE_EPOCH: '0' } : env;
      runMigrations(db, options.migrations, { env: runnerEnv });
    } finally {
      db.close();
    }
  }
  if (options.migrateCommand !== undefined) await runMigrateCommand(options.migrateCommand, path, options.env);
}
