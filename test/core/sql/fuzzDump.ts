/**
 * The dump side of the mutation fuzz: a small dump that holds every kind of statement and value a
 * real one does, seeded mutations of its bytes and lines, and statements an attacker would splice
 * in (each mutation is described in a few words, so a failing trial can be rebuilt by hand).
 */

/**
 * The fixture, written through the sqlite3 CLI: rowid, AUTOINCREMENT and WITHOUT ROWID tables, a
 * foreign key, a CHECK, an index, a view, a trigger with a side effect, user_version, and values
 * that stress a parser (quotes, newlines, `;`, comment markers, UTF-8, blobs, big and small reals).
 */
export const FUZZ_FIXTURE_SQL = `
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE child (
  id INTEGER PRIMARY KEY AUTOINCREMENT, -- the key; a comment line
  parent_id INTEGER REFERENCES parent (id),
  note TEXT,
  amount REAL CHECK (amount IS NULL OR amount > -1),
  data BLOB
);
CREATE TABLE kv (k TEXT PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE log (at INTEGER, what TEXT);
CREATE INDEX child_parent ON child (parent_id);
CREATE VIEW totals AS SELECT parent_id, sum(amount) AS total FROM child GROUP BY parent_id;
CREATE TRIGGER child_log AFTER INSERT ON child BEGIN INSERT INTO log VALUES (NEW.id, 'child ' || NEW.note); END;
INSERT INTO parent VALUES (1, 'alpha'), (2, 'béta'), (3, 'it''s'), (4, 'four;four');
INSERT INTO child (parent_id, note, amount, data) VALUES
  (1, 'plain', 1.5, X'00ff'), (1, 'two
lines', -0.25, NULL), (2, 'quote '' and "dq"', 1e300, X''), (3, NULL, 3, X'deadbeef'),
  (4, 'emoji 😀 ünï', 2.5e-10, NULL), (2, '-- not a comment', 9007199254740993, X'0a'),
  (3, '/* nor this */ BEGIN; END;', 0.1, NULL);
INSERT INTO kv VALUES ('a', 1), ('b', 'two'), ('c', X'03'), ('d', NULL), ('e', 4.5), ('f', -9223372036854775808);
PRAGMA user_version = 7;
`;

export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const between = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

/**
 * Statements a crafted dump may hold, as UTF-8 text: ways out of the database (ATTACH, VACUUM INTO,
 * extension loading, file functions, dot-commands), ways around the loader (writable_schema, a second
 * transaction, statements after COMMIT, schema-qualified or reserved names), triggers and defaults
 * with side effects, and names and literals that attack whoever prints them. `outside` is a
 * directory that must stay empty whatever the dump says.
 */
