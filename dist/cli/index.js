#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 486:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(919);
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_worker_threads__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(568);
/* harmony import */ var _output_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(657);
/** Entry point of the `sqlite-snapshot` command. */



// The bundle is also loaded by the dump's worker threads, which take their role from workerData.
if (node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.isMainThread)
    process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_1__/* .main */ .i)(process.argv.slice(2), (0,_output_js__WEBPACK_IMPORTED_MODULE_2__/* .processIo */ .Wr)());

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 568:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// UNUSED EXPORTS: MAIN_HELP

;// CONCATENATED MODULE: ./src/core/errors.ts
/**
 * Typed errors of the core. Every message names the thing that is wrong and says what to do;
 * the faces (CLI, Action) only decide how to show them and which exit code they mean.
 */
class SnapshotError extends Error {
    kind;
    /** What the user can do about it; shown after the message. */
    hint;
    constructor(kind, message, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'SnapshotError';
        this.kind = kind;
        this.hint = options.hint;
    }
}
const usageError = (message, hint) => new SnapshotError('usage', message, { hint });
const ioError = (message, hint, cause) => new SnapshotError('io', message, { hint, cause });
const unsupportedError = (message, hint) => new SnapshotError('unsupported', message, { hint });
/** Renders an error with its hint, for logs and terminals. */
function describeError(error) {
    if (error instanceof SnapshotError) {
        return error.hint ? `${error.message}\n  hint: ${error.hint}` : error.message;
    }
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/core/chunkWriter.ts
/**
 * Collects output into fixed-size buffers and hands each one over when it is full (or at `end`).
 * Where the buffers come from is the caller's choice: reused in place when the consumer is
 * synchronous, or a bounded pool of buffers passed between threads.
 */
const CHUNK_BYTES = 1 << 20;
/** A sink for a synchronous consumer: one buffer, reused after each hand-over. */
function reusingSink(consume) {
    const buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    return { take: (full, length) => consume(full.subarray(0, length)), next: () => buffer };
}
class ChunkWriter {
    sink;
    buffer;
    position = 0;
    emitted = 0;
    constructor(sink) {
        this.sink = sink;
        this.buffer = sink.next();
    }
    /** Bytes written so far, including those not yet handed over. */
    get size() {
        return this.emitted + this.position;
    }
    /** Appends an ASCII-only string (keywords, numbers, hex); one byte per character. */
    ascii(text) {
        if (this.position + text.length > CHUNK_BYTES) {
            this.bytes(Buffer.from(text, 'latin1'));
            return;
        }
        this.position += this.buffer.write(text, this.position, 'latin1');
    }
    /** Appends any string as UTF-8. */
    utf8(text) {
        if (this.position + text.length * 3 > CHUNK_BYTES) {
            this.bytes(Buffer.from(text, 'utf8'));
            return;
        }
        this.position += this.buffer.write(text, this.position, 'utf8');
    }
    /** Appends raw bytes, across as many chunks as they need. */
    bytes(data) {
        let offset = 0;
        while (offset < data.length) {
            if (this.position === CHUNK_BYTES)
                this.emit();
            const count = Math.min(data.length - offset, CHUNK_BYTES - this.position);
            this.buffer.set(data.subarray(offset, offset + count), this.position);
            this.position += count;
            offset += count;
        }
    }
    /** Appends one byte. */
    byte(value) {
        if (this.position === CHUNK_BYTES)
            this.emit();
        this.buffer[this.position++] = value;
    }
    /** Hands over what is buffered, even a partial chunk. */
    end() {
        if (this.position > 0)
            this.emit();
    }
    emit() {
        const full = this.buffer;
        const length = this.position;
        this.emitted += length;
        this.position = 0;
        this.sink.take(full, length);
        this.buffer = this.sink.next();
    }
}

;// CONCATENATED MODULE: external "node:v8"
const external_node_v8_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");
;// CONCATENATED MODULE: external "node:vm"
const external_node_vm_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");
;// CONCATENATED MODULE: ./src/core/heap.ts
/**
 * Keeps long dumps' memory flat. The row loop creates short-lived garbage, some of which V8
 * promotes to the old generation and only collects when that has grown to several times the live
 * size; a full collection every so many output bytes bounds the heap, at a cost of a few
 * milliseconds per collection.
 */


const COLLECT_EVERY_BYTES = 24 << 20;
let collect;
function collector() {
    if (!collect) {
        // --expose-gc set at run time only affects contexts created afterwards; take `gc` from one.
        (0,external_node_v8_namespaceObject.setFlagsFromString)('--expose-gc');
        collect = (0,external_node_vm_namespaceObject.runInNewContext)('gc');
    }
    return collect;
}
/** Returns a function to call with the running output size; it collects when due. */
function heapKeeper() {
    let next = COLLECT_EVERY_BYTES;
    return (outputBytes) => {
        if (outputBytes < next)
            return;
        next = outputBytes + COLLECT_EVERY_BYTES;
        collector()();
    };
}

;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: ./src/core/sqlLiteral.ts
/**
 * How each SQLite value is written in the dump (DESIGN §3 rule 5). The row query hands values over
 * already tagged by storage class, so no type is ever guessed:
 *   INTEGER → decimal text made by SQLite (exact over 64 bits), REAL → JS number,
 *   TEXT → its raw bytes as a Buffer (NUL and invalid UTF-8 survive), BLOB → `X'..'` made by SQLite.
 */

const QUOTE = 0x27;
/** Shortest text that reads back as the same double, always recognisable as REAL. */
function formatReal(value) {
    if (value === Number.POSITIVE_INFINITY)
        return '1e999';
    if (value === Number.NEGATIVE_INFINITY)
        return '-1e999';
    if (Object.is(value, -0))
        return '-0.0';
    const text = String(value);
    if (text.includes('e'))
        return text.replace('e+', 'e');
    return text.includes('.') ? text : `${text}.0`;
}
/** Quotes an identifier the SQL way: `"` around, inner `"` doubled. */
const quoteIdentifier = (name) => `"${name.replaceAll('"', '""')}"`;
/** Quotes a string as an SQL literal: `'` around, inner `'` doubled (no newline handling). */
const quoteString = (text) => `'${text.replaceAll("'", "''")}'`;
/** Picks a marker absent from `text`, as the sqlite3 shell does for its replace() escapes. */
function unusedMarker(text, first, second) {
    if (!text.includes(first))
        return first;
    if (!text.includes(second))
        return second;
    for (let i = 0;; i++) {
        const candidate = `(${first}${i})`;
        if (!text.includes(candidate))
            return candidate;
    }
}
/** TEXT with newlines or CRs, written the shell's way: replace('a\nb','\n',char(10)). */
function escapedLineBreaks(text, hasNewline, hasReturn) {
    const newlineMarker = hasNewline ? unusedMarker(text, '\\n', '\\012') : '';
    const returnMarker = hasReturn ? unusedMarker(text, '\\r', '\\015') : '';
    let body = text.replaceAll("'", "''");
    if (hasNewline)
        body = body.replaceAll('\n', newlineMarker);
    if (hasReturn)
        body = body.replaceAll('\r', returnMarker);
    let literal = `${hasNewline ? 'replace(' : ''}${hasReturn ? 'replace(' : ''}'${body}'`;
    if (hasReturn)
        literal += `,'${returnMarker}',char(13))`;
    if (hasNewline)
        literal += `,'${newlineMarker}',char(10))`;
    return literal;
}
const HEX_CHUNK = 1 << 19;
function writeHex(out, bytes) {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let offset = 0; offset < buffer.length; offset += HEX_CHUNK) {
        out.ascii(buffer.toString('hex', offset, Math.min(offset + HEX_CHUNK, buffer.length)));
    }
}
/** Writes TEXT given as its stored bytes. */
function writeTextBytes(out, bytes) {
    const length = bytes.length;
    let quotes = 0;
    let newline = false;
    let carriageReturn = false;
    let nul = false;
    let nonAscii = false;
    for (let i = 0; i < length; i++) {
        const c = bytes[i];
        if (c === QUOTE)
            quotes++;
        else if (c < 0x0e) {
            if (c === 0)
                nul = true;
            else if (c === 0x0a)
                newline = true;
            else if (c === 0x0d)
                carriageReturn = true;
        }
        else if (c >= 0x80)
            nonAscii = true;
    }
    if (nul || (nonAscii && !(0,external_node_buffer_namespaceObject.isUtf8)(bytes))) {
        // Not representable as a plain literal: the exact bytes, typed back to TEXT.
        out.ascii("CAST(X'");
        writeHex(out, bytes);
        out.ascii("' AS TEXT)");
        return;
    }
    if (newline || carriageReturn) {
        out.utf8(escapedLineBreaks(bytes.toString('utf8'), newline, carriageReturn));
        return;
    }
    out.byte(QUOTE);
    if (quotes === 0)
        out.bytes(bytes);
    else {
        let start = 0;
        for (let at = bytes.indexOf(QUOTE); at >= 0; at = bytes.indexOf(QUOTE, at + 1)) {
            out.bytes(bytes.subarray(start, at + 1));
            out.byte(QUOTE);
            start = at + 1;
        }
        out.bytes(bytes.subarray(start));
    }
    out.byte(QUOTE);
}
/** The SELECT expression that hands a column's value over tagged by storage class. */
function taggedValueExpression(quotedColumn) {
    return (`CASE typeof(${quotedColumn}) WHEN 'integer' THEN CAST(${quotedColumn} AS TEXT) ` +
        `WHEN 'text' THEN CAST(${quotedColumn} AS BLOB) ` +
        `WHEN 'blob' THEN 'X''' || lower(hex(${quotedColumn})) || '''' ELSE ${quotedColumn} END`);
}
/** Writes one tagged value (see taggedValueExpression). */
function writeTaggedValue(out, value) {
    if (value === null)
        out.ascii('NULL');
    else if (typeof value === 'string')
        out.ascii(value);
    else if (typeof value === 'number')
        out.ascii(formatReal(value));
    else
        writeTextBytes(out, value);
}

