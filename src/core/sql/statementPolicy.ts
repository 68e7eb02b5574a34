/**
 * Which statements a dump may contain (docs/format.md §4). A restore executes only these: the statements
 * our build writes, and those of sqlite3 CLI (≤ 3.49) and schollz/sqlite3dump dumps. Everything
 * else — ATTACH, DETACH, VACUUM INTO, other PRAGMAs, dot-commands, UPDATE, SELECT, schema-qualified
 * names, extension loading — is refused.
 */

import { quoted } from '../shared/untrusted.ts';
import { isKeyword, isName, type SqlToken, tokenize } from './sqlTokens.ts';

export type StatementAction =
  | { kind: 'begin' }
  | { kind: 'commit' }
  /** Accepted but not executed: the loader keeps foreign keys off until the end. */
  | { kind: 'skip' }
  /** `countsRow`: an INSERT of a user table's row (sqlite_* rows are not counted, as the dump does not). */
  | { kind: 'execute'; enablesStatistics?: boolean; countsRow?: boolean }
  | { kind: 'refuse'; why: string };

/** Words that may appear in the values of an INSERT: literals and pure functions of literals. */
const VALUE_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'REPLACE', 'CHAR', 'CAST', 'AS', 'TEXT', 'BLOB', 'UNISTR']);
/** Functions that reach outside the database; refused anywhere, even in a view or a trigger. */
const FORBIDDEN_WORDS = new Set(['LOAD_EXTENSION', 'FTS3_TOKENIZER', 'READFILE', 'WRITEFILE', 'EDIT']);
const SCHEMA_TABLES = new Set(['SQLITE_SCHEMA', 'SQLITE_MASTER', 'SQLITE_TEMP_SCHEMA', 'SQLITE_TEMP_MASTER']);

const refuse = (why: string): StatementAction => ({ kind: 'refuse', why });
/**
 * A word or name of the statement inside a reason. It comes from the dump: a plain ASCII word is
 * shown as it is (`ATTACH`, `writable_schema`); anything else is quoted, escaped (no newline or
 * escape sequence reaches a log) and cut short (a name can be megabytes long).
 */
const shown = (token: SqlToken | undefined): string => {
  if (!token) return '';
  return token.kind === 'word' && /^[A-Za-z0-9_]{1,60}$/.test(token.value) ? token.value : quoted(token.value, 60);
};
const upper = (token: SqlToken | undefined): string => (token?.kind === 'word' ? token.value.toUpperCase() : '');
const isPunct = (token: SqlToken | undefined, char: string): boolean => token?.kind === 'punct' && token.value === char;

/** Drops a trailing `;` so the last token is the statement's own. */
function body(tokens: SqlToken[]): SqlToken[] {
  return isPunct(tokens.at(-1), ';') ? tokens.slice(0, -1) : tokens;
}

/** Index of the object name after CREATE …; refuses TEMP objects and qualified names. */
function createdName(tokens: SqlToken[], kindIndex: number): number | StatementAction {
  let at = kindIndex + 1;
  if (isKeyword(tokens[at], 'IF') && isKeyword(tokens[at + 1], 'NOT') && isKeyword(tokens[at + 2], 'EXISTS')) at += 3;
  if (!isName(tokens[at])) return refuse('a CREATE statement without a name');
  if (isPunct(tokens[at + 1], '.')) return refuse('a schema-qualified name (a dump only writes to its own database)');
  return at;
}

function classifyCreate(tokens: SqlToken[]): StatementAction {
  let at = 1;
  if (isKeyword(tokens[at], 'TEMP', 'TEMPORARY')) return refuse('CREATE TEMP (a dump holds no temporary objects)');
  if (isKeyword(tokens[at], 'VIRTUAL'))
    return refuse('CREATE VIRTUAL TABLE (virtual tables cannot be restored from a dump)');
  if (isKeyword(tokens[at], 'UNIQUE')) at++;
  const kind = upper(tokens[at]);
  if (!['TABLE', 'INDEX', 'VIEW', 'TRIGGER'].includes(kind) || (kind !== 'INDEX' && at !== 1)) {
    return refuse(`CREATE ${shown(tokens[at])}`.trim());
  }
  const name = createdName(tokens, at);
  if (typeof name !== 'number') return name;
  if (kind === 'TABLE') {
    if (tokens[name]!.value.toUpperCase().startsWith('SQLITE_'))
      return refuse('CREATE TABLE of a reserved sqlite_ name');
    if (!isPunct(tokens[name + 1], '(')) return refuse('CREATE TABLE … AS SELECT (a dump writes column definitions)');
  }
  return { kind: 'execute' };
}

