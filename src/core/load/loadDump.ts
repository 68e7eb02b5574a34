/**
 * Loads a dump into an open (new, empty) database: the dump is read as a stream and split into
 * complete statements; every statement is checked against the dump allow-list before it runs, and
 * the dump must end with its COMMIT (anything after it, or a missing COMMIT, is refused). Row
 * statements take a fast path: parsed in JS and bound to a cached prepared INSERT.
 */
import { fstatSync } from 'node:fs';
import { refusal, type SnapshotError } from '../shared/errors.ts';
import { heapKeeper } from '../shared/heap.ts';
import { DumpReader } from '../sql/dumpReader.ts';
import { type ParsedValues, parseInsert, parseValues } from '../sql/insertParser.ts';
import { scanStatements } from '../sql/sqlComplete.ts';
import { classifyStatement } from '../sql/statementPolicy.ts';
import { isInternalName } from '../sqlite/schema.ts';
import type { LoadTarget } from './loadTarget.ts';
import { insertedRows, TableRowCounts } from './rowCounts.ts';

export interface LoadStats {
  statements: number;
  /** Rows inserted into user tables (sqlite_* tables are not counted, as the dump does not). */
  rows: number;
  /** The same rows per table, by the table's name as the dump first spells it. */
  rowsByTable: Map<string, number>;
  /** `sha256:<hex>` of the bytes that were loaded. */
  checksum: string;
}

const INSERT_PREFIX = 'INSERT INTO ';
const FIRST_WINDOW = 4096;
/** Loader.nextBreak when the text read so far holds no newline past the mark. */
const NO_BREAK = Number.MAX_SAFE_INTEGER;

/** Tables whose rows the fast path may insert; others go through the allow-list. */
const fastTable = (name: string): boolean => !isInternalName(name) || name.toLowerCase() === 'sqlite_sequence';

/** How far a load has come, for progress lines. */
export interface LoadProgress {
  statements: number;
  rows: number;
  /** Bytes of the dump read so far. */
  bytes: number;
  /** The dump's size: `bytes` of it tell how far the load has come. */
  totalBytes: number;
}

/**
 * Bytes of dump between two full garbage collections. The loader runs on a worker whose young
 * generation is capped (restoreLoad.ts), which keeps its heap flat by itself; a full collection
 * costs tens of milliseconds, so this is only a rare backstop against old-generation growth.
 */
const KEEP_HEAP_EVERY = 256 << 20;

/** Statements, or bytes of dump, between two calls to the target's pace(). */
const PACE_EVERY = 512;
const PACE_EVERY_BYTES = 1 << 20;

class Loader {
  private readonly target: LoadTarget;
  private readonly reader: DumpReader;
  private readonly path: string;
  /** The `INSERT INTO "t" VALUES(` text of the last fast row, and its table: consecutive rows share it. */
  private lastPrefix = '\u0000';
  private lastTable = '';
  /** Rows of sqlite_* tables (sqlite_sequence, statistics) are not counted, as the dump does not. */
  private countLastTable = true;
  private readonly tableRows = new TableRowCounts();
  /** The row counter of lastTable, kept so a row costs no lookup. */
  private lastCounter = { rows: 0 };

  /**
   * Line numbers for messages, counted as the loader moves on: `text[markAt]` is on line
   * `markLine`, and `nextBreak` is the first newline at or after it (-1: not looked for yet,
   * NO_BREAK: none in the text read so far). Each newline is looked at once.
   */
  private markAt = 0;
  private markLine = 1;
  private nextBreak = -1;

  private readonly keepHeapFlat = heapKeeper(KEEP_HEAP_EVERY);
  /** Large statements bring the next pace() sooner, so what waits for the target stays bounded in bytes too. */
  private paceAtBytes = PACE_EVERY_BYTES;
  private committed = false;
  private began = false;
  private statistics = false;
  readonly stats: LoadStats = { statements: 0, rows: 0, rowsByTable: new Map(), checksum: '' };

  private readonly onProgress: ((progress: LoadProgress) => void) | undefined;
  private readonly totalBytes: number;

  constructor(target: LoadTarget, fd: number, path: string, onProgress?: (progress: LoadProgress) => void) {
    this.target = target;
    this.path = path;
    this.reader = new DumpReader(fd, path);
    this.onProgress = onProgress;
    this.totalBytes = fstatSync(fd).size;
  }

