/** Shared test helpers: temp dirs, the sqlite3 CLI as an independent reader, the CLI in-process. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/output.ts';
import { type Database, loadSqlite } from '../src/core/sqlite.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_ENTRY = join(REPO_ROOT, 'src/cli/index.ts');

const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed when the test file ends. */
export function tempDir(prefix = 'snapshot-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Runs SQL through the real sqlite3 CLI (safe mode, stop at the first error); returns stdout. */
export function sqlite3(dbPath: string, sql: string, extraArgs: string[] = []): string {
  return execFileSync('sqlite3', ['-safe', '-bail', ...extraArgs, dbPath], {
    input: sql,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
}

/** Opens a database with the same SQLite binding the product uses. */
export async function openDatabase(path: string, options: { readonly?: boolean } = {}): Promise<Database> {
  const Sqlite = await loadSqlite();
  return new Sqlite(path, options);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
    stderrIsTty: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Runs the CLI as a real process on the current Node (the npm scripts put Node 24 first). */
export function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI_ENTRY, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Lowercase hex sha256 of a file's bytes, computed independently of the product. */
export const fileSha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
