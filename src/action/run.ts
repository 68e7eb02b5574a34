/**
 * The Action's face: inputs from the runner, the mode's work in the core, then outputs, one
 * `::error` annotation per failure, and the job summary. Exit code 1 marks the step failed.
 *
 * Log lines and annotations quote snapshots (names, versions, SQLite's errors about them), so every
 * one leaves through `say` or `annotate`, which make the text inert (core/untrusted.ts): a crafted
 * snapshot can neither forge a workflow command (`::add-mask::`, `::error::`) nor drive a terminal.
 * Our own commands (`::group::`, the annotations) are written by @actions/core around that text.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { type Check, describeFailedCheck } from '../core/shared/check.ts';
import { SnapshotError } from '../core/shared/errors.ts';
import { inertText, printable } from '../core/shared/untrusted.ts';
import { VERSION } from '../core/shared/version.ts';
import { checkNodeVersion } from '../core/sqlite/sqlite.ts';
import type { Verb } from '../spec/actionInputs.ts';
import { type ActionInputs, envInputReader, readInputs, verbInputReader } from './inputs.ts';
import type { ModeLog } from './modeLog.ts';
import { artifactOutputs, buildMode, type ModeContext, type ModeResult, restoreMode, verifyMode } from './modes.ts';
import { renderSummary, type SummaryOutcome } from './summary.ts';
import { unknownInputWarnings } from './unknownInputs.ts';
import { inActionWords } from './wording.ts';

const MODE_RUNNERS = { build: buildMode, verify: verifyMode, restore: restoreMode } as const;

/**
 * @actions/core, imported by the main thread only: the dump's and restore's worker threads load
 * this bundle too, and need none of it.
 */
type Core = typeof import('@actions/core');
let core: Core;

/** A log line (or lines). */
const say = (text: string): void => core.info(inertText(text));

/**
 * An annotation. @actions/core escapes the line breaks of the message and the `:` and `,` of the
 * title, not ESC and the like: the message is made inert, the title one printable line.
 */
function annotate(kind: 'error' | 'warning' | 'notice', message: string, title = 'sqlite-snapshot'): void {
  core[kind](inertText(message), { title: printable(title) });
}

const log: ModeLog = {
  info: say,
  notice: (line) => annotate('notice', line),
  warning: (line) => annotate('warning', line),
  group: (title, work) => core.group(printable(title), work),
};

function annotateCheck(check: Check): void {
  const fix = check.hint ? ` Fix: ${inActionWords(check.hint)}` : '';
  annotate('error', `${describeFailedCheck(check)}.${fix}`, `sqlite-snapshot: ${check.name}`);
}

function writeSummary(env: NodeJS.ProcessEnv, outcome: SummaryOutcome): void {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  try {
    appendFileSync(path, renderSummary(outcome));
  } catch (error) {
    annotate('warning', `Could not write the job summary to ${path}: ${(error as Error).message}`);
  }
}

/** Outputs go to the runner's GITHUB_OUTPUT file; a failure to write them must fail the step clearly. */
function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  } catch (error) {
    annotate('error', `Could not write the step's outputs to ${env.GITHUB_OUTPUT}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

function reportResult(env: NodeJS.ProcessEnv, result: ModeResult): void {
  setOutputs(env, result.outputs);
  for (const check of result.failures) annotateCheck(check);
  writeSummary(env, result.outcome);
  if (!result.ok) process.exitCode = 1;
}

function reportError(
  env: NodeJS.ProcessEnv,
  mode: ActionInputs['mode'] | undefined,
  context: ModeContext,
  error: unknown,
): void {
  const checks = error instanceof SnapshotError ? error.checks : undefined;
  const failedChecks = (checks ?? []).filter((check) => !check.ok);
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof SnapshotError ? error.hint : undefined;
  if (failedChecks.length > 0) {
    for (const check of failedChecks) annotateCheck(check);
  } else {
    annotate(
      'error',
      hint ? `${message}\nFix: ${inActionWords(hint)}` : message,
      mode ? `sqlite-snapshot ${mode} failed` : 'sqlite-snapshot failed',
    );
  }
  // Anything that is not one of ours is a bug or an environment problem: keep its stack in the log.
  if (!(error instanceof SnapshotError) && error instanceof Error && error.stack) say(error.stack);
  setOutputs(env, { verdict: 'failed', ...(context.artifact ? artifactOutputs(context.artifact) : {}) });
  writeSummary(env, {
    mode,
    artifact: context.artifact,
    error: { message, ...(hint ? { hint } : {}) },
    ...(checks ? { checks: [...checks] } : {}),
  });
  process.exitCode = 1;
}

/**
 * Runs the step: the root action, whose `mode` input chooses the verb, or a verb's own action
 * (`verb`), whose inputs are named for that verb.
 */
export async function run(env: NodeJS.ProcessEnv = process.env, verb?: Verb): Promise<void> {
  // Worker threads of the dump and restore load this bundle too; only the main thread runs the step.
  if (!isMainThread) return;
  // The first line before anything else loads: it is what the start-up bar measures.
  process.stdout.write(
    `sqlite-snapshot ${VERSION} on Node.js ${process.versions.node} (${process.platform}-${process.arch})\n`,
  );
  core = await import('@actions/core');
  try {
    checkNodeVersion();
  } catch (error) {
    // No verdict, no outputs from a runtime that cannot read a manifest exactly: one line, exit 2.
    annotate('error', (error as Error).message);
    process.exitCode = 2;
    return;
  }
  let mode: ActionInputs['mode'] | undefined;
  const context: ModeContext = {};
  try {
    for (const line of unknownInputWarnings(env, verb)) log.warning(line);
    const inputs = readInputs(verb ? verbInputReader(env, verb) : envInputReader(env), env);
    // A registry password from an input that is not a secret would otherwise show in the log.
    if (inputs.registryPassword) core.setSecret(inputs.registryPassword);
    mode = inputs.mode;
    for (const name of inputs.ignored)
      log.warning(`Input "${name}" is not used in mode: ${inputs.mode}; it was ignored.`);
    reportResult(env, await MODE_RUNNERS[inputs.mode](inputs, env, log, context));
  } catch (error) {
    reportError(env, mode, context, error);
  }
}