  /** 1-based line of `reader.text[index]`; cheap when called with growing indexes. */
  private lineOf(index: number): number {
    if (index < this.markAt) return this.reader.lineAt(index);
    const text = this.reader.text;
    let line = this.markLine;
    let at = this.nextBreak < 0 ? text.indexOf('\n', this.markAt) : this.nextBreak;
    while (at >= 0 && at < index) {
      line++;
      at = text.indexOf('\n', at + 1);
    }
    this.markAt = index;
    this.markLine = line;
    this.nextBreak = at < 0 ? NO_BREAK : at;
    return line;
  }

  private where(index: number): string {
    return `${this.path} line ${this.lineOf(index)}`;
  }

  /** reader.more(), keeping line counting right: reading on drops the consumed text. */
  private readMore(minimumChars?: number): boolean {
    const reader = this.reader;
    const more = reader.more(minimumChars);
    this.markAt = reader.pos;
    this.markLine = reader.lineAt(reader.pos);
    this.nextBreak = -1;
    return more;
  }

  /** A dump converted to CRLF line endings (a Windows checkout) must not load as if unchanged. */
  private carriageReturn(index: number): SnapshotError {
    const crlf = this.reader.text.charCodeAt(index + 1) === 0x0a;
    return refusal(
      'invalid',
      `${this.where(index)}: ${crlf ? 'the dump has Windows (CRLF) line endings' : 'a carriage return (CR) ends a statement'}; a dump's lines end in \\n only, and converting line endings changes its bytes and its checksum.`,
      'Use snapshot.sql exactly as it was built: download the artifact as-is; for a git checkout set core.autocrlf false (or mark *.sql -text in .gitattributes) and check it out again; or convert it back with dos2unix.',
    );
  }

  /** Skips whitespace and comments; false at the end of the dump. */
  private skipToStatement(): boolean {
    const reader = this.reader;
    for (;;) {
      const text = reader.text;
      let at = reader.pos;
      let open = false;
      while (at < text.length) {
        const c = text.charCodeAt(at);
        if (c === 0x20 || c === 0x0a || c === 0x09) at++;
        else if (c === 0x0d) throw this.carriageReturn(at);
        else if (c === 0x2d && text.charCodeAt(at + 1) === 0x2d) {
          const end = text.indexOf('\n', at);
          if (end < 0) {
            open = true;
            break;
          }
          at = end + 1;
        } else if (c === 0x2f && text.charCodeAt(at + 1) === 0x2a) {
          const end = text.indexOf('*/', at + 2);
          if (end < 0) {
            open = true;
            break;
          }
          at = end + 2;
        } else if ((c === 0x2d || c === 0x2f) && at + 1 === text.length) {
          // A lone '-' or '/' at the end of what was read may start a comment: read on to know.
          open = true;
          break;
        } else {
          reader.pos = at;
          return true;
        }
      }
      reader.pos = at;
      if (this.readMore()) continue;
      if (!open) return false;
      // The file ends in a comment: fine for a line comment; anything else is left to the splitter.
      if (reader.text.startsWith('--', reader.pos)) {
        reader.pos = reader.text.length;
        return false;
      }
      return true;
    }
  }

  /** Tries the fast path at the current position; true when it consumed a statement. */
  private fastInsert(): boolean {
    const reader = this.reader;
    for (;;) {
      const text = reader.text;
      let table = this.lastTable;
      let parsed: ParsedValues;
      if (text.startsWith(this.lastPrefix, reader.pos)) {
        parsed = parseValues(text, reader.pos + this.lastPrefix.length);
      } else {
        const row = parseInsert(text, reader.pos);
        if (row.kind === 'row') {
          if (!fastTable(row.table)) return false;
          this.lastPrefix = text.slice(reader.pos, row.valuesAt);
          this.lastTable = table = row.table;
          this.countLastTable = !isInternalName(table);
          if (this.countLastTable) this.lastCounter = this.tableRows.counter(table);
          parsed = { kind: 'values', values: row.values, end: row.end };
        } else parsed = row;
      }
      if (parsed.kind === 'more') {
        if (this.readMore(Math.max(FIRST_WINDOW, reader.text.length - reader.pos))) continue;
        return false;
      }
      if (parsed.kind === 'general') return false;
      this.target.row(table, parsed.values, this.lineOf(reader.pos));
      reader.pos = parsed.end;
      if (this.countLastTable) {
        this.stats.rows++;
        this.lastCounter.rows++;
      }
      return true;
    }
  }

