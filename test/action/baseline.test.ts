/**
 * Baselines through the real cache client in the bundled Action: a build on main saves one; a
 * pull request's verify restores the newest by key prefix and shows the diff in its summary; with
 * no baseline it says so in a notice and keeps its own verdict.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { baselineKeyPrefix } from '../../src/action/baseline.ts';
import { type ActionsDouble, startActionsDouble } from '../actionsDouble/index.ts';
import { tempDir } from '../helpers.ts';
import { EXAMPLES, explain, installAction, runAction } from './actionRunner.ts';

const PR_SHA = 'feedfacefeedfacefeedfacefeedfacefeedface';

let double: ActionsDouble;
let action: string;

before(async () => {
  action = installAction();
  double = await startActionsDouble();
});

after(async () => {
  await double?.stop();
});

/** The example's migrations plus a PR's: a new column on nodes and a dropped index. */
function prMigrations(): string {
  const dir = tempDir('pr-migrations-');
  for (const file of readdirSync(join(EXAMPLES, 'migrations'))) {
    if (!file.endsWith('.down.sql')) copyFileSync(join(EXAMPLES, 'migrations', file), join(dir, file));
  }
  writeFileSync(join(dir, '0005_owner.sql'), "ALTER TABLE nodes ADD COLUMN owner TEXT NOT NULL DEFAULT 'ops';\n");
  return dir;
}

test('main saves a baseline; a PR verify diffs against the newest one; another branch has none', async () => {
  const buildInputs = {
    mode: 'build',
    migrations: join(EXAMPLES, 'migrations'),
    seed: join(EXAMPLES, 'seed.sql'),
    'save-baseline': 'true',
  };
  // Two builds on main: the PR must compare with the newer.
  const first = await runAction(action, { inputs: buildInputs, env: double.env });
  assert.equal(first.code, 0, explain(first));
  const mainRun = double.newRun();
  const second = await runAction(action, { inputs: buildInputs, env: mainRun.env });
  assert.equal(second.code, 0, explain(second));
  const prefix = baselineKeyPrefix('sqlite-snapshot', 'main');
  assert.equal(second.outputs['baseline-key'], `${prefix}${mainRun.runId}-1`);
  assert.deepEqual(
    double.caches().map((entry) => entry.key),
    [`${prefix}${double.run.runId}-1`, `${prefix}${mainRun.runId}-1`],
  );
  // The folder the cache archived is not left in the workspace.
  assert.equal(existsSync(join(second.outputs['dump-path']!, '../../../.sqlite-snapshot-baseline')), false);

  // A pull request's run: its own snapshot (one more column), then verify against main's baseline.
  const prRun = double.newRun();
  const prEnv = { ...prRun.env, GITHUB_REF: 'refs/pull/7/merge', GITHUB_REF_NAME: '7/merge', GITHUB_SHA: PR_SHA };
  const prBuild = await runAction(action, {
    inputs: { mode: 'build', migrations: prMigrations(), seed: join(EXAMPLES, 'seed.sql') },
    env: prEnv,
  });
  assert.equal(prBuild.code, 0, explain(prBuild));
  const verify = await runAction(action, {
    inputs: { mode: 'verify', 'compare-baseline': 'true', 'baseline-branch': 'main' },
    env: { ...double.newJob(prRun).env, GITHUB_REF_NAME: '7/merge', GITHUB_SHA: PR_SHA },
  });
  assert.equal(verify.code, 0, explain(verify));
  assert.equal(verify.outputs['baseline-key'], `${prefix}${mainRun.runId}-1`);
  assert.equal(verify.outputs.changed, 'true');
  assert.match(verify.summary, /Changes since the baseline/);
  assert.match(verify.summary, /owner/);
  assert.match(verify.summary, /db_migration_version/);
  assert.ok(verify.summary.includes(`Compared with the baseline \`${prefix}${mainRun.runId}-1\`.`));

  // No baseline for that branch: a notice, and verify's own verdict.
  const none = await runAction(action, {
    inputs: { mode: 'verify', 'compare-baseline': 'true', 'baseline-branch': 'release' },
    env: double.newJob(prRun).env,
  });
  assert.equal(none.code, 0, explain(none));
  assert.equal(none.outputs.verdict, 'passed');
  assert.equal(none.outputs.changed, '');
  assert.match(
    none.stdout,
    /::notice title=sqlite-snapshot::No baseline to compare with: no baseline of branch release/,
  );
  assert.match(none.summary, /No baseline to compare with/);
});

