/**
 * Runs a user's migrator against a database: any shell command, with the database path in the
 * SNAPSHOT_DB environment variable and substituted for `{db}`. A non-zero exit fails with the
 * command's output shown, so the user sees why their migration failed.
 */
import { spawn } from 'node:child_process';
import { refusal, usageError } from '../shared/errors.ts';
import { osFamily } from '../shared/platform.ts';

/** Keeps the end of a long output: that is where migrators print their error. */
const OUTPUT_LIMIT = 16 * 1024;

/**
 * Characters cmd.exe gives a meaning that double quotes do not take away (`%` expands variables,
 * `!` too when delayed expansion is on) or that would split the command if a user's own quotes
 * around `{db}` closed ours (`&`, `|`, `<`, `>`, `^`), and `"`, which cannot be quoted at all.
 */
const CMD_UNQUOTABLE = /["%!^&|<>\r\n]/;

/**
 * `dbPath` as one word for the shell Node's `shell: true` runs a command with: /bin/sh (single
 * quotes, which keep everything literal) or, on Windows, cmd.exe (double quotes). Refuses a path
 * cmd.exe cannot be given safely, pointing at %SNAPSHOT_DB%, which cmd expands without re-reading.
 */
export function quoteDbPath(platform: NodeJS.Platform, dbPath: string): string {
  if (osFamily(platform) !== 'windows') return `'${dbPath.replaceAll("'", "'\\''")}'`;
  const special = CMD_UNQUOTABLE.exec(dbPath)?.[0];
  if (special !== undefined) {
    throw usageError(
      `The database path ${dbPath} holds ${JSON.stringify(special)}, which cmd.exe interprets even inside quotes, so {db} cannot stand for it in the migrate command.`,
      'Write "%SNAPSHOT_DB%" (with the quotes) in the migrate command instead of {db}, or use a path without " % ! ^ & | < >.',
    );
  }
  // Programs split their command line by the C runtime's rules, where backslashes before a quote
  // escape it: doubled, a path's trailing backslashes stay backslashes and the quote still closes.
  return `"${dbPath.replace(/\\+$/, (slashes) => slashes + slashes)}"`;
}

/** The command with every `{db}` replaced by the quoted path (unchanged, and never refused, without one). */
export function expandMigrateCommand(
  command: string,
  dbPath: string,
  platform: NodeJS.Platform = process.platform,
): string {
  return command.includes('{db}') ? command.replaceAll('{db}', quoteDbPath(platform, dbPath)) : command;
}

export async function runMigrateCommand(
  command: string,
  dbPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const expanded = expandMigrateCommand(command, dbPath);
  return await new Promise((resolve, reject) => {
    const child = spawn(expanded, {
      shell: true,
      env: { ...env, SNAPSHOT_DB: dbPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) =>
      reject(
        refusal(
          'invalid',
          `The migrate command could not start: ${error.message}`,
          'Check the command and its PATH.',
          error,
        ),
      ),
    );
    child.once('close', (code, signal) => {
      if (code === 0) resolve(output);
      else {
        const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
        reject(
          refusal(
            'invalid',
            `The migrate command ${how}: ${command}\n${output.trimEnd()}`,
            'Fix the migration (its output is above).',
          ),
        );
      }
    });
  });
}