  /** Splits off the next complete statement (complete.c rules); undefined at a truncated end. */
  private nextStatement(): string | undefined {
    const reader = this.reader;
    let window = FIRST_WINDOW;
    for (;;) {
      const available = reader.text.length - reader.pos;
      const scan = scanStatements(reader.text.slice(reader.pos, reader.pos + Math.min(window, available)));
      const end = scan.ends[0];
      if (end !== undefined) return reader.text.slice(reader.pos, reader.pos + end);
      if (window < available) window *= 4;
      else if (!this.readMore(Math.max(window, FIRST_WINDOW))) return undefined;
    }
  }

  private general(): void {
    const reader = this.reader;
    const statement = this.nextStatement();
    // Reading on may have dropped consumed text: positions are taken after the split.
    const start = reader.pos;
    if (statement === undefined) {
      throw refusal(
        'truncated',
        `${this.where(start)}: the dump ends inside a statement, before its final COMMIT.`,
        'The file is truncated: download the artifact again or rebuild it.',
      );
    }
    const action = classifyStatement(statement, this.statistics);
    if (action.kind === 'refuse') {
      throw refusal(
        'hostile',
        `${this.where(start)}: refused ${action.why}.`,
        'Restore only dumps made by sqlite-snapshot build (or a plain sqlite3 .dump).',
      );
    }
    if (action.kind === 'begin') {
      if (this.began) throw refusal('hostile', `${this.where(start)}: refused a second BEGIN.`);
      this.began = true;
    } else if (action.kind === 'commit') {
      this.target.commit(this.where(start));
      this.committed = true;
    } else if (action.kind === 'execute') {
      this.target.execute(statement, this.where(start));
      if (action.enablesStatistics) this.statistics = true;
      if (action.countsRow) this.countGeneralInsert(statement);
    }
    reader.pos = start + statement.length;
  }

  /** A row statement the fast path left to SQLite: it may hold several rows (`VALUES (…), (…)`). */
  private countGeneralInsert(statement: string): void {
    const insert = insertedRows(statement);
    if (!insert) return;
    this.stats.rows += insert.rows;
    this.tableRows.counter(insert.table).rows += insert.rows;
  }

  /**
   * A statement beyond what this process can hold (longer than a JS string can be) or nest (the
   * call stack): refused where it starts, instead of crashing. The parsers loop rather than recurse,
   * so this is a last line of defence.
   */
  private tooLarge(error: RangeError): SnapshotError {
    return refusal(
      'invalid',
      `${this.where(this.reader.pos)}: the statement is too large or too deeply nested to load (${error.message}).`,
      'A dump made by sqlite-snapshot build never holds such a statement: rebuild the snapshot from its database.',
      error,
    );
  }

  async run(): Promise<LoadStats> {
    const reader = this.reader;
    let done = false;
    try {
      this.readMore();
      this.target.begin();
      while (this.skipToStatement()) {
        this.keepHeapFlat(reader.bytesRead);
        if (this.stats.statements % PACE_EVERY === 0 || reader.bytesRead >= this.paceAtBytes) {
          this.paceAtBytes = reader.bytesRead + PACE_EVERY_BYTES;
          await this.target.pace();
          this.onProgress?.({
            statements: this.stats.statements,
            rows: this.stats.rows,
            bytes: reader.bytesRead,
            totalBytes: this.totalBytes,
          });
        }
        if (this.committed) {
          throw refusal('hostile', `${this.where(reader.pos)}: refused a statement after the final COMMIT.`);
        }
        this.stats.statements++;
        // Read on when the text stops inside "INSERT INTO ": a schollz Inf row only loads on the fast path.
        if (reader.text.length - reader.pos < INSERT_PREFIX.length) this.readMore(INSERT_PREFIX.length);
        if (reader.text.startsWith(INSERT_PREFIX, reader.pos) && this.fastInsert()) continue;
        this.general();
      }
      this.stats.checksum = reader.checksum();
      this.stats.rowsByTable = this.tableRows.toMap();
      if (!this.committed) {
        throw refusal(
          'truncated',
          `${this.path} ends without its final COMMIT.`,
          'The file is truncated: download the artifact again or rebuild it.',
        );
      }
      done = true;
      return this.stats;
    } catch (error) {
      throw error instanceof RangeError ? this.tooLarge(error) : error;
    } finally {
      if (!done) this.target.abandon();
    }
  }
}

/**
 * Executes the dump open as `fd` (read from its first byte; `path` names it in messages) through
 * `target` (a new, empty database) in one transaction; `onProgress` hears every few hundred
 * statements (callers throttle what they show).
 */
export function loadDumpInto(
  target: LoadTarget,
  fd: number,
  path: string,
  onProgress?: (progress: LoadProgress) => void,
): Promise<LoadStats> {
  return new Loader(target, fd, path, onProgress).run();
}
