/**
 * The manifest side of the mutation fuzz: seeded mutations of a valid manifest.json, each with the
 * verdict docs/format.md §1 gives it, worked out here independently of the product's parser: exactly the
 * nine fields, once each, of their JSON types, kind and format fixed, the checksum `sha256:` + 64
 * lowercase hex of the dump, integers exact (control_version 0..2^64-1, the two model versions
 * int64 as Go reads them), created_at RFC 3339 UTC seconds; the file UTF-8 JSON, no BOM, under 64 KiB.
 */
import { between, pick, type Random } from '../sql/fuzzDump.ts';

const FIELDS = [
  'kind',
  'format',
  'checksum',
  'control_model_version',
  'cache_schema_version',
  'control_version',
  'created_at',
  'source_chassis_version',
  'db_migration_version',
] as const;
type Field = (typeof FIELDS)[number];

const INTEGER_RANGES: Partial<Record<Field, [bigint, bigint]>> = {
  control_model_version: [-(1n << 63n), (1n << 63n) - 1n],
  cache_schema_version: [-(1n << 63n), (1n << 63n) - 1n],
  control_version: [0n, (1n << 64n) - 1n],
};

/** A manifest as key and value JSON texts, in order: duplicates and odd spellings survive. */
type Entry = [key: string, value: string];

export interface ManifestMutation {
  bytes: Buffer;
  what: string[];
  /** Extra restore flags (version expectations) the trial passes. */
  flags: string[];
  /** true: must restore; false: must be refused as a failed verification. */
  valid: boolean;
  /** A check row the refusal must show (`  - <name>: …`), when one field alone is wrong. */
  names: string[];
}

function validValue(field: Field, raw: string, checksum: string): boolean {
  const range = INTEGER_RANGES[field];
  if (range) {
    if (!/^-?(?:0|[1-9][0-9]*)$/.test(raw) || raw === '-0') return false;
    const value = BigInt(raw);
    return value >= range[0] && value <= range[1];
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return false;
  }
  if (typeof value !== 'string' || !value.isWellFormed()) return false;
  switch (field) {
    case 'kind':
      return value === 'bootstrap.sqlite.dump';
    case 'format':
      return value === 'sqlite3dump.sql';
    case 'checksum':
      return value === checksum;
    case 'created_at': {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return false;
      const date = new Date(value);
      return !Number.isNaN(date.getTime()) && `${date.toISOString().slice(0, 19)}Z` === value;
    }
    default:
      return true;
  }
}

