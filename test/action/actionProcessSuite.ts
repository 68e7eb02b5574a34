/**
 * The bundled Action, run as a process exactly as a runner runs it, against the local double of
 * the Actions services (Azurite + the Twirp fake) with the real artifact client inside the bundle.
 * The same suite runs against the root action (`mode`) and against the per-verb actions, whose
 * inputs it names as each verb's action does (actionProcess.test.ts, actionProcessVerbs.test.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DUMP_FILE, MANIFEST_FILE } from '../../src/core/format/manifest.ts';
import { type ActionsDouble, startActionsDouble, withEnv } from '../actionsDouble/index.ts';
import { snapshotWithIndexBreakingMigration } from '../core/restore/restoreFixtures.ts';
import { copySnapshot, exampleMigrations, fileSha256, sqlite3, tempDir } from '../helpers.ts';
import { olderNode } from '../olderNode.ts';
import {
  type ActionRun,
  type ActionSurface,
  EXAMPLE_BUILD_INPUTS,
  explain,
  installAction,
  type RunOptions,
  runActionAs,
} from './actionRunner.ts';

export function actionProcessSuite(surface: ActionSurface): void {
  /** The action under test: the root one, or the verb's own with the inputs renamed for it. */
  const runAction = (dir: string, options: RunOptions): Promise<ActionRun> => runActionAs(surface, dir, options);
  /** How the action names itself in warnings about inputs it does not have. */
  const actionName = (verb: string): string => (surface === 'root' ? 'sqlite-snapshot' : `sqlite-snapshot/${verb}`);

  const BUILD_INPUTS = { mode: 'build', ...EXAMPLE_BUILD_INPUTS };

  let double: ActionsDouble;
  let action: string;
  /** The build step's run, shared by the tests that consume its artifact. */
  let built: ActionRun;

  before(async () => {
    action = installAction();
    double = await startActionsDouble();
    built = await runAction(action, { inputs: BUILD_INPUTS, env: double.env });
  });

  after(async () => {
    await double?.stop();
  });

  test('build: the first log line names the version and Node; the snapshot is built, uploaded and described', () => {
    assert.equal(built.code, 0, explain(built));
    // The suite runs the action it says it runs: build/action.yml's entry for the verb actions.
    assert.match(built.entry, surface === 'root' ? /dist\/action\.js$/ : /dist\/action-build\.js$/);
    assert.match(built.stdout.split('\n')[0]!, /^sqlite-snapshot \d+\.\d+\.\d+ on Node\.js 24\./);
    const dumpPath = built.outputs['dump-path']!;
    assert.equal(built.outputs.checksum, `sha256:${fileSha256(dumpPath)}`);
    const manifest = JSON.parse(readFileSync(built.outputs['manifest-path']!, 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.checksum, built.outputs.checksum);
    assert.equal(JSON.parse(built.outputs.manifest!).checksum, built.outputs.checksum);
    assert.match(built.outputs.manifest!, /"control_version": 9007199254740993/);
    assert.equal(built.outputs['db-migration-version'], '4');
    assert.equal(built.outputs.verdict, 'passed');
    // The default path is under RUNNER_TEMP.
    assert.equal(dumpPath, join(built.runnerTemp, 'sqlite-snapshot', 'snapshot.sql'));
    const [artifact] = double.artifacts();
    assert.equal(artifact?.name, 'sqlite-snapshot');
    assert.equal(built.outputs['artifact-id'], String(artifact?.id));
    assert.equal(built.outputs['artifact-digest'], artifact?.digest);
    assert.match(built.summary, /## ✅ sqlite-snapshot built a snapshot/);
    assert.ok(built.summary.includes(`| checksum | \`${built.outputs.checksum}\` |`));
    assert.match(built.stdout, /::group::Building the snapshot/);
    assert.match(built.stdout, /::group::Uploading the artifact "sqlite-snapshot"/);
    assert.deepEqual(built.errors, []);
  });

  test('verify in another job downloads the artifact by name and passes', async () => {
    const run = await runAction(action, {
      inputs: { mode: 'verify', 'control-model-version': '2,3', 'cache-schema-version': '7' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 0, explain(run));
    assert.equal(run.outputs.verdict, 'passed');
    assert.equal(run.outputs.checksum, built.outputs.checksum);
    assert.equal(run.outputs['artifact-id'], built.outputs['artifact-id']);
    // The downloaded dump is byte for byte the built one.
    assert.equal(fileSha256(run.outputs['dump-path']!), fileSha256(built.outputs['dump-path']!));
    assert.match(run.stdout, /::group::Downloading the artifact "sqlite-snapshot"/);
    assert.match(run.summary, /## ✅ sqlite-snapshot verified the snapshot/);
    assert.deepEqual(run.errors, []);
  });

  test('verify with a version mismatch fails with one ::error naming the field and a summary table', async () => {
    const run = await runAction(action, {
      inputs: { mode: 'verify', 'control-model-version': '4,5', 'cache-schema-version': '7' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.outputs.verdict, 'failed');
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
    assert.match(
      run.errors[0]!,
      /^::error title=sqlite-snapshot%3A control_model_version::control_model_version: expected one of 4, 5, got 3\./,
    );
    assert.match(run.summary, /## ❌ sqlite-snapshot verify failed/);
    assert.match(
      run.summary,
      /\| `control_model_version` \| one of 4, 5 \| 3 \| Rebuild the snapshot with control\\_model\\_version/,
    );
  });

  test('an input the mode does not use is a warning, not silence', async () => {
    const path = join(built.outputs['dump-path']!, '..');
    const run = await runAction(action, { inputs: { mode: 'verify', path, seed: 'seed.sql', force: 'true' } });
    assert.equal(run.code, 0, explain(run));
    for (const input of ['seed', 'force']) {
      // The root action has the input but not in this mode; the verify action does not have it at all.
      const warning =
        surface === 'root'
          ? `Input "${input}" is not used in mode: verify; it was ignored.`
          : `Input "${input}" is not an input of sqlite-snapshot/verify and was ignored`;
      assert.ok(run.stdout.includes(`::warning title=sqlite-snapshot::${warning}`), `${warning}\n${run.stdout}`);
    }
  });

  test('in verify, control-version is the lowest accepted fleet cursor', async () => {
    const path = join(built.outputs['dump-path']!, '..');
    const ok = await runAction(action, { inputs: { mode: 'verify', path, 'control-version': '9007199254740993' } });
    assert.equal(ok.code, 0, explain(ok));
    const newer = await runAction(action, { inputs: { mode: 'verify', path, 'control-version': '9007199254740994' } });
    assert.equal(newer.code, 1, explain(newer));
    assert.equal(newer.errors.length, 1);
    assert.match(newer.errors[0]!, /control_version: expected >= 9007199254740994, got 9007199254740993\./);
  });

  /** Uploads `dir`'s two files as an artifact of the double's run, with the real client in this process. */
  async function uploadFromTest(name: string, dir: string): Promise<number> {
    return withEnv(double.env, async () => {
      const { DefaultArtifactClient } = await import('@actions/artifact');
      const files = [DUMP_FILE, MANIFEST_FILE].map((file) => join(dir, file));
      const uploaded = await new DefaultArtifactClient().uploadArtifact(name, files, dir);
      return uploaded.id!;
    });
  }

  test('a tampered artifact fails verify on the checksum', async () => {
    const tampered = tempDir('tampered-');
    copySnapshot(join(built.outputs['dump-path']!, '..'), tampered);
    const dump = join(tampered, 'snapshot.sql');
    writeFileSync(dump, readFileSync(dump, 'utf8').replace("'edge-ams-1'", "'edge-ams-X'"));
    await uploadFromTest('tampered', tampered);
    const run = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': 'tampered' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
    assert.match(
      run.errors[0]!,
      /title=sqlite-snapshot%3A checksum::checksum: expected sha256:[0-9a-f]{64}, got sha256:/,
    );
    assert.match(run.summary, /\| `checksum` \| sha256:[0-9a-f]{64} \| sha256:[0-9a-f]{64} \|/);
  });

  test('an archive changed after upload is refused on the digest, and none of it reaches path', async () => {
    const source = tempDir('digest-');
    copySnapshot(join(built.outputs['dump-path']!, '..'), source);
    const id = await uploadFromTest('swapped', source);
    // Another archive of a valid snapshot (the same files, zipped anew): only the digest can tell.
    const zip = join(tempDir('digest-other-'), 'a.zip');
    execFileSync('python3', [
      '-c',
      'import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor f in sys.argv[2:]: z.write(f, f.split("/")[-1])',
      zip,
      join(source, 'snapshot.sql'),
      join(source, 'manifest.json'),
    ]);
    await double.replaceArtifactBytes(id, readFileSync(zip));
    const job = double.newJob().env;
    const runnerTemp = tempDir('digest-job-');
    const run = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': 'swapped' },
      env: job,
      runnerTemp,
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0]!, /does not match the digest recorded when it was uploaded \(sha256:[0-9a-f]{64}\)/);
    // Nothing was kept: not in path, not in a staging folder beside it.
    assert.deepEqual(readdirSync(join(runnerTemp, 'sqlite-snapshot')), []);
    assert.deepEqual(
      readdirSync(runnerTemp).filter((name) => name.startsWith('.sqlite-snapshot-download-')),
      [],
    );
    // A later restore step of the same job cannot pick up what verify refused.
    const target = join(tempDir('digest-target-'), 'app.db');
    const restore = await runAction(action, {
      inputs: { mode: 'restore', 'artifact-name': 'swapped', database: target },
      env: job,
      runnerTemp,
    });
    assert.equal(restore.code, 1, explain(restore));
    assert.match(restore.errors[0] ?? '', /does not match the digest/);
    assert.equal(existsSync(target), false);
  });

  test('restore mode downloads the artifact and restores it into the database', async () => {
    const target = join(tempDir('restore-target-'), 'app.db');
    const run = await runAction(action, {
      inputs: { mode: 'restore', database: target, 'require-table': 'nodes\ncontrol' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 0, explain(run));
    assert.equal(run.outputs.database, target);
    assert.equal(run.outputs.checksum, built.outputs.checksum);
    // The sqlite3 CLI, an independent reader, sees the seeded rows.
    assert.equal(
      sqlite3(target, 'PRAGMA integrity_check; SELECT count(*) FROM nodes; SELECT cursor FROM control;'),
      'ok\n3\n9007199254740993\n',
    );
    assert.match(run.summary, /## ✅ sqlite-snapshot restored the snapshot/);

    // A second restore into the now populated database is refused and leaves it untouched.
    const before = fileSha256(target);
    const again = await runAction(action, { inputs: { mode: 'restore', database: target }, env: double.newJob().env });
    assert.equal(again.code, 1, explain(again));
    assert.equal(again.errors.length, 1);
    assert.match(
      again.errors[0]!,
      /holds rows, so it was not replaced\..*Fix: Pass force: true to replace it \(the old database is kept as a \.bak file unless backup: false\)/,
    );
    assert.equal(fileSha256(target), before);
    // The refusal still tells which artifact it was restoring.
    assert.equal(again.outputs['artifact-id'], built.outputs['artifact-id']);
    assert.match(again.summary, new RegExp(`Artifact \`sqlite-snapshot\`, id ${built.outputs['artifact-id']}`));
  });

  test('verify and restore read a snapshot already in path without the artifact service', async () => {
    // Another job's output folder, or the user's own files: used as they are, nothing downloaded.
    const builtDir = join(built.outputs['dump-path']!, '..');
    const run = await runAction(action, { inputs: { mode: 'verify', path: builtDir, 'cache-schema-version': '7' } });
    assert.equal(run.code, 0, explain(run));
    assert.equal(run.outputs['artifact-id'], '');
    assert.match(run.stdout, /using the snapshot in /);
    assert.doesNotMatch(run.stdout, /Downloading/);
    const own = tempDir('own-snapshot-');
    copySnapshot(builtDir, own);
    const target = join(tempDir('own-target-'), 'app.db');
    const restore = await runAction(action, { inputs: { mode: 'restore', path: own, database: target } });
    assert.equal(restore.code, 0, explain(restore));
    assert.equal(sqlite3(target, 'SELECT count(*) FROM nodes;'), '3\n');
  });

  test('a step reuses path only when it holds the artifact asked for', async () => {
    // A job of another run builds its own snapshot (another version, not uploaded)…
    const runnerTemp = tempDir('shared-job-');
    const job = double.newRun().env;
    const build = await runAction(action, {
      inputs: { ...BUILD_INPUTS, 'control-model-version': '9', upload: 'false' },
      env: job,
      runnerTemp,
    });
    assert.equal(build.code, 0, explain(build));
    // …so asking for the first run's artifact into the same path is refused rather than answered with it…
    const other = await runAction(action, {
      inputs: { mode: 'verify', 'run-id': String(double.run.runId), 'github-token': double.restToken },
      env: job,
      runnerTemp,
    });
    assert.equal(other.code, 1, explain(other));
    assert.match(
      other.errors[0] ?? '',
      /holds the snapshot this job built \(artifact "sqlite-snapshot"\), not the artifact "sqlite-snapshot" of run/,
    );
    // …while a step that names no artifact checks what the job built.
    const own = await runAction(action, { inputs: { mode: 'verify' }, env: job, runnerTemp });
    assert.equal(own.code, 0, explain(own));
    assert.match(own.stdout, /using the built artifact "sqlite-snapshot"/);
    assert.equal(own.outputs.manifest && JSON.parse(own.outputs.manifest).control_model_version, 9);

    // A named download is reused by a later step that names none (verify, then restore)…
    const elsewhere = tempDir('download-job-');
    const first = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': 'sqlite-snapshot' },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.equal(first.code, 0, explain(first));
    const target = join(tempDir('reuse-target-'), 'app.db');
    const restore = await runAction(action, {
      inputs: { mode: 'restore', database: target },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.equal(restore.code, 0, explain(restore));
    assert.match(restore.stdout, /using the downloaded artifact "sqlite-snapshot"/);
    assert.equal(restore.outputs['artifact-id'], first.outputs['artifact-id']);
    // A download that fails leaves the earlier one as it was: not taken for the artifact asked for…
    const missing = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': 'nightly' },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.equal(missing.code, 1, explain(missing));
    assert.match(missing.errors[0] ?? '', /No artifact named "nightly" in this run/);
    const stillMissing = await runAction(action, {
      inputs: { mode: 'restore', 'artifact-name': 'nightly', database: join(tempDir('nightly-'), 'app.db') },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.equal(stillMissing.code, 1, explain(stillMissing));
    assert.doesNotMatch(stillMissing.stdout, /using the/);
    // …and still reused by a step that names none.
    const plain = await runAction(action, {
      inputs: { mode: 'verify' },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.match(plain.stdout, /using the downloaded artifact "sqlite-snapshot"/);
    // …and replaced for another one.
    const swapped = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': 'tampered' },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.match(swapped.stdout, /holds the artifact "sqlite-snapshot", not the one asked for: replacing it/);
    assert.equal(swapped.code, 1, explain(swapped));
    assert.match(swapped.errors[0] ?? '', /checksum/);
    // Files written over a download void its mark: they are then the user's, used as they are.
    const path = join(elsewhere, 'sqlite-snapshot');
    copySnapshot(join(built.outputs['dump-path']!, '..'), path);
    const mine = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': 'tampered' },
      env: double.newJob().env,
      runnerTemp: elsewhere,
    });
    assert.equal(mine.code, 0, explain(mine));
    assert.match(mine.stdout, /using the snapshot in /);
  });

  test('verify with the PR migrations runs the restore proof and names a broken migration', async () => {
    const migrations = exampleMigrations(4, {
      extra: { '0005_broken.sql': 'ALTER TABLE nodes ADD COLUMN id INTEGER;\n' },
    });
    const run = await runAction(action, {
      inputs: { mode: 'verify', migrations, 'require-table': 'nodes' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
    assert.match(
      run.errors[0]!,
      /title=sqlite-snapshot%3A restore::restore: expected restores into a new database.*0005_broken\.sql.*duplicate column name: id/,
    );
  });

  test('verify of another run: found by run-id with a token, not by name alone', async () => {
    const otherRun = double.newRun();
    const missing = await runAction(action, { inputs: { mode: 'verify' }, env: otherRun.env });
    assert.equal(missing.code, 1, explain(missing));
    assert.match(missing.errors[0] ?? '', /No artifact named "sqlite-snapshot" in this run/);
    const found = await runAction(action, {
      inputs: { mode: 'verify', 'run-id': String(double.run.runId), 'github-token': double.restToken },
      env: otherRun.env,
    });
    assert.equal(found.code, 0, explain(found));
    assert.equal(found.outputs.checksum, built.outputs.checksum);
    assert.match(found.summary, new RegExp(`from run ${double.run.runId} of ${double.repository}`));
    // A later step of that job that names nothing restores what was verified, not this run's artifact.
    const restore = await runAction(action, {
      inputs: { mode: 'restore', database: join(tempDir('other-run-target-'), 'app.db') },
      env: otherRun.env,
      runnerTemp: found.runnerTemp,
    });
    assert.equal(restore.code, 0, explain(restore));
    assert.match(restore.stdout, /using the downloaded artifact "sqlite-snapshot"/);
    assert.equal(restore.outputs['artifact-id'], found.outputs['artifact-id']);
  });

  test('name-with-checksum uploads a content-addressed name that verify then finds', async () => {
    const run = await runAction(action, {
      inputs: { ...BUILD_INPUTS, 'name-with-checksum': 'true' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 0, explain(run));
    const expected = `sqlite-snapshot-${run.outputs.checksum!.slice('sha256:'.length, 'sha256:'.length + 16)}`;
    assert.equal(run.outputs['artifact-name'], expected);
    assert.ok(double.artifacts().some((artifact) => artifact.name === expected));
    const verify = await runAction(action, {
      inputs: { mode: 'verify', 'artifact-name': run.outputs['artifact-name']! },
      env: double.newJob().env,
    });
    assert.equal(verify.code, 0, explain(verify));
    assert.equal(verify.outputs['artifact-name'], expected);
  });

  test('a second artifact of the same name in a run fails with the fix', async () => {
    const run = await runAction(action, { inputs: BUILD_INPUTS, env: double.newJob().env });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1);
    assert.match(
      run.errors[0]!,
      /Could not upload the artifact "sqlite-snapshot".*Fix: Artifact names are unique per run: when the job is re-run, set overwrite: true/,
    );
    // A re-run with overwrite replaces it.
    const rerun = await runAction(action, { inputs: { ...BUILD_INPUTS, overwrite: 'true' }, env: double.newJob().env });
    assert.equal(rerun.code, 0, explain(rerun));
    const ofThisRun = double
      .artifacts()
      .filter((artifact) => artifact.name === 'sqlite-snapshot' && artifact.runId === double.run.runId);
    assert.deepEqual(
      ofThisRun.map((artifact) => String(artifact.id)),
      [rerun.outputs['artifact-id']],
    );
    assert.notEqual(rerun.outputs['artifact-id'], built.outputs['artifact-id']);
  });

  test('bad inputs fail before any work, naming the input', async () => {
    const count = double.artifacts().length;
    const path = join(tempDir('bad-inputs-'), 'out');
    const run = await runAction(action, {
      inputs: { ...BUILD_INPUTS, path, 'artifact-name': 'never', 'control-model-version': 'abc' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0]!, /Input "control-model-version" must be a whole number, got "abc"/);
    assert.equal(run.outputs.verdict, 'failed');
    assert.equal(existsSync(path), false);
    assert.equal(double.artifacts().length, count);
    const restore = await runAction(action, { inputs: { mode: 'restore' }, env: double.newJob().env });
    assert.match(restore.errors[0] ?? '', /Input "database" is required in mode: restore/);
  });

  test('outputs or a summary that cannot be written fail the step with one clear error, not a crash', async () => {
    const missing = join(tempDir('no-runner-files-'), 'gone');
    const run = await runAction(action, {
      inputs: { mode: 'verify', path: join(built.outputs['dump-path']!, '..') },
      runnerFiles: { GITHUB_OUTPUT: join(missing, 'output.txt'), GITHUB_STEP_SUMMARY: join(missing, 'summary.md') },
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
    assert.match(run.errors[0]!, /Could not write the step's outputs to .*gone\/output\.txt/);
    assert.match(run.stdout, /::warning title=sqlite-snapshot::Could not write the job summary to .*gone\/summary\.md/);
    assert.doesNotMatch(run.stderr, /at file_command/);
  });

  test('under Node 20 the bundle gives no verdict on a good snapshot: one clear error, exit 2, no outputs', async () => {
    const path = join(tempDir(), 'snapshot');
    mkdirSync(path);
    copySnapshot(join(built.outputs['dump-path']!, '..'), path);
    const run = await runAction(action, {
      inputs: { mode: 'verify', path },
      env: double.newJob().env,
      node: olderNode(),
    });
    assert.equal(run.signal, null);
    assert.equal(run.code, 2, explain(run));
    assert.equal(run.errors.length, 1);
    assert.match(run.errors[0]!, /needs Node\.js 22 or newer and this is Node\.js 20\.\d+\.\d+: install Node\.js 24/);
    assert.deepEqual(run.outputs, {}, 'no verdict output');
    assert.doesNotMatch(run.stdout, /control_model_version/);
  });

  test('build of nothing fails and names the misspelt input; allow-empty: true builds it', async () => {
    const path = join(tempDir(), 'out');
    const run = await runAction(action, {
      inputs: { mode: 'build', databse: 'app.db', path, upload: 'false' },
      env: double.newJob().env,
    });
    assert.equal(run.code, 1, explain(run));
    assert.equal(run.errors.length, 1, run.errors.join('\n'));
    assert.match(run.errors[0]!, /Nothing to snapshot: the fixture database holds no tables/);
    assert.match(run.errors[0]!, /pass allow-empty: true if an empty snapshot is what you want/);
    assert.match(
      run.stdout,
      new RegExp(
        `::warning title=sqlite-snapshot::Input "databse" is not an input of ${actionName('build')} and was ignored; did you mean "database"\\?`,
      ),
    );
    assert.equal(existsSync(path), false);

    const allowed = await runAction(action, {
      inputs: { mode: 'build', path, upload: 'false', 'allow-empty': 'true' },
      env: double.newJob().env,
    });
    assert.equal(allowed.code, 0, explain(allowed));
    assert.match(allowed.stdout, /0 bytes|, 0 tables, 0 rows/);
  });

  test('verify with integrity: full runs the full check in the restore proof; the default quick one passes', async () => {
    const { snapshot: path, migrateCommand } = snapshotWithIndexBreakingMigration();
    const inputs = { mode: 'verify', path, 'migrate-command': migrateCommand };
    const quick = await runAction(action, { inputs, env: double.newJob().env });
    assert.equal(quick.code, 0, explain(quick));
    const full = await runAction(action, { inputs: { ...inputs, integrity: 'full' }, env: double.newJob().env });
    assert.equal(full.code, 1, explain(full));
    assert.match(full.errors.join('\n'), /PRAGMA integrity_check failed: row 1 missing from index orders_total/);
  });
}
