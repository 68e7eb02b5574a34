/**
 * Loads a dump into an open (new, empty) database: the dump is read as a stream and split into
 * complete statements; every statement is checked against the dump allow-list before it runs, and
 * the dump must end with its COMMIT (anything after it, or a missing COMMIT, is refused). Row
 * statements take a fast path: parsed in JS and bound to a cached prepared INSERT.
 */
import { DumpReader } from './dumpReader.ts';
import { refusal } from './errors.ts';
import { heapKeeper } from './heap.ts';
import { type ParsedValues, parseInsert, parseValues } from './insertParser.ts';
import type { LoadTarget } from './loadTarget.ts';
import { isInternalName } from './schema.ts';
import { scanStatements } from './sqlComplete.ts';
import { classifyStatement } from './statementPolicy.ts';

export interface LoadStats {
  statements: number;
  rows: number;
  /** `sha256:<hex>` of the bytes that were loaded. */
  checksum: string;
}

const INSERT_PREFIX = 'INSERT INTO ';
const FIRST_WINDOW = 4096;

/** Tables whose rows the fast path may insert; others go through the allow-list. */
const fastTable = (name: string): boolean => !isInternalName(name) || name.toLowerCase() === 'sqlite_sequence';

/** How far a load has come, for progress lines. */
export interface LoadProgress {
  statements: number;
  rows: number;
  /** Bytes of the dump read so far. */
  bytes: number;
}

/** Statements between two calls to the target's pace(). */
const PACE_EVERY = 512;

class Loader {
  private readonly target: LoadTarget;
  private readonly reader: DumpReader;
  private readonly path: string;
  /** The `INSERT INTO "t" VALUES(` text of the last fast row, and its table: consecutive rows share it. */
  private lastPrefix = '\u0000';
  private lastTable = '';
  /** Rows of sqlite_* tables (sqlite_sequence, statistics) are not counted, as the dump does not. */
  private countLastTable = true;

  private readonly keepHeapFlat = heapKeeper(12 << 20);
  private committed = false;
  private began = false;
  private statistics = false;
  readonly stats: LoadStats = { statements: 0, rows: 0, checksum: '' };

  private readonly onProgress: ((progress: LoadProgress) => void) | undefined;

  constructor(target: LoadTarget, fd: number, path: string, onProgress?: (progress: LoadProgress) => void) {
    this.target = target;
    this.path = path;
    this.reader = new DumpReader(fd, path);
    this.onProgress = onProgress;
  }

  private where(index: number): string {
    return `${this.path} line ${this.reader.lineAt(index)}`;
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
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
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
      if (reader.more()) continue;
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
          parsed = { kind: 'values', values: row.values, end: row.end };
        } else parsed = row;
      }
      if (parsed.kind === 'more') {
        if (reader.more(Math.max(FIRST_WINDOW, reader.text.length - reader.pos))) continue;
        return false;
      }
      if (parsed.kind === 'general') return false;
      const values = parsed.values;
      this.target.row(table, values);
      reader.pos = parsed.end;
      if (this.countLastTable) this.stats.rows++;
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
      else if (!reader.more(Math.max(window, FIRST_WINDOW))) return undefined;
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
      if (action.countsRow) this.stats.rows++;
    }
    reader.pos = start + statement.length;
  }

  async run(): Promise<LoadStats> {
    const reader = this.reader;
    let done = false;
    try {
      reader.more();
      this.target.begin();
      while (this.skipToStatement()) {
        this.keepHeapFlat(reader.bytesRead);
        if (this.stats.statements % PACE_EVERY === 0) {
          await this.target.pace();
          this.onProgress?.({ statements: this.stats.statements, rows: this.stats.rows, bytes: reader.bytesRead });
        }
        if (this.committed) {
          throw refusal('hostile', `${this.where(reader.pos)}: refused a statement after the final COMMIT.`);
        }
        this.stats.statements++;
        if (reader.text.startsWith(INSERT_PREFIX, reader.pos) && this.fastInsert()) continue;
        this.general();
      }
      this.stats.checksum = reader.checksum();
      if (!this.committed) {
        throw refusal(
          'truncated',
          `${this.path} ends without its final COMMIT.`,
          'The file is truncated: download the artifact again or rebuild it.',
        );
      }
      done = true;
      return this.stats;
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
