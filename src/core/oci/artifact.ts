/**
 * A snapshot as an OCI artifact (image-spec 1.1, as ORAS writes them): one image manifest whose
 * `artifactType` is `application/vnd.sqlite-snapshot.v1`, the empty config, and two uncompressed
 * layers titled `manifest.json` and `snapshot.sql`, so `oras pull` and `skopeo copy` see two
 * ordinary files. The `snapshot.sql` layer's digest is the manifest's checksum: the same sha256 of
 * the same bytes. Every version field is also an annotation, so a consumer can choose a snapshot
 * by reading manifests only.
 */
import { createdAt, DUMP_FILE, MANIFEST_FILE, type Manifest } from '../format/manifest.ts';
import { ioError } from '../shared/errors.ts';
import { DIGEST } from './reference.ts';

export const ARTIFACT_TYPE = 'application/vnd.sqlite-snapshot.v1';
export const IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const EMPTY_CONFIG = 'application/vnd.oci.empty.v1+json';
export const LAYER_MEDIA_TYPES: Record<string, string> = {
  [MANIFEST_FILE]: 'application/vnd.sqlite-snapshot.manifest.v1+json',
  [DUMP_FILE]: 'application/vnd.sqlite-snapshot.dump.v1.sql',
};
/** The empty config blob, `{}`, and its digest (the image spec's well-known value). */
export const EMPTY_BLOB = Buffer.from('{}');
export const EMPTY_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
export const TITLE = 'org.opencontainers.image.title';
/** The annotation of a version field: the field's own name under our prefix. */
export const versionAnnotation = (field: string): string => `org.sqlite-snapshot.${field}`;
export const VERSION_FIELDS = [
  'control_model_version',
  'cache_schema_version',
  'control_version',
  'db_migration_version',
  'source_chassis_version',
] as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations: Record<string, string>;
}

export interface Provenance {
  created: string;
  source?: string;
  revision?: string;
}

/**
 * Where and when a push happens, from the environment: now (or SOURCE_DATE_EPOCH), and in a
 * GitHub workflow the repository's URL and the commit.
 */
export const provenanceFrom = (env: NodeJS.ProcessEnv): Provenance => ({
  created: createdAt(env),
  source:
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined,
  revision: env.GITHUB_SHA || undefined,
});

/** The image manifest of a snapshot whose two files have these descriptors. */
export function imageManifest(
  manifest: Manifest,
  files: { manifest: Descriptor; dump: Descriptor },
  provenance: Provenance,
): ImageManifest {
  const annotations: Record<string, string> = { 'org.opencontainers.image.created': provenance.created };
  if (provenance.source) annotations['org.opencontainers.image.source'] = provenance.source;
  if (provenance.revision) annotations['org.opencontainers.image.revision'] = provenance.revision;
  for (const field of VERSION_FIELDS) annotations[versionAnnotation(field)] = String(manifest[field]);
  return {
    schemaVersion: 2,
    mediaType: IMAGE_MANIFEST,
    artifactType: ARTIFACT_TYPE,
    config: { mediaType: EMPTY_CONFIG, digest: EMPTY_DIGEST, size: EMPTY_BLOB.length },
    layers: [
      { ...files.manifest, annotations: { [TITLE]: MANIFEST_FILE } },
      { ...files.dump, annotations: { [TITLE]: DUMP_FILE } },
    ],
    annotations,
  };
}

/**
 * The two layers of a pulled artifact, by file name, after checking it is one of ours: the right
 * artifact type, exactly two layers titled as plain file names we know. A title is never used as
 * a path: anything else (`../x`, `a/b`) is refused.
 */
export function snapshotLayers(manifest: unknown, where: string): { manifest: Descriptor; dump: Descriptor } {
  const image = manifest as Partial<ImageManifest> | undefined;
  const refuse = (why: string) =>
    ioError(
      `${where} is not a sqlite-snapshot artifact: ${why}.`,
      'Point at a snapshot pushed with sqlite-snapshot push.',
    );
  if (image?.artifactType !== ARTIFACT_TYPE) throw refuse(`its artifactType is not ${ARTIFACT_TYPE}`);
  const layers = Array.isArray(image.layers) ? image.layers : [];
  const byTitle = new Map<string, Descriptor>();
  for (const layer of layers) {
    const title = layer?.annotations?.[TITLE];
    if (title !== MANIFEST_FILE && title !== DUMP_FILE)
      throw refuse('a layer is not titled manifest.json or snapshot.sql');
    if (byTitle.has(title)) throw refuse(`two layers are titled ${title}`);
    if (!DIGEST.test(String(layer.digest)) || !Number.isSafeInteger(layer.size) || layer.size < 0) {
      throw refuse(`the ${title} layer has no valid digest and size`);
    }
    byTitle.set(title, layer);
  }
  const manifestLayer = byTitle.get(MANIFEST_FILE);
  const dumpLayer = byTitle.get(DUMP_FILE);
  if (!manifestLayer || !dumpLayer || layers.length !== 2) throw refuse('it does not hold exactly the two files');
  return { manifest: manifestLayer, dump: dumpLayer };
}
