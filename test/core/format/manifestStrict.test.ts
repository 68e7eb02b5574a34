/**
 * Differential test of verify's manifest reading against the real Go encoding/json (docs/format.md §1):
 * verify accepts a manifest only if Go decodes it into the consumer's struct with exactly the
 * values verify read. Hand-picked edge cases pin down both readers' verdicts; a seeded corpus of
 * mutations looks for the cases nobody thought of. Go runs once per batch, not once per case.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestBytes } from '../../../src/core/format/manifestParse.ts';
import { checkFieldShapes } from '../../../src/core/verify/verifyFields.ts';
import { seededRandom } from '../../random.ts';
import { type GoVerdict, judgeWithGo } from './goManifest.ts';

const CHECKSUM = 'sha256:a78b55eee4e355cbe81e262c4c363aa5848619c2ee185c20845a9661fe9de47d';

/** A manifest as raw JSON tokens, so mutations can touch the text itself. */
type Members = [key: string, value: string][];

const baseMembers = (): Members => [
  ['"kind"', '"bootstrap.sqlite.dump"'],
  ['"format"', '"sqlite3dump.sql"'],
  ['"checksum"', `"${CHECKSUM}"`],
  ['"control_model_version"', '7'],
  ['"cache_schema_version"', '3'],
  ['"control_version"', '9007199254740993'],
  ['"created_at"', '"2026-11-27T04:05:34Z"'],
  ['"source_chassis_version"', '"f38901d8d375d4d8d337dd62af249d2f74f38ead"'],
  ['"db_migration_version"', '"20260101120000"'],
];

/** The values the base manifest says, as verify and Go's re-encoding (read exactly) give them. */
const BASE_VALUES = {
  kind: 'bootstrap.sqlite.dump',
  format: 'sqlite3dump.sql',
  checksum: CHECKSUM,
  control_model_version: 7n,
  cache_schema_version: 3n,
  control_version: 9007199254740993n,
  created_at: '2026-11-27T04:05:34Z',
  source_chassis_version: 'f38901d8d375d4d8d337dd62af249d2f74f38ead',
  db_migration_version: '20260101120000',
};

/** JSON text of the members: 2-space JSON as build writes it, or with `ws` between every token. */
function render(members: Members, ws?: () => string): string {
  if (!ws) return `{\n${members.map(([key, value]) => `  ${key}: ${value}`).join(',\n')}\n}\n`;
  const body = members.map(([key, value]) => `${ws()}${key}${ws()}:${ws()}${value}${ws()}`).join(',');
  return `${ws()}{${body}${members.length === 0 ? ws() : ''}}${ws()}`;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A marker character in a rendered manifest, swapped afterwards for raw bytes that are not UTF-8. */
const RAW_MARKER = '\ue000';
function withRawBytes(text: string, raw: number[]): Uint8Array {
  const bytes = Buffer.from(text, 'utf8');
  const at = bytes.indexOf(Buffer.from(RAW_MARKER, 'utf8'));
  assert.ok(at >= 0, 'the marker is in the text');
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(raw), bytes.subarray(at + 3)]);
}

const withValue = (field: string, value: string): Members =>
  baseMembers().map(([key, old]) => [key, key === `"${field}"` ? value : old]);
const withKey = (field: string, key: string): Members =>
  baseMembers().map(([old, value]) => [old === `"${field}"` ? key : old, value]);

interface OurVerdict {
  accepted: boolean;
  why: string;
  manifest: Record<string, unknown>;
}

function judgeOurs(bytes: Uint8Array): OurVerdict {
  const parsed = parseManifestBytes(bytes);
  if (parsed.object === undefined) return { accepted: false, why: `${parsed.error}`, manifest: {} };
  const { manifest, checks } = checkFieldShapes(parsed);
  const failed = checks.filter((check) => !check.ok);
  const why = failed.map((check) => `${check.name}: ${check.actual}`).join('; ');
  return { accepted: failed.length === 0, why, manifest };
}

const show = (bytes: Uint8Array): string => {
  const text = Buffer.from(bytes).toString('latin1');
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
};

/** The property: accepted by verify ⇒ accepted by Go with the very values verify read. */
function disagreement(bytes: Uint8Array, ours: OurVerdict, go: GoVerdict): string | undefined {
  if (!ours.accepted) return undefined;
  if (!go.ok) return `verify accepts what Go rejects (${go.error}): ${show(bytes)}`;
  try {
    assert.deepEqual(go.manifest, ours.manifest);
  } catch {
    return `Go reads other values than verify: go=${JSON.stringify(go.manifest, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))} in ${show(bytes)}`;
  }
  return undefined;
}

