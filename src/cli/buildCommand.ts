/** `sqlite-snapshot build`: dump a database into snapshot.sql + manifest.json. */

import { buildSnapshot } from '../core/build/build.ts';
import { parseInteger } from '../core/format/manifest.ts';
import { usageError } from '../core/shared/errors.ts';
import { UINT64_MAX } from '../core/shared/int64.ts';
import { counted } from '../core/shared/plural.ts';
import { quoted } from '../core/shared/untrusted.ts';
import { parseArgsOptions, renderFlagHelp } from '../spec/cliFlags.ts';
import { type Options, type Parsed, parseCommand, stringValue, versionOption } from './args.ts';
import { type CliIo, dumpProgressReporter, EXIT_OK, toJson } from './output.ts';

export const BUILD_HELP = `Usage: sqlite-snapshot build [--db <file>] --out <dir> [options]

Dumps a SQLite fixture database into <dir>/snapshot.sql (canonical SQL) and
<dir>/manifest.json (checksum and versions). With --migrations, --migrate-command
or --seed, a private copy of <file> (or a new empty database) is migrated and
seeded first; <file> itself is only ever read.

${renderFlagHelp('build')}

created_at honours SOURCE_DATE_EPOCH for reproducible manifests.
Exit codes: 0 built, 1 a migration, seed or migrate command failed, 2 usage or I/O error.
`;

const OPTIONS: Options = parseArgsOptions('build');

function threadsOption(parsed: Parsed): number | undefined {
  const text = stringValue(parsed, 'threads');
  return text === undefined ? undefined : Number(parseInteger(text, '--threads', 1n, 16n));
}

export async function buildCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand('build', args, OPTIONS, BUILD_HELP, io, {
    count: 0,
    message: (got) => `build takes no positional arguments, got "${got[0]}".`,
    hint: 'Use --db <file> and --out <dir>.',
  });
  if (!parsed) return EXIT_OK;
  const database = stringValue(parsed, 'db');
  const outDir = stringValue(parsed, 'out');
  if (!outDir)
    throw usageError(
      'build needs --out <dir>: where snapshot.sql and manifest.json go.',
      'Run: sqlite-snapshot build --help',
    );
  const controlVersionText = stringValue(parsed, 'control-version');
  const result = await buildSnapshot({
    database,
    outDir,
    migrations: stringValue(parsed, 'migrations'),
    migrateCommand: stringValue(parsed, 'migrate-command'),
    seeds: (parsed.values.seed as string[] | undefined) ?? [],
    controlVersionQuery: stringValue(parsed, 'control-version-query'),
    dbMigrationVersionQuery: stringValue(parsed, 'db-migration-version-query'),
    controlModelVersion: versionOption(parsed, 'control-model-version'),
    cacheSchemaVersion: versionOption(parsed, 'cache-schema-version'),
    controlVersion:
      controlVersionText === undefined
        ? undefined
        : parseInteger(controlVersionText, '--control-version', 0n, UINT64_MAX),
    dbMigrationVersion: stringValue(parsed, 'db-migration-version'),
    sourceVersion: stringValue(parsed, 'source-version'),
    threads: threadsOption(parsed),
    allowEmpty: parsed.values['allow-empty'] === true,
    env: io.env,
    onProgress: dumpProgressReporter(io),
  });
  if (parsed.values.json) {
    io.stdout(
      `${toJson({ checksum: result.manifest.checksum, dumpPath: result.dumpPath, manifestPath: result.manifestPath, dumpBytes: result.dumpBytes, tables: result.tables, rows: result.rows, manifest: result.manifest })}\n`,
    );
  } else {
    io.stdout(
      `${result.manifest.checksum}\n` +
        `  dump:     ${result.dumpPath} (${counted(result.dumpBytes, 'byte')}, ${counted(result.tables, 'table')}, ${counted(result.rows, 'row')})\n` +
        `  manifest: ${result.manifestPath}\n` +
        `  db_migration_version ${quoted(result.manifest.db_migration_version)} (${result.facts.dbMigrationVersion.source}), ` +
        `control_version ${result.manifest.control_version} (${result.facts.controlVersion.source})\n`,
    );
  }
  return EXIT_OK;
}
