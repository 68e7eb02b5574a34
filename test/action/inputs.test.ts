/** The Action's inputs: typed parsing from INPUT_* variables, errors that name the input, action.yml in sync. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { envInputReader, readInputs } from '../../src/action/inputs.ts';
import { SnapshotError } from '../../src/core/shared/errors.ts';
import { VERSION } from '../../src/core/shared/version.ts';
import { REPO_ROOT } from '../helpers.ts';
import { readActionYaml } from './actionRunner.ts';

const actionYaml = readActionYaml();

/** INPUT_* variables as the runner sets them: upper-cased names, dashes kept. */
const envOf = (inputs: Record<string, string>): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));

const read = (inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) => {
  const all = { ...envOf(inputs), ...env };
  return readInputs(envInputReader(all), all);
};

function assertUsageError(inputs: Record<string, string>, pattern: RegExp): void {
  assert.throws(
    () => read(inputs),
    (error: unknown) => error instanceof SnapshotError && error.kind === 'usage' && pattern.test(error.message),
  );
}

test('action.yml runs dist/action.js on node24 and describes every input and output', () => {
  assert.equal(actionYaml.runs.using, 'node24');
  assert.equal(actionYaml.runs.main, 'dist/action.js');
  for (const [name, input] of Object.entries(actionYaml.inputs)) {
    assert.ok(input.description && input.description.length > 20, `input ${name} has a description`);
    assert.ok(input.default !== undefined, `input ${name} has a default`);
  }
  for (const [name, output] of Object.entries(actionYaml.outputs)) {
    assert.ok(output.description, `output ${name} has a description`);
  }
});

test('every input of action.yml is read by the action, and the action reads no other', () => {
  const asked = new Set<string>();
  const env = { RUNNER_TEMP: '/tmp/runner' };
  readInputs((name) => {
    asked.add(name);
    return '';
  }, env);
  // run-id set: the inputs only read for another run's artifact are asked too.
  readInputs((name) => {
    asked.add(name);
    return { 'run-id': '7', repository: 'o/r', 'github-token': 't' }[name] ?? '';
  }, env);
  assert.deepEqual([...asked].sort(), Object.keys(actionYaml.inputs).sort());
});

test('defaults: build mode, the sqlite-snapshot artifact, upload on, path under RUNNER_TEMP', () => {
  const inputs = read({}, { RUNNER_TEMP: '/tmp/runner' });
  assert.equal(inputs.mode, 'build');
  assert.equal(inputs.artifact.name, 'sqlite-snapshot');
  assert.equal(inputs.artifact.runId, undefined);
  assert.equal(inputs.upload, true);
  assert.equal(inputs.backup, true);
  assert.equal(inputs.force, false);
  assert.equal(inputs.path, '/tmp/runner/sqlite-snapshot');
  assert.equal(inputs.artifact.named, false);
  assert.equal(actionYaml.inputs.mode?.default, 'build');
});

test('typed values: version lists when expecting, uint64 control version, seeds and tables one per line', () => {
  const inputs = read({
    mode: 'verify',
    'control-model-version': '2, 3',
    'cache-schema-version': '7',
    'db-migration-version': '0004',
  });
  assert.deepEqual(inputs.controlModelVersions, [2n, 3n]);
  assert.deepEqual(inputs.cacheSchemaVersions, [7n]);
  assert.equal(inputs.dbMigrationVersion, '0004');
  const build = read({ 'control-version': '18446744073709551615', seed: 'a.sql\n\n  b.sql  \n', upload: 'False' });
  assert.equal(build.controlVersion, 18446744073709551615n);
  assert.deepEqual(build.seeds, ['a.sql', 'b.sql']);
  assert.equal(build.upload, false);
  const restore = read({ mode: 'restore', database: 'app.db', 'require-table': 'nodes\nedges', force: 'true' });
  assert.deepEqual(restore.requireTables, ['nodes', 'edges']);
  assert.equal(restore.force, true);
});

test('another run: run-id with repository and token; repository defaults to this one', () => {
  const inputs = read({ mode: 'verify', 'run-id': '123', 'github-token': 'tok' }, { GITHUB_REPOSITORY: 'acme/app' });
  assert.deepEqual(inputs.artifact, {
    name: 'sqlite-snapshot',
    named: false,
    runId: 123,
    repository: { owner: 'acme', repo: 'app' },
    token: 'tok',
  });
  // This run named by its own id is just this run: no token or lookup by id is needed.
  const same = read(
    { mode: 'verify', 'run-id': '77', 'artifact-name': 'snap' },
    { GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '77' },
  );
  assert.deepEqual(same.artifact, { name: 'snap', named: true });
});

test('inputs a mode does not use are listed when given, not when left at their defaults', () => {
  const verify = read({
    mode: 'verify',
    seed: 'a.sql',
    force: 'true',
    upload: 'true',
    backup: 'true',
    migrations: 'm',
  });
  assert.deepEqual(verify.ignored, ['seed', 'force']);
  const build = read({ 'compare-baseline': 'true', 'require-table': 't', 'save-baseline': 'true', database: 'f.db' });
  assert.deepEqual(build.ignored, ['compare-baseline', 'require-table']);
  assert.deepEqual(
    read({ mode: 'restore', database: 'a.db', 'run-id': '5', 'github-token': 't', repository: 'o/r' }).ignored,
    [],
  );
});