interface EdgeCase {
  what: string;
  bytes: Uint8Array;
  /** Go's verdict: rejected, or the values it decodes that differ from the base manifest. */
  go: 'rejects' | Partial<typeof BASE_VALUES>;
  verify: 'accepts' | 'rejects';
}

const edge = (what: string, text: string | Uint8Array, go: EdgeCase['go'], verify: EdgeCase['verify']): EdgeCase => ({
  what,
  bytes: typeof text === 'string' ? utf8(text) : text,
  go,
  verify,
});

const EDGE_CASES: EdgeCase[] = [
  edge('the canonical manifest', render(baseMembers()), {}, 'accepts'),
  edge(
    'control_version -0 (a uint64 cannot be negative zero)',
    render(withValue('control_version', '-0')),
    'rejects',
    'rejects',
  ),
  // Go's int reads -0 as 0; verify wants the canonical 0 all the same: no writer produces -0.
  edge(
    'control_model_version -0',
    render(withValue('control_model_version', '-0')),
    { control_model_version: 0n },
    'rejects',
  ),
  edge('control_version 1.0', render(withValue('control_version', '1.0')), 'rejects', 'rejects'),
  edge('control_version 1e2', render(withValue('control_version', '1e2')), 'rejects', 'rejects'),
  edge('control_version 1E+2', render(withValue('control_version', '1E+2')), 'rejects', 'rejects'),
  edge('control_version 01', render(withValue('control_version', '01')), 'rejects', 'rejects'),
  edge('control_version +1', render(withValue('control_version', '+1')), 'rejects', 'rejects'),
  edge('control_version 2^64', render(withValue('control_version', '18446744073709551616')), 'rejects', 'rejects'),
  edge(
    'control_version 2^64-1',
    render(withValue('control_version', '18446744073709551615')),
    { control_version: 18446744073709551615n },
    'accepts',
  ),
  edge('control_version -1', render(withValue('control_version', '-1')), 'rejects', 'rejects'),
  edge('control_version as a string', render(withValue('control_version', '"5"')), 'rejects', 'rejects'),
  edge(
    'cache_schema_version -2^63',
    render(withValue('cache_schema_version', '-9223372036854775808')),
    { cache_schema_version: -9223372036854775808n },
    'accepts',
  ),
  edge(
    'cache_schema_version 2^63',
    render(withValue('cache_schema_version', '9223372036854775808')),
    'rejects',
    'rejects',
  ),
  edge(
    'a duplicated kind (Go: the last one wins)',
    render([...baseMembers(), ['"kind"', '"x"']]),
    { kind: 'x' },
    'rejects',
  ),
  // Go matches keys case-insensitively: "Checksum" fills checksum, so a case variant is refused.
  edge('"Checksum" for checksum', render(withKey('checksum', '"Checksum"')), {}, 'rejects'),
  edge(
    'checksum, then "CHECKSUM" overriding it in Go',
    render([...baseMembers(), ['"CHECKSUM"', '"sha256:0"']]),
    { checksum: 'sha256:0' },
    'rejects',
  ),
  edge('the Kelvin sign K for k in "kind"', render(withKey('kind', '"\u212aind"')), {}, 'rejects'),
  edge(
    'an escaped long s ſ for s in "source_chassis_version"',
    render(withKey('source_chassis_version', '"\\u017fource_chassis_version"')),
    {},
    'rejects',
  ),
  edge('a key written with escapes', render(withKey('kind', '"\\u006bind"')), {}, 'accepts'),
  edge('an unknown field', render([...baseMembers(), ['"extra"', '1']]), 'rejects', 'rejects'),
  edge('a missing field (Go: zero value)', render(baseMembers().slice(0, 8)), { db_migration_version: '' }, 'rejects'),
  edge(
    'null for control_version (Go: zero value)',
    render(withValue('control_version', 'null')),
    { control_version: 0n },
    'rejects',
  ),
  edge(
    'null for db_migration_version',
    render(withValue('db_migration_version', 'null')),
    { db_migration_version: '' },
    'rejects',
  ),
  edge(
    'an object for db_migration_version',
    render(withValue('db_migration_version', '{"v":"1"}')),
    'rejects',
    'rejects',
  ),
  edge('a UTF-8 byte order mark', `\ufeff${render(baseMembers())}`, 'rejects', 'rejects'),
  edge('trailing data', `${render(baseMembers())}x`, 'rejects', 'rejects'),
  edge('a second object', `${render(baseMembers())}{}`, 'rejects', 'rejects'),
  edge('trailing whitespace', `${render(baseMembers())} \r\n\t`, {}, 'accepts'),
  edge('an array at the top', `[${render(baseMembers())}]`, 'rejects', 'rejects'),
  edge('an empty file', '', 'rejects', 'rejects'),
  edge(
    '\\u0000 in a string',
    render(withValue('db_migration_version', '"a\\u0000b"')),
    { db_migration_version: 'a\u0000b' },
    'accepts',
  ),
  edge(
    'a surrogate pair escape',
    render(withValue('db_migration_version', '"\\ud83d\\ude00"')),
    { db_migration_version: '😀' },
    'accepts',
  ),
  edge(
    'an escaped slash',
    render(withValue('db_migration_version', '"a\\/b"')),
    { db_migration_version: 'a/b' },
    'accepts',
  ),
  // Go turns every ill-formed piece of a string into U+FFFD: accepted, but not what the text says.
  edge(
    'a lone high surrogate escape',
    render(withValue('db_migration_version', '"\\ud800"')),
    { db_migration_version: '\ufffd' },
    'rejects',
  ),
  edge(
    'a lone low surrogate escape',
    render(withValue('db_migration_version', '"\\udc00"')),
    { db_migration_version: '\ufffd' },
    'rejects',
  ),
  edge(
    'a high surrogate before a letter',
    render(withValue('db_migration_version', '"\\ud800\\u0041"')),
    { db_migration_version: '\ufffdA' },
    'rejects',
  ),
  edge(
    'a reversed surrogate pair',
    render(withValue('db_migration_version', '"\\ude00\\ud83d"')),
    { db_migration_version: '\ufffd\ufffd' },
    'rejects',
  ),
  edge(
    'raw 0xff in a string',
    withRawBytes(render(withValue('source_chassis_version', `"a${RAW_MARKER}b"`)), [0xff]),
    { source_chassis_version: 'a\ufffdb' },
    'rejects',
  ),
  edge(
    'a UTF-8-encoded surrogate in a string',
    withRawBytes(render(withValue('source_chassis_version', `"${RAW_MARKER}"`)), [0xed, 0xa0, 0x80]),
    { source_chassis_version: '\ufffd\ufffd\ufffd' },
    'rejects',
  ),
  edge(
    'an overlong encoding in a string',
    withRawBytes(render(withValue('source_chassis_version', `"${RAW_MARKER}"`)), [0xc0, 0xaf]),
    { source_chassis_version: '\ufffd\ufffd' },
    'rejects',
  ),
];