;// CONCATENATED MODULE: ./src/core/rowWriter.ts

const rowWriter_QUOTE = 0x27;
const COMMA = 0x2c;
/** Characters that need more than quoting. */
const SPECIAL_TEXT = /[\0\n\r\uFFFD]/;
/** Characters that mean the string may not be the stored bytes. */
const LOSSY_TEXT = /[\0\uFFFD]/;
/** Rows fetched per page are sized to about this many output bytes, so wide rows stay bounded. */
const PAGE_BYTES = 256 << 10;
const MAX_PAGE_ROWS = 256;
/** Per column: hex of a BLOB (else null), then the value itself when it is not a BLOB. */
const splitColumns = (table) => table.columns
    .map((column) => {
    const c = quoteIdentifier(column);
    return `CASE WHEN typeof(${c}) = 'blob' THEN lower(hex(${c})) END, CASE WHEN typeof(${c}) <> 'blob' THEN ${c} END`;
})
    .join(', ');
function writeFastValue(out, blobHex, value, rawText, column) {
    if (blobHex !== null) {
        out.ascii("X'");
        out.ascii(blobHex);
        out.byte(rowWriter_QUOTE);
    }
    else if (typeof value === 'string') {
        if (!SPECIAL_TEXT.test(value)) {
            out.byte(rowWriter_QUOTE);
            out.utf8(value.includes("'") ? value.replaceAll("'", "''") : value);
            out.byte(rowWriter_QUOTE);
        }
        else if (LOSSY_TEXT.test(value))
            writeTextBytes(out, rawText(column));
        else
            out.utf8(escapedLineBreaks(value, value.includes('\n'), value.includes('\r')));
    }
    else if (typeof value === 'bigint')
        out.ascii(value.toString());
    else if (typeof value === 'number')
        out.ascii(formatReal(value));
    else
        out.ascii('NULL');
}
/** Writes one row of split columns starting at `first`. */
function writeFastRow(out, prefix, row, first, rawText) {
    out.bytes(prefix);
    for (let column = 0, at = first; at < row.length; column++, at += 2) {
        if (column > 0)
            out.byte(COMMA);
        writeFastValue(out, row[at], row[at + 1], rawText, column);
    }
    out.ascii(');\n');
}
const FULL_RANGE = { first: -(1n << 63n), last: (1n << 63n) - 1n };
/** Rowid tables: pages of `SELECT rowid, split columns` in rowid order, fetched in bulk. */
function dumpByRowid(db, out, table, prefix, range, onRows) {
    const alias = table.rowidAlias;
    const name = quoteIdentifier(table.name);
    // NOT INDEXED: read the table's own b-tree, never a covering index, so the ORDER BY costs no sort.
    const select = `SELECT ${alias}, ${splitColumns(table)} FROM ${name} NOT INDEXED`;
    const firstPage = db
        .prepare(`${select} WHERE ${alias} BETWEEN ? AND ? ORDER BY ${alias} LIMIT ?`)
        .raw(true)
        .safeIntegers(true);
    const nextPage = db
        .prepare(`${select} WHERE ${alias} > ? AND ${alias} <= ? ORDER BY ${alias} LIMIT ?`)
        .raw(true)
        .safeIntegers(true);
    const rawReaders = [];
    let rowid;
    const rawText = (column) => {
        rawReaders[column] ??= db
            .prepare(`SELECT CAST(${quoteIdentifier(table.columns[column])} AS BLOB) FROM ${name} WHERE ${alias} = ?`)
            .pluck(true);
        return rawReaders[column].get(rowid) ?? Buffer.alloc(0);
    };
    let rows = 0;
    let pageRows = 64;
    for (;;) {
        const page = (rows === 0 ? firstPage.all(range.first, range.last, pageRows) : nextPage.all(rowid, range.last, pageRows));
        const startBytes = out.size;
        for (const row of page) {
            rowid = row[0];
            writeFastRow(out, prefix, row, 1, rawText);
        }
        rows += page.length;
        onRows(rows);
        if (page.length < pageRows)
            return rows;
        const bytesPerRow = Math.max(1, (out.size - startBytes) / page.length);
        pageRows = Math.max(1, Math.min(MAX_PAGE_ROWS, Math.floor(PAGE_BYTES / bytesPerRow)));
    }
}
const hasLossyText = (row) => row.some((value) => typeof value === 'string' && LOSSY_TEXT.test(value));
/** FROM clause reading a table in its b-tree order (see TableInfo.orderBy). */
const scanClause = (table) => `${quoteIdentifier(table.name)} NOT INDEXED${table.orderBy ? ` ORDER BY ${table.orderBy}` : ''}`;
const WHOLE_TABLE = { offset: 0, count: -1 };
/** Writes rows on the exact path (TEXT as raw bytes); returns how many. */
function dumpTagged(db, out, table, prefix, range) {
    const values = table.columns.map((column) => taggedValueExpression(quoteIdentifier(column))).join(', ');
    const query = `SELECT ${values} FROM ${scanClause(table)} LIMIT ? OFFSET ?`;
    let rows = 0;
    for (const row of db.prepare(query).raw(true).iterate(range.count, range.offset)) {
        out.bytes(prefix);
        for (let i = 0; i < row.length; i++) {
            if (i > 0)
                out.byte(COMMA);
            writeTaggedValue(out, row[i]);
        }
        out.ascii(');\n');
        rows++;
    }
    return rows;
}
/** WITHOUT ROWID tables (or rowid tables whose rowid names are all taken by columns). */
function dumpByScan(db, out, table, prefix, range, onRows) {
    const query = `SELECT ${splitColumns(table)} FROM ${scanClause(table)} LIMIT ? OFFSET ?`;
    const statement = db.prepare(query).raw(true).safeIntegers(true);
    const iterator = statement.iterate(range.count, range.offset)[Symbol.iterator]();
    let rows = 0;
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
        if (hasLossyText(next.value)) {
            // No rowid to re-read one value by: continue on the exact path from this row.
            iterator.return?.();
            const rest = { offset: range.offset + rows, count: range.count < 0 ? -1 : range.count - rows };
            return rows + dumpTagged(db, out, table, prefix, rest);
        }
        writeFastRow(out, prefix, next.value, 0, () => Buffer.alloc(0));
        if (++rows % 4096 === 0)
            onRows(rows);
    }
    return rows;
}
/**
 * Writes the rows of `table` (those in `range`, or all) as `INSERT INTO "name" VALUES(...);`
 * lines; returns the row count.
 */
function dumpTableRows(db, out, table, range, onRows) {
    const prefix = Buffer.from(`INSERT INTO ${quoteIdentifier(table.name)} VALUES(`, 'utf8');
    if (table.rowidAlias) {
        return dumpByRowid(db, out, table, prefix, range?.by === 'rowid' ? range : FULL_RANGE, onRows);
    }
    return dumpByScan(db, out, table, prefix, range?.by === 'position' ? range : WHOLE_TABLE, onRows);
}

;// CONCATENATED MODULE: ./src/core/schema.ts
/**
 * Reads what a dump must contain from sqlite_schema, and refuses what it cannot carry losslessly.
 */


