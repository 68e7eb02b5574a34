/**
 * diff on real snapshots built by the product from SQLite databases made here. The text and
 * Markdown renderings are checked against golden files (test/core/diff/golden/diff), reviewed by hand;
 * after a deliberate change of wording, review the diff and regenerate them with
 * UPDATE_GOLDEN=1 npm exec -- node --test test/core/diff/diff.test.ts. The checksums in them are masked
 * as sha256:<old> and sha256:<new>, so a change of the dump format does not touch them; the tests
 * check the real values before masking.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { type BuildOptions, buildSnapshot } from '../../../src/core/build/build.ts';
import { diffSnapshots } from '../../../src/core/diff/diff.ts';
import { renderDiffMarkdown } from '../../../src/core/diff/diffMarkdown.ts';
import { CONTENT_ONLY_NOTE, renderDiffJson, renderDiffText } from '../../../src/core/diff/diffRender.ts';
import { hasDifferences, type SnapshotDiff } from '../../../src/core/diff/diffTypes.ts';
import { SnapshotError } from '../../../src/core/shared/errors.ts';
import { copyDir, REPO_ROOT, sha256File, sqlite3, tempDir } from '../../helpers.ts';
import {
  assertInert,
  assertShownEscaped,
  HOSTILE,
  hostileSnapshots,
  rawHtmlOutsideCode,
} from '../restore/hostileSnapshot.ts';

const GOLDEN = join(import.meta.dirname, 'golden', 'diff');
const ENV = { SOURCE_DATE_EPOCH: '1700000000' };

const BASE = `
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price REAL DEFAULT 0);
CREATE INDEX items_by_name ON items (name);
CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 10;
CREATE TRIGGER items_named AFTER UPDATE OF name ON items BEGIN SELECT 1; END;
INSERT INTO items VALUES (1, 'apple', 1.5), (2, 'melon', 20.0);
`;

/** A snapshot of a database made by the sqlite3 CLI from `sql`, built by the product. */
async function snapshotFromSql(sql: string, options: Partial<BuildOptions> = {}): Promise<string> {
  const dir = tempDir('diff-');
  const database = join(dir, 'app.db');
  sqlite3(database, sql);
  const outDir = join(dir, 'snapshot');
  await buildSnapshot({ database, outDir, env: ENV, ...options });
  return outDir;
}

let base = '';
before(async () => {
  base = await snapshotFromSql(BASE);
});

function assertGolden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
  }
  assert.equal(actual, readFileSync(path, 'utf8'), `${file} differs from its golden file`);
}

/** Replaces both real checksums by placeholders, after checking the rendering shows them. */
function masked(rendered: string, diff: SnapshotDiff): string {
  const old = sha256File(join(diff.oldDir, 'snapshot.sql'));
  const next = sha256File(join(diff.newDir, 'snapshot.sql'));
  if (old !== next) assert.ok(rendered.includes(old) && rendered.includes(next), 'both real checksums are shown');
  return rendered.replaceAll(old, 'sha256:<old>').replaceAll(next, 'sha256:<new>');
}

/** The Markdown tables stay rectangular whatever the names hold. */
function assertTablesRectangular(markdown: string): void {
  let columns = 0;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      columns = 0;
      continue;
    }
    const cells = line.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 2;
    if (columns === 0) columns = cells;
    assert.equal(cells, columns, line);
  }
}

