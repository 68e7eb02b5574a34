/**
 * The three modes, each from typed inputs to a result: outputs, the summary's outcome and the
 * failed checks to annotate. They call the same core as the CLI; how results are shown is run.ts's.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildSnapshot } from '../core/build/build.ts';
import type { DumpProgress } from '../core/build/dump.ts';
import { serializeManifest } from '../core/format/manifest.ts';
import { withSnapshotFiles } from '../core/format/snapshotFiles.ts';
import type { LoadProgress } from '../core/load/loadDump.ts';
import type { MigrateOptions } from '../core/migrate/migrate.ts';
import { describeDumpProgress, loadProgressDescriber, throttled } from '../core/restore/progress.ts';
import { type LoadOptions, restoreSnapshot } from '../core/restore/restore.ts';
import { type RestoreProofOptions, verifyWithRestoreProof, wantsRestoreProof } from '../core/restore/restoreProof.ts';
import type { SanityOptions } from '../core/restore/sanity.ts';
import { type Check, printableCheck } from '../core/shared/check.ts';
import { counted } from '../core/shared/plural.ts';
import { type VerifyExpectations, type VerifyReport, verifySnapshot } from '../core/verify/verify.ts';
import { contentAddressedName, uploadSnapshot } from './artifacts.ts';
import { saveBaseline } from './baseline.ts';
import { compareWithBaseline } from './comparison.ts';
import type { ActionInputs } from './inputs.ts';
import type { ModeLog } from './modeLog.ts';
import { publishSnapshot, pullFrom } from './registry.ts';
import { locateSnapshot, type SourceMark, writeSourceMark } from './snapshotSource.ts';
import type { ArtifactFacts, SummaryOutcome } from './summary.ts';

export interface ModeResult {
  ok: boolean;
  outputs: Record<string, string>;
  outcome: SummaryOutcome;
  /** Failed checks, one annotation each. */
  failures: Check[];
}

/** What a mode has learnt so far, for the report when it then fails: the artifact it was reading. */
export interface ModeContext {
  artifact?: ArtifactFacts;
}

/** A progress line every ten seconds keeps long dumps and restores visibly alive without flooding the log. */
const dumpProgress = (log: ModeLog) =>
  throttled(10_000, (progress: DumpProgress) => log.info(describeDumpProgress(progress)));
const loadProgress = (log: ModeLog) => {
  const describe = loadProgressDescriber();
  return throttled(10_000, (progress: LoadProgress) => log.info(describe(progress)));
};

/** What runs on a restored database: in restore, and in verify's restore proof. */
const migrateAndSanity = (
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
): MigrateOptions & SanityOptions & Pick<LoadOptions, 'onProgress'> => ({
  onProgress: loadProgress(log),
  migrations: inputs.migrations,
  migrateCommand: inputs.migrateCommand,
  requireTables: inputs.requireTables,
  checkSql: inputs.checkSql,
  integrity: inputs.integrity,
  env,
});

/** The outputs that describe the snapshot read, the same in verify and restore. */
async function snapshotOutputs(report: VerifyReport): Promise<Record<string, string>> {
  const controlVersion = report.manifest.control_version;
  return {
    checksum: report.computedChecksum,
    manifest: await manifestText(report.manifestPath),
    'dump-path': report.dumpPath,
    'manifest-path': report.manifestPath,
    'db-migration-version': report.manifest.db_migration_version ?? '',
    'control-version': controlVersion === undefined ? '' : String(controlVersion),
  };
}

const expectations = (inputs: ActionInputs): VerifyExpectations => ({
  controlModelVersions: inputs.controlModelVersions,
  cacheSchemaVersions: inputs.cacheSchemaVersions,
  dbMigrationVersion: inputs.dbMigrationVersion,
  minControlVersion: inputs.controlVersion,
});

export const artifactOutputs = (artifact: ArtifactFacts | undefined): Record<string, string> => ({
  'artifact-name': artifact?.name ?? '',
  'artifact-id': artifact?.id === undefined ? '' : String(artifact.id),
  'artifact-digest': artifact?.digest ?? '',
});

/** The registry outputs: the snapshot pushed or pulled, pinned; empty when no registry was used. */
const registryOutputs = (used: { pinned: string; digest: string } | undefined) => ({
  'oci-reference': used?.pinned ?? '',
  'oci-digest': used?.digest ?? '',
});

