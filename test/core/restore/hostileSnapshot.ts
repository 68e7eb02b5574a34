/**
 * Snapshots whose text is an attack on whoever shows it: names, SQL and manifest values that hold
 * workflow commands (`::error …`, `::add-mask::`, the legacy `##[…]` form the runner finds anywhere
 * in a line), terminal escapes (CSI, OSC, their one-byte C1 forms) and line breaks of every kind.
 * Built by the product from real databases, so their checksums are valid and they verify, and the
 * assertions below say what "shown safely" means for every face.
 */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { DUMP_FILE, MANIFEST_FILE } from '../../../src/core/format/manifest.ts';
import { sha256File, sqlite3, tempDir } from '../../helpers.ts';

/** Each attack alone, so a test can look for its escaped form. */
export const ATTACKS = {
  forgedError: '\n::error title=forged::pwned',
  mask: '\n::add-mask::secret',
  terminal: '\u001b[2J\u001b]0;title\u0007',
  carriageReturn: '\r::warning::cr',
  legacyCommand: ' ##[stop-commands]legacy',
  c1Csi: '\u009b31m',
  lineSeparator: '\u2028::notice::ls',
  bidi: '\u202e',
  html: '</details><img src=x onerror=alert(1)>&amp;',
} as const;

/** All of them in one string: what a crafted name or value holds. */
export const HOSTILE = Object.values(ATTACKS).join('');

/** How the attacks read once escaped: visible, on one line, nothing a runner or terminal acts on. */
export const ESCAPED_SIGNS = ['\\n::error title=forged::pwned', '\\n::add-mask::secret', '\\u001b[2J\\u001b]0;title'];

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const HOSTILE_TABLE = `t${HOSTILE}`;
export const HOSTILE_COLUMN = `c${HOSTILE}`;

/** The baseline: the hostile table in a first shape, and nothing else hostile. */
const BASE_SQL = `CREATE TABLE ${ident(HOSTILE_TABLE)} (id INTEGER PRIMARY KEY);
INSERT INTO ${ident(HOSTILE_TABLE)} VALUES (1);
CREATE TABLE plain (id INTEGER PRIMARY KEY);
`;

/** The hostile table grown a hostile column; a hostile index, view and trigger; more rows. */
const CHANGED_SQL = `CREATE TABLE ${ident(HOSTILE_TABLE)} (id INTEGER PRIMARY KEY, ${ident(HOSTILE_COLUMN)} TEXT DEFAULT 'd${HOSTILE}');
INSERT INTO ${ident(HOSTILE_TABLE)} VALUES (1, 'x'), (2, 'y');
CREATE TABLE plain (id INTEGER PRIMARY KEY);
CREATE INDEX ${ident(`i${HOSTILE}`)} ON ${ident(HOSTILE_TABLE)} (${ident(HOSTILE_COLUMN)});
CREATE VIEW ${ident(`v${HOSTILE}`)} AS SELECT id AS ${ident(`a${HOSTILE}`)} FROM ${ident(HOSTILE_TABLE)};
CREATE TRIGGER ${ident(`g${HOSTILE}`)} AFTER INSERT ON ${ident(HOSTILE_TABLE)} BEGIN SELECT 1; END;
`;

const ENV = { SOURCE_DATE_EPOCH: '1700000000' };

async function snapshotOf(sql: string): Promise<string> {
  const dir = tempDir('hostile-');
  const database = join(dir, 'app.db');
  sqlite3(database, sql);
  const out = join(dir, 'snapshot');
  await buildSnapshot({ database, outDir: out, env: ENV });
  return out;
}

/** Rewrites manifest fields (the checksum covers the dump only, so the snapshot still verifies). */
export function editManifest(dir: string, change: (manifest: Record<string, unknown>) => void): void {
  const path = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  change(manifest);
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

export interface HostileSnapshots {
  /** Verifies: hostile names only in its one table. */
  base: string;
  /** Verifies: hostile names everywhere, and hostile db_migration_version and source_chassis_version. */
  changed: string;
  /** `changed` plus an extra manifest key, hostile in name and value: fails verification. */
  extraKey: string;
  /**
   * `changed` whose dump creates the hostile table twice (checksum updated, so it verifies):
   * loading it fails with SQLite's own message, which quotes the name raw.
   */
  failingLoad: string;
}

export async function hostileSnapshots(): Promise<HostileSnapshots> {
  const base = await snapshotOf(BASE_SQL);
  const changed = await snapshotOf(CHANGED_SQL);
  editManifest(changed, (manifest) => {
    manifest.db_migration_version = `5${HOSTILE}`;
    manifest.source_chassis_version = `dev${HOSTILE}`;
  });
  const extraKey = await snapshotOf(CHANGED_SQL);
  editManifest(extraKey, (manifest) => {
    manifest.db_migration_version = `5${HOSTILE}`;
    manifest[`x${HOSTILE}`] = HOSTILE;
  });
  const failingLoad = join(tempDir('hostile-'), 'snapshot');
  cpSync(changed, failingLoad, { recursive: true });
  const dump = join(failingLoad, DUMP_FILE);
  const text = readFileSync(dump, 'utf8');
  const commit = text.lastIndexOf('COMMIT;');
  writeFileSync(dump, `${text.slice(0, commit)}CREATE TABLE ${ident(HOSTILE_TABLE)} (x);\n${text.slice(commit)}`);
  editManifest(failingLoad, (manifest) => {
    manifest.checksum = sha256File(dump);
  });
  return { base, changed, extraKey, failingLoad };
}

/**
 * C0 and C1 controls (tab and newline aside), DEL, line and paragraph separators and bidi
 * overrides: none of them may reach a log, a terminal or a summary raw.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Text a runner and a terminal can show as it is: no raw control, no line the runner reads as a
 * workflow command (`::` after leading whitespace), no legacy `##[` command anywhere in a line.
 * `ownCommand` accepts the lines the face itself writes as commands.
 */
export function assertInert(text: string, label: string, ownCommand: (line: string) => boolean = () => false): void {
  const raw = RAW_CONTROL.exec(text);
  assert.equal(raw, null, `${label}: a raw U+${raw?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in\n${text}`);
  for (const line of text.split('\n')) {
    if (/^\s*::/.test(line)) assert.ok(ownCommand(line), `${label}: a workflow command line: ${line}`);
    assert.ok(!line.includes('##['), `${label}: a legacy workflow command: ${line}`);
  }
}

/** The attacks are shown, escaped: the reader can still see what the snapshot holds. */
export function assertShownEscaped(text: string, label: string): void {
  for (const sign of ESCAPED_SIGNS)
    assert.ok(text.includes(sign), `${label}: ${JSON.stringify(sign)} not shown in\n${text}`);
}

/**
 * The HTML tags and entities of a Markdown text outside its code spans and fenced blocks, where
 * GitHub would render them, in order; `<br>` aside, which ends no element. A summary's list must
 * be exactly its own `<details>`/`<summary>` tags: one more is a value breaking out.
 */
export function rawHtmlOutsideCode(markdown: string): string[] {
  const prose = markdown
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    .replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '')
    .replace(/\\\\/g, '');
  return [...prose.matchAll(/(?<!\\)(?:<\/?[A-Za-z][^>\s]*>?|&#?\w+;)/g)]
    .map((match) => match[0])
    .filter((tag) => tag !== '<br>');
}