test('same content from another commit is not a change; content-addressed and comma names find their baseline', async () => {
  const inputs = {
    mode: 'build',
    migrations: join(EXAMPLES, 'migrations'),
    seed: join(EXAMPLES, 'seed.sql'),
    'artifact-name': 'snap,v2',
    'name-with-checksum': 'true',
  };
  const mainRun = double.newRun();
  const main = await runAction(action, { inputs: { ...inputs, 'save-baseline': 'true' }, env: mainRun.env });
  assert.equal(main.code, 0, explain(main));
  assert.equal(main.outputs['baseline-key'], `sqlite-snapshot-baseline:snap%2Cv2:main:${mainRun.runId}-1`);
  // The pull request builds the same content from another commit, dated by SOURCE_DATE_EPOCH.
  const prRun = double.newRun();
  const prEnv = { ...prRun.env, GITHUB_REF_NAME: '8/merge', GITHUB_SHA: PR_SHA, SOURCE_DATE_EPOCH: '1800000000' };
  const pr = await runAction(action, { inputs, env: prEnv });
  assert.equal(pr.code, 0, explain(pr));
  assert.equal(pr.outputs['artifact-name'], main.outputs['artifact-name']);
  const verify = await runAction(action, {
    inputs: { mode: 'verify', 'artifact-name': pr.outputs['artifact-name']!, 'compare-baseline': 'true' },
    env: { ...double.newJob(prRun).env, GITHUB_REF_NAME: '8/merge' },
  });
  assert.equal(verify.code, 0, explain(verify));
  assert.equal(verify.outputs['baseline-key'], main.outputs['baseline-key']);
  assert.equal(verify.outputs.changed, 'false');
  // The provenance fields that did change are still shown.
  assert.match(verify.summary, /\| created_at \| `[0-9T:-]+Z` \| `2027-01-15T08:00:00Z` \|/);
  assert.match(
    verify.summary,
    new RegExp(`\\| source_chassis_version \\| \`0123456789abcdef[0-9a-f]*\` \\| \`${PR_SHA}\` \\|`),
  );
});

test('outside a runner with a cache, compare-baseline is a notice and verify keeps its verdict', async () => {
  const dir = tempDir('no-cache-');
  const build = await runAction(action, {
    inputs: { mode: 'build', migrations: join(EXAMPLES, 'migrations'), upload: 'false', path: dir },
  });
  assert.equal(build.code, 0, explain(build));
  const verify = await runAction(action, { inputs: { mode: 'verify', path: dir, 'compare-baseline': 'true' } });
  assert.equal(verify.code, 0, explain(verify));
  assert.equal(verify.outputs.verdict, 'passed');
  assert.equal(verify.outputs.changed, '');
  assert.match(
    verify.stdout,
    /::notice title=sqlite-snapshot::No baseline to compare with: the Actions cache service is not available to this job\./,
  );
});

test('an unnamed verify compares with the baseline of the artifact this job built', async () => {
  const inputs = { mode: 'build', migrations: join(EXAMPLES, 'migrations'), 'artifact-name': 'app-snapshot' };
  const mainRun = double.newRun();
  const main = await runAction(action, { inputs: { ...inputs, 'save-baseline': 'true' }, env: mainRun.env });
  assert.equal(main.code, 0, explain(main));
  const prJob = { ...double.newRun().env, GITHUB_REF_NAME: '9/merge' };
  const runnerTemp = tempDir('unnamed-verify-');
  const pr = await runAction(action, { inputs, env: prJob, runnerTemp });
  assert.equal(pr.code, 0, explain(pr));
  const verify = await runAction(action, {
    inputs: { mode: 'verify', 'compare-baseline': 'true' },
    env: prJob,
    runnerTemp,
  });
  assert.equal(verify.code, 0, explain(verify));
  assert.match(verify.stdout, /using the built artifact "app-snapshot"/);
  assert.equal(verify.outputs['baseline-key'], main.outputs['baseline-key']);
  assert.equal(verify.outputs.changed, 'false');
});