/** Tables whose names SQLite reserves; they are handled separately or left out. */
const isInternalName = (name) => name.toLowerCase().startsWith('sqlite_');
function readColumns(db, table) {
    const rows = db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?)').all(table);
    // hidden: 0 ordinary, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED.
    return {
        columns: rows.filter((row) => row.hidden === 0).map((row) => row.name),
        names: new Set(rows.map((row) => row.name.toLowerCase())),
    };
}
function isWithoutRowid(db, table) {
    // pragma_table_list (SQLite ≥ 3.37) reports it directly, instead of parsing the CREATE text.
    const row = db.prepare('SELECT wr FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table);
    return row?.wr === 1;
}
/**
 * A WITHOUT ROWID table's primary-key order. Spelled out because SQLite may otherwise scan such a
 * table through a covering secondary index (even with NOT INDEXED), in that index's order.
 */
function primaryKeyOrder(db, table) {
    const index = db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'").pluck().get(table);
    const keys = db
        .prepare('SELECT name, desc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno')
        .all(index);
    return keys
        .map((key) => `${quoteIdentifier(key.name)} COLLATE ${quoteIdentifier(key.coll)}${key.desc ? ' DESC' : ''}`)
        .join(', ');
}
function readSchemaPlan(db, path) {
    const encoding = db.pragma('encoding', { simple: true });
    if (encoding !== 'UTF-8') {
        throw unsupportedError(`${path} uses the ${encoding} text encoding; sqlite-snapshot supports UTF-8 databases only.`, `Convert it: sqlite3 ${path} .dump | sqlite3 -cmd "PRAGMA encoding='UTF-8'" converted.db`);
    }
    const rows = db
        .prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY rowid')
        .all();
    const virtualTables = rows.filter((row) => row.type === 'table' && /^\s*CREATE\s+VIRTUAL\s/i.test(row.sql ?? ''));
    if (virtualTables.length > 0) {
        const names = virtualTables.map((row) => `"${row.name}"`).join(', ');
        throw unsupportedError(`${path} holds virtual table ${names}; a virtual table's content lives in its module and cannot be dumped losslessly.`, 'Build the snapshot from a fixture without virtual tables, or create them in a migration run after restore.');
    }
    const tableRows = db
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL ORDER BY name COLLATE BINARY")
        .all();
    const tables = [];
    for (const row of tableRows) {
        // sqlite_sequence is dumped after all tables; sqlite_stat* are statistics, not content.
        if (isInternalName(row.name))
            continue;
        const { columns, names } = readColumns(db, row.name);
        const withoutRowid = isWithoutRowid(db, row.name);
        const rowidAlias = withoutRowid ? undefined : ['_rowid_', 'rowid', 'oid'].find((alias) => !names.has(alias));
        const orderBy = withoutRowid ? primaryKeyOrder(db, row.name) : (rowidAlias ?? '');
        tables.push({ name: row.name, sql: row.sql, withoutRowid, columns, rowidAlias, orderBy });
    }
    const viewsAndTriggers = rows.filter((row) => row.type === 'view' || row.type === 'trigger');
    const indexes = rows
        .filter((row) => row.type === 'index')
        .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    const objects = [...viewsAndTriggers, ...indexes].map((row) => ({
        type: row.type,
        name: row.name,
        sql: row.sql,
    }));
    const hasSequence = rows.some((row) => row.type === 'table' && row.name === 'sqlite_sequence');
    const hasSequenceRows = hasSequence && db.prepare('SELECT 1 FROM sqlite_sequence LIMIT 1').get() !== undefined;
    const userVersion = db.pragma('user_version', { simple: true });
    return { tables, objects, hasSequenceRows, userVersion };
}

;// CONCATENATED MODULE: ./src/core/sqlComplete.ts
/**
 * Statement completeness with the semantics of SQLite's `sqlite3_complete()` (complete.c): a text
 * is complete when it ends with a semicolon that is not inside a string, identifier quote, comment,
 * or the body of a `CREATE TRIGGER … END`. The dump uses it for the comment-safe terminator of
 * schema statements; the restore splitter uses the same state machine.
 */
const Token = {
    Semi: 0,
    Space: 1,
    Other: 2,
    Explain: 3,
    Create: 4,
    Temp: 5,
    Trigger: 6,
    End: 7,
};
// Rows: states INVALID(0) START(1) NORMAL(2) EXPLAIN(3) CREATE(4) TRIGGER(5) SEMI(6) END(7);
// columns: tokens. The automaton of complete.c; a text is complete when it ends in START.
const TRANSITIONS = [
    /* INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
    /* START   */ [1, 1, 2, 3, 4, 2, 2, 2],
    /* NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
    /* EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
    /* CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
    /* TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
    /* SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
    /* END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];
/** The state after a complete statement (and the "complete" verdict). */
const START_STATE = 1;
/** The state before any token has been seen: an empty text is not complete. */
const INITIAL_STATE = 0;
const isSpace = (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isIdChar = (c) => (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x5f ||
    c === 0x24 ||
    c >= 0x80;
function keywordToken(word) {
    switch (word.toLowerCase()) {
        case 'create':
            return Token.Create;
        case 'trigger':
            return Token.Trigger;
        case 'temp':
        case 'temporary':
            return Token.Temp;
        case 'end':
            return Token.End;
        case 'explain':
            return Token.Explain;
        default:
            return Token.Other;
    }
}
/**
 * Runs the automaton over `sql` starting from `state`. Returns the ends of complete statements,
 * so a streaming splitter can cut at them.
 */
function scanStatements(sql, state = INITIAL_STATE) {
    const ends = [];
    let i = 0;
    const n = sql.length;
    const step = (token) => {
        state = TRANSITIONS[state][token];
    };
    while (i < n) {
        const c = sql.charCodeAt(i);
        if (c === 0x3b) {
            step(Token.Semi);
            i++;
            if (state === START_STATE)
                ends.push(i);
        }
        else if (isSpace(c)) {
            step(Token.Space);
            i++;
        }
        else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
            const close = sql.indexOf('*/', i + 2);
            if (close < 0)
                return { state, ends, open: true };
            step(Token.Space);
            i = close + 2;
        }
        else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
            const newline = sql.indexOf('\n', i + 2);
            if (newline < 0)
                return { state, ends, open: state !== START_STATE };
            step(Token.Space);
            i = newline + 1;
        }
        else if (c === 0x5b) {
            const close = sql.indexOf(']', i + 1);
            if (close < 0)
                return { state, ends, open: true };
            step(Token.Other);
            i = close + 1;
        }
        else if (c === 0x27 || c === 0x22 || c === 0x60) {
            const quote = sql[i];
            let j = i + 1;
            for (;;) {
                const close = sql.indexOf(quote, j);
                if (close < 0)
                    return { state, ends, open: true };
                // A doubled quote is an escaped quote inside the token.
                if (sql[close + 1] === quote)
                    j = close + 2;
                else {
                    j = close + 1;
                    break;
                }
            }
            step(Token.Other);
            i = j;
        }
        else if (isIdChar(c)) {
            let j = i + 1;
            while (j < n && isIdChar(sql.charCodeAt(j)))
                j++;
            step(keywordToken(sql.slice(i, j)));
            i = j;
        }
        else {
            step(Token.Other);
            i++;
        }
    }
    return { state, ends, open: false };
}
/** `sqlite3_complete()`: does `sql` end exactly at the end of a statement? */
function isCompleteStatement(sql) {
    const result = scanStatements(sql);
    return !result.open && result.state === START_STATE;
}

;// CONCATENATED MODULE: ./src/core/dump.ts
/**
 * The canonical, lossless, streaming dump (DESIGN §3). The dump is planned as an ordered list of
 * units: small "static" units (header, schema statements, sqlite_sequence, footer) written by the
 * planning connection, and "rows" units (a table, or a rowid range of a large one) that can be
 * written by this thread or, in parallel, by worker threads reading the same snapshot.
 */






const DUMP_HEADER = 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n';
const DUMP_FOOTER = 'COMMIT;\n';
/** Large tables are split into rowid ranges of about this many rows. */
const ROWS_PER_UNIT = 16384;
/**
 * Appends `;` so that the statement ends even when its stored text ends inside a comment, trying
 * the same terminators as the sqlite3 shell: nothing, a comment close, a newline.
 */
function terminateStatement(sql) {
    if (sql.includes('/*') || sql.includes('--')) {
        for (const terminator of ['', '*/', '\n']) {
            const candidate = `${sql}${terminator};`;
            if (isCompleteStatement(candidate))
                return candidate;
        }
    }
    return `${sql};`;
}
function writeSequence(db, out) {
    out.ascii('DELETE FROM sqlite_sequence;\n');
    const prefix = Buffer.from('INSERT INTO "sqlite_sequence" VALUES(');
    const name = taggedValueExpression('name');
    const seq = taggedValueExpression('seq');
    const query = `SELECT ${name}, ${seq} FROM sqlite_sequence ORDER BY name COLLATE BINARY, seq`;
    for (const row of db.prepare(query).raw(true).iterate()) {
        out.bytes(prefix);
        writeTaggedValue(out, row[0]);
        out.byte(0x2c);
        writeTaggedValue(out, row[1]);
        out.ascii(');\n');
    }
}
/** Without a rowid, ranges are positions; skipping to one costs a scan, so only a few. */
const MAX_POSITION_UNITS = 8;
/** Splits a large table into units of about ROWS_PER_UNIT rows, in dump order. */
function rowUnits(db, table) {
    const whole = [{ kind: 'rows', table, range: undefined }];
    const name = quoteIdentifier(table.name);
    if (!table.rowidAlias) {
        const count = Number(db.prepare(`SELECT count(*) FROM ${name}`).pluck().get());
        const pieces = Math.min(MAX_POSITION_UNITS, Math.ceil(count / ROWS_PER_UNIT));
        if (pieces <= 1)
            return whole;
        const size = Math.ceil(count / pieces);
        return Array.from({ length: pieces }, (_, k) => ({
            kind: 'rows',
            table,
            // The last unit takes whatever remains.
            range: { by: 'position', offset: k * size, count: k === pieces - 1 ? -1 : size },
        }));
    }
    const alias = table.rowidAlias;
    const [count, first, last] = db
        .prepare(`SELECT count(*), min(${alias}), max(${alias}) FROM ${name} NOT INDEXED`)
        .raw(true)
        .safeIntegers(true)
        .get();
    const pieces = (count + BigInt(ROWS_PER_UNIT) - 1n) / BigInt(ROWS_PER_UNIT);
    if (first === null || last === null || pieces <= 1n)
        return whole;
    // Rowids are usually dense; a sparse table only makes some ranges larger than others.
    const span = (last - first) / pieces + 1n;
    const units = [];
    for (let start = first; start <= last; start += span) {
        const end = start + span - 1n < last ? start + span - 1n : last;
        units.push({ kind: 'rows', table, range: { by: 'rowid', first: start, last: end } });
    }
    return units;
}
/** Plans the dump; must run inside the read transaction the static units are written from. */
function planDump(db, path) {
    const schema = readSchemaPlan(db, path);
    const units = [{ kind: 'static', write: (out) => out.ascii(DUMP_HEADER) }];
    for (const table of schema.tables) {
        units.push({ kind: 'static', write: (out) => out.utf8(`${terminateStatement(table.sql)}\n`) });
        units.push(...rowUnits(db, table));
    }
    units.push({
        kind: 'static',
        write: (out) => {
            if (schema.hasSequenceRows)
                writeSequence(db, out);
            for (const object of schema.objects)
                out.utf8(`${terminateStatement(object.sql)}\n`);
            if (schema.userVersion !== 0)
                out.ascii(`PRAGMA user_version=${schema.userVersion};\n`);
            out.ascii(DUMP_FOOTER);
        },
    });
    return { schema, units };
}
/** Runs `body` inside one read transaction, so concurrent writers cannot tear the snapshot. */
function inReadTransaction(db, body) {
    db.exec('BEGIN');
    try {
        return body();
    }
    finally {
        db.exec('COMMIT');
    }
}
/** Writes the whole dump on this thread, handing each chunk to `sink` in order. */
function writeDump(db, path, sink, onProgress) {
    return inReadTransaction(db, () => {
        const { schema, units } = planDump(db, path);
        const out = new ChunkWriter(reusingSink(sink));
        const keepHeapFlat = heapKeeper();
        let rows = 0;
        const tableRows = new Map();
        for (const unit of units) {
            if (unit.kind === 'static') {
                unit.write(out);
                continue;
            }
            const before = tableRows.get(unit.table.name) ?? 0;
            const count = dumpTableRows(db, out, unit.table, unit.range, (done) => {
                keepHeapFlat(out.size);
                onProgress?.({ table: unit.table.name, rows: before + done, bytes: out.size });
            });
            tableRows.set(unit.table.name, before + count);
            rows += count;
        }
        out.end();
        return { tables: schema.tables.length, rows };
    });
}

;// CONCATENATED MODULE: ./src/core/hashingFile.ts
/** Writes chunks to a file descriptor and hashes exactly the bytes written. */


class HashingFile {
    hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    written = 0;
    fd;
    /** `fd` must be open for writing; the caller closes it. */
    constructor(fd) {
        this.fd = fd;
    }
    write(chunk) {
        this.hash.update(chunk);
        let offset = 0;
        while (offset < chunk.length)
            offset += (0,external_node_fs_namespaceObject.writeSync)(this.fd, chunk, offset, chunk.length - offset);
        this.written += chunk.length;
    }
    /**
     * Returns the lowercase hex sha256 and the byte count. No fsync: the files are published by
     * rename, which readers see atomically; surviving a power cut is not worth flushing every build.
     */
    finish() {
        return { sha256: this.hash.digest('hex'), size: this.written };
    }
}

;// CONCATENATED MODULE: ./src/core/manifest.ts
/**
 * manifest.json: the nine fields, in this order, as a Go consumer unmarshals them (DESIGN §2).
 * `control_version` is a uint64 and must survive above 2^53, so it is a bigint here and written as
 * a bare JSON number, never through a JS double.
 */

const MANIFEST_KIND = 'bootstrap.sqlite.dump';
const MANIFEST_FORMAT = 'sqlite3dump.sql';
const DUMP_FILE = 'snapshot.sql';
const MANIFEST_FILE = 'manifest.json';
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
/** Field names in the order they are written; verify reports them in this order too. */
const MANIFEST_FIELDS = [
    'kind',
    'format',
    'checksum',
    'control_model_version',
    'cache_schema_version',
    'control_version',
    'created_at',
    'source_chassis_version',
    'db_migration_version',
];
const INTEGER_FIELDS = new Set([
    'control_model_version',
    'cache_schema_version',
    'control_version',
]);
/** 2-space JSON with a trailing newline; integers written from their exact decimal text. */
function serializeManifest(manifest) {
    const lines = MANIFEST_FIELDS.map((field) => {
        const value = manifest[field];
        const text = typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
        return `  ${JSON.stringify(field)}: ${text}`;
    });
    return `{\n${lines.join(',\n')}\n}\n`;
}
/** RFC 3339 UTC with seconds precision, e.g. 2026-11-27T04:05:34Z. */
function formatTimestamp(date) {
    return `${date.toISOString().slice(0, 19)}Z`;
}
/**
 * The creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
 */
function createdAt(env = process.env, now = new Date()) {
    const epoch = env.SOURCE_DATE_EPOCH;
    if (epoch === undefined || epoch === '')
        return formatTimestamp(now);
    if (!/^\d+$/.test(epoch) || Number(epoch) > 253402300799) {
        throw usageError(`SOURCE_DATE_EPOCH is "${epoch}", not a number of seconds since 1970-01-01 UTC.`, 'Set it to an integer such as $(git log -1 --format=%ct), or unset it.');
    }
    return formatTimestamp(new Date(Number(epoch) * 1000));
}
/** The producing code's version: explicit, else the commit SHA in Actions, else "dev". */
function defaultSourceVersion(env = process.env) {
    return env.GITHUB_SHA && env.GITHUB_SHA !== '' ? env.GITHUB_SHA : 'dev';
}
/**
 * Parses a decimal integer option within [min, max]; `name` is how the user spelled the option.
 */
function parseInteger(text, name, min, max) {
    const trimmed = text.trim();
    if (!/^-?\d+$/.test(trimmed)) {
        throw usageError(`${name} must be a whole number, got "${text}".`);
    }
    const value = BigInt(trimmed);
    if (value < min || value > max) {
        throw usageError(`${name} must be between ${min} and ${max}, got ${trimmed}.`);
    }
    return value;
}

// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __nccwpck_require__(919);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/core/sqlite.ts

/** better-sqlite3 13 crashes the process on older Node; refuse before loading the addon. */
const MINIMUM_NODE_MAJOR = 22;
let cached;
function checkNodeVersion(version = process.versions.node) {
    const major = Number(version.split('.')[0]);
    if (!(major >= MINIMUM_NODE_MAJOR)) {
        throw unsupportedError(`sqlite-snapshot needs Node.js ${MINIMUM_NODE_MAJOR} or newer (24 recommended); this is Node.js ${version}.`, 'In a workflow use a runner whose actions run on node24; on a laptop install Node.js 24.');
    }
}
function isMusl() {
    if (process.platform !== 'linux')
        return false;
    const report = process.report?.getReport();
    return !report?.header?.glibcVersionRuntime;
}
/** Each case is a literal import so the bundler copies that platform's prebuilt binary. */
async function importForPlatform(key) {
    switch (key) {
        case 'linux-x64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(815)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 815, 23))).default;
        case 'linux-arm64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(557)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 557, 23))).default;
        case 'linuxmusl-x64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(162)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 162, 23))).default;
        case 'linuxmusl-arm64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(411)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 792, 23))).default;
        case 'darwin-x64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(252)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 252, 23))).default;
        case 'darwin-arm64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(862)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 862, 23))).default;
        case 'win32-x64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(846)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 846, 23))).default;
        case 'win32-arm64':
            return (await Promise.all(/* import() */[__nccwpck_require__.e(909), __nccwpck_require__.e(140)]).then(__nccwpck_require__.t.bind(__nccwpck_require__, 140, 23))).default;
        default:
            return undefined;
    }
}
/** Loads the SQLite binding once; every later call reuses it. */
async function loadSqlite() {
    if (cached)
        return cached;
    checkNodeVersion();
    const platform = isMusl() ? 'linuxmusl' : process.platform;
    const key = `${platform}-${process.arch}`;
    let loaded;
    try {
        loaded = await importForPlatform(key);
    }
    catch (error) {
        throw ioError(`Could not load the SQLite binding for ${key}: ${error.message}`, 'Reinstall sqlite-snapshot; if the file is present, the platform may lack a prebuilt binary.', error);
    }
    if (!loaded) {
        throw unsupportedError(`sqlite-snapshot has no prebuilt SQLite binding for ${key}.`, 'Use a linux, macOS or Windows runner on x64 or arm64.');
    }
    cached = loaded;
    return loaded;
}

;// CONCATENATED MODULE: ./src/core/source.ts
/**
 * Opens a source database for reading without changing anything next to it: read-only, and a WAL
 * database that has no -wal file is read from a private copy, because SQLite would otherwise create
 * -wal and -shm files beside it even on a read-only connection.
 */






/** Sequential scans gain nothing from a large page cache; a small one keeps memory flat. */
const SCAN_CACHE_PRAGMA = 'cache_size = -1024';
const SQLITE_MAGIC = 'SQLite format 3\0';
function statSource(path) {
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            throw ioError(`Database not found: ${path}`, 'Check the --db path (relative paths start at the working directory).', error);
        throw ioError(`Cannot read database ${path}: ${error.message}`, 'Check the file permissions.', error);
    }
}
function readHeader(path) {
    let fd;
    try {
        fd = (0,external_node_fs_namespaceObject.openSync)(path, 'r');
    }
    catch (error) {
        throw ioError(`Cannot read database ${path}: ${error.message}`, 'Check the file permissions.', error);
    }
    try {
        const header = Buffer.alloc(100);
        const length = (0,external_node_fs_namespaceObject.readSync)(fd, header, 0, 100, 0);
        return header.subarray(0, length);
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
    }
}
const sameFile = (a, b) => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
/** Turns SQLite's terse errors into ones that name the file and say what to do. */
function explainSqliteError(error, path) {
    if (error instanceof SnapshotError)
        return error;
    const code = error.code ?? '';
    const message = error.message;
    if (code === 'SQLITE_NOTADB')
        return ioError(`${path} is not a SQLite database.`, 'Pass the fixture .db file itself.', error);
    if (code.startsWith('SQLITE_CORRUPT')) {
        return ioError(`${path} is corrupt (${message}).`, `Check it with: sqlite3 ${path} "PRAGMA integrity_check"`, error);
    }
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        return ioError(`${path} is locked by another process.`, 'Let the writer finish (or close it), then run again.', error);
    }
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
        return ioError(`Cannot read ${path}: ${message}.`, 'If a crashed writer left a -journal or -wal file, open the database once with sqlite3 (as its owner) to recover it.', error);
    }
    if (code.startsWith('SQLITE_'))
        return ioError(`SQLite failed on ${path}: ${message} (${code}).`, undefined, error);
    return error instanceof Error ? error : new Error(String(error));
}
async function openSource(path) {
    const Database = await loadSqlite();
    const before = statSource(path);
    if (before.isDirectory())
        throw ioError(`${path} is a directory, not a SQLite database file.`, 'Pass the .db file itself.');
    const header = readHeader(path);
    if (header.length > 0 && header.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
        throw ioError(`${path} is not a SQLite database (its first bytes are not "SQLite format 3").`, 'Pass the fixture .db file itself.');
    }
    // Header bytes 18 and 19 are 2 in WAL mode.
    const walMode = header.length >= 20 && header[18] === 2 && header[19] === 2;
    let readPath = path;
    let copyDir;
    if (walMode && !statSafe(`${path}-wal`)) {
        copyDir = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.tmpdir)(), 'sqlite-snapshot-src-'));
        readPath = (0,external_node_path_namespaceObject.join)(copyDir, `source-${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}.db`);
        (0,external_node_fs_namespaceObject.copyFileSync)(path, readPath);
        // A writer that started meanwhile creates -wal first and only then changes the main file.
        const after = statSafe(path);
        if (statSafe(`${path}-wal`) || !after || !sameFile(before, after)) {
            (0,external_node_fs_namespaceObject.rmSync)(copyDir, { recursive: true, force: true });
            copyDir = undefined;
            readPath = path;
        }
    }
    let db;
    try {
        db = new Database(readPath, { readonly: true, fileMustExist: true, timeout: 10000 });
        db.pragma(SCAN_CACHE_PRAGMA);
    }
    catch (error) {
        if (copyDir)
            (0,external_node_fs_namespaceObject.rmSync)(copyDir, { recursive: true, force: true });
        throw explainSqliteError(error, path);
    }
    return {
        db,
        readPath,
        sharedSnapshot: !walMode || copyDir !== undefined,
        bytes: before.size,
        close() {
            if (db.open)
                db.close();
            if (copyDir)
                (0,external_node_fs_namespaceObject.rmSync)(copyDir, { recursive: true, force: true });
        },
    };
}
function statSafe(path) {
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/parallelDump.ts
/**
 * The dump on several threads: the planning connection holds the read transaction and writes the
 * static units; worker threads, each with its own read-only connection opened while that
 * transaction is held, write the row units. Each worker fills a small pool of buffers that travel
 * to this thread and back (transferred, never copied or reallocated), so memory stays flat; the
 * sink receives bytes strictly in unit order, identical to a single-threaded dump.
 *
 * Only used where every connection is guaranteed the same snapshot: a rollback-journal database
 * (the planning connection's SHARED lock keeps any writer from committing) or a private copy.
 */







const ROLE = 'sqlite-snapshot-dump';
/** Buffers per worker: bounds each worker's output in flight to this many MiB. */
const POOL_BUFFERS = 4;
/** Units queued per worker, so a worker never waits for this thread to hand it the next one. */
const UNITS_AHEAD = 2;
/** The row loop makes short-lived garbage; a small nursery keeps each worker's memory flat. */
const WORKER_YOUNG_GENERATION_MB = 4;
const errorMessage = (error) => ({
    type: 'error',
    message: error.message,
    code: error.code,
});
/** The worker's pool: new buffers up to POOL_BUFFERS, then only those handed back. */
function poolSink(init, unit) {
    const returned = new Int32Array(init.returned);
    let allocated = 0;
    let seen = 0;
    return {
        take(buffer, length) {
            const message = { type: 'chunk', unit: unit(), buffer: buffer.buffer, length };
            external_node_worker_threads_.parentPort.postMessage(message, [buffer.buffer]);
        },
        next() {
            for (;;) {
                const back = (0,external_node_worker_threads_.receiveMessageOnPort)(init.returns);
                if (back)
                    return Buffer.from(back.message);
                if (allocated < POOL_BUFFERS) {
                    allocated++;
                    return Buffer.allocUnsafeSlow(CHUNK_BYTES);
                }
                Atomics.wait(returned, 0, seen, 1000);
                seen = Atomics.load(returned, 0);
            }
        },
    };
}
/** The worker's side: one connection, one read transaction, units on request. */
async function runWorker(init) {
    const port = external_node_worker_threads_.parentPort;
    let db;
    try {
        const Sqlite = await loadSqlite();
        db = new Sqlite(init.path, { readonly: true, fileMustExist: true, timeout: 10000 });
        db.pragma(SCAN_CACHE_PRAGMA);
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    catch (error) {
        port.postMessage(errorMessage(error));
        return;
    }
    let current = -1;
    const out = new ChunkWriter(poolSink(init, () => current));
    const keepHeapFlat = heapKeeper();
    port.postMessage({ type: 'ready' });
    port.on('message', (message) => {
        current = message.unit;
        try {
            const rows = dumpTableRows(db, out, init.tables[message.table], message.range, () => keepHeapFlat(out.size));
            out.end();
            port.postMessage({ type: 'end', unit: message.unit, rows });
        }
        catch (error) {
            port.postMessage(errorMessage(error));
        }
    });
}
if (!external_node_worker_threads_.isMainThread && external_node_worker_threads_.workerData?.role === ROLE) {
    void runWorker(external_node_worker_threads_.workerData);
}
/**
 * Writes the dump of `db` (opened on `readPath`) with `threads` worker threads reading rows.
 * Opens the planning transaction itself and keeps it until every worker is done.
 */
async function writeDumpParallel(db, path, readPath, threads, sink, onProgress) {
    db.exec('BEGIN');
    const workers = [];
    try {
        const { schema, units } = planDump(db, path);
        const tableIndex = new Map(schema.tables.map((table, index) => [table, index]));
        const outputs = new Map();
        const idle = [];
        let failure;
        let wake;
        const signal = () => {
            const resume = wake;
            wake = undefined;
            resume?.();
        };
        for (let index = 0; index < threads; index++) {
            const channel = new external_node_worker_threads_.MessageChannel();
            const returned = new SharedArrayBuffer(4);
            const init = { role: ROLE, path: readPath, tables: schema.tables, returns: channel.port2, returned };
            const thread = new external_node_worker_threads_.Worker(new URL(import.meta.url), {
                workerData: init,
                transferList: [channel.port2],
                resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
            });
            const worker = { thread, returns: channel.port1, returned: new Int32Array(returned) };
            thread.on('message', (message) => {
                if (message.type === 'ready')
                    for (let slot = 0; slot < UNITS_AHEAD; slot++)
                        idle.push(worker);
                else if (message.type === 'chunk')
                    outputs.get(message.unit)?.chunks.push(message);
                else if (message.type === 'end') {
                    const output = outputs.get(message.unit);
                    output.ended = true;
                    output.rows = message.rows;
                    idle.push(worker);
                }
                else
                    failure ??= Object.assign(new Error(message.message), { code: message.code });
                signal();
            });
            thread.on('error', (error) => {
                failure ??= error;
                signal();
            });
            workers.push(worker);
        }
        const rowUnits = units.flatMap((unit, index) => (unit.kind === 'rows' ? [index] : []));
        let nextRowUnit = 0;
        const assign = () => {
            while (idle.length > 0 && nextRowUnit < rowUnits.length) {
                const unitIndex = rowUnits[nextRowUnit++];
                const unit = units[unitIndex];
                if (unit.kind !== 'rows')
                    continue;
                const worker = idle.shift();
                outputs.set(unitIndex, { chunks: [], ended: false, rows: 0, worker });
                const request = { unit: unitIndex, table: tableIndex.get(unit.table), range: unit.range };
                worker.thread.postMessage(request);
            }
        };
        let bytes = 0;
        const write = (data) => {
            bytes += data.length;
            sink(data);
        };
        const statics = new ChunkWriter(reusingSink(write));
        let rows = 0;
        const tableRows = new Map();
        for (let unitIndex = 0; unitIndex < units.length; unitIndex++) {
            const unit = units[unitIndex];
            if (unit.kind === 'static') {
                unit.write(statics);
                statics.end();
                continue;
            }
            for (;;) {
                if (failure)
                    throw failure;
                assign();
                const output = outputs.get(unitIndex);
                for (const chunk of output?.chunks.splice(0) ?? []) {
                    write(Buffer.from(chunk.buffer, 0, chunk.length));
                    // Hand the buffer back to its worker and wake it if its pool ran dry.
                    output.worker.returns.postMessage(chunk.buffer, [chunk.buffer]);
                    Atomics.add(output.worker.returned, 0, 1);
                    Atomics.notify(output.worker.returned, 0);
                }
                if (output?.ended) {
                    outputs.delete(unitIndex);
                    rows += output.rows;
                    const tableTotal = (tableRows.get(unit.table.name) ?? 0) + output.rows;
                    tableRows.set(unit.table.name, tableTotal);
                    onProgress?.({ table: unit.table.name, rows: tableTotal, bytes });
                    break;
                }
                await new Promise((resolve) => {
                    wake = resolve;
                });
            }
        }
        return { tables: schema.tables.length, rows };
    }
    finally {
        await Promise.all(workers.map((worker) => worker.thread.terminate()));
        for (const worker of workers)
            worker.returns.close();
        db.exec('COMMIT');
    }
}

;// CONCATENATED MODULE: ./src/core/build.ts
/**
 * build: dump a database and write its manifest. Both files appear only when both are complete
 * (written under temporary names, then renamed); on any failure nothing is left in the output
 * directory and existing snapshot files there are untouched.
 */









/** Below this size, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 32 << 20;
function explainWriteError(error, path) {
    const code = error.code;
    if (code === 'ENOSPC')
        return ioError(`No space left on the device while writing ${path}.`, 'Free some space or choose another --out directory.', error);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        return ioError(`Cannot write ${path}: ${error.message}`, 'Choose an --out directory you can write to.', error);
    }
    return explainSqliteError(error, path);
}
/** rmdir only succeeds on an empty directory: anything someone else put there stays. */
function removeEmptyDirectory(path) {
    try {
        (0,external_node_fs_namespaceObject.rmdirSync)(path);
    }
    catch {
        // Not empty or already gone: nothing of ours is left in it either way.
    }
}
async function buildSnapshot(options) {
    const env = options.env ?? process.env;
    // Resolve the version facts first: a bad SOURCE_DATE_EPOCH must fail before any work.
    const timestamp = createdAt(env);
    const outDir = (0,external_node_path_namespaceObject.resolve)(options.outDir);
    const dumpPath = (0,external_node_path_namespaceObject.join)(outDir, DUMP_FILE);
    const manifestPath = (0,external_node_path_namespaceObject.join)(outDir, MANIFEST_FILE);
    const suffix = `${process.pid}-${(0,external_node_crypto_namespaceObject.randomBytes)(4).toString('hex')}.tmp`;
    const dumpTemp = (0,external_node_path_namespaceObject.join)(outDir, `.${DUMP_FILE}.${suffix}`);
    const manifestTemp = (0,external_node_path_namespaceObject.join)(outDir, `.${MANIFEST_FILE}.${suffix}`);
    const source = await openSource(options.database);
    const createdOutDir = !(0,external_node_fs_namespaceObject.existsSync)(outDir);
    let fd;
    try {
        try {
            (0,external_node_fs_namespaceObject.mkdirSync)(outDir, { recursive: true });
            // 'wx': a fresh name of our own; never write through an existing file or link.
            fd = (0,external_node_fs_namespaceObject.openSync)(dumpTemp, 'wx', 0o644);
        }
        catch (error) {
            throw explainWriteError(error, outDir);
        }
        let stats;
        let digest;
        try {
            const file = new HashingFile(fd);
            const sink = (chunk) => file.write(chunk);
            const threads = options.threads ?? (source.bytes >= PARALLEL_MIN_BYTES ? 2 : 1);
            stats =
                threads > 1 && source.sharedSnapshot
                    ? await writeDumpParallel(source.db, options.database, source.readPath, threads, sink, options.onProgress)
                    : writeDump(source.db, options.database, sink, options.onProgress);
            digest = file.finish();
            (0,external_node_fs_namespaceObject.closeSync)(fd);
            fd = undefined;
        }
        catch (error) {
            throw error.code?.startsWith('E') && !(error instanceof SnapshotError)
                ? explainWriteError(error, dumpPath)
                : explainSqliteError(error, options.database);
        }
        const manifest = {
            kind: MANIFEST_KIND,
            format: MANIFEST_FORMAT,
            checksum: `sha256:${digest.sha256}`,
            control_model_version: options.controlModelVersion ?? 0n,
            cache_schema_version: options.cacheSchemaVersion ?? 0n,
            control_version: options.controlVersion ?? 0n,
            created_at: timestamp,
            source_chassis_version: options.sourceVersion ?? defaultSourceVersion(env),
            db_migration_version: options.dbMigrationVersion ?? '',
        };
        try {
            (0,external_node_fs_namespaceObject.writeFileSync)(manifestTemp, serializeManifest(manifest), { flag: 'wx' });
            (0,external_node_fs_namespaceObject.renameSync)(dumpTemp, dumpPath);
            (0,external_node_fs_namespaceObject.renameSync)(manifestTemp, manifestPath);
        }
        catch (error) {
            throw explainWriteError(error, manifestPath);
        }
        return { manifest, dumpPath, manifestPath, dumpBytes: digest.size, ...stats };
    }
    catch (error) {
        if (fd !== undefined)
            (0,external_node_fs_namespaceObject.closeSync)(fd);
        (0,external_node_fs_namespaceObject.rmSync)(dumpTemp, { force: true });
        (0,external_node_fs_namespaceObject.rmSync)(manifestTemp, { force: true });
        // Leave no trace of a failed build: not even the output directory it created.
        if (createdOutDir)
            removeEmptyDirectory(outDir);
        throw error;
    }
    finally {
        source.close();
    }
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/cli/args.ts
/** Command-line parsing shared by the commands, on node:util parseArgs with strict checking. */



function parseCommandArgs(command, args, options) {
    try {
        const { values, positionals } = (0,external_node_util_namespaceObject.parseArgs)({ args, options, allowPositionals: true, strict: true });
        return { values: values, positionals };
    }
    catch (error) {
        throw usageError(error.message.replace(/\. To specify a positional.*$/, '.'), `Run: sqlite-snapshot ${command} --help`);
    }
}
const stringValue = (parsed, name) => {
    const value = parsed.values[name];
    return typeof value === 'string' ? value : undefined;
};
const versionOption = (parsed, name) => {
    const text = stringValue(parsed, name);
    return text === undefined ? undefined : parseInteger(text, `--${name}`, INT64_MIN, INT64_MAX);
};
/** `N[,N…]`: the accepted values of an expected version. */
const versionListOption = (parsed, name) => {
    const text = stringValue(parsed, name);
    if (text === undefined)
        return undefined;
    const parts = text.split(',').map((part) => part.trim());
    if (parts.some((part) => part === ''))
        throw usageError(`--${name} takes N or N,N,…; got "${text}".`);
    return parts.map((part) => parseInteger(part, `--${name}`, INT64_MIN, INT64_MAX));
};

// EXTERNAL MODULE: ./src/cli/output.ts
var output = __nccwpck_require__(657);
;// CONCATENATED MODULE: ./src/cli/buildCommand.ts
/** `sqlite-snapshot build`: dump a database into snapshot.sql + manifest.json. */





const BUILD_HELP = `Usage: sqlite-snapshot build --db <file> --out <dir> [options]

Dumps the SQLite database <file> into <dir>/snapshot.sql (canonical SQL) and
<dir>/manifest.json (checksum and versions). The database is opened read-only.

Options:
  --db <file>                     database to snapshot (required)
  --out <dir>                     output directory, created if missing (required)
  --control-model-version <N>     version of the control/event model (default 0)
  --cache-schema-version <N>      version of the cache shape the dump restores into (default 0)
  --control-version <N>           fleet cursor, 0..18446744073709551615 (default 0)
  --db-migration-version <V>      migration version of the dumped database (default "")
  --source-version <S>            version of the producing code (default $GITHUB_SHA, else "dev")
  --threads <N>                   threads reading rows (default: 2 for databases of 32 MiB or more)
  --json                          print the result as JSON
  -h, --help                      show this help

created_at honours SOURCE_DATE_EPOCH for reproducible manifests.
Exit codes: 0 built, 2 usage or I/O error.
`;
const OPTIONS = {
    db: { type: 'string' },
    out: { type: 'string' },
    'control-model-version': { type: 'string' },
    'cache-schema-version': { type: 'string' },
    'control-version': { type: 'string' },
    'db-migration-version': { type: 'string' },
    'source-version': { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
/** Reports progress every couple of seconds, so short dumps stay quiet. */
function progressReporter(io) {
    const started = Date.now();
    let last = started;
    return (progress) => {
        const now = Date.now();
        if (now - last < 2000)
            return;
        last = now;
        const megabytes = (progress.bytes / 1e6).toFixed(1);
        io.stderr(`dumping "${progress.table}": ${progress.rows} rows, ${megabytes} MB written, ${((now - started) / 1000).toFixed(0)} s\n`);
    };
}
function threadsOption(parsed) {
    const text = stringValue(parsed, 'threads');
    return text === undefined ? undefined : Number(parseInteger(text, '--threads', 1n, 16n));
}
async function buildCommand(args, io) {
    const parsed = parseCommandArgs('build', args, OPTIONS);
    if (parsed.values.help) {
        io.stdout(BUILD_HELP);
        return output/* EXIT_OK */.Ij;
    }
    if (parsed.positionals.length > 0)
        throw usageError(`build takes no positional arguments, got "${parsed.positionals[0]}".`, 'Use --db <file> and --out <dir>.');
    const database = stringValue(parsed, 'db');
    const outDir = stringValue(parsed, 'out');
    if (!database)
        throw usageError('build needs --db <file>: the SQLite database to snapshot.', 'Run: sqlite-snapshot build --help');
    if (!outDir)
        throw usageError('build needs --out <dir>: where snapshot.sql and manifest.json go.', 'Run: sqlite-snapshot build --help');
    const controlVersionText = stringValue(parsed, 'control-version');
    const result = await buildSnapshot({
        database,
        outDir,
        controlModelVersion: versionOption(parsed, 'control-model-version'),
        cacheSchemaVersion: versionOption(parsed, 'cache-schema-version'),
        controlVersion: controlVersionText === undefined
            ? undefined
            : parseInteger(controlVersionText, '--control-version', 0n, UINT64_MAX),
        dbMigrationVersion: stringValue(parsed, 'db-migration-version'),
        sourceVersion: stringValue(parsed, 'source-version'),
        threads: threadsOption(parsed),
        env: io.env,
        onProgress: progressReporter(io),
    });
    if (parsed.values.json) {
        io.stdout(`${(0,output/* toJson */.aB)({ checksum: result.manifest.checksum, dumpPath: result.dumpPath, manifestPath: result.manifestPath, dumpBytes: result.dumpBytes, tables: result.tables, rows: result.rows, manifest: result.manifest })}\n`);
    }
    else {
        io.stdout(`${result.manifest.checksum}\n` +
            `  dump:     ${result.dumpPath} (${result.dumpBytes} bytes, ${result.tables} tables, ${result.rows} rows)\n` +
            `  manifest: ${result.manifestPath}\n`);
    }
    return output/* EXIT_OK */.Ij;
}

;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: ./src/core/checksum.ts
/** Streaming sha256 of a file: constant memory, large reads, one pass. */


const READ_BYTES = 4 << 20;
async function digestFile(path) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha256');
    const handle = await (0,promises_namespaceObject.open)(path, 'r');
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let size = 0;
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    try {
        for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
            if (bytesRead === 0)
                break;
            const chunk = buffer.subarray(0, bytesRead);
            hash.update(chunk);
            if (head.length < 64)
                head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
            tail = Buffer.concat([tail, chunk.subarray(Math.max(0, bytesRead - 64))]).subarray(-64);
            size += bytesRead;
        }
    }
    finally {
        await handle.close();
    }
    return { checksum: `sha256:${hash.digest('hex')}`, size, head, tail };
}

;// CONCATENATED MODULE: ./src/core/manifestParse.ts
/**
 * Strict reading of manifest.json: JSON.parse alone would hide a duplicated field (last one wins)
 * and round integers above 2^53, so keys are listed from the text and integers taken from their
 * source (JSON.parse source text access, Node ≥ 21).
 */
/** Lists the keys of the outermost object; the text must already be valid JSON. */
function topLevelKeys(text) {
    const keys = [];
    let depth = 0;
    let expectKey = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') {
            let j = i + 1;
            while (text[j] !== '"')
                j += text[j] === '\\' ? 2 : 1;
            if (depth === 1 && expectKey) {
                keys.push(JSON.parse(text.slice(i, j + 1)));
                expectKey = false;
            }
            i = j;
        }
        else if (c === '{' || c === '[') {
            depth++;
            if (depth === 1)
                expectKey = c === '{';
        }
        else if (c === '}' || c === ']') {
            depth--;
        }
        else if (c === ',' && depth === 1) {
            expectKey = true;
        }
    }
    return keys;
}
function parseManifestText(text) {
    const sources = [];
    const reviver = function (key, value, context) {
        if (typeof value === 'number' && context?.source !== undefined)
            sources.push({ holder: this, key, source: context.source });
        return value;
    };
    let parsed;
    try {
        parsed = JSON.parse(text, reviver);
    }
    catch (error) {
        return { object: undefined, error: error.message, keys: [], numberSources: new Map() };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        const what = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
        return { object: undefined, error: `the top level is ${what}, not an object`, keys: [], numberSources: new Map() };
    }
    const numberSources = new Map();
    for (const entry of sources)
        if (entry.holder === parsed)
            numberSources.set(entry.key, entry.source);
    return { object: parsed, error: undefined, keys: topLevelKeys(text), numberSources };
}

;// CONCATENATED MODULE: ./src/core/verifyFields.ts
/**
 * Shape checks of the manifest's fields: presence, uniqueness, JSON type, fixed values and syntax.
 * A Go consumer unmarshals the manifest into typed fields, so types are checked as Go would need.
 */

const REBUILD = 'Rebuild the artifact with sqlite-snapshot build; do not edit manifest.json by hand.';
const CHECKSUM_PATTERN = /^sha256:[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const describeJson = (value) => {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'object')
        return 'an object';
    return `${typeof value} ${JSON.stringify(value)}`;
};
const stringRule = (describe, valid) => ({
    describe,
    accept: (value) => {
        if (typeof value !== 'string')
            return { problem: describeJson(value) };
        if (valid && !valid(value))
            return { problem: JSON.stringify(value) };
        return { value };
    },
});
const integerRule = (min, max) => ({
    describe: `a JSON integer in ${min}..${max}`,
    accept: (value, source) => {
        if (typeof value !== 'number' || source === undefined)
            return { problem: describeJson(value) };
        if (!/^-?\d+$/.test(source))
            return { problem: `${source} (not a whole number)` };
        const exact = BigInt(source);
        if (exact < min || exact > max)
            return { problem: `${source} (out of range)` };
        return { value: exact };
    },
});
const RULES = {
    kind: stringRule(JSON.stringify(MANIFEST_KIND), (text) => text === MANIFEST_KIND),
    format: stringRule(JSON.stringify(MANIFEST_FORMAT), (text) => text === MANIFEST_FORMAT),
    checksum: stringRule('"sha256:" + 64 lowercase hex digits', (text) => CHECKSUM_PATTERN.test(text)),
    control_model_version: integerRule(INT64_MIN, INT64_MAX),
    cache_schema_version: integerRule(INT64_MIN, INT64_MAX),
    control_version: integerRule(0n, UINT64_MAX),
    created_at: stringRule('an RFC 3339 UTC time with seconds, e.g. 2026-11-27T04:05:34Z', (text) => {
        if (!TIMESTAMP_PATTERN.test(text) || Number.isNaN(Date.parse(text)))
            return false;
        // Date.parse rolls impossible days over (Feb 30 → Mar 2); the round trip catches that.
        return `${new Date(text).toISOString().slice(0, 19)}Z` === text;
    }),
    source_chassis_version: stringRule('a string'),
    db_migration_version: stringRule('a string'),
};
function checkFieldShapes(parsed) {
    const object = parsed.object ?? {};
    const manifest = {};
    const checks = [];
    const counts = new Map();
    for (const key of parsed.keys)
        counts.set(key, (counts.get(key) ?? 0) + 1);
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
        if (MANIFEST_FIELDS.includes(key))
            continue;
        checks.push({
            name: key,
            ok: false,
            expected: 'no such field (the manifest has exactly nine)',
            actual: `present: ${describeJson(object[key])}`,
            hint: REBUILD,
        });
    }
    return { manifest: manifest, checks };
}