test('bad inputs fail with the input named', () => {
  assertUsageError(
    { 'control-model-version': 'abc' },
    /Input "control-model-version" must be a whole number, got "abc"/,
  );
  assertUsageError(
    { 'control-model-version': '1,2' },
    /Input "control-model-version" is the one version a build writes/,
  );
  assertUsageError({ mode: 'verify', 'cache-schema-version': '1,,2' }, /Input "cache-schema-version" takes N or N,N/);
  assertUsageError({ mode: 'deploy' }, /Input "mode" must be one of build, verify, restore, got "deploy"/);
  assertUsageError({ upload: 'maybe' }, /Input "upload" must be true or false, got "maybe"/);
  assertUsageError({ 'retention-days': '401' }, /Input "retention-days" must be between 1 and 400/);
  assertUsageError({ 'control-version': '-1' }, /Input "control-version" must be between 0 and/);
  assertUsageError({ mode: 'restore' }, /Input "database" is required in mode: restore/);
  assertUsageError({ mode: 'verify', 'run-id': 'x' }, /Input "run-id" must be a whole number/);
  assertUsageError(
    { mode: 'verify', 'run-id': '5', repository: 'nope', 'github-token': 't' },
    /Input "repository" must be owner\/name/,
  );
  assertUsageError({ mode: 'verify', 'run-id': '5', repository: 'o/r' }, /Input "github-token" is needed/);
  assertUsageError({ 'artifact-name': 'a/b' }, /Input "artifact-name" "a\/b" holds a character/);
});

test('the version in the first log line is the package version', () => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(VERSION, pkg.version);
});

test('core advice names Action inputs where the command line names flags; other text is left alone', async () => {
  const { inActionWords } = await import('../../src/action/wording.ts');
  const { cliOption, option, spellOptions } = await import('../../src/core/shared/options.ts');
  const advice = `Pass ${option('force')} to replace it (unless ${option('no-backup')}); check the ${option('db')} path and ${option('out')}.`;
  assert.equal(
    inActionWords(advice),
    'Pass force: true to replace it (unless backup: false); check the database path and path.',
  );
  assert.equal(
    spellOptions(advice, cliOption),
    'Pass --force to replace it (unless --no-backup); check the --db path and --out.',
  );
  assert.equal(inActionWords('git log -1 --format=%ct'), 'git log -1 --format=%ct');
  // The user's own text is never rewritten: a migrate command's {db}, unknown markers, real flags.
  assert.equal(
    inActionWords('migrate -database sqlite3://{db} --force {{unknown}}'),
    'migrate -database sqlite3://{db} --force {{unknown}}',
  );
});

test('the list of known inputs is each action.yml’s, so that only true strangers are warned about', async () => {
  const { actionInputNames } = await import('../../src/action/unknownInputs.ts');
  assert.deepEqual(actionInputNames(undefined), Object.keys(readActionYaml().inputs));
  for (const verb of ['build', 'verify', 'restore'] as const) {
    assert.deepEqual(actionInputNames(verb), Object.keys(readActionYaml(verb).inputs), `${verb}/action.yml`);
  }
});

test('an input the action does not have is named with the nearest real one', async () => {
  const { unknownInputWarnings } = await import('../../src/action/unknownInputs.ts');
  const warnings = unknownInputWarnings({
    INPUT_DATABSE: 'app.db',
    INPUT_DATABASE: 'x.db',
    'INPUT_ALLOW-EMPTY': 'false',
    INPUT_ZZZZZZZZZZZZ: '1',
    PATH: '/bin',
  });
  assert.deepEqual(warnings, [
    'Input "databse" is not an input of sqlite-snapshot and was ignored; did you mean "database"?',
    'Input "zzzzzzzzzzzz" is not an input of sqlite-snapshot and was ignored.',
  ]);
});

test('allow-empty is a build input, false unless set', () => {
  assert.equal(read({ mode: 'build' }).allowEmpty, false);
  assert.equal(read({ mode: 'build', 'allow-empty': 'true' }).allowEmpty, true);
  assert.deepEqual(read({ mode: 'verify', 'allow-empty': 'true' }).ignored, ['allow-empty']);
});

test('integrity is quick or full for verify and restore, unset by default, anything else an error naming the input', () => {
  assert.equal(read({ mode: 'restore', database: 'a.db' }).integrity, undefined);
  assert.equal(read({ mode: 'restore', database: 'a.db', integrity: 'full' }).integrity, 'full');
  assert.equal(read({ mode: 'verify', integrity: ' Quick ' }).integrity, 'quick');
  assertUsageError(
    { mode: 'verify', integrity: 'thorough' },
    /^Input "integrity" must be one of quick, full, not "thorough"\./,
  );
  assert.deepEqual(read({ mode: 'build', integrity: 'full' }).ignored, ['integrity']);
});
