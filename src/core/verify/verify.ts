/**
 * Verify (docs/format.md §3): every check runs and every failure is reported, each with what was expected,
 * what was found and how to fix it.
 */

import { DUMP_FOOTER, DUMP_HEADER } from '../format/dumpText.ts';
import { MANIFEST_FIELDS, type ManifestField } from '../format/manifest.ts';
import { parseManifestBytes } from '../format/manifestParse.ts';
import { type SnapshotFiles, withSnapshotFiles } from '../format/snapshotFiles.ts';
import type { Check } from '../shared/check.ts';
import { digestDescriptor, type FileDigest } from '../shared/checksum.ts';
import { checkFieldShapes, type ShapedManifest, shownString } from './verifyFields.ts';

export interface VerifyExpectations {
  controlModelVersions?: bigint[];
  cacheSchemaVersions?: bigint[];
  dbMigrationVersion?: string;
  minControlVersion?: bigint;
}

export interface VerifyReport {
  ok: boolean;
  checks: Check[];
  /** The manifest's values as read (fields that failed their shape check are absent). */
  manifest: ShapedManifest;
  dumpPath: string;
  manifestPath: string;
  dumpBytes: number;
  /** The checksum of snapshot.sql as computed now. */
  computedChecksum: string;
}

const formatList = (values: bigint[]): string => (values.length === 1 ? `${values[0]}` : `one of ${values.join(', ')}`);

function expectationChecks(manifest: ShapedManifest, expect: VerifyExpectations): Check[] {
  const checks: Check[] = [];
  const versionCheck = (field: ManifestField, accepted: bigint[] | undefined, flag: string): void => {
    const actual = manifest[field];
    if (!accepted || accepted.length === 0 || typeof actual !== 'bigint') return;
    const ok = accepted.includes(actual);
    checks.push({
      name: field,
      ok,
      expected: formatList(accepted),
      actual: `${actual}`,
      ...(ok
        ? {}
        : {
            hint: `Rebuild the snapshot with ${field} ${formatList(accepted)}, or update ${flag} if the code now accepts ${actual}.`,
          }),
    });
  };
  versionCheck('control_model_version', expect.controlModelVersions, 'the expected control model version');
  versionCheck('cache_schema_version', expect.cacheSchemaVersions, 'the expected cache schema version');
  if (expect.dbMigrationVersion !== undefined && typeof manifest.db_migration_version === 'string') {
    const ok = manifest.db_migration_version === expect.dbMigrationVersion;
    checks.push({
      name: 'db_migration_version',
      ok,
      expected: shownString(expect.dbMigrationVersion),
      actual: shownString(manifest.db_migration_version),
      expectedValue: expect.dbMigrationVersion,
      actualValue: manifest.db_migration_version,
      ...(ok ? {} : { hint: 'Rebuild the snapshot from a fixture migrated to the expected version.' }),
    });
  }
  if (expect.minControlVersion !== undefined && typeof manifest.control_version === 'bigint') {
    const ok = manifest.control_version >= expect.minControlVersion;
    checks.push({
      name: 'control_version',
      ok,
      expected: `>= ${expect.minControlVersion}`,
      actual: `${manifest.control_version}`,
      ...(ok ? {} : { hint: 'The snapshot is older than the required fleet cursor; build a newer one.' }),
    });
  }
  return checks;
}

/** How dumps start: ours and the sqlite3 CLI's, and schollz/sqlite3dump's (no PRAGMA line). */
const DUMP_STARTS = [DUMP_HEADER, 'BEGIN TRANSACTION;\n'];

/** A dump whose line endings a checkout or transfer turned into CRLF: its bytes, and so its checksum, changed. */
const hasCrlf = (digest: FileDigest): boolean =>
  digest.head.includes('\r\n') || digest.tail.toString('latin1').endsWith(`${DUMP_FOOTER.trimEnd()}\r\n`);

const CRLF_HINT =
  'snapshot.sql has Windows (CRLF) line endings: a checkout or transfer converted them, which changed its bytes and its checksum; use the artifact exactly as downloaded (git config core.autocrlf false, or *.sql -text in .gitattributes), or convert it back with dos2unix.';

