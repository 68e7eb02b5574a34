/**
 * The per-verb actions (build/, verify/, restore/), run as a runner runs them: each action.yml's
 * `runs.main`, resolved from its own folder, started as a process against the Actions double. They
 * must do what the root action does with `mode`, with inputs named for the verb.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type ActionsDouble, startActionsDouble } from '../actionsDouble/index.ts';
import { fileSha256, sqlite3, tempDir } from '../helpers.ts';
import {
  type ActionRun,
  EXAMPLE_BUILD_INPUTS,
  explain,
  installAction,
  readActionYaml,
  runAction,
} from './actionRunner.ts';

const BUILD = EXAMPLE_BUILD_INPUTS;

let double: ActionsDouble;
let action: string;
let rootBuilt: ActionRun;
let verbBuilt: ActionRun;

before(async () => {
  action = installAction();
  double = await startActionsDouble();
  // The root action and the build action, each in a run of its own, from the same inputs.
  rootBuilt = await runAction(action, { inputs: { mode: 'build', ...BUILD }, env: double.env });
  verbBuilt = await runAction(action, { verb: 'build', inputs: BUILD, env: double.newRun().env });
});

after(async () => {
  await double?.stop();
});

test('each verb action runs a file of the bundle that exists, and has only its own inputs', () => {
  for (const verb of ['build', 'verify', 'restore'] as const) {
    const yaml = readActionYaml(verb);
    assert.equal(yaml.runs.using, 'node24');
    assert.ok(existsSync(join(action, verb, yaml.runs.main)), `${verb}/action.yml runs ${yaml.runs.main}`);
    assert.equal('mode' in yaml.inputs, false, `${verb} has no mode input`);
  }
  assert.deepEqual(
    Object.keys(readActionYaml('verify').inputs).filter((name) => name.includes('version')),
    [
      'expect-control-model-version',
      'expect-cache-schema-version',
      'expect-min-control-version',
      'expect-db-migration-version',
    ],
  );
  assert.equal('force' in readActionYaml('verify').inputs, false);
  assert.equal(readActionYaml('restore').inputs.database?.required, true);
});

test('build: the same snapshot as the root action with mode: build, uploaded and described', () => {
  assert.equal(verbBuilt.code, 0, explain(verbBuilt));
  assert.equal(rootBuilt.code, 0, explain(rootBuilt));
  assert.equal(verbBuilt.outputs.verdict, 'passed');
  assert.equal(verbBuilt.outputs.checksum, `sha256:${fileSha256(verbBuilt.outputs['dump-path']!)}`);
  // A canonical dump: the same bytes whichever action built it.
  assert.equal(verbBuilt.outputs.checksum, rootBuilt.outputs.checksum);
  const manifest = JSON.parse(readFileSync(verbBuilt.outputs['manifest-path']!, 'utf8')) as Record<string, unknown>;
  assert.equal(manifest.control_model_version, 3);
  assert.match(verbBuilt.outputs.manifest!, /"control_version": 9007199254740993/);
  const uploaded = double.artifacts().find((artifact) => String(artifact.id) === verbBuilt.outputs['artifact-id']);
  assert.equal(uploaded?.name, 'sqlite-snapshot');
  assert.match(verbBuilt.summary, /## ✅ sqlite-snapshot built a snapshot/);
  assert.deepEqual(verbBuilt.errors, []);
});

test('verify: expect-… inputs accept or refuse versions, and the artifact is downloaded', async () => {
  const ok = await runAction(action, {
    verb: 'verify',
    inputs: { 'expect-control-model-version': '2,3', 'expect-cache-schema-version': '7' },
    env: double.newJob().env,
  });
  assert.equal(ok.code, 0, explain(ok));
  assert.equal(ok.outputs.checksum, rootBuilt.outputs.checksum);
  assert.equal(fileSha256(ok.outputs['dump-path']!), fileSha256(rootBuilt.outputs['dump-path']!));
  assert.match(ok.stdout, /::group::Downloading the artifact "sqlite-snapshot"/);

  const refused = await runAction(action, {
    verb: 'verify',
    inputs: { 'expect-control-model-version': '4,5', 'expect-min-control-version': '9007199254740994' },
    env: double.newJob().env,
  });
  assert.equal(refused.code, 1, explain(refused));
  assert.equal(refused.outputs.verdict, 'failed');
  assert.match(refused.stdout, /control_model_version: expected one of 4, 5, got 3\./);
  assert.match(refused.stdout, /control_version: expected >= 9007199254740994, got 9007199254740993\./);
});

test('verify: a bad value names the input as this action calls it', async () => {
  const run = await runAction(action, {
    verb: 'verify',
    inputs: { 'expect-cache-schema-version': 'seven' },
    env: double.newJob().env,
  });
  assert.equal(run.code, 1, explain(run));
  assert.match(run.errors[0] ?? '', /Input "expect-cache-schema-version"/);
});

test("verify: the root action's input names get this action's name in the warning, not silence", async () => {
  const path = join(rootBuilt.outputs['dump-path']!, '..');
  const run = await runAction(action, {
    verb: 'verify',
    inputs: { path, mode: 'verify', 'control-model-version': '4' },
  });
  // The misnamed expectation was not applied: the snapshot passes, and the step says what was meant.
  assert.equal(run.code, 0, explain(run));
  assert.match(
    run.stdout,
    /::warning title=sqlite-snapshot::Input "control-model-version" is not an input of sqlite-snapshot\/verify and was ignored; did you mean "expect-control-model-version"\?/,
  );
  assert.match(run.stdout, /Input "mode" is not an input of sqlite-snapshot\/verify and was ignored/);
});

test('restore: downloads, restores, and refuses a populated target unless force', async () => {
  const target = join(tempDir('verb-restore-'), 'app.db');
  const run = await runAction(action, {
    verb: 'restore',
    inputs: { database: target, 'expect-min-control-version': '1', 'require-table': 'nodes\ncontrol' },
    env: double.newJob().env,
  });
  assert.equal(run.code, 0, explain(run));
  assert.equal(run.outputs.database, target);
  assert.equal(sqlite3(target, 'SELECT count(*) FROM nodes; SELECT cursor FROM control;'), '3\n9007199254740993\n');

  const before = fileSha256(target);
  const again = await runAction(action, { verb: 'restore', inputs: { database: target }, env: double.newJob().env });
  assert.equal(again.code, 1, explain(again));
  assert.match(again.errors[0] ?? '', /holds rows, so it was not replaced\..*Fix: Pass force: true/);
  assert.equal(fileSha256(target), before);

  const forced = await runAction(action, {
    verb: 'restore',
    inputs: { database: target, force: 'true', backup: 'false' },
    env: double.newJob().env,
  });
  assert.equal(forced.code, 0, explain(forced));
  assert.equal(forced.outputs['backup-path'], '');
});

test('restore: the database input is required', async () => {
  const run = await runAction(action, { verb: 'restore', inputs: {}, env: double.newJob().env });
  assert.equal(run.code, 1, explain(run));
  assert.match(run.errors[0] ?? '', /Input "database" is required/);
});