test('(a) identical snapshots: no differences, stated in every form', async () => {
  const again = await snapshotFromSql(BASE);
  for (const diff of [await diffSnapshots(base, again), await diffSnapshots(base, base)]) {
    assert.equal(hasDifferences(diff), false);
    assert.deepEqual([diff.manifest, diff.tables, diff.indexes, diff.views, diff.triggers], [[], [], [], [], []]);
    assert.deepEqual(diff.rowCounts, [{ table: 'items', old: 2, new: 2 }]);
    assert.match(renderDiffText(diff), /^No differences/);
    assert.match(renderDiffMarkdown(diff), /^### Changes since the baseline\n\nNo differences/);
    assert.equal(JSON.parse(renderDiffJson(diff)).identical, true);
  }
});

test('(b) an added column, and a column whose NOT NULL and generation changed', async () => {
  const added = await snapshotFromSql(`${BASE}ALTER TABLE items ADD COLUMN qty INTEGER NOT NULL DEFAULT 1;`);
  const diff = await diffSnapshots(base, added);
  assert.equal(hasDifferences(diff), true);
  assert.deepEqual(
    diff.tables.map((table) => [table.name, table.change]),
    [['items', 'changed']],
  );
  assert.deepEqual(diff.tables[0]!.columns, [
    {
      name: 'qty',
      change: 'added',
      old: null,
      new: { name: 'qty', type: 'INTEGER', notNull: true, default: '1', primaryKey: 0, generated: null, hidden: false },
      attributes: [],
    },
  ]);
  assert.deepEqual([diff.indexes, diff.views, diff.triggers], [[], [], []]);
  assert.match(renderDiffText(diff), /column qty added: INTEGER NOT NULL DEFAULT 1/);

  const reshaped = await snapshotFromSql(
    BASE.replace(
      'name TEXT NOT NULL, price REAL DEFAULT 0',
      'name TEXT, price REAL DEFAULT 0, total REAL GENERATED ALWAYS AS (price * 2) STORED',
    ),
  );
  const columns = (await diffSnapshots(base, reshaped)).tables[0]!.columns;
  assert.deepEqual(
    columns.map((column) => [column.name, column.change, column.attributes]),
    [
      ['name', 'changed', ['notNull']],
      ['total', 'added', []],
    ],
  );
  assert.equal(columns[1]!.new!.generated, 'stored');
});

test('(c) a dropped index, and an index whose columns and uniqueness changed', async () => {
  const dropped = await diffSnapshots(base, await snapshotFromSql(`${BASE}DROP INDEX items_by_name;`));
  assert.deepEqual(
    dropped.indexes.map((index) => [index.name, index.change, index.old?.table, index.old?.columns, index.new]),
    [['items_by_name', 'removed', 'items', ['name'], null]],
  );
  assert.deepEqual(dropped.tables, []);
  assert.deepEqual(
    dropped.rowCounts.filter((count) => count.old !== count.new),
    [],
  );

  const changed = await snapshotFromSql(
    BASE.replace(
      'CREATE INDEX items_by_name ON items (name)',
      'CREATE UNIQUE INDEX items_by_name ON items (name DESC, price)',
    ),
  );
  const [index] = (await diffSnapshots(base, changed)).indexes;
  assert.equal(index?.change, 'changed');
  assert.deepEqual([index?.old?.unique, index?.new?.unique], [false, true]);
  assert.deepEqual(index?.new?.columns, ['name DESC', 'price']);
});

test('(d) a row count change; changed values alone show as a checksum change', async () => {
  const grown = await diffSnapshots(base, await snapshotFromSql(`${BASE}INSERT INTO items VALUES (3, 'pear', 2.0);`));
  assert.deepEqual(grown.rowCounts, [{ table: 'items', old: 2, new: 3 }]);
  assert.deepEqual(
    grown.manifest.map((field) => field.field),
    ['checksum'],
  );
  assert.match(renderDiffText(grown), /items {2}2 → 3 \(\+1\)/);

  const edited = await diffSnapshots(base, await snapshotFromSql(`${BASE}UPDATE items SET price = 2.5 WHERE id = 1;`));
  assert.deepEqual(edited.rowCounts, [{ table: 'items', old: 2, new: 2 }]);
  assert.equal(hasDifferences(edited), true);
  assert.ok(renderDiffText(edited).includes(CONTENT_ONLY_NOTE));
  assert.ok(renderDiffMarkdown(edited).includes(CONTENT_ONLY_NOTE));
});

test('(e) changed manifest fields, with uint64 control_version exact above 2^53', async () => {
  const old = await snapshotFromSql(BASE, { cacheSchemaVersion: 3n, controlVersion: 9007199254740993n });
  const next = await snapshotFromSql(BASE, { cacheSchemaVersion: 4n, controlVersion: 18446744073709551615n });
  const diff = await diffSnapshots(old, next);
  assert.deepEqual(diff.manifest, [
    { field: 'cache_schema_version', old: 3n, new: 4n },
    { field: 'control_version', old: 9007199254740993n, new: 18446744073709551615n },
  ]);
  assert.match(renderDiffJson(diff), /"old": 9007199254740993,\s+"new": 18446744073709551615\b/);
  assert.match(renderDiffText(diff), /control_version +9007199254740993 → 18446744073709551615/);
  assert.match(renderDiffMarkdown(diff), /\| control_version \| `9007199254740993` \| `18446744073709551615` \|/);
  // created_at is a field like any other.
  const later = await snapshotFromSql(BASE, { env: { SOURCE_DATE_EPOCH: '1800000000' } });
  assert.deepEqual((await diffSnapshots(base, later)).manifest, [
    { field: 'created_at', old: '2023-11-14T22:13:20Z', new: '2027-01-15T08:00:00Z' },
  ]);
});

test('(f) a changed view, a changed trigger and an added trigger', async () => {
  const next = await snapshotFromSql(
    `${BASE.replace('price < 10', 'price < 5').replace('SELECT 1; END', 'SELECT 2; END')}
     CREATE TRIGGER items_gone AFTER DELETE ON items BEGIN SELECT 3; END;`,
  );
  const diff = await diffSnapshots(base, next);
  assert.deepEqual(
    diff.views.map((view) => [view.name, view.change, view.new?.sql]),
    [['cheap', 'changed', 'CREATE VIEW cheap AS SELECT id, name FROM items WHERE price < 5']],
  );
  assert.deepEqual(
    diff.triggers.map((trigger) => [trigger.name, trigger.change, trigger.new?.table]),
    [
      ['items_gone', 'added', 'items'],
      ['items_named', 'changed', 'items'],
    ],
  );
  assert.deepEqual(diff.tables, []);
  const text = renderDiffText(diff);
  assert.match(text, /~ view cheap\n +- CREATE VIEW cheap AS .*price < 10\n +\+ CREATE VIEW cheap AS .*price < 5\n/);
});

/** Runs `fn` with os.tmpdir() pointed at `dir`, then puts TMPDIR back as it was. */
async function withTmpdir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** Runs a diff that must fail, with os.tmpdir() pointed at a fresh directory that must stay empty. */
async function expectFailure(old: string, next: string): Promise<SnapshotError> {
  const scratch = tempDir('diff-tmp-');
  return withTmpdir(scratch, async () => {
    const error = await diffSnapshots(old, next).then(
      () => assert.fail('the diff should have failed'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof SnapshotError, String(error));
    assert.deepEqual(readdirSync(scratch), [], 'no temp files left behind');
    return error;
  });
}

test('(g) a tampered snapshot is refused, naming the side and the reason; nothing is left in TMPDIR', async () => {
  const tampered = copyDir(base);
  appendFileSync(join(tampered, 'snapshot.sql'), '-- edited\n');
  const newSide = await expectFailure(base, tampered);
  assert.equal(newSide.kind, 'verification');
  assert.match(newSide.message, /^The new snapshot .*failed verification, so nothing was compared:\n {2}- checksum:/);
  assert.ok(newSide.message.includes(tampered));
  assert.doesNotMatch(newSide.message, /old snapshot/);

  const broken = copyDir(base);
  writeFileSync(join(broken, 'manifest.json'), '{"kind": "bootstrap.sqlite.dump",');
  const oldSide = await expectFailure(broken, base);
  assert.match(
    oldSide.message,
    /^The old snapshot .*failed verification.*\n {2}- manifest\.json: expected a JSON object/,
  );

  const both = await expectFailure(broken, tampered);
  assert.match(both.message, /The old snapshot[\s\S]*The new snapshot/);

  const missing = await expectFailure(base, join(tempDir(), 'absent'));
  assert.equal(missing.kind, 'io');
  assert.match(missing.message, /^The new snapshot .*absent: Snapshot directory not found/);

  // A consistent manifest does not make a hostile dump acceptable.
  const hostile = copyDir(base);
  const dump = readFileSync(join(hostile, 'snapshot.sql'), 'utf8');
  writeFileSync(
    join(hostile, 'snapshot.sql'),
    dump.replace('BEGIN TRANSACTION;\n', "BEGIN TRANSACTION;\nATTACH 'x.db' AS x;\n"),
  );
  const manifest = readFileSync(join(hostile, 'manifest.json'), 'utf8');
  writeFileSync(
    join(hostile, 'manifest.json'),
    manifest.replace(/sha256:[0-9a-f]{64}/, sha256File(join(hostile, 'snapshot.sql'))),
  );
  const refused = await expectFailure(hostile, base);
  assert.equal(refused.kind, 'hostile');
  assert.match(refused.message, /^The old snapshot .*ATTACH/);
});

test('a successful diff leaves nothing in TMPDIR', async () => {
  const scratch = tempDir('diff-tmp-');
  const next = await snapshotFromSql(`${BASE}DROP INDEX items_by_name;`);
  await withTmpdir(scratch, async () => {
    assert.equal((await diffSnapshots(base, next)).indexes.length, 1);
  });
  assert.deepEqual(readdirSync(scratch), []);
});

/** The example's migrations and seed; the new side adds a migration, a node and a cache schema version. */
async function exampleDiff(): Promise<SnapshotDiff> {
  const examples = join(REPO_ROOT, 'examples');
  const common = { seeds: [join(examples, 'seed.sql')], env: ENV };
  const old = join(tempDir('diff-example-'), 'snapshot');
  await buildSnapshot({
    ...common,
    migrations: join(examples, 'migrations'),
    outDir: old,
    cacheSchemaVersion: 3n,
    controlVersion: 9007199254740993n,
  });
  const migrations = join(tempDir('diff-example-'), 'migrations');
  cpSync(join(examples, 'migrations'), migrations, { recursive: true });
  writeFileSync(
    join(migrations, '0005_priority.sql'),
    'ALTER TABLE jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;\nDROP INDEX events_by_job;\n',
  );
  const extraSeed = join(migrations, '..', 'more-nodes.sql');
  writeFileSync(
    extraSeed,
    "INSERT INTO nodes (id, name, region, capacity) VALUES (4, 'edge-waw-1', 'eu-central', 8);\n",
  );
  const next = join(tempDir('diff-example-'), 'snapshot');
  await buildSnapshot({
    ...common,
    seeds: [...common.seeds, extraSeed],
    migrations,
    outDir: next,
    cacheSchemaVersion: 4n,
    controlVersion: 18446744073709551615n,
  });
  return diffSnapshots(old, next);
}

test('golden: an added column, a dropped index, row counts and manifest fields, as text and Markdown', async () => {
  const diff = await exampleDiff();
  assertGolden('example.txt', masked(renderDiffText(diff), diff));
  const markdown = renderDiffMarkdown(diff);
  assertTablesRectangular(markdown);
  assertGolden('example.md', masked(markdown, diff));
});

test('golden: tables added and removed, odd names, multi-line SQL, user_version', async () => {
  const old = await snapshotFromSql(`
    CREATE TABLE plain (id INTEGER PRIMARY KEY, note TEXT);
    CREATE TABLE retired (id INTEGER PRIMARY KEY);
    CREATE VIEW recent AS SELECT id FROM plain WHERE id > 1;
    INSERT INTO plain VALUES (1, 'x'), (2, 'y');
    PRAGMA user_version = 1;`);
  const next = await snapshotFromSql(`
    CREATE TABLE plain (id INTEGER PRIMARY KEY, note TEXT NOT NULL CHECK (note <> ''));
    CREATE TABLE "odd|name\`s" ("line
break" TEXT DEFAULT 'a|b', "back\\slash" INTEGER, "*star*" TEXT);
    CREATE VIEW recent AS
      SELECT id FROM plain
      WHERE id > 2;
    CREATE UNIQUE INDEX plain_note ON plain (note COLLATE NOCASE DESC);
    INSERT INTO plain VALUES (1, 'x'), (2, 'y');
    INSERT INTO "odd|name\`s" VALUES ('q', 1, 's');
    PRAGMA user_version = 2;`);
  const diff = await diffSnapshots(old, next);
  assert.deepEqual(diff.userVersion, { old: 1, new: 2 });
  assert.deepEqual(
    diff.tables.map((table) => [table.name, table.change]),
    [
      ['odd|name`s', 'added'],
      ['plain', 'changed'],
      ['retired', 'removed'],
    ],
  );
  assertGolden('objects.txt', masked(renderDiffText(diff), diff));
  const markdown = renderDiffMarkdown(diff);
  assertTablesRectangular(markdown);
  assertGolden('objects.md', masked(markdown, diff));
});

test('hostile names, SQL and manifest values render escaped, one value never starting a line', async () => {
  const { base: old, changed, extraKey } = await hostileSnapshots();
  const diff = await diffSnapshots(old, changed);
  assert.equal(diff.manifest.find((field) => field.field === 'db_migration_version')?.new, `5${HOSTILE}`);
  // The renderers alone, before any face's output guard: the escaping here is their own.
  const text = renderDiffText(diff);
  assertInert(text, 'diff text');
  assertShownEscaped(text, 'diff text');
  // Every line is one the renderer made: a section, or an indented entry; no value begins a line.
  for (const line of text.trimEnd().split('\n'))
    assert.match(line, /^(?:(?:Manifest|Schema|Row counts): | {2}\S| {6}\S)/, line);

  const markdown = renderDiffMarkdown(diff);
  assertTablesRectangular(markdown);
  assertShownEscaped(markdown, 'diff Markdown');
  // A summary is not read for workflow commands, but controls and HTML must not reach it.
  assertInert(markdown.replace(/^\s*::/gm, ''), 'diff Markdown');
  assert.deepEqual(rawHtmlOutsideCode(markdown), ['<details>', '<summary>', '</summary>', '</details>']);

  // A refused side names its failed checks, each on one line whatever the manifest holds.
  const refused = await expectFailure(old, extraKey);
  assertInert(refused.message, 'refusal');
  assert.equal(refused.message.split('\n').filter((line) => line.startsWith('  - ')).length, 1, refused.message);
});
