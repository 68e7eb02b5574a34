/**
 * Shape checks of the manifest's fields: presence, uniqueness, JSON type, fixed values and syntax.
 * A Go consumer unmarshals the manifest into typed fields, so types are checked as Go would need.
 */
import {
  INT64_MAX,
  INT64_MIN,
  MANIFEST_FIELDS,
  MANIFEST_FORMAT,
  MANIFEST_KIND,
  type Manifest,
  type ManifestField,
  UINT64_MAX,
} from './manifest.ts';
import type { ParsedManifestText } from './manifestParse.ts';
import type { Check } from './verify.ts';

export type ShapedManifest = Partial<Manifest>;

const REBUILD = 'Rebuild the artifact with sqlite-snapshot build; do not edit manifest.json by hand.';
const CHECKSUM_PATTERN = /^sha256:[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface FieldRule {
  describe: string;
  /** Returns the typed value, or why the raw value does not fit. */
  accept: (value: unknown, source: string | undefined) => { value: string | bigint } | { problem: string };
}

const describeJson = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
};

const stringRule = (describe: string, valid?: (text: string) => boolean): FieldRule => ({
  describe,
  accept: (value) => {
    if (typeof value !== 'string') return { problem: describeJson(value) };
    if (valid && !valid(value)) return { problem: JSON.stringify(value) };
    return { value };
  },
});

const integerRule = (min: bigint, max: bigint): FieldRule => ({
  describe: `a JSON integer in ${min}..${max}`,
  accept: (value, source) => {
    if (typeof value !== 'number' || source === undefined) return { problem: describeJson(value) };
    if (!/^-?\d+$/.test(source)) return { problem: `${source} (not a whole number)` };
    const exact = BigInt(source);
    if (exact < min || exact > max) return { problem: `${source} (out of range)` };
    return { value: exact };
  },
});

const RULES: Record<ManifestField, FieldRule> = {
  kind: stringRule(JSON.stringify(MANIFEST_KIND), (text) => text === MANIFEST_KIND),
  format: stringRule(JSON.stringify(MANIFEST_FORMAT), (text) => text === MANIFEST_FORMAT),
  checksum: stringRule('"sha256:" + 64 lowercase hex digits', (text) => CHECKSUM_PATTERN.test(text)),
  control_model_version: integerRule(INT64_MIN, INT64_MAX),
  cache_schema_version: integerRule(INT64_MIN, INT64_MAX),
  control_version: integerRule(0n, UINT64_MAX),
  created_at: stringRule('an RFC 3339 UTC time with seconds, e.g. 2026-11-27T04:05:34Z', (text) => {
    if (!TIMESTAMP_PATTERN.test(text) || Number.isNaN(Date.parse(text))) return false;
    // Date.parse rolls impossible days over (Feb 30 → Mar 2); the round trip catches that.
    return `${new Date(text).toISOString().slice(0, 19)}Z` === text;
  }),
  source_chassis_version: stringRule('a string'),
  db_migration_version: stringRule('a string'),
};

export function checkFieldShapes(parsed: ParsedManifestText): { manifest: ShapedManifest; checks: Check[] } {
  const object = parsed.object ?? {};
  const manifest: Record<string, string | bigint> = {};
  const checks: Check[] = [];
  const counts = new Map<string, number>();
  for (const key of parsed.keys) counts.set(key, (counts.get(key) ?? 0) + 1);

  for (const field of MANIFEST_FIELDS) {
    const rule = RULES[field];
    const count = counts.get(field) ?? 0;
    if (count === 0) {
      checks.push({ name: field, ok: false, expected: rule.describe, actual: 'missing', hint: REBUILD });
      continue;
    }
    if (count > 1) {
      checks.push({
        name: field,
        ok: false,
        expected: 'exactly one occurrence',
        actual: `${count} occurrences (JSON readers disagree on which one wins)`,
        hint: REBUILD,
      });
      continue;
    }
    const result = rule.accept(object[field], parsed.numberSources.get(field));
    if ('problem' in result) {
      checks.push({ name: field, ok: false, expected: rule.describe, actual: result.problem, hint: REBUILD });
      continue;
    }
    manifest[field] = result.value;
    const actual = typeof result.value === 'bigint' ? `${result.value}` : JSON.stringify(result.value);
    checks.push({ name: field, ok: true, expected: rule.describe, actual });
  }
  for (const key of new Set(parsed.keys)) {
    if ((MANIFEST_FIELDS as readonly string[]).includes(key)) continue;
    checks.push({
      name: key,
      ok: false,
      expected: 'no such field (the manifest has exactly nine)',
      actual: `present: ${describeJson(object[key])}`,
      hint: REBUILD,
    });
  }
  return { manifest: manifest as ShapedManifest, checks };
}
