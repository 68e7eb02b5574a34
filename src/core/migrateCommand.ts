/**
 * Runs a user's migrator against a database: any shell command, with the database path in the
 * SNAPSHOT_DB environment variable and substituted for `{db}`. A non-zero exit fails with the
 * command's output shown, so the user sees why their migration failed.
 */
import { spawn } from 'node:child_process';
import { refusal } from './errors.ts';

/** Keeps the end of a long output: that is where migrators print their error. */
const OUTPUT_LIMIT = 16 * 1024;

const shellQuote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

export async function runMigrateCommand(
  command: string,
  dbPath: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const expanded = command.replaceAll('{db}', shellQuote(dbPath));
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
