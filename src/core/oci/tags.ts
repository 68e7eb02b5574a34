/**
 * The tag scheme: `cm<model>-cs<cache>-v<control_version>` names one snapshot and never moves;
 * `cm<model>-cs<cache>` names the newest snapshot of that model and cache shape and only moves
 * forward. The registry has no compare-and-set, so the moving tag is set to the highest version
 * tag the pusher can see, then read back; every write is followed by such a check, so of two
 * concurrent pushes the last check leaves the newest snapshot in place, never an older one.
 */
import type { Manifest } from '../format/manifest.ts';
import { UINT64_MAX } from '../shared/int64.ts';
import { versionAnnotation } from './artifact.ts';
import type { RegistryClient } from './client.ts';
import { getManifest, listTags, putManifest } from './registry.ts';

type Versions = Pick<Manifest, 'control_model_version' | 'cache_schema_version' | 'control_version'>;

export const movingTag = (manifest: Versions): string =>
  `cm${manifest.control_model_version}-cs${manifest.cache_schema_version}`;
export const immutableTag = (manifest: Versions): string => `${movingTag(manifest)}-v${manifest.control_version}`;

/** Tags that are no snapshot: signatures, attestations, digest-named tags. */
export const isForeignTag = (tag: string): boolean =>
  tag.startsWith('sha256-') || tag.endsWith('.sig') || tag.endsWith('.att');

/** A version as a tag or an annotation writes it: a decimal uint64, no sign, no leading zero. */
export function uint64Text(text: unknown): bigint | undefined {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(text)) return undefined;
  const value = BigInt(text);
  return value <= UINT64_MAX ? value : undefined;
}

export interface VersionTag {
  model: bigint;
  cache: bigint;
  version: bigint;
}

/** The versions a version tag names, or undefined for any other tag. */
export function parseVersionTag(tag: string): VersionTag | undefined {
  const match = /^cm([0-9]+)-cs([0-9]+)-v([0-9]+)$/.exec(tag);
  if (!match) return undefined;
  const [model, cache, version] = match.slice(1).map(uint64Text);
  return model === undefined || cache === undefined || version === undefined ? undefined : { model, cache, version };
}

/** The control_version a manifest's annotation says, or undefined when it says none. */
export const annotatedControlVersion = (json: unknown): bigint | undefined =>
  uint64Text(
    (json as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[
      versionAnnotation('control_version')
    ],
  );

/** Points the moving tag at the newest version tag of the same model and cache shape. */
export async function advanceMovingTag(client: RegistryClient, manifest: Versions): Promise<void> {
  const moving = movingTag(manifest);
  const prefix = `${moving}-v`;
  for (let round = 0; round < 10; round++) {
    let best: bigint | undefined;
    for (const tag of await listTags(client)) {
      const named = parseVersionTag(tag);
      if (named?.model !== manifest.control_model_version || named.cache !== manifest.cache_schema_version) continue;
      if (best === undefined || named.version > best) best = named.version;
    }
    if (best === undefined) return;
    const current = await getManifest(client, moving);
    const currentVersion = current ? annotatedControlVersion(current.json) : undefined;
    if (currentVersion !== undefined && currentVersion >= best) return;
    const newest = await getManifest(client, `${prefix}${best}`);
    if (!newest) continue;
    await putManifest(client, moving, newest.bytes);
  }
}