test('hand-picked edge cases: Go and verify each give the verdict the manifest rules promise', () => {
  const verdicts = judgeWithGo(EDGE_CASES.map((edgeCase) => edgeCase.bytes));
  const wrong: string[] = [];
  EDGE_CASES.forEach((edgeCase, index) => {
    const go = verdicts[index]!;
    const ours = judgeOurs(edgeCase.bytes);
    if (edgeCase.go === 'rejects') {
      if (go.ok) wrong.push(`${edgeCase.what}: Go accepts it`);
    } else if (!go.ok) {
      wrong.push(`${edgeCase.what}: Go rejects it (${go.error})`);
    } else {
      try {
        assert.deepEqual(go.manifest, { ...BASE_VALUES, ...edgeCase.go });
      } catch (error) {
        wrong.push(`${edgeCase.what}: Go's values differ: ${(error as Error).message}`);
      }
    }
    if (ours.accepted !== (edgeCase.verify === 'accepts')) {
      wrong.push(`${edgeCase.what}: verify ${ours.accepted ? 'accepts' : `rejects (${ours.why})`}`);
    }
    const broken = disagreement(edgeCase.bytes, ours, go);
    if (broken) wrong.push(`${edgeCase.what}: ${broken}`);
  });
  assert.deepEqual(wrong, []);
});

class Dice {
  private readonly random: () => number;
  constructor(random: () => number) {
    this.random = random;
  }
  int(below: number): number {
    return Math.floor(this.random() * below);
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** A uniform integer in [min, max]. */
  bigint(min: bigint, max: bigint): bigint {
    let r = 0n;
    for (let i = 0; i < 3; i++) r = (r << 32n) | BigInt(this.int(2 ** 32));
    return min + (r % (max - min + 1n));
  }
}

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  control_model_version: [-(2n ** 63n), 2n ** 63n - 1n],
  cache_schema_version: [-(2n ** 63n), 2n ** 63n - 1n],
  control_version: [0n, 2n ** 64n - 1n],
};
const FREE_STRINGS = ['source_chassis_version', 'db_migration_version'];