export function hostileStatements(outside: string): string[] {
  return [
    `ATTACH DATABASE '${outside}/attached.db' AS evil;`,
    `ATTACH '${outside}/b.db' AS "x"; INSERT INTO x.t VALUES(1);`,
    'DETACH DATABASE main;',
    'PRAGMA writable_schema=ON;',
    "PRAGMA writable_schema=1; UPDATE sqlite_master SET sql='CREATE TABLE x(a)' WHERE name='kv';",
    'PRAGMA trusted_schema=ON;',
    'PRAGMA journal_mode=WAL;',
    "PRAGMA key='secret';",
    'PRAGMA foreign_keys=ON;',
    'PRAGMA user_version=-5;',
    `SELECT load_extension('${outside}/evil.so');`,
    `INSERT INTO "kv" VALUES('z',load_extension('${outside}/x.so'));`,
    `INSERT INTO "kv" VALUES('w',writefile('${outside}/w.txt','pwned'));`,
    `INSERT INTO "kv" VALUES('r',readfile('/etc/passwd'));`,
    "CREATE VIEW ev AS SELECT readfile('/etc/passwd') AS x;",
    `CREATE VIEW ew AS SELECT "writefile"('${outside}/v.txt', 'x') AS x;`,
    `VACUUM INTO '${outside}/copy.db';`,
    'VACUUM;',
    'REINDEX;',
    `.shell touch ${outside}/pwned`,
    `.output ${outside}/out.txt`,
    '.import /etc/passwd kv',
    '.load /tmp/evil',
    'CREATE TRIGGER evil_purge AFTER INSERT ON child BEGIN DELETE FROM parent; END;',
    "CREATE TRIGGER evil_copy AFTER INSERT ON kv BEGIN INSERT INTO log VALUES (-1, 'copied ' || NEW.k); END;",
    "CREATE TRIGGER evil_raise BEFORE INSERT ON kv BEGIN SELECT RAISE(ABORT, 'x\u001b[31m\n::error title=forged::pwned'); END;",
    "CREATE TRIGGER evil_ext AFTER INSERT ON kv BEGIN SELECT load_extension('x'); END;",
    'CREATE TEMP TRIGGER evil_temp AFTER INSERT ON kv BEGIN SELECT 1; END;',
    'CREATE TEMP TABLE evil_temp (a);',
    'CREATE TABLE main.evil (a);',
    'CREATE TABLE sqlite_evil (a);',
    'CREATE VIRTUAL TABLE evil_fts USING fts5(x);',
    'CREATE TABLE evil_copy AS SELECT * FROM parent;',
    `CREATE TABLE evil_default (a DEFAULT (writefile('${outside}/d.txt', 'x')));`,
    "CREATE TABLE evil_generated (a, b AS (load_extension('x')));",
    'CREATE INDEX evil_index ON kv (edit(k));',
    "INSERT INTO sqlite_master VALUES('table','x','x',0,'CREATE TABLE x(a)');",
    "INSERT INTO sqlite_stat1 VALUES('child','child_parent','7 2');",
    "INSERT INTO sqlite_sequence VALUES('child',1000);",
    'INSERT INTO "kv" SELECT name, 1 FROM sqlite_master;',
    "WITH c AS (SELECT 1) INSERT INTO kv VALUES ('cte', 1);",
    'INSERT INTO "kv" VALUES(\'big\', zeroblob(1000000000));',
    'INSERT INTO "kv" VALUES(\'rnd\', randomblob(8));',
    'INSERT OR REPLACE INTO "kv" VALUES(\'a\', 2);',
    'REPLACE INTO "kv" VALUES(\'a\', 3);',
    'UPDATE "child" SET note = \'pwned\';',
    'DELETE FROM "parent";',
    'DROP TABLE "parent";',
    'ROLLBACK;',
    'SAVEPOINT s;',
    'RELEASE s;',
    'END TRANSACTION;',
    'BEGIN TRANSACTION;',
    'ANALYZE;',
    'ANALYZE sqlite_schema;',
    'SELECT 1; -- a query',
    "INSERT INTO \"kv\" VALUES('\u001b]0;title\u0007', '\n::error::pwned ##[stop-commands]x');",
    'CREATE TABLE "t\u001b[2J\n::error::x" (a);',
    'INSERT INTO "nosuch\u001b[31m\u2028::warning::ls" VALUES(1);',
    "INSERT INTO \"kv\" VALUES('dup', 1), ('dup', 2);",
    'INSERT INTO "child" VALUES(99,99,\'orphan\',1.0,NULL);',
    'INSERT INTO "child" VALUES(98,1,\'negative\',-5.0,NULL);',
    'CREATE TABLE kv (x);',
    'CREATE TABLE "new table" ("a b" TEXT, [c] INTEGER, `d` BLOB); INSERT INTO "new table" VALUES(\'x\',1,X\'00\');',
    `-- ${'a comment line '.repeat(3)}`,
    '/* an unterminated comment',
    'INSERT INTO "kv" VALUES(\'unterminated',
    'CREATE TRIGGER evil_open AFTER INSERT ON kv BEGIN SELECT 1;',
  ];
}

/** Bytes a mutation inserts: syntax that changes a statement's shape, and bytes no dump holds. */
const INSERTED = ["'", '"', ';', '(', ')', ',', '\n', '\r', '\0', '\u001b', '--', '/*', '\\', '0', 'x'];
/** Characters a byte is replaced by, so that many mutations stay valid SQL with other values. */
const REPLACEMENTS = '0123456789abcxyzABC \'"();,.-+\n';

/** The text as latin1: one character per byte, so edits keep every other byte as it was. */
const asBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

export interface DumpMutation {
  bytes: Buffer;
  /** What was done, in a few words: enough to rebuild the input. */
  what: string[];
}

type Edit = (text: string, random: Random, outside: string) => { text: string; what: string };

const lineStarts = (text: string): number[] => {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0 && at < text.length - 1; at = text.indexOf('\n', at + 1))
    starts.push(at + 1);
  return starts;
};

const splitLines = (text: string): string[] => text.split('\n');

