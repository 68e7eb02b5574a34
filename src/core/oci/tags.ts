/**
 * The tag scheme: `cm<model>-cs<cache>-v<control_version>` names one snapshot and never moves;
 * `cm<model>-cs<cache>` names the newest snapshot of that model and cache shape and only moves
 * forward. The registry has no compare-and-set, so the moving tag is set to the highest version
 * tag the pusher can see, then read back; every write is followed by such a check, so of two
 * concurrent pushes the last check leaves the newest snapshot in place, never an older one.
 */
import type { Manifest } from '../format/manifest.ts';
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

/** The control_version a manifest's annotation says, or undefined when it says none. */
export function annotatedControlVersion(json: unknown): bigint | undefined {
  const text = (json as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[
    versionAnnotation('control_version')
  ];
  return typeof text === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(text) ? BigInt(text) : undefined;
}

/** Points the moving tag at the newest version tag of the same model and cache shape. */
export async function advanceMovingTag(client: RegistryClient, manifest: Versions): Promise<void> {
  const moving = movingTag(manifest);
  const prefix = `${moving}-v`;
  for (let round = 0; round < 10; round++) {
    let best: bigint | undefined;
    for (const tag of await listTags(client)) {
      const digits = tag.startsWith(prefix) ? tag.slice(prefix.length) : '';
      if (!/^(0|[1-9][0-9]{0,19})$/.test(digits)) continue;
      const version = BigInt(digits);
      if (best === undefined || version > best) best = version;
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