/** Characters for free strings: controls, quotes, separators, bidi, BOM, U+FFFD, astral. */
const STRING_CHARS = [
  ...'aZ09-._/ "\\',
  ...'\u0000\u0001\n\t\u001f\u007f\u0085é\u00a0\u2028\u2029\u202e\u2066\ufeff\ufffd日',
  '😀',
  '\u{10ffff}',
];

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const hex4 = (unit: number, dice: Dice): string => {
  const digits = unit.toString(16).padStart(4, '0');
  return `\\u${dice.chance(0.5) ? digits.toUpperCase() : digits}`;
};

/** A JSON string token for `value`, escaping what must be and, at random, what may be. */
function encodeString(value: string, dice: Dice, escapeShare = 0.2): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    const mustEscape = code < 0x20 || char === '"' || char === '\\';
    if (!mustEscape && !dice.chance(escapeShare)) out += char;
    else if (SHORT_ESCAPES[char] && dice.chance(0.7)) out += SHORT_ESCAPES[char];
    else for (let i = 0; i < char.length; i++) out += hex4(char.charCodeAt(i), dice);
  }
  return `${out}"`;
}

const NUMBER_EDGES = [
  '-0',
  '0',
  '-0.0',
  '0.0',
  '1.0',
  '1e2',
  '1E2',
  '1e+2',
  '1e-0',
  '10e-1',
  '-1',
  '01',
  '00',
  '+1',
  '.5',
  '5.',
  '1.5',
  '0x10',
  'Infinity',
  '-Infinity',
  'NaN',
  '-',
  '--1',
  '1_0',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999999',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '"5"',
  'null',
  'true',
  '[]',
  '{}',
  '[5]',
  '{"v":5}',
  '5 5',
  '\u00a05',
];
const VALUE_EDGES = [
  'null',
  'true',
  'false',
  '0',
  '-0',
  '""',
  '[]',
  '{}',
  '{"a":[1,{"b":null}]}',
  '["x"]',
  '[[[[[[[[[[]]]]]]]]]]',
  '"\\ud800"',
  '"\\udc00"',
  '"\\ud800\\u0041"',
  '"\\ude00\\ud83d"',
  '"\\ud83d\\ude00"',
  '"\\uD83D\\uDE00"',
  '"a\\ud800"',
  '"\\ud800\\ud800"',
  '"\\x41"',
  '"\\u12"',
  '"\\u12G4"',
  '"\\U0041"',
  '"\\a"',
  '"\t"',
  '"\u0000"',
  "'x'",
  '"open',
  '"\\u0000"',
  '"\ufffd"',
  '"\\ufffd"',
];
const KEY_EDGES = [
  '"extra"',
  '""',
  '"__proto__"',
  '"constructor"',
  '"toString"',
  '"KIND"',
  '"Kind"',
  '"kind "',
  '"kind\\u0000"',
];
const JUNK = ['x', '{}', 'null', ',', '}', '\u0000', '// comment', '\n{}', '"', '\ufeff', '0'];
const NOT_UTF8 = [
  [0xff],
  [0xfe],
  [0x80],
  [0xc0, 0x80],
  [0xc3],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];
const INTERESTING_BYTES = [
  0x22, 0x5c, 0x7b, 0x7d, 0x2c, 0x3a, 0x30, 0x2d, 0x65, 0x2e, 0x20, 0x0a, 0x00, 0x80, 0xc3, 0xff, 0xed, 0x75,
];

interface Member {
  /** The field this member started as: which values fit it. */
  field: string;
  key: string;
  value: string;
}

interface Draft {
  members: Member[];
  ws: (() => string) | undefined;
  prefix: string;
  suffix: string;
  notUtf8: number[] | undefined;
  byteEdits: number;
  wrap: ((text: string) => string) | undefined;
}

interface Mutation {
  name: string;
  /** Whether it keeps every value the manifest says (both readers must still accept it). */
  keepsValues: boolean;
  apply(draft: Draft, dice: Dice): void;
}

const memberOf = (draft: Draft, dice: Dice, fields?: readonly string[]): Member => {
  const fitting = draft.members.filter((member) => !fields || fields.includes(member.field));
  return dice.pick(fitting.length > 0 ? fitting : draft.members);
};