/** The decoded key, or undefined when its JSON text is not a string. */
function keyOf(raw: string): string | undefined {
  try {
    const key: unknown = JSON.parse(raw);
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

function entriesValid(entries: Entry[], checksum: string): boolean {
  const keys = entries.map(([key]) => keyOf(key));
  if (keys.length !== FIELDS.length || new Set(keys).size !== keys.length) return false;
  return entries.every(([key, value]) => {
    const field = keyOf(key) as Field | undefined;
    return field !== undefined && (FIELDS as readonly string[]).includes(field) && validValue(field, value, checksum);
  });
}

const serialize = (entries: Entry[]): string => `{\n${entries.map(([k, v]) => `  ${k}: ${v}`).join(',\n')}\n}\n`;

/** Strings an attacker puts in a value: terminal escapes, workflow commands, separators, odd Unicode. */
const HOSTILE_STRINGS = [
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\n::error title=forged::pwned',
  '::add-mask::secret',
  '\r::warning::cr',
  '%0A::error::encoded',
  ' ##[stop-commands]legacy',
  '\u2028::notice::ls',
  '\u0085::debug::nel',
  '\u202eevil',
  '\u009b31m',
  '😀 ünï',
  'x'.repeat(5000),
  '',
];

/** JSON texts of values of every type and size. */
const ODD_VALUES = [
  'null',
  'true',
  'false',
  '[]',
  '{}',
  '[1]',
  '{"a":1}',
  '""',
  '"1"',
  '"0"',
  '0',
  '1',
  '-1',
  '-0',
  '1.0',
  '1.5',
  '1e3',
  '1E+2',
  '0.0',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '9007199254740993',
  '1'.repeat(400),
  '"\\ud800"',
  '"\\u0000"',
  '"bootstrap.sqlite.dump"',
  '"\\u0062ootstrap.sqlite.dump"',
  '"BOOTSTRAP.SQLITE.DUMP"',
  '"sqlite3dump.sql"',
  '"sqlite3dump.sql "',
  '"2026-01-02T03:04:05Z"',
  '"2026-02-30T03:04:05Z"',
  '"2026-01-02T03:04:05.123Z"',
  '"2026-01-02T03:04:05+00:00"',
  '"2026-01-02 03:04:05Z"',
];

type Change = (entries: Entry[], random: Random, checksum: string) => { what: string; names?: string[] };

/** Where `field` is (its key may be spelled with escapes); a field an earlier change removed comes back. */
function fieldIndex(entries: Entry[], field: Field): number {
  const at = entries.findIndex(([key]) => keyOf(key) === field);
  if (at >= 0) return at;
  entries.push([JSON.stringify(field), '""']);
  return entries.length - 1;
}

const CHANGES: Record<string, Change> = {
  oddValue: (entries, random) => {
    const field = pick(random, FIELDS);
    const value = pick(random, ODD_VALUES);
    entries[fieldIndex(entries, field)]![1] = value;
    return { what: `${field}=${value.slice(0, 30)}`, names: [field] };
  },
  hostileString: (entries, random) => {
    const field = pick(random, FIELDS);
    const text = pick(random, HOSTILE_STRINGS);
    entries[fieldIndex(entries, field)]![1] = JSON.stringify(text);
    return { what: `${field}=hostile ${JSON.stringify(text.slice(0, 20))}`, names: [field] };
  },
  checksumForm: (entries, random, checksum) => {
    const forms = [
      checksum.toUpperCase(),
      checksum.replace('sha256:', 'SHA256:'),
      checksum.replace('sha256:', 'sha512:'),
      checksum.slice(0, -1),
      `${checksum}0`,
      `${checksum} `,
      checksum.replace('sha256:', ''),
      `sha256:${'0'.repeat(64)}`,
      checksum.replace(/[0-9a-f]$/, (c) => (c === 'f' ? 'e' : 'f')),
    ];
    const form = pick(random, forms);
    entries[fieldIndex(entries, 'checksum')]![1] = JSON.stringify(form);
    return { what: `checksum=${form.slice(0, 20)}…`, names: ['checksum'] };
  },
  remove: (entries, random) => {
    const field = pick(random, FIELDS);
    const at = entries.findIndex(([key]) => keyOf(key) === field);
    if (at >= 0) entries.splice(at, 1);
    return { what: `remove ${field}`, names: [field] };
  },
  duplicate: (entries, random) => {
    const field = pick(random, FIELDS);
    const at = fieldIndex(entries, field);
    const copy: Entry = [entries[at]![0], random() < 0.5 ? entries[at]![1] : pick(random, ODD_VALUES)];
    entries.splice(between(random, 0, entries.length), 0, copy);
    return { what: `duplicate ${field}`, names: [field] };
  },
  extraKey: (entries, random) => {
    const key = pick(random, [
      'extra',
      'Kind',
      'CHECKSUM',
      'control_versio\u006e ',
      '\u001b]0;x\u0007::error::key',
      '\n::add-mask::k',
      '',
      'k'.repeat(300),
      'ſource_chassis_version',
    ]);
    entries.splice(between(random, 0, entries.length), 0, [JSON.stringify(key), pick(random, ODD_VALUES)]);
    return { what: `extra key ${JSON.stringify(key.slice(0, 20))}` };
  },
  escapedKey: (entries, random) => {
    // The same key written with escapes: JSON-equal, so it still names the field.
    const at = between(random, 0, entries.length - 1);
    const key = keyOf(entries[at]![0])!;
    entries[at]![0] = `"\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}"`;
    return { what: `escaped key ${key}` };
  },
  reorder: (entries, random) => {
    const a = between(random, 0, entries.length - 1);
    const b = between(random, 0, entries.length - 1);
    [entries[a], entries[b]] = [entries[b]!, entries[a]!];
    return { what: `swap fields ${a},${b}` };
  },
};

const CHANGE_WEIGHTS = [
  ...Array(5).fill('oddValue'),
  ...Array(3).fill('hostileString'),
  ...Array(2).fill('checksumForm'),
  ...Array(2).fill('remove'),
  ...Array(2).fill('duplicate'),
  ...Array(2).fill('extraKey'),
  'escapedKey',
  'reorder',
];

/** Changes of the file's bytes: `valid` says whether the result is still the same JSON. */
type TextChange = (text: string, random: Random) => { bytes: Buffer; what: string; valid: boolean };

const insertInString = (text: string, field: Field, inserted: Buffer): Buffer => {
  const at = text.indexOf(`"${field}": "`) + field.length + 5;
  return Buffer.concat([Buffer.from(text.slice(0, at)), inserted, Buffer.from(text.slice(at))]);
};

const TEXT_CHANGES: Record<string, TextChange> = {
  bom: (text) => ({
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    what: 'BOM',
    valid: false,
  }),
  utf16: (text) => ({ bytes: Buffer.from(`\ufeff${text}`, 'utf16le'), what: 'UTF-16', valid: false }),
  notUtf8: (text, random) => ({
    bytes: insertInString(text, pick(random, ['source_chassis_version', 'db_migration_version']), Buffer.from([0xff])),
    what: 'byte 0xff in a string',
    valid: false,
  }),
  overlong: (text) => ({
    bytes: insertInString(text, 'db_migration_version', Buffer.from([0xc0, 0xaf])),
    what: 'overlong UTF-8',
    valid: false,
  }),
  rawControl: (text, random) => {
    const byte = pick(random, [0x00, 0x07, 0x0a, 0x1b, 0x1f]);
    return {
      bytes: insertInString(
        text,
        pick(random, ['source_chassis_version', 'db_migration_version']),
        Buffer.from([byte]),
      ),
      what: `raw 0x${byte.toString(16)} in a string`,
      valid: false,
    };
  },
  nulOutside: (text) => ({ bytes: Buffer.from(text.replace('{', '{\0')), what: 'NUL between tokens', valid: false }),
  truncate: (text, random) => {
    const at = between(random, 0, text.lastIndexOf('}'));
    return { bytes: Buffer.from(text.slice(0, at)), what: `truncate@${at}`, valid: false };
  },
  trailing: (text, random) => {
    const tail = pick(random, ['x', '{}', ',', '}', '\0', '\u001b[2J', '//c', ' \n\t\r ']);
    return { bytes: Buffer.from(text + tail), what: `trailing ${JSON.stringify(tail)}`, valid: tail.trim() === '' };
  },
  crlf: (text) => ({ bytes: Buffer.from(text.replaceAll('\n', '\r\n')), what: 'CRLF', valid: true }),
  compact: (text) => ({ bytes: Buffer.from(JSON.stringify(JSON.parse(text))), what: 'compact', valid: true }),
  padding: (text, random) => {
    const size = pick(random, [1000, 60_000, 70_000, 1 << 20]);
    const bytes = Buffer.from(text.replace('{', `{${' '.repeat(size)}`));
    return { bytes, what: `padded ${size}`, valid: bytes.length <= 64 * 1024 };
  },
  array: (text) => ({ bytes: Buffer.from(`[${text}]`), what: 'wrapped in an array', valid: false }),
  empty: () => ({ bytes: Buffer.alloc(0), what: 'empty', valid: false }),
  comment: (text) => ({ bytes: Buffer.from(`// manifest\n${text}`), what: 'a comment', valid: false }),
};

/**
 * A seeded mutation of the manifest serialized from `base` (field → JSON value text): field-level
 * changes, byte-level changes, or a version the restore is told to expect.
 */
export function mutateManifest(base: Record<Field, string>, checksum: string, random: Random): ManifestMutation {
  const entries: Entry[] = FIELDS.map((field) => [`"${field}"`, base[field]]);
  const roll = random();
  if (roll < 0.15) {
    // A version expectation the manifest meets or misses: the restore's policy, not the file's shape.
    const value = pick(random, ['0', '1', '2', '7', '-1', '9223372036854775807']);
    const field = pick(random, ['control_model_version', 'cache_schema_version'] as const);
    entries[fieldIndex(entries, field)]![1] = value;
    const accepted = pick(random, ['1', '1,2', '7', '0,7']);
    const flag = field === 'control_model_version' ? '--expect-control-model-version' : '--expect-cache-schema-version';
    return {
      bytes: Buffer.from(serialize(entries)),
      what: [`${field}=${value}`, `${flag} ${accepted}`],
      flags: [flag, accepted],
      valid: accepted.split(',').includes(value),
      names: [field],
    };
  }
  if (roll < 0.35) {
    const name = pick(random, Object.keys(TEXT_CHANGES));
    const change = TEXT_CHANGES[name]!(serialize(entries), random);
    return { bytes: change.bytes, what: [change.what], flags: [], valid: change.valid, names: ['manifest'] };
  }
  const what: string[] = [];
  const named: string[] = [];
  const count = random() < 0.8 ? 1 : 2;
  for (let i = 0; i < count; i++) {
    const change = CHANGES[pick(random, CHANGE_WEIGHTS)]!(entries, random, checksum);
    what.push(change.what);
    named.push(...(change.names ?? []));
  }
  const valid = entriesValid(entries, checksum);
  // One field changed alone and invalid: its row must be among the failures.
  const names = !valid && count === 1 && named.length === 1 ? named : [];
  return { bytes: Buffer.from(serialize(entries)), what, flags: [], valid, names };
}

/** The valid manifest's fields as JSON value texts, read from its text (written one field per line). */
export function manifestValues(text: string): Record<Field, string> {
  const values = {} as Record<Field, string>;
  for (const field of FIELDS) {
    const match = new RegExp(`^  "${field}": (.*?),?$`, 'm').exec(text);
    if (!match) throw new Error(`${field} not found in the manifest`);
    values[field] = match[1]!;
  }
  return values;
}
