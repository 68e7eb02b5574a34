/**
 * The Action's face: inputs from the runner, the mode's work in the core, then outputs, one
 * `::error` annotation per failure, and the job summary. Exit code 1 marks the step failed.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { SnapshotError } from '../core/errors.ts';
import { checkNodeVersion } from '../core/sqlite.ts';
import { type Check, describeFailedCheck } from '../core/verify.ts';
import { type ActionInputs, envInputReader, readInputs } from './inputs.ts';
import {
  artifactOutputs,
  buildMode,
  type ModeContext,
  type ModeLog,
  type ModeResult,
  restoreMode,
  verifyMode,
} from './modes.ts';
import { renderSummary, type SummaryOutcome } from './summary.ts';
import { VERSION } from './version.ts';
import { inActionWords } from './wording.ts';

const MODE_RUNNERS = { build: buildMode, verify: verifyMode, restore: restoreMode } as const;

/**
 * @actions/core, imported by the main thread only: the dump's and restore's worker threads load
 * this bundle too, and need none of it.
 */
type Core = typeof import('@actions/core');
let core: Core;

const log: ModeLog = {
  info: (line) => core.info(line),
  notice: (line) => core.notice(line, { title: 'sqlite-snapshot' }),
  warning: (line) => core.warning(line, { title: 'sqlite-snapshot' }),
  group: (title, work) => core.group(title, work),
};

function annotateCheck(check: Check): void {
  const fix = check.hint ? ` Fix: ${inActionWords(check.hint)}` : '';
  core.error(`${describeFailedCheck(check)}.${fix}`, { title: `sqlite-snapshot: ${check.name}` });
}

function writeSummary(env: NodeJS.ProcessEnv, outcome: SummaryOutcome): void {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  try {
    appendFileSync(path, renderSummary(outcome));
  } catch (error) {
    core.warning(`Could not write the job summary to ${path}: ${(error as Error).message}`);
  }
}

/** Outputs go to the runner's GITHUB_OUTPUT file; a failure to write them must fail the step clearly. */
function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  } catch (error) {
    core.error(`Could not write the step's outputs to ${env.GITHUB_OUTPUT}: ${(error as Error).message}`, {
      title: 'sqlite-snapshot',
    });
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
    core.error(hint ? `${message}\nFix: ${inActionWords(hint)}` : message, {
      title: mode ? `sqlite-snapshot ${mode} failed` : 'sqlite-snapshot failed',
    });
  }
  // Anything that is not one of ours is a bug or an environment problem: keep its stack in the log.
  if (!(error instanceof SnapshotError) && error instanceof Error && error.stack) core.info(error.stack);
  setOutputs(env, { verdict: 'failed', ...(context.artifact ? artifactOutputs(context.artifact) : {}) });
  writeSummary(env, {
    mode,
    artifact: context.artifact,
    error: { message, ...(hint ? { hint } : {}) },
    ...(checks ? { checks: [...checks] } : {}),
  });
  process.exitCode = 1;
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Worker threads of the dump and restore load this bundle too; only the main thread runs the step.
  if (!isMainThread) return;
  // The first line before anything else loads: it is what the start-up bar measures.
  process.stdout.write(
    `sqlite-snapshot ${VERSION} on Node.js ${process.versions.node} (${process.platform}-${process.arch})\n`,
  );
  core = await import('@actions/core');
  let mode: ActionInputs['mode'] | undefined;
  const context: ModeContext = {};
  try {
    checkNodeVersion();
    const inputs = readInputs(envInputReader(env), env);
    mode = inputs.mode;
    for (const name of inputs.ignored)
      log.warning(`Input "${name}" is not used in mode: ${inputs.mode}; it was ignored.`);
    reportResult(env, await MODE_RUNNERS[inputs.mode](inputs, env, log, context));
  } catch (error) {
    reportError(env, mode, context, error);
  }
}