const randomTimestamp = (dice: Dice): string =>
  `${new Date(Number(dice.bigint(0n, 253402300799n)) * 1000).toISOString().slice(0, 19)}Z`;

const MUTATIONS: Mutation[] = [
  { name: 'reorder', keepsValues: true, apply: (d, dice) => d.members.sort(() => dice.int(3) - 1) },
  {
    name: 'whitespace',
    keepsValues: true,
    apply: (d, dice) => (d.ws = () => dice.pick(['', ' ', '\t', '\n', '\r', '\r\n', '  \n\t '])),
  },
  {
    name: 'escape a key',
    keepsValues: true,
    apply: (d, dice) => {
      const m = memberOf(d, dice);
      if (m.key === `"${m.field}"`) m.key = encodeString(m.field, dice, 0.5);
    },
  },
  {
    name: 'escape a string value',
    keepsValues: true,
    apply: (d, dice) => {
      const m = memberOf(d, dice, ['kind', 'format', 'checksum', 'created_at', ...FREE_STRINGS]);
      if (m.value === `"${BASE_VALUES[m.field as keyof typeof BASE_VALUES]}"`)
        m.value = encodeString(JSON.parse(m.value), dice, 0.5);
    },
  },
  {
    name: 'another free string',
    keepsValues: true,
    apply: (d, dice) => {
      const chars = Array.from({ length: dice.int(12) }, () => dice.pick(STRING_CHARS));
      memberOf(d, dice, FREE_STRINGS).value = encodeString(chars.join(''), dice);
    },
  },
  {
    name: 'another integer in range',
    keepsValues: true,
    apply: (d, dice) => {
      const m = memberOf(d, dice, Object.keys(INTEGER_RANGES));
      const [min, max] = INTEGER_RANGES[m.field] ?? [0n, 0n];
      const candidates = [min, max, 0n, 1n, 2n ** 53n + 1n, dice.bigint(min, max), dice.bigint(0n, 1000n)];
      m.value = `${dice.pick(candidates.filter((value) => value >= min && value <= max))}`;
    },
  },
  {
    name: 'another created_at',
    keepsValues: true,
    apply: (d, dice) => (memberOf(d, dice, ['created_at']).value = `"${randomTimestamp(dice)}"`),
  },
  {
    name: 'whitespace around',
    keepsValues: true,
    apply: (d, dice) => {
      d.prefix += dice.pick([' ', '\n', '\t\r\n']);
      d.suffix += dice.pick([' ', '\n', '\r\n\t']);
    },
  },
  {
    name: 'an edge number',
    keepsValues: false,
    apply: (d, dice) => (memberOf(d, dice, Object.keys(INTEGER_RANGES)).value = dice.pick(NUMBER_EDGES)),
  },
  { name: 'an edge value', keepsValues: false, apply: (d, dice) => (memberOf(d, dice).value = dice.pick(VALUE_EDGES)) },
  {
    name: 'a key variant',
    keepsValues: false,
    apply: (d, dice) => {
      const m = memberOf(d, dice);
      const chars = [...m.field];
      const variants = [
        chars.map((c) => (dice.chance(0.4) ? c.toUpperCase() : c)).join(''),
        m.field.replace('k', dice.pick(['\u212a', '\\u212a', 'K'])),
        m.field.replace('s', dice.pick(['\u017f', '\\u017f', 'S'])),
        `$m.field`,
        m.field.slice(1),
      ];
      m.key = `"${dice.pick(variants)}"`;
    },
  },
  {
    name: 'a duplicate',
    keepsValues: false,
    apply: (d, dice) => {
      const m = memberOf(d, dice);
      const copy = { ...m, value: dice.chance(0.5) ? m.value : dice.pick([...VALUE_EDGES, '"x"', '1']) };
      d.members.splice(dice.int(d.members.length + 1), 0, copy);
    },
  },
  { name: 'a dropped field', keepsValues: false, apply: (d, dice) => d.members.splice(dice.int(d.members.length), 1) },
  {
    name: 'an extra field',
    keepsValues: false,
    apply: (d, dice) =>
      d.members.splice(dice.int(d.members.length + 1), 0, {
        field: 'extra',
        key: dice.pick(KEY_EDGES),
        value: dice.pick(VALUE_EDGES),
      }),
  },
  { name: 'a BOM', keepsValues: false, apply: (d) => (d.prefix = `\ufeff$d.prefix`) },
  { name: 'trailing junk', keepsValues: false, apply: (d, dice) => (d.suffix += dice.pick(JUNK)) },
  {
    name: 'bytes that are not UTF-8',
    keepsValues: false,
    apply: (d, dice) => {
      if (d.notUtf8) return;
      memberOf(d, dice, FREE_STRINGS).value =
        `"${dice.pick(['', 'a', 'é'])}${RAW_MARKER}${dice.pick(['', 'b', '😀'])}"`;
      d.notUtf8 = dice.pick(NOT_UTF8);
    },
  },
  { name: 'byte edits', keepsValues: false, apply: (d, dice) => (d.byteEdits += 1 + dice.int(3)) },
  {
    name: 'another top level',
    keepsValues: false,
    apply: (d, dice) =>
      (d.wrap = dice.pick([
        (t: string) => `[${t}]`,
        () => '"manifest"',
        () => '7',
        () => 'null',
        (t: string) => t.slice(0, -3),
      ])),
  },
];