const EDITS: Record<string, Edit> = {
  flip: (text, random) => {
    const at = between(random, 0, text.length - 1);
    const mask = between(random, 1, 255);
    const byte = text.charCodeAt(at) ^ mask;
    return { text: text.slice(0, at) + String.fromCharCode(byte) + text.slice(at + 1), what: `flip@${at}^${mask}` };
  },
  replace: (text, random) => {
    const at = between(random, 0, text.length - 1);
    const char = pick(random, [...REPLACEMENTS]);
    return { text: text.slice(0, at) + char + text.slice(at + 1), what: `set@${at}=${JSON.stringify(char)}` };
  },
  delete: (text, random) => {
    const at = between(random, 0, text.length - 1);
    const length = between(random, 1, 16);
    return { text: text.slice(0, at) + text.slice(at + length), what: `delete@${at}+${length}` };
  },
  insert: (text, random) => {
    const at = between(random, 0, text.length);
    const inserted = Array.from({ length: between(random, 1, 3) }, () => pick(random, INSERTED)).join('');
    return {
      text: text.slice(0, at) + asBytes(inserted) + text.slice(at),
      what: `insert@${at}=${JSON.stringify(inserted)}`,
    };
  },
  truncate: (text, random) => {
    const at = between(random, 0, text.length - 1);
    return { text: text.slice(0, at), what: `truncate@${at}` };
  },
  duplicateLine: (text, random) => {
    const lines = splitLines(text);
    const at = between(random, 0, lines.length - 2);
    lines.splice(at, 0, lines[at]!);
    return { text: lines.join('\n'), what: `duplicate-line ${at + 1}` };
  },
  swapLines: (text, random) => {
    const lines = splitLines(text);
    const a = between(random, 0, lines.length - 2);
    const b = between(random, 0, lines.length - 2);
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return { text: lines.join('\n'), what: `swap-lines ${a + 1},${b + 1}` };
  },
  deleteLine: (text, random) => {
    const lines = splitLines(text);
    const at = between(random, 0, lines.length - 2);
    lines.splice(at, 1);
    return { text: lines.join('\n'), what: `delete-line ${at + 1}` };
  },
  spliceHostile: (text, random, outside) => {
    const starts = lineStarts(text);
    // Mostly between the header and the COMMIT; now and then before the header or after COMMIT.
    const at = random() < 0.1 ? pick(random, [0, text.length]) : pick(random, starts.slice(2, -1));
    const statements = hostileStatements(outside);
    const index = between(random, 0, statements.length - 1);
    const line = `${asBytes(statements[index]!)}\n`;
    const where = at === text.length && !text.endsWith('\n') ? `\n${line}` : line;
    return { text: text.slice(0, at) + where + text.slice(at), what: `hostile#${index}@${at}` };
  },
  replaceLineHostile: (text, random, outside) => {
    const lines = splitLines(text);
    const at = between(random, 2, lines.length - 3);
    const statements = hostileStatements(outside);
    const index = between(random, 0, statements.length - 1);
    lines[at] = asBytes(statements[index]!);
    return { text: lines.join('\n'), what: `line ${at + 1}=hostile#${index}` };
  },
};

/** How often each edit is chosen: mostly the small ones that keep the dump close to valid. */
const WEIGHTED: string[] = [
  ...Array(4).fill('flip'),
  ...Array(5).fill('replace'),
  ...Array(3).fill('delete'),
  ...Array(3).fill('insert'),
  ...Array(2).fill('truncate'),
  ...Array(3).fill('duplicateLine'),
  ...Array(3).fill('swapLines'),
  ...Array(3).fill('deleteLine'),
  ...Array(6).fill('spliceHostile'),
  ...Array(2).fill('replaceLineHostile'),
];

/** One to three seeded edits of `dump`; never the dump unchanged. */
export function mutateDump(dump: Buffer, random: Random, outside: string): DumpMutation {
  const original = dump.toString('latin1');
  for (;;) {
    let text = original;
    const what: string[] = [];
    const count = random() < 0.75 ? 1 : between(random, 2, 3);
    for (let i = 0; i < count && text.length > 0; i++) {
      const edit = EDITS[pick(random, WEIGHTED)]!(text, random, outside);
      text = edit.text;
      what.push(edit.what);
    }
    if (text !== original) return { bytes: Buffer.from(text, 'latin1'), what };
  }
}