;// CONCATENATED MODULE: ./src/core/verify.ts
/**
 * Verify (DESIGN §4): every check runs and every failure is reported, each with what was expected,
 * what was found and how to fix it.
 */








const WHERE_HINT = 'Point verify at the directory that holds snapshot.sql and manifest.json (download the artifact first).';
async function statOrExplain(path, what) {
    try {
        return await (0,promises_namespaceObject.stat)(path);
    }
    catch (error) {
        const code = error.code;
        const message = code === 'ENOENT' ? `${what} not found: ${path}` : `Cannot read ${what} ${path}: ${error.message}`;
        throw ioError(message, WHERE_HINT, error);
    }
}
async function requireFile(path, what) {
    if (!(await statOrExplain(path, what)).isFile())
        throw ioError(`${what} ${path} is not a regular file.`, WHERE_HINT);
}
async function requireDirectory(path) {
    if (!(await statOrExplain(path, 'Snapshot directory')).isDirectory()) {
        throw ioError(`Snapshot directory ${path} is not a directory.`, WHERE_HINT);
    }
}
const formatList = (values) => (values.length === 1 ? `${values[0]}` : `one of ${values.join(', ')}`);
function expectationChecks(manifest, expect) {
    const checks = [];
    const versionCheck = (field, accepted, flag) => {
        const actual = manifest[field];
        if (!accepted || accepted.length === 0 || typeof actual !== 'bigint')
            return;
        const ok = accepted.includes(actual);
        checks.push({
            name: field,
            ok,
            expected: formatList(accepted),
            actual: `${actual}`,
            ...(ok
                ? {}
                : {
                    hint: `Rebuild the snapshot with ${field} ${formatList(accepted)}, or update ${flag} if the code now accepts ${actual}.`,
                }),
        });
    };
    versionCheck('control_model_version', expect.controlModelVersions, 'the expected control model version');
    versionCheck('cache_schema_version', expect.cacheSchemaVersions, 'the expected cache schema version');
    if (expect.dbMigrationVersion !== undefined && typeof manifest.db_migration_version === 'string') {
        const ok = manifest.db_migration_version === expect.dbMigrationVersion;
        checks.push({
            name: 'db_migration_version',
            ok,
            expected: JSON.stringify(expect.dbMigrationVersion),
            actual: JSON.stringify(manifest.db_migration_version),
            ...(ok ? {} : { hint: 'Rebuild the snapshot from a fixture migrated to the expected version.' }),
        });
    }
    if (expect.minControlVersion !== undefined && typeof manifest.control_version === 'bigint') {
        const ok = manifest.control_version >= expect.minControlVersion;
        checks.push({
            name: 'control_version',
            ok,
            expected: `>= ${expect.minControlVersion}`,
            actual: `${manifest.control_version}`,
            ...(ok ? {} : { hint: 'The snapshot is older than the required fleet cursor; build a newer one.' }),
        });
    }
    return checks;
}
function sizeCheck(digest) {
    const headerOk = digest.head
        .toString('latin1')
        .startsWith(DUMP_HEADER.slice(0, Math.min(digest.size, DUMP_HEADER.length)));
    const endsWithCommit = digest.tail.toString('latin1').endsWith(DUMP_FOOTER);
    const ok = digest.size >= DUMP_HEADER.length + DUMP_FOOTER.length && headerOk && endsWithCommit;
    return {
        name: 'size',
        ok,
        expected: `at least ${DUMP_HEADER.length + DUMP_FOOTER.length} bytes, starting with the dump header and ending with "COMMIT;"`,
        actual: `${digest.size} bytes${headerOk ? '' : ', unexpected start'}${endsWithCommit ? '' : ', no final COMMIT;'}`,
        ...(ok
            ? {}
            : { hint: 'snapshot.sql is truncated or not a sqlite-snapshot dump; download or rebuild the artifact.' }),
    };
}
function checksumValueCheck(manifest, computed) {
    if (typeof manifest.checksum !== 'string')
        return undefined;
    const ok = manifest.checksum === computed;
    return {
        name: 'checksum',
        ok,
        expected: computed,
        actual: manifest.checksum,
        ...(ok
            ? {}
            : {
                hint: 'snapshot.sql is not the file this manifest describes (tampered, truncated or mixed up); use the artifact as uploaded.',
            }),
    };
}
async function verifySnapshot(directory, expect = {}) {
    const dumpPath = (0,external_node_path_namespaceObject.join)(directory, DUMP_FILE);
    const manifestPath = (0,external_node_path_namespaceObject.join)(directory, MANIFEST_FILE);
    await requireDirectory(directory);
    await requireFile(manifestPath, 'Manifest');
    await requireFile(dumpPath, 'Dump');
    const [text, digest] = await Promise.all([(0,promises_namespaceObject.readFile)(manifestPath, 'utf8'), digestFile(dumpPath)]);
    const parsed = parseManifestText(text);
    const checks = [];
    let manifest = {};
    if (parsed.object === undefined) {
        checks.push({
            name: 'manifest',
            ok: false,
            expected: 'a JSON object with the nine manifest fields',
            actual: `not valid: ${parsed.error}`,
            hint: 'manifest.json is damaged or truncated; download or rebuild the artifact.',
        });
    }
    else {
        const shaped = checkFieldShapes(parsed);
        manifest = shaped.manifest;
        checks.push(...shaped.checks);
    }
    const shapeRows = new Set(checks.filter((check) => check.ok));
    const valueCheck = checksumValueCheck(manifest, digest.checksum);
    if (valueCheck)
        checks.push(valueCheck);
    checks.push(sizeCheck(digest));
    checks.push(...expectationChecks(manifest, expect));
    // A field's passing shape row is redundant once a value or expectation row speaks for it.
    const speaksFor = (check) => checks.some((other) => other !== check && other.name === check.name && !shapeRows.has(other));
    const shown = checks.filter((check) => !(shapeRows.has(check) && speaksFor(check)));
    const order = (name) => {
        const index = MANIFEST_FIELDS.indexOf(name);
        return index < 0 ? (name === 'manifest' ? -1 : MANIFEST_FIELDS.length) : index;
    };
    shown.sort((a, b) => order(a.name) - order(b.name));
    return {
        ok: shown.every((check) => check.ok),
        checks: shown,
        manifest,
        dumpPath,
        manifestPath,
        dumpBytes: digest.size,
        computedChecksum: digest.checksum,
    };
}