function sizeCheck(digest: FileDigest): Check {
  const head = digest.head.toString('latin1');
  const crlf = hasCrlf(digest);
  const headerOk = DUMP_STARTS.some((start) => head.startsWith(start.slice(0, Math.min(digest.size, start.length))));
  const endsWithCommit = digest.tail.toString('latin1').endsWith(DUMP_FOOTER);
  const ok = digest.size >= DUMP_STARTS[1]!.length + DUMP_FOOTER.length && headerOk && endsWithCommit;
  return {
    name: 'size',
    ok,
    expected:
      'a dump: starting with its header (PRAGMA foreign_keys=OFF; or BEGIN TRANSACTION;) and ending with "COMMIT;"',
    actual: `${digest.size} bytes${headerOk ? '' : ', unexpected start'}${endsWithCommit ? '' : ', no final COMMIT;'}${crlf ? ', Windows (CRLF) line endings' : ''}`,
    ...(ok
      ? {}
      : {
          hint: crlf
            ? CRLF_HINT
            : 'snapshot.sql is truncated or not a sqlite-snapshot dump; download or rebuild the artifact.',
        }),
  };
}

function checksumValueCheck(manifest: ShapedManifest, digest: FileDigest): Check | undefined {
  if (typeof manifest.checksum !== 'string') return undefined;
  const computed = digest.checksum;
  const ok = manifest.checksum === computed;
  // As `sha256sum -c` reads: the manifest says what the file should hash to; the file is what it got.
  return {
    name: 'checksum',
    ok,
    expected: manifest.checksum,
    actual: computed,
    ...(ok
      ? {}
      : {
          hint: hasCrlf(digest)
            ? CRLF_HINT
            : 'snapshot.sql is not the file this manifest describes (tampered, truncated or mixed up); use the artifact as uploaded.',
        }),
  };
}

/**
 * Verifies a snapshot: a directory (opened here, once) or files the caller opened and goes on
 * using, so that what it loads afterwards is what was verified.
 */
/**
 * `known` is the digest of snapshot.sql taken by whoever just wrote it from the bytes it wrote (a
 * pull, hashing as it downloads into a private directory): it spares a second read of the dump.
 */
export function verifySnapshot(
  snapshot: string | SnapshotFiles,
  expect: VerifyExpectations = {},
  known?: FileDigest,
): Promise<VerifyReport> {
  return withSnapshotFiles(snapshot, (files) => verifyFiles(files, expect, known));
}

async function verifyFiles(
  files: SnapshotFiles,
  expect: VerifyExpectations,
  known?: FileDigest,
): Promise<VerifyReport> {
  const { dumpPath, manifestPath } = files;
  const digest = known && known.size === files.dumpBytes ? known : await digestDescriptor(files.dumpFd);
  const parsed = parseManifestBytes(files.manifestBytes);
  const checks: Check[] = [];
  let manifest: ShapedManifest = {};
  if (parsed.object === undefined) {
    checks.push({
      name: 'manifest',
      ok: false,
      expected: 'a JSON object with the nine manifest fields',
      actual: `not valid: ${parsed.error}`,
      hint: 'manifest.json is damaged or truncated; download or rebuild the artifact.',
    });
  } else {
    const shaped = checkFieldShapes(parsed);
    manifest = shaped.manifest;
    checks.push(...shaped.checks);
  }
  const shapeRows = new Set(checks.filter((check) => check.ok));
  const valueCheck = checksumValueCheck(manifest, digest);
  if (valueCheck) checks.push(valueCheck);
  checks.push(sizeCheck(digest));
  checks.push(...expectationChecks(manifest, expect));
  // A field's passing shape row is redundant once a value or expectation row speaks for it.
  const speaksFor = (check: Check): boolean =>
    checks.some((other) => other !== check && other.name === check.name && !shapeRows.has(other));
  const shown = checks.filter((check) => !(shapeRows.has(check) && speaksFor(check)));
  const order = (name: string): number => {
    const index = (MANIFEST_FIELDS as readonly string[]).indexOf(name);
    return index < 0 ? (name === 'manifest' ? -1 : MANIFEST_FIELDS.length) : index;
  };
  shown.sort((a, b) => order(a.name) - order(b.name));
  return {
    ok: shown.every((check) => check.ok),
    checks: shown,
    manifest,
    dumpPath,
    manifestPath,
    dumpBytes: digest.size,
    computedChecksum: digest.checksum,
  };
}
