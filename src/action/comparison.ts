/** A verify's comparison with the branch baseline, for the job summary's diff section. */
import { diffSnapshots, hasDifferences } from '../core/diff.ts';
import { renderDiffMarkdown } from '../core/diffMarkdown.ts';
import { restoreBaseline } from './baseline.ts';
import type { ActionInputs } from './inputs.ts';
import type { ModeLog } from './modes.ts';
import type { BaselineSection } from './summary.ts';

/**
 * Diffs the verified snapshot in `dir` against the newest baseline of the branch. Nothing here
 * fails the step: a missing or unreadable baseline says nothing about this snapshot.
 */
export async function compareWithBaseline(
  inputs: ActionInputs,
  dir: string,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
): Promise<{ section: BaselineSection; changed?: boolean }> {
  const branch = inputs.baselineBranch;
  return log.group(`Comparing with the baseline of ${branch}`, async () => {
    const baseline = await restoreBaseline(inputs.artifact.name, branch, env);
    if (!baseline) {
      const note = `no baseline of branch ${branch} for the artifact "${inputs.artifact.name}" is in the Actions cache; a build with save-baseline: true on ${branch} saves one.`;
      log.notice(`No baseline to compare with: ${note}`);
      return { section: { branch, note } };
    }
    try {
      const diff = await diffSnapshots(baseline.dir, dir);
      log.info(`compared with ${baseline.key}: ${hasDifferences(diff) ? 'changed' : 'no differences'}`);
      return {
        section: { branch, key: baseline.key, markdown: renderDiffMarkdown(diff) },
        changed: hasDifferences(diff),
      };
    } catch (error) {
      const note = `the baseline ${baseline.key} could not be compared: ${(error as Error).message}`;
      log.warning(`No comparison with the baseline: ${note}`);
      return { section: { branch, key: baseline.key, note } };
    } finally {
      baseline.dispose();
    }
  });
}