;// CONCATENATED MODULE: ./src/cli/verifyCommand.ts
/** `sqlite-snapshot verify`: check an artifact directory against the manifest and expectations. */




const VERIFY_HELP = `Usage: sqlite-snapshot verify <dir> [options]

Checks <dir>/snapshot.sql against <dir>/manifest.json: the manifest's nine
fields and their types, kind, format, checksum syntax and value, size, and the
versions the code expects. Every check runs; every failure is reported.

Options:
  --expect-control-model-version <N[,N…]>  accepted control model versions
  --expect-cache-schema-version <N[,N…]>   accepted cache schema versions
  --expect-db-migration-version <V>        required db migration version
  --json                                   print the report as JSON
  -h, --help                               show this help

Exit codes: 0 all checks hold, 1 verification failed, 2 usage or I/O error.
`;
const verifyCommand_OPTIONS = {
    'expect-control-model-version': { type: 'string' },
    'expect-cache-schema-version': { type: 'string' },
    'expect-db-migration-version': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
function renderReport(report) {
    const lines = [
        report.ok ? `OK: ${report.dumpPath} matches its manifest.` : `FAILED: ${report.dumpPath} failed verification.`,
    ];
    const width = Math.max(...report.checks.map((check) => check.name.length));
    for (const check of report.checks) {
        const mark = check.ok ? 'ok  ' : 'FAIL';
        lines.push(`  ${mark} ${check.name.padEnd(width)}  ${check.ok ? check.actual : `expected ${check.expected}, got ${check.actual}`}`);
        if (!check.ok && check.hint)
            lines.push(`       ${' '.repeat(width)}  fix: ${check.hint}`);
    }
    return `${lines.join('\n')}\n`;
}
async function verifyCommand(args, io) {
    const parsed = parseCommandArgs('verify', args, verifyCommand_OPTIONS);
    if (parsed.values.help) {
        io.stdout(VERIFY_HELP);
        return output/* EXIT_OK */.Ij;
    }
    if (parsed.positionals.length !== 1) {
        throw usageError('verify takes exactly one directory: the one holding snapshot.sql and manifest.json.', 'Run: sqlite-snapshot verify --help');
    }
    const report = await verifySnapshot(parsed.positionals[0], {
        controlModelVersions: versionListOption(parsed, 'expect-control-model-version'),
        cacheSchemaVersions: versionListOption(parsed, 'expect-cache-schema-version'),
        dbMigrationVersion: stringValue(parsed, 'expect-db-migration-version'),
    });
    io.stdout(parsed.values.json ? `${(0,output/* toJson */.aB)(report)}\n` : renderReport(report));
    return report.ok ? output/* EXIT_OK */.Ij : output/* EXIT_FAILED */.hj;
}

;// CONCATENATED MODULE: ./src/cli/main.ts
/** The CLI's dispatcher: one function from argv to an exit code, so tests can call it in-process. */




const MAIN_HELP = `Usage: sqlite-snapshot <command> [options]

Commands:
  build    dump a SQLite database into snapshot.sql + manifest.json
  verify   check a snapshot directory's checksum, manifest and versions

Run sqlite-snapshot <command> --help for a command's options.
`;
const COMMANDS = {
    build: { run: buildCommand, help: BUILD_HELP },
    verify: { run: verifyCommand, help: VERIFY_HELP },
};
async function main(argv, io) {
    const [name, ...args] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
        io.stdout(MAIN_HELP);
        return name === undefined ? output/* EXIT_USAGE */.Ri : output/* EXIT_OK */.Ij;
    }
    const command = COMMANDS[name];
    if (!command) {
        io.stderr(`error: unknown command "${name}".\n\n${MAIN_HELP}`);
        return output/* EXIT_USAGE */.Ri;
    }
    try {
        return await command.run(args, io);
    }
    catch (error) {
        io.stderr(`error: ${describeError(error)}\n`);
        if (error instanceof SnapshotError)
            return error.kind === 'verification' ? output/* EXIT_FAILED */.hj : output/* EXIT_USAGE */.Ri;
        // An unexpected failure is a bug or an environment problem; show the stack to report it.
        if (error instanceof Error && error.stack)
            io.stderr(`${error.stack}\n`);
        return output/* EXIT_USAGE */.Ri;
    }
}


/***/ }),

/***/ 657:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ij: () => (/* binding */ EXIT_OK),
/* harmony export */   Ri: () => (/* binding */ EXIT_USAGE),
/* harmony export */   Wr: () => (/* binding */ processIo),
/* harmony export */   aB: () => (/* binding */ toJson),
/* harmony export */   hj: () => (/* binding */ EXIT_FAILED)
/* harmony export */ });
const processIo = () => ({
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
});
/** Exit codes shared by every command. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** JSON with bigints written as exact numbers. */
function toJson(value) {
    return JSON.stringify(value, (_key, inner) => typeof inner === 'bigint'
        ? JSON.rawJSON(inner.toString())
        : inner, 2);
}


/***/ }),

/***/ 896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 23:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat */
/******/ 
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = new URL('.', import.meta.url).pathname.slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(486);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