function mutate(dice: Dice): { bytes: Uint8Array; keepsValues: boolean; steps: string[] } {
  const draft: Draft = {
    members: baseMembers().map(([key, value]) => ({ field: JSON.parse(key) as string, key, value })),
    ws: undefined,
    prefix: '',
    suffix: '',
    notUtf8: undefined,
    byteEdits: 0,
    wrap: undefined,
  };
  const steps: string[] = [];
  let keepsValues = true;
  for (let n = 1 + dice.int(3); n > 0; n--) {
    // Half the draws keep the values, so both readers must agree on plenty of accepted manifests.
    const pool = MUTATIONS.filter((mutation) => mutation.keepsValues === dice.chance(0.5));
    const mutation = dice.pick(pool);
    mutation.apply(draft, dice);
    steps.push(mutation.name);
    keepsValues &&= mutation.keepsValues;
  }
  let text = `${draft.prefix}${render(
    draft.members.map((m) => [m.key, m.value]),
    draft.ws,
  )}${draft.suffix}`;
  if (draft.wrap) text = draft.wrap(text);
  let bytes =
    draft.notUtf8 && text.includes(RAW_MARKER)
      ? Buffer.from(withRawBytes(text, draft.notUtf8))
      : Buffer.from(text, 'utf8');
  for (let i = 0; i < draft.byteEdits; i++) {
    const at = dice.int(bytes.length + 1);
    const byte = dice.chance(0.6) ? dice.pick(INTERESTING_BYTES) : dice.int(256);
    const op = dice.int(3);
    const head = bytes.subarray(0, at);
    const tail = bytes.subarray(op === 0 ? at : at + 1);
    bytes = op === 1 ? Buffer.concat([head, tail]) : Buffer.concat([head, Buffer.from([byte]), tail]);
  }
  return { bytes, keepsValues, steps };
}

const SEED = Number(process.env.MANIFEST_FUZZ_SEED ?? 20261127);
const CORPUS_SIZE = 4000;

test(`a seeded corpus of ${CORPUS_SIZE} mutated manifests: verify accepts only what Go reads with the same values (seed ${SEED})`, () => {
  const dice = new Dice(seededRandom(SEED));
  const corpus = Array.from({ length: CORPUS_SIZE }, () => mutate(dice));
  const verdicts = judgeWithGo(corpus.map((entry) => entry.bytes));
  const wrong: string[] = [];
  let bothAccept = 0;
  let goRejects = 0;
  corpus.forEach((entry, index) => {
    const go = verdicts[index]!;
    const ours = judgeOurs(entry.bytes);
    const steps = entry.steps.join(' + ');
    const broken = disagreement(entry.bytes, ours, go);
    if (broken) wrong.push(`#${index} (${steps}): ${broken}`);
    if (entry.keepsValues && !(ours.accepted && go.ok)) {
      wrong.push(
        `#${index} (${steps}) keeps every value, yet verify says ${ours.why || 'ok'} and Go ${go.error ?? 'ok'}: ${show(entry.bytes)}`,
      );
    }
    if (ours.accepted && go.ok) bothAccept++;
    if (!go.ok) goRejects++;
  });
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements; the first ten are shown`);
  // The corpus is no straw man: it holds many manifests of each verdict.
  assert.ok(bothAccept > CORPUS_SIZE / 5, `${bothAccept} manifests accepted by both`);
  assert.ok(goRejects > CORPUS_SIZE / 5, `${goRejects} manifests rejected by Go`);
});