function classifyInsert(tokens: SqlToken[], statisticsAllowed: boolean): StatementAction {
  if (!isKeyword(tokens[1], 'INTO')) return refuse(`INSERT ${shown(tokens[1])} (a dump writes plain INSERT INTO)`);
  if (!isName(tokens[2])) return refuse('INSERT without a table name');
  if (isPunct(tokens[3], '.')) return refuse('a schema-qualified name (a dump only writes to its own database)');
  const table = tokens[2]!.value.toUpperCase();
  if (SCHEMA_TABLES.has(table)) return refuse(`INSERT INTO ${shown(tokens[2])} (writing the schema table directly)`);
  if (table.startsWith('SQLITE_STAT') && !statisticsAllowed)
    return refuse(`INSERT INTO ${shown(tokens[2])} without ANALYZE`);
  if (table.startsWith('SQLITE_') && table !== 'SQLITE_SEQUENCE' && !table.startsWith('SQLITE_STAT')) {
    return refuse(`INSERT INTO ${shown(tokens[2])} (a reserved table)`);
  }
  let at = 3;
  if (isPunct(tokens[at], '(')) {
    while (at < tokens.length && !isPunct(tokens[at], ')')) at++;
    at++;
  }
  if (!isKeyword(tokens[at], 'VALUES')) return refuse('INSERT … SELECT (a dump writes VALUES)');
  for (const token of tokens.slice(at + 1)) {
    if (token.kind === 'word' && !VALUE_WORDS.has(token.value.toUpperCase()))
      return refuse(`${shown(token)} in VALUES (only literals)`);
    if (token.kind === 'quoted') return refuse(`identifier ${shown(token)} in VALUES (only literals)`);
    if (token.kind === 'punct' && !'(),-+'.includes(token.value))
      return refuse(`${shown(token)} in VALUES (only literals)`);
  }
  return { kind: 'execute', countsRow: !table.startsWith('SQLITE_') };
}

/**
 * Classifies one complete statement (as split by the loader). `statisticsAllowed`: an ANALYZE of
 * the schema table came first, as in sqlite3 CLI dumps, so sqlite_stat1 rows may follow.
 */
export function classifyStatement(sql: string, statisticsAllowed: boolean): StatementAction {
  let tokens: SqlToken[];
  try {
    tokens = body(tokenize(sql));
  } catch (error) {
    return refuse(`unreadable SQL (${(error as Error).message})`);
  }
  const first = tokens[0];
  if (!first) return { kind: 'skip' };
  if (isPunct(first, '.')) return refuse(`the dot-command .${shown(tokens[1])} (a dump is SQL, not a shell script)`);
  // A call, however its name is spelled ("quoted", [bracketed]); a column that happens to be named
  // `edit` is not one.
  const forbidden = tokens.find(
    (token, index) =>
      (token.kind === 'word' || token.kind === 'quoted') &&
      FORBIDDEN_WORDS.has(token.value.toUpperCase()) &&
      isPunct(tokens[index + 1], '('),
  );
  if (forbidden) return refuse(`${shown(forbidden)}() (loading code or files is never part of a dump)`);
  const keyword = upper(first);
  switch (keyword) {
    case 'BEGIN':
      return tokens.slice(1).every((token) => isKeyword(token, 'TRANSACTION', 'DEFERRED', 'IMMEDIATE', 'EXCLUSIVE'))
        ? { kind: 'begin' }
        : refuse('BEGIN with extra words');
    case 'COMMIT':
    case 'END':
      return tokens.length === 1 || (tokens.length === 2 && isKeyword(tokens[1], 'TRANSACTION'))
        ? { kind: 'commit' }
        : refuse(`${keyword} with extra words`);
    case 'PRAGMA': {
      const name = upper(tokens[1]);
      const simple = tokens.length === 4 && isPunct(tokens[2], '=');
      if (name === 'FOREIGN_KEYS' && simple) return { kind: 'skip' };
      if (name === 'USER_VERSION' && (simple || (tokens.length === 5 && isPunct(tokens[3], '-')))) {
        return tokens.at(-1)?.kind === 'number' ? { kind: 'execute' } : refuse('PRAGMA user_version with a non-number');
      }
      return refuse(`PRAGMA ${shown(tokens[1])} (a dump only sets foreign_keys and user_version)`);
    }
    case 'CREATE':
      return classifyCreate(tokens);
    case 'INSERT':
      return classifyInsert(tokens, statisticsAllowed);
    case 'DELETE':
      return tokens.length === 3 && isKeyword(tokens[1], 'FROM') && tokens[2]!.value.toLowerCase() === 'sqlite_sequence'
        ? { kind: 'execute' }
        : refuse('DELETE (a dump only clears sqlite_sequence)');
    case 'ANALYZE':
      return tokens.length === 2 && ['sqlite_schema', 'sqlite_master'].includes(tokens[1]!.value.toLowerCase())
        ? { kind: 'execute', enablesStatistics: true }
        : refuse('ANALYZE (a dump only analyzes the schema table, before sqlite_stat1 rows)');
    case 'ROLLBACK':
      return refuse('ROLLBACK (the dump was written by a failing export; rebuild it)');
    default:
      return refuse(
        `${shown(first)}${tokens[1] && first.kind === 'word' ? ` ${shown(tokens[1])}` : ''} (not a statement a dump contains)`,
      );
  }
}
