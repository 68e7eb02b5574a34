/** Shared test helpers: temp dirs, the sqlite3 CLI as an independent reader, the CLI in-process. */

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';
import type { CliIo } from '../src/cli/output.ts';
import { DUMP_FILE, MANIFEST_FILE } from '../src/core/format/manifest.ts';
import { type Database, loadSqlite } from '../src/core/sqlite/sqlite.ts';
import { type Command, parseArgsOptions } from '../src/spec/cliFlags.ts';

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

/** Runs the CLI in-process with captured output; `nodeVersion`: the runtime it is told it runs on. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  nodeVersion = process.versions.node,
): Promise<CliRun> {
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
  const code = await main(args, io, nodeVersion);
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

/** A file's sha256 as `sha256:<hex>`, the form of a manifest's checksum. */
export const sha256File = (path: string): string => `sha256:${fileSha256(path)}`;

/** JSON.parse keeping every integer exact (Node 24 reviver source access), independent of the product. */
export const parseExact = (text: string) =>
  JSON.parse(text, (_key, value, context?: { source?: string }) =>
    typeof value === 'number' && context?.source && /^-?\d+$/.test(context.source) ? BigInt(context.source) : value,
  );

/** A copy of the directory `dir` (a snapshot folder, say) in a fresh temp directory. */
export function copyDir(dir: string): string {
  const copy = join(tempDir('copy-'), 'snap');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Copies a snapshot's two files (snapshot.sql, manifest.json) from the folder `from` into the folder `to`. */
export function copySnapshot(from: string, to: string): void {
  for (const file of [DUMP_FILE, MANIFEST_FILE]) copyFileSync(join(from, file), join(to, file));
}

/**
 * A migrations directory holding the example's migrations numbered up to `count` (down files
 * included) plus the `extra` files (name → SQL): `into` when given, else a fresh temp directory.
 */
export function exampleMigrations(
  count: number,
  { into = tempDir('migrations-'), extra = {} }: { into?: string; extra?: Record<string, string> } = {},
): string {
  const examples = join(REPO_ROOT, 'examples', 'migrations');
  mkdirSync(into, { recursive: true });
  for (const file of readdirSync(examples).sort()) {
    if (Number(file.slice(0, 4)) <= count) copyFileSync(join(examples, file), join(into, file));
  }
  for (const [file, sql] of Object.entries(extra)) writeFileSync(join(into, file), sql);
  return into;
}

/** The flags a command's parser accepts (the CLI spec it parses with), as `--name`. */
export function definedOptions(file: string): string[] {
  // buildCommand.ts parses with the flags of 'build', and so on.
  const command = file.replace(/Command\.ts$/, '') as Command;
  const source = readFileSync(join(REPO_ROOT, 'src/cli', file), 'utf8');
  assert.ok(source.includes(`parseArgsOptions('${command}')`), `${file} parses the flags of ${command}`);
  return Object.keys(parseArgsOptions(command)).map((name) => `--${name}`);
}
