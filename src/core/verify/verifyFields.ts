/**
 * Shape checks of the manifest's fields: presence, uniqueness, JSON type, fixed values and syntax.
 * A Go consumer unmarshals the manifest into typed fields (docs/format.md §1), so a manifest passes only if
 * Go's encoding/json reads exactly the values it says: Go reads a lone surrogate escape as U+FFFD,
 * matches keys case-insensitively, lets the last duplicate win and reads null as a zero value, so
 * all of these are refused. Every value shown in a row is cut short and escaped (docs/format.md §6).
 */
import {
  MANIFEST_FIELDS,
  MANIFEST_FORMAT,
  MANIFEST_KIND,
  type Manifest,
  type ManifestField,
} from '../format/manifest.ts';
import type { ParsedManifestText } from '../format/manifestParse.ts';
import type { Check } from '../shared/check.ts';
import { INT64_MAX, INT64_MIN, UINT64_MAX } from '../shared/int64.ts';
import { printableShort, quoted } from '../shared/untrusted.ts';

export type ShapedManifest = Partial<Manifest>;

const REBUILD = 'Rebuild the artifact with sqlite-snapshot build; do not edit manifest.json by hand.';
const CHECKSUM_PATTERN = /^sha256:[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

interface FieldRule {
  describe: string;
  /** The one value the field must hold (kind, format), for the JSON face, which shows values unquoted. */
  expectedValue?: string;
  /** Returns the typed value, or why the raw value does not fit. */
  accept: (value: unknown, source: string | undefined) => { value: string | bigint } | { problem: string };
}

/** How much of a manifest string a check row shows: a whole checksum, never a flood. */
const SHOWN_CHARS = 100;

/** A string from the manifest as a check row shows it: quoted, escaped, cut short. */
export const shownString = (text: string): string => quoted(text, SHOWN_CHARS);

/** A number's source text (only JSON number characters), cut short. */
const shownNumber = (source: string): string =>
  source.length > 40 ? `${source.slice(0, 40)}… (${source.length} characters)` : source;

/** Unknown keys named one row each; a file with thousands of keys must not flood the report. */
const UNKNOWN_KEYS_NAMED = 10;

const jsonType = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
};

/** A field's value of the wrong type: the type, and a scalar's value, short. */
const describeJson = (value: unknown, source?: string): string => {
  if (typeof value === 'string') return `string ${shownString(value)}`;
  if (typeof value === 'number') return `number ${shownNumber(source ?? `${value}`)}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  return jsonType(value);
};

const stringRule = (describe: string, valid?: (text: string) => boolean): FieldRule => ({
  describe,
  accept: (value) => {
    if (typeof value !== 'string') return { problem: describeJson(value) };
    if (!value.isWellFormed()) {
      return {
        problem: `${shownString(value.toWellFormed())} with a lone surrogate escape such as \\ud800 (Go reads U+FFFD instead)`,
      };
    }
    if (valid && !valid(value)) return { problem: shownString(value) };
    return { value };
  },
});

const integerRule = (min: bigint, max: bigint): FieldRule => ({
  describe: `a JSON integer in ${min}..${max}`,
  accept: (value, source) => {
    if (typeof value !== 'number' || source === undefined) return { problem: describeJson(value) };
    if (!/^-?\d+$/.test(source)) return { problem: `${shownNumber(source)} (not a whole number)` };
    // Go's uint64 refuses -0 and its int reads 0: only the form build writes, 0, means zero.
    if (source === '-0') return { problem: '-0 (write 0)' };
    const exact = BigInt(source);
    if (exact < min || exact > max) return { problem: `${shownNumber(source)} (out of range)` };
    return { value: exact };
  },
});

/**
 * The field Go's encoding/json would fill from `key`: it matches names case-insensitively, with
 * Unicode simple folding, so the Kelvin sign K matches k and the long s ſ matches s.
 */
function fieldGoReads(key: string): string | undefined {
  const folded = key.toLowerCase().replaceAll('\u017f', 's');
  return (MANIFEST_FIELDS as readonly string[]).find((field) => field === folded);
}

const RULES: Record<ManifestField, FieldRule> = {
  kind: {
    ...stringRule(JSON.stringify(MANIFEST_KIND), (text) => text === MANIFEST_KIND),
    expectedValue: MANIFEST_KIND,
  },
  format: {
    ...stringRule(JSON.stringify(MANIFEST_FORMAT), (text) => text === MANIFEST_FORMAT),
    expectedValue: MANIFEST_FORMAT,
  },
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
    const raw = object[field];
    // JSON shows a string that was compared as itself, not quoted a second time.
    const values = {
      ...(rule.expectedValue === undefined ? {} : { expectedValue: rule.expectedValue }),
      ...(typeof raw === 'string' && raw.isWellFormed() ? { actualValue: raw } : {}),
    };
    const result = rule.accept(raw, parsed.numberSources.get(field));
    if ('problem' in result) {
      checks.push({
        name: field,
        ok: false,
        expected: rule.describe,
        actual: result.problem,
        hint: REBUILD,
        ...values,
      });
      continue;
    }
    manifest[field] = result.value;
    const actual = typeof result.value === 'bigint' ? `${result.value}` : shownString(result.value);
    checks.push({ name: field, ok: true, expected: rule.describe, actual, ...values });
  }
  const unknown = [...new Set(parsed.keys)].filter((key) => !(MANIFEST_FIELDS as readonly string[]).includes(key));
  for (const key of unknown.slice(0, UNKNOWN_KEYS_NAMED)) {
    const readAs = fieldGoReads(key);
    // Its value is not shown, only its type: a key that is no field may hold anything (a token).
    checks.push({
      // Named as written (the faces escape names), but never longer than a field name can be.
      name: printableShort(key, 40),
      ok: false,
      expected: readAs
        ? `no such field: the field is spelled ${readAs}, exactly`
        : 'no such field (the manifest has exactly nine)',
      actual: readAs
        ? `present: Go matches names case-insensitively and would read it as ${readAs}`
        : `present: ${jsonType(object[key])}`,
      hint: REBUILD,
    });
  }
  if (unknown.length > UNKNOWN_KEYS_NAMED) {
    checks.push({
      name: 'more fields',
      ok: false,
      expected: 'no such fields (the manifest has exactly nine)',
      actual: `${unknown.length - UNKNOWN_KEYS_NAMED} more unknown fields, not listed`,
      hint: REBUILD,
    });
  }
  return { manifest: manifest as ShapedManifest, checks };
}