export async function buildMode(inputs: ActionInputs, env: NodeJS.ProcessEnv, log: ModeLog): Promise<ModeResult> {
  const outDir = resolve(inputs.path);
  const result = await log.group('Building the snapshot', () =>
    buildSnapshot({
      database: inputs.database,
      outDir,
      migrations: inputs.migrations,
      migrateCommand: inputs.migrateCommand,
      seeds: inputs.seeds,
      allowEmpty: inputs.allowEmpty,
      controlModelVersion: inputs.controlModelVersions?.[0],
      cacheSchemaVersion: inputs.cacheSchemaVersions?.[0],
      controlVersion: inputs.controlVersion,
      controlVersionQuery: inputs.controlVersionQuery,
      dbMigrationVersion: inputs.dbMigrationVersion,
      dbMigrationVersionQuery: inputs.dbMigrationVersionQuery,
      sourceVersion: inputs.sourceVersion,
      env,
      onProgress: dumpProgress(log),
    }),
  );
  log.info(
    `${result.manifest.checksum}: ${counted(result.dumpBytes, 'byte')}, ${counted(result.tables, 'table')}, ${counted(result.rows, 'row')}`,
  );
  const name = inputs.nameWithChecksum
    ? contentAddressedName(inputs.artifact.name, result.manifest.checksum)
    : inputs.artifact.name;
  const mark: SourceMark = {
    origin: 'built',
    artifact: name,
    baseName: inputs.artifact.name,
    runId: null,
    repository: null,
  };
  writeSourceMark(outDir, env, mark);
  const artifact = inputs.upload
    ? await log.group(`Uploading the artifact "${name}"`, () =>
        uploadSnapshot(name, outDir, { retentionDays: inputs.retentionDays, overwrite: inputs.overwrite }),
      )
    : undefined;
  if (artifact) writeSourceMark(outDir, env, { ...mark, id: artifact.id, digest: artifact.digest });
  let baselineKey = '';
  if (inputs.saveBaseline) {
    const saved = await log.group("Saving the snapshot as this branch's baseline", () =>
      saveBaseline(outDir, inputs.artifact.name, env),
    );
    if (saved.saved) {
      baselineKey = saved.key;
      log.info(`saved the baseline ${saved.key}`);
    } else {
      log.warning(
        `The baseline ${saved.key} was not saved: ${saved.reason}. Pull requests will find an older one, or none.`,
      );
    }
  }
  // After the artifact and the baseline: the registry copy is the durable one a fleet reads.
  const published = inputs.publishTo ? await publishSnapshot(inputs, env, log, outDir) : undefined;
  return {
    ok: true,
    outputs: {
      checksum: result.manifest.checksum,
      manifest: serializeManifest(result.manifest).trim(),
      'dump-path': result.dumpPath,
      'manifest-path': result.manifestPath,
      'db-migration-version': result.manifest.db_migration_version,
      'control-version': String(result.manifest.control_version),
      verdict: 'passed',
      'baseline-key': baselineKey,
      ...artifactOutputs(artifact),
      ...registryOutputs(published),
    },
    outcome: { mode: 'build', ...result, artifact },
    failures: [],
  };
}

async function manifestText(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return '';
  }
}

export async function verifyMode(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
  context: ModeContext = {},
): Promise<ModeResult> {
  const pulled = inputs.from ? await pullFrom(inputs, env, log, expectations(inputs)) : undefined;
  const { dir, artifact, baseName } = pulled ?? (await locateSnapshot(inputs, env, log));
  context.artifact = artifact;
  const proof: RestoreProofOptions = { ...migrateAndSanity(inputs, env, log), workDir: env.RUNNER_TEMP || undefined };
  // Opened once: verify, the restore proof and the baseline diff all read these same files.
  const { report, comparison } = await withSnapshotFiles(dir, async (files) => {
    const report = wantsRestoreProof(proof)
      ? await log.group('Verifying the snapshot, then restoring, migrating and checking it', () =>
          verifyWithRestoreProof(files, expectations(inputs), proof),
        )
      : await log.group('Verifying the snapshot', () =>
          // A snapshot pulled from a registry was hashed as it was written: not read again.
          verifySnapshot(files, expectations(inputs), pulled?.dumpDigest),
        );
    // The names and values come from the manifest: each shown on its one line, escaped.
    for (const check of report.checks.map(printableCheck)) {
      log.info(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.actual}`);
    }
    const comparison =
      inputs.compareBaseline && report.ok
        ? await compareWithBaseline(inputs, files, baseName ?? inputs.artifact.name, report, env, log)
        : undefined;
    return { report, comparison };
  });
  return {
    ok: report.ok,
    outputs: {
      ...(await snapshotOutputs(report)),
      verdict: report.ok ? 'passed' : 'failed',
      'baseline-key': comparison?.section.key ?? '',
      changed: comparison?.changed === undefined ? '' : String(comparison.changed),
      ...artifactOutputs(artifact),
      ...registryOutputs(pulled),
    },
    outcome: {
      mode: 'verify',
      ok: report.ok,
      manifest: report.manifest,
      checks: report.checks,
      dumpPath: report.dumpPath,
      artifact,
      baseline: comparison?.section,
    },
    failures: report.checks.filter((check) => !check.ok),
  };
}

export async function restoreMode(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  log: ModeLog,
  context: ModeContext = {},
): Promise<ModeResult> {
  const pulled = inputs.from ? await pullFrom(inputs, env, log, expectations(inputs)) : undefined;
  const { dir, artifact } = pulled ?? (await locateSnapshot(inputs, env, log));
  context.artifact = artifact;
  const result = await log.group(`Restoring into ${inputs.database}`, () =>
    restoreSnapshot({
      snapshotDir: dir,
      target: inputs.database!,
      force: inputs.force,
      backup: inputs.backup,
      ...migrateAndSanity(inputs, env, log),
      expect: expectations(inputs),
    }),
  );
  log.info(`restored ${result.report.computedChecksum} into ${result.target} (${counted(result.stats.rows, 'row')})`);
  return {
    ok: true,
    outputs: {
      ...(await snapshotOutputs(result.report)),
      database: result.target,
      'backup-path': result.backupPath ?? '',
      verdict: 'passed',
      ...artifactOutputs(artifact),
      ...registryOutputs(pulled),
    },
    outcome: {
      mode: 'restore',
      manifest: result.report.manifest,
      target: result.target,
      rows: result.stats.rows,
      backupPath: result.backupPath,
      artifact,
    },
    failures: [],
  };
}
