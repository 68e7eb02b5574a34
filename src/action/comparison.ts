/** A verify's comparison with the branch baseline, for the job summary's diff section. */
import { diffSnapshots } from '../core/diff/diff.ts';
import { renderDiffMarkdown } from '../core/diff/diffMarkdown.ts';
import { contentChanged } from '../core/diff/diffTypes.ts';
import type { SnapshotFiles } from '../core/format/snapshotFiles.ts';
import type { VerifyReport } from '../core/verify/verify.ts';
import { baseArtifactName } from './artifacts.ts';
import { restoreBaseline } from './baseline.ts';
import type { ActionInputs } from './inputs.ts';
import type { ModeLog } from './modeLog.ts';
import type { BaselineSection } from './summary.ts';

/**
 * Diffs the verified snapshot against the newest baseline of the branch: the very files verify
 * read, not the directory opened again. Nothing here fails the step: a missing or unreadable
 * baseline says nothing about this snapshot.
 */
export async function compareWithBaseline(
  inputs: ActionInputs,
  snapshot: SnapshotFiles,
  /** The artifact name the snapshot came as (a reused one when artifact-name was left empty). */
  artifactName: string,
  /** The passing report verify made of `snapshot`: the diff does not verify it again. */
  verified: VerifyReport,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
): Promise<{ section: BaselineSection; changed?: boolean }> {
  const branch = inputs.baselineBranch;
  // Baselines are saved under the name the build was asked for, before any checksum suffix.
  const name = baseArtifactName(artifactName, verified.computedChecksum);
  return log.group(`Comparing with the baseline of ${branch}`, async () => {
    const lookup = await restoreBaseline(name, branch, env);
    if (!lookup.found) {
      const note =
        lookup.reason === 'none'
          ? // The cache client reports an unreachable service as a warning and then a miss.
            `no baseline of branch ${branch} for the artifact "${name}" was found in the Actions cache (a warning above says so if the cache could not be reached); a build with save-baseline: true on ${branch} saves one.`
          : lookup.detail
            ? `the baseline could not be looked up: ${lookup.detail}`
            : 'the Actions cache service is not available to this job.';
      log.notice(`No baseline to compare with: ${note}`);
      return { section: { branch, note } };
    }
    const { baseline } = lookup;
    try {
      const diff = await diffSnapshots(baseline.dir, snapshot, {
        workDir: env.RUNNER_TEMP || undefined,
        newVerified: verified,
      });
      const changed = contentChanged(diff);
      log.info(`compared with ${baseline.key}: ${changed ? 'changed' : 'the same content'}`);
      return { section: { branch, key: baseline.key, markdown: renderDiffMarkdown(diff) }, changed };
    } catch (error) {
      const note = `the baseline ${baseline.key} could not be compared: ${(error as Error).message}`;
      log.warning(`No comparison with the baseline: ${note}`);
      return { section: { branch, key: baseline.key, note } };
    } finally {
      baseline.dispose();
    }
  });
}
