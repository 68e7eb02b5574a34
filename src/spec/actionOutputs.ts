/** The Action's outputs, once: which verbs set each, and whether the reusable workflow passes it on. */
import type { Verb } from './actionInputs.ts';

export interface OutputSpec {
  name: string;
  description: string;
  verbs: readonly Verb[];
  /** The reusable workflow's own wording, or false when it does not pass the output on. */
  workflow: false | { description?: string };
}

const ALL: readonly Verb[] = ['build', 'verify', 'restore'];

export const ACTION_OUTPUTS: readonly OutputSpec[] = [
  { name: 'verdict', description: 'passed or failed.', verbs: ALL, workflow: {} },
  {
    name: 'checksum',
    description: "The snapshot's checksum, sha256:<hex> of snapshot.sql.",
    verbs: ALL,
    workflow: {},
  },
  { name: 'manifest', description: 'The manifest, as JSON.', verbs: ALL, workflow: {} },
  // Paths on the job's runner mean nothing to the caller of a reusable workflow.
  { name: 'dump-path', description: 'Absolute path of snapshot.sql.', verbs: ALL, workflow: false },
  { name: 'manifest-path', description: 'Absolute path of manifest.json.', verbs: ALL, workflow: false },
  {
    name: 'artifact-name',
    description:
      'Name of the artifact uploaded or downloaded (with name-with-checksum, the content-addressed name); empty when none was.',
    verbs: ALL,
    workflow: {
      description: 'Name of the artifact uploaded or downloaded (with name-with-checksum, the content-addressed name).',
    },
  },
  {
    name: 'artifact-id',
    description: 'Id of the artifact uploaded (build) or downloaded (verify/restore); empty when none was.',
    verbs: ALL,
    workflow: {},
  },
  {
    name: 'artifact-digest',
    description:
      "sha256:<hex> digest of the artifact's archive, as the artifact service records it; empty when no artifact was used.",
    verbs: ALL,
    workflow: {},
  },
  { name: 'db-migration-version', description: "The manifest's db_migration_version.", verbs: ALL, workflow: {} },
  { name: 'control-version', description: "The manifest's control_version.", verbs: ALL, workflow: {} },
  {
    name: 'baseline-key',
    description:
      'The cache key of the baseline saved (build with save-baseline) or compared with (verify with compare-baseline); empty when none.',
    verbs: ['build', 'verify'],
    workflow: {},
  },
  {
    name: 'changed',
    description:
      "verify with compare-baseline: true when the snapshot's content or versions differ from the baseline (its checksum, schema, row counts or a version field; created_at and source_chassis_version do not count), false when not, empty when there was no baseline.",
    verbs: ['verify'],
    workflow: {},
  },
  {
    name: 'oci-reference',
    description:
      'The snapshot in the registry, pinned by digest (registry/repository@sha256:…): pushed (build with publish-to) or pulled (verify/restore with from); empty otherwise.',
    verbs: ALL,
    workflow: {},
  },
  {
    name: 'oci-digest',
    description: "The digest (sha256:…) of the snapshot's manifest in the registry; empty when no registry was used.",
    verbs: ALL,
    workflow: {},
  },
  {
    name: 'database',
    description: 'restore: absolute path of the restored database.',
    verbs: ['restore'],
    workflow: false,
  },
  {
    name: 'backup-path',
    description: 'restore: where the replaced database was kept; empty when nothing was replaced or backup is false.',
    verbs: ['restore'],
    workflow: false,
  },
];

export const outputsOf = (verb: Verb | undefined): readonly OutputSpec[] =>
  verb === undefined ? ACTION_OUTPUTS : ACTION_OUTPUTS.filter((output) => output.verbs.includes(verb));
