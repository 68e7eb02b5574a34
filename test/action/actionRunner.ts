/**
 * Runs the bundled Action as a runner does: the action.yml files and dist/ copied into a folder
 * with no node_modules, the file an action.yml names as `runs.main` started as a process with
 * INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and RUNNER_TEMP. Returns what the
 * runner would read back. `runActionFromSource` runs src/action/entry.ts the same way, for tests of
 * this checkout's code that do not depend on the bundle being rebuilt.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ACTION_INPUTS, verbInputName } from '../../src/spec/actionInputs.ts';
import { REPO_ROOT, tempDir } from '../helpers.ts';

/** The example project (migrations, seed.sql) the Action builds from. */
export const EXAMPLES = join(REPO_ROOT, 'examples');

/** The build inputs of the example project (the versions and the control_version query it needs). */
export const EXAMPLE_BUILD_INPUTS = {
  migrations: join(EXAMPLES, 'migrations'),
  seed: join(EXAMPLES, 'seed.sql'),
  'control-model-version': '3',
  'cache-schema-version': '7',
  'control-version-query': 'SELECT cursor FROM control WHERE id = 1',
};

/** action.yml, the parts the tests read. */
export interface ActionYaml {
  runs: { using: string; main: string };
  inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description?: string }>;
}

/** The verbs that have an action of their own (build/action.yml, …). */
export type Verb = 'build' | 'verify' | 'restore';

/** action.yml, parsed: the root one, or a verb's own (`<verb>/action.yml`). */
export const readActionYaml = (verb?: Verb): ActionYaml =>
  parse(readFileSync(join(REPO_ROOT, verb ?? '', 'action.yml'), 'utf8')) as ActionYaml;

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error` workflow commands the step printed. */
  errors: string[];
  /** The step's RUNNER_TEMP (the default snapshot path is under it). */
  runnerTemp: string;
  /** The file the process ran (an action's `runs.main`, resolved). */
  entry: string;
}

/** A run's exit code and output, for assertion messages. */
export const explain = (run: ActionRun): string => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

/** A copy of the Action as `uses:` checks it out: the action.yml files and dist/, nothing installed. */
export function installAction(): string {
  const dir = tempDir('action-');
  cpSync(join(REPO_ROOT, 'action.yml'), join(dir, 'action.yml'));
  for (const verb of ['build', 'verify', 'restore']) {
    mkdirSync(join(dir, verb));
    cpSync(join(REPO_ROOT, verb, 'action.yml'), join(dir, verb, 'action.yml'));
  }
  cpSync(join(REPO_ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  if (existsSync(join(dir, 'node_modules'))) throw new Error('the action copy must not hold node_modules');
  return dir;
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (index += 1; index < lines.length && lines[index] !== delimiter; index += 1) value.push(lines[index]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

const readIfExists = (path: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : '');

export interface RunOptions {
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** The Node binary (default: this one, Node 24). */
  node?: string;
  /** RUNNER_TEMP shared with earlier steps of the same job (default: a fresh one). */
  runnerTemp?: string;
  /** Overrides of GITHUB_OUTPUT or GITHUB_STEP_SUMMARY, to test what happens when they cannot be written. */
  runnerFiles?: { GITHUB_OUTPUT?: string; GITHUB_STEP_SUMMARY?: string };
  /** Run `<verb>/action.yml` (`uses: …/sqlite-snapshot/<verb>@v1`) instead of the root action. */
  verb?: Verb;
}

/** Runs the file an action.yml names as `runs.main`, resolved from that action.yml's folder, as a runner does. */
export function runAction(actionDir: string, options: RunOptions): Promise<ActionRun> {
  const yamlDir = join(actionDir, options.verb ?? '');
  const action = parse(readFileSync(join(yamlDir, 'action.yml'), 'utf8')) as ActionYaml;
  return runEntry(join(yamlDir, action.runs.main), [], options);
}

/** Which action a test runs: the root one, with `mode`, or the verb's own. */
export type ActionSurface = 'root' | 'verbs';

/**
 * Runs root-action inputs (`mode` and the root names) on `surface`: as they are, or on the verb's
 * own action with each input renamed as that action names it (`control-model-version` is
 * `expect-control-model-version` in verify). An input the verb's action does not have is passed
 * under its root name, as a step that set it would.
 */
export function runActionAs(surface: ActionSurface, actionDir: string, options: RunOptions): Promise<ActionRun> {
  const { mode, ...rest } = options.inputs;
  if (surface === 'root' || mode === undefined) return runAction(actionDir, options);
  const verb = mode as Verb;
  const inputs = Object.fromEntries(
    Object.entries(rest).map(([name, value]) => {
      const spec = ACTION_INPUTS.find((input) => input.name === name);
      return [(spec && verbInputName(spec, verb)) ?? name, value];
    }),
  );
  return runAction(actionDir, { ...options, inputs, verb });
}

/** The Action from this checkout's source (Node 24 runs TypeScript), with the repository's node_modules. */
export const runActionFromSource = (options: RunOptions): Promise<ActionRun> =>
  runEntry(join(REPO_ROOT, 'src/action/entry.ts'), options.verb ? [options.verb] : [], options);

function runEntry(entry: string, args: string[], options: RunOptions): Promise<ActionRun> {
  const work = tempDir('action-run-');
  const runnerTemp = options.runnerTemp ?? join(work, 'runner-temp');
  mkdirSync(runnerTemp, { recursive: true });
  const outputFile = join(work, 'output.txt');
  const summaryFile = join(work, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...options.env,
    ...inputs,
    RUNNER_TEMP: runnerTemp,
    // The runner starts a step in the workspace; the cache client archives paths relative to it.
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.runnerFiles,
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(options.node ?? process.execPath, [entry, ...args], { cwd: work, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseOutputFile(readIfExists(env.GITHUB_OUTPUT)),
        summary: readIfExists(env.GITHUB_STEP_SUMMARY),
        errors: stdout.split('\n').filter((line) => line.startsWith('::error')),
        runnerTemp,
        entry,
      });
    });
  });
}
