import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 42613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 20181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 35317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 49140:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("constants");

/***/ }),

/***/ 76982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 24434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 79896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 91943:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs/promises");

/***/ }),

/***/ 58611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 65692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 69278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 34589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 16698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 37540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 77598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 53053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 40610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 78474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 73024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 51455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 37067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 32467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 44708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 98995:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 77030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 48161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 76760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 41792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 57075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 46193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");

/***/ }),

/***/ 41692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 73136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 57975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 73429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 75919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 38522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 70857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 16928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 13193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 53557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 64756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 52018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 87016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 39023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 43106:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");

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
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
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
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
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
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Wr: () => (/* reexport */ processIo),
  Cs: () => (/* reexport */ run),
  ak: () => (/* reexport */ main)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(73024);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __nccwpck_require__(75919);
;// CONCATENATED MODULE: ./src/core/shared/untrusted.ts
/**
 * Text that comes from an artifact (manifest fields, table names, SQL, file contents) is untrusted:
 * shown raw, a newline followed by `::error::` forges a workflow command in an Actions log, and an
 * ESC byte drives the reader's terminal. Two lines of defence:
 * - where a value is put into a sentence or a line, it goes through `quoted` (a value in a
 *   sentence), `printable` (one line) or `printableLine` (a line of SQL, tabs kept), so that one
 *   value can never start a new line nor carry a control character;
 * - where the faces write (the Action's log, the CLI's stdout and stderr), whole blocks go through
 *   `inertText`, which leaves nothing a runner or a terminal would act on even if a value slipped
 *   through the first line unescaped.
 */
/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same without tab: in SQL and in our own columns a tab is layout, and acts on nothing. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same without tab and newline: the line breaks of a block of text are its own. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** `\uXXXX`: visible to a reader, and a valid escape inside a JSON string too (see inertText). */
const unicodeEscape = (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
const escapeChar = (char) => {
    switch (char) {
        case '\n':
            return '\\n';
        case '\r':
            return '\\r';
        case '\t':
            return '\\t';
        default:
            return unicodeEscape(char);
    }
};
/**
 * What the Actions runner reads as a workflow command in a line of output: `::` at the start,
 * after any whitespace (it trims with .NET's TrimStart), and the legacy `##[name]` form, which
 * it finds anywhere in a line (actions/runner, ActionCommand.TryParseV2 and TryParse).
 */
const COMMAND_START = /^(\s*)::/;
const LEGACY_COMMAND = /##\[/g;
const LEGACY_DEFUSED = '##\\u005b';
/**
 * One line: every control character (newline included) written as a visible escape, and the
 * legacy command opener `##[`, which the runner acts on even mid-line, written `##\u005b`.
 */
const printable = (text) => text.replace(UNSAFE, escapeChar).replace(LEGACY_COMMAND, LEGACY_DEFUSED);
/** One line of SQL or of a listing: as `printable`, but tabs, which are layout, stay. */
const printableLine = (text) => text.replace(UNSAFE_BUT_TAB, escapeChar).replace(LEGACY_COMMAND, LEGACY_DEFUSED);
/**
 * A value for a sentence: in double quotes, inner quotes and backslashes escaped, controls made
 * visible, and cut to `max` characters with an ellipsis so a huge value cannot flood the log.
 */
function quoted(text, max = 200) {
    return `"${printable(cutShort(text, max).replaceAll('\\', '\\\\').replaceAll('"', '\\"'))}"`;
}
/** At most `max` characters, and an ellipsis where it was cut. */
const cutShort = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);
/** One printable line of at most `max` characters (and an ellipsis): a huge text cannot flood the log. */
const printableShort = (text, max) => printable(cutShort(text, max));
/**
 * A block of text for a log line, an annotation or a terminal, made inert line by line: controls
 * other than newline and tab become `\uXXXX` (`\r` becomes `\r`; the runner would read a bare CR
 * as a line break), a line that would start a workflow command has its first colon written
 * `\u003a`, and `##[` becomes `##\u005b`. Each change swaps one character for its JSON escape, and
 * only where JSON text never has them outside a string, so JSON output stays valid and means the
 * same. Text with nothing to neutralise comes back unchanged.
 */
function inertText(text) {
    return text
        .replace(UNSAFE_IN_BLOCK, escapeChar)
        .split('\n')
        .map((line) => line.replace(LEGACY_COMMAND, LEGACY_DEFUSED).replace(COMMAND_START, '$1\\u003a:'))
        .join('\n');
}

;// CONCATENATED MODULE: ./src/core/shared/check.ts
/**
 * One row of a verification report: what was checked, what was expected and what was found. Every
 * face and every error that carries checks shows them through the helpers here.
 */

/** A check as JSON shows it: compared strings as themselves, never quoted inside the JSON string. */
const jsonCheck = ({ expectedValue, actualValue, ...check }) => ({
    ...check,
    expected: expectedValue ?? check.expected,
    actual: actualValue ?? check.actual,
});
/**
 * A check as it may be shown: its name (an extra manifest key) and values come from the artifact,
 * so each is one printable line, controls escaped (docs/format.md §6). Every face shows rows through this.
 */
const printableCheck = (check) => ({
    ...check,
    name: printable(check.name),
    expected: printable(check.expected),
    actual: printable(check.actual),
    ...(check.hint === undefined ? {} : { hint: printable(check.hint) }),
});
/** `name: expected X, got Y`: a failed check in one printable line, as every face and error shows it. */
function describeFailedCheck(check) {
    const { name, expected, actual } = printableCheck(check);
    return `${name}: expected ${expected}, got ${actual}`;
}

;// CONCATENATED MODULE: ./src/core/shared/options.ts
/**
 * The options the core's advice names. A hint says `Pass {{force}} to replace it`; each face spells
 * the option its own way when it shows the hint: `--force` on the command line, `force: true` in a
 * workflow step.
 */
const OPTION_NAMES = ['force', 'no-backup', 'out', 'db', 'seed', 'migrations', 'allow-empty'];
const options_option = (name) => `{{${name}}}`;
/** Replaces each `{{name}}` of a known option with `spell(name)`; other text is left alone. */
const spellOptions = (text, spell) => text.replace(/\{\{([a-z-]+)\}\}/g, (marker, name) => OPTION_NAMES.includes(name) ? spell(name) : marker);
/** The command line's spelling: the flag itself. */
const cliOption = (name) => `--${name}`;

;// CONCATENATED MODULE: ./src/core/shared/errors.ts
/**
 * Typed errors of the core. Every message names the thing that is wrong and says what to do;
 * the faces (CLI, Action) only decide how to show them and which exit code they mean.
 */

/** Kinds that mean "the artifact or the target is not acceptable" (CLI exit 1), not a usage or I/O error (exit 2). */
const REFUSAL_KINDS = new Set([
    'verification',
    'not-fresh',
    'busy',
    'hostile',
    'truncated',
    'invalid',
    'sanity',
]);
class SnapshotError extends Error {
    kind;
    /** What the user can do about it; shown after the message. */
    hint;
    /** A failed verification's checks, so a face can show each one (the Action annotates them). */
    checks;
    constructor(kind, message, options = {}) {
        super(message, { cause: options.cause });
        this.name = 'SnapshotError';
        this.kind = kind;
        this.hint = options.hint;
        this.checks = options.checks;
    }
}
const usageError = (message, hint) => new SnapshotError('usage', message, { hint });
const ioError = (message, hint, cause) => new SnapshotError('io', message, { hint, cause });
const unsupportedError = (message, hint) => new SnapshotError('unsupported', message, { hint });
const refusal = (kind, message, hint, cause) => new SnapshotError(kind, message, { hint, cause });
/** Renders an error with its hint, for logs and terminals, options spelled as command-line flags. */
function describeError(error) {
    if (error instanceof SnapshotError) {
        return error.hint ? `${error.message}\n  hint: ${spellOptions(error.hint, cliOption)}` : error.message;
    }
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/core/shared/version.ts
/** The product's version, shown in the first log line; a test keeps it equal to package.json's. */
const VERSION = '1.0.0';

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(77598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(73136);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __nccwpck_require__(38522);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __nccwpck_require__(57975);
;// CONCATENATED MODULE: ./src/core/shared/checksum.ts
/** Streaming sha256 of a file: constant memory, large reads, one pass. */



const readAt = (0,external_node_util_.promisify)(external_node_fs_.read);
const READ_BYTES = 4 << 20;
/** `sha256:<hex>` of bytes in memory (a manifest, a small blob). */
const sha256Of = (bytes) => `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
/**
 * Hashes the open file `fd` from its first byte, reading at explicit positions so that another
 * reader of the same descriptor (the loader) is not disturbed. The caller closes `fd`.
 */
async function digestDescriptor(fd) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let size = 0;
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    for (;;) {
        const { bytesRead } = await readAt(fd, buffer, 0, READ_BYTES, size);
        if (bytesRead === 0)
            break;
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        if (head.length < 64)
            head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
        tail = Buffer.concat([tail, chunk.subarray(Math.max(0, bytesRead - 64))]).subarray(-64);
        size += bytesRead;
    }
    return { checksum: `sha256:${hash.digest('hex')}`, size, head, tail };
}

;// CONCATENATED MODULE: ./src/core/sqlite/packedBinding.ts
/**
 * The SQLite bindings as the bundle ships them: each platform's prebuilt better-sqlite3 addon
 * brotli-compressed in dist/prebuilds/<platform>.node.br, with its sha256 in
 * dist/prebuilds/index.json (the eight addons as they are would be most of the Action's download).
 * On first use the one this machine needs is unpacked next to its packed file, checked against the
 * recorded digest, and loaded from there; a later run (or worker thread) finds it unpacked and
 * checks it again. Where the bundle's folder cannot be written (a read-only install), it is
 * unpacked into a private temporary folder for this process instead.
 */









const PACKED_INDEX = 'index.json';
const packedName = (key) => `${key}.node.br`;
const unpackedName = (key) => `${key}.node`;
/** The folder of packed bindings next to the bundle this module is part of; undefined from source. */
function packedBindingDir(moduleUrl) {
    const dir = (0,external_node_url_.fileURLToPath)(new URL('./prebuilds/', moduleUrl));
    return (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, PACKED_INDEX)) ? dir : undefined;
}
/** A file's bytes, or undefined when it cannot be read. */
function readOrUndefined(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path);
    }
    catch {
        return undefined;
    }
}
/** Writes `bytes` as `path` whole or not at all: a concurrent run sees the old file or the new one. */
function writeWhole(path, bytes) {
    const temporary = `${path}.${process.pid}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
    try {
        (0,external_node_fs_.writeFileSync)(temporary, bytes, { flag: 'wx', mode: 0o755 });
        (0,external_node_fs_.renameSync)(temporary, path);
    }
    finally {
        (0,external_node_fs_.rmSync)(temporary, { force: true });
    }
}
/**
 * Where this process unpacked the addon when the bundle's folder was read-only. Worker threads
 * start with a copy of the main thread's environment, so they find it there instead of unpacking
 * their own.
 */
const PRIVATE_COPY = 'SQLITE_SNAPSHOT_PRIVATE_BINDING';
/** Unpacks `bytes` into a folder only this process writes, removed when it exits. */
function privateCopy(key, bytes) {
    const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'sqlite-snapshot-binding-'));
    const path = (0,external_node_path_.join)(dir, unpackedName(key));
    writeWhole(path, bytes);
    if (external_node_worker_threads_.isMainThread) {
        process.env[PRIVATE_COPY] = path;
        process.once('exit', () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true }));
    }
    return path;
}
/**
 * The path of this platform's addon, unpacked and matching its recorded digest; undefined when
 * the bundle has no addon for `key`.
 */
function unpackedBinding(dir, key) {
    const index = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, PACKED_INDEX), 'utf8'));
    const expected = index[key]?.sha256;
    if (expected === undefined)
        return undefined;
    const target = (0,external_node_path_.join)(dir, unpackedName(key));
    for (const candidate of [target, process.env[PRIVATE_COPY]]) {
        const present = candidate === undefined ? undefined : readOrUndefined(candidate);
        if (present && sha256Of(present) === `sha256:${expected}`)
            return candidate;
    }
    let bytes;
    try {
        bytes = (0,external_node_zlib_.brotliDecompressSync)((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, packedName(key))));
    }
    catch (error) {
        throw ioError(`Could not unpack the SQLite binding ${(0,external_node_path_.join)(dir, packedName(key))}: ${error.message}`, 'Reinstall sqlite-snapshot (for the Action, check out its dist/ folder whole).', error);
    }
    if (sha256Of(bytes) !== `sha256:${expected}`) {
        throw ioError(`The SQLite binding ${(0,external_node_path_.join)(dir, packedName(key))} does not match its recorded digest, so it was not loaded.`, 'Reinstall sqlite-snapshot (for the Action, check out its dist/ folder whole).');
    }
    try {
        writeWhole(target, bytes);
        return target;
    }
    catch {
        // A read-only install, or the old file held open (Windows): unpack for this process alone.
        return privateCopy(key, bytes);
    }
}

;// CONCATENATED MODULE: ./src/core/sqlite/sqlite.ts
var __rewriteRelativeImportExtension = (undefined && undefined.__rewriteRelativeImportExtension) || function (path, preserveJsx) {
    if (typeof path === "string" && /^\.\.?\//.test(path)) {
        return path.replace(/\.(tsx)$|((?:\.d)?)((?:\.[^./]+?)?)\.([cm]?)ts$/i, function (m, tsx, d, ext, cm) {
            return tsx ? preserveJsx ? ".jsx" : ".js" : d && (!ext || !cm) ? m : (d + ext + "." + cm.toLowerCase() + "js");
        });
    }
    return path;
};


/** better-sqlite3 13 crashes the process on older Node; refuse before loading the addon. */
const MINIMUM_NODE_MAJOR = 22;
/** The platforms better-sqlite3 ships a prebuilt addon for, as `<platform>-<arch>`. */
const PLATFORM_KEYS = [
    'linux-x64',
    'linux-arm64',
    'linuxmusl-x64',
    'linuxmusl-arm64',
    'darwin-x64',
    'darwin-arm64',
    'win32-x64',
    'win32-arm64',
];
let cached;
/**
 * Refuses a runtime older than Node.js 22 in one line, before anything is read: better-sqlite3
 * crashes there, and Node 20's JSON.parse has no source access, so it would misread every
 * manifest's integers and report a valid snapshot as damaged.
 */
function checkNodeVersion(version = process.versions.node) {
    const major = Number(version.split('.')[0]);
    if (!(major >= MINIMUM_NODE_MAJOR)) {
        throw unsupportedError(`sqlite-snapshot needs Node.js ${MINIMUM_NODE_MAJOR} or newer and this is Node.js ${version}: install Node.js 24 (in a workflow, use a runner that runs node24 actions).`);
    }
}
function isMusl() {
    if (process.platform !== 'linux')
        return false;
    const report = process.report?.getReport();
    return !report?.header?.glibcVersionRuntime;
}
/**
 * The Database class bound to the addon at `path`: better-sqlite3's main entry point takes the
 * loaded addon as its `nativeBinding` option.
 */
async function boundTo(path) {
    // process.dlopen, not require: the bundler rewrites require and createRequire.
    const addon = { exports: {} };
    process.dlopen(addon, path);
    const Default = (await __nccwpck_require__.e(/* import() */ 918).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4918, 23))).default;
    const Bound = class extends Default {
        constructor(filename, options = {}) {
            super(filename, { ...options, nativeBinding: addon.exports });
        }
    };
    return Bound;
}
/**
 * From source, better-sqlite3's entry point for the platform, from node_modules. The bundle never
 * takes this path (it has dist/prebuilds), and the bundler leaves the import alone rather than
 * copying every platform's addon.
 */
async function importForPlatform(key) {
    if (!PLATFORM_KEYS.includes(key))
        return undefined;
    const entry = `better-sqlite3/${key}`;
    return (await import(__rewriteRelativeImportExtension(/* webpackIgnore: true */ entry))).default;
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
        const packed = packedBindingDir(import.meta.url);
        if (packed) {
            const path = unpackedBinding(packed, key);
            loaded = path === undefined ? undefined : await boundTo(path);
        }
        else
            loaded = await importForPlatform(key);
    }
    catch (error) {
        if (error instanceof SnapshotError)
            throw error;
        throw ioError(`Could not load the SQLite binding for ${key}: ${error.message}`, 'Reinstall sqlite-snapshot; if the file is present, the platform may lack a prebuilt binary.', error);
    }
    if (!loaded) {
        throw unsupportedError(`sqlite-snapshot has no prebuilt SQLite binding for ${key}.`, 'Use a linux, macOS or Windows runner on x64 or arm64.');
    }
    cached = loaded;
    return loaded;
}

;// CONCATENATED MODULE: ./src/core/shared/int64.ts
/** The bounds of SQLite's 64-bit integers and of the manifest's uint64 fields, as exact bigints. */
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

;// CONCATENATED MODULE: ./src/core/format/manifest.ts
/**
 * manifest.json: the nine fields, in this order, as a Go consumer unmarshals them (docs/format.md §1).
 * `control_version` is a uint64 and must survive above 2^53, so it is a bigint here and written as
 * a bare JSON number, never through a JS double.
 */


const MANIFEST_KIND = 'bootstrap.sqlite.dump';
const MANIFEST_FORMAT = 'sqlite3dump.sql';
const DUMP_FILE = 'snapshot.sql';
const MANIFEST_FILE = 'manifest.json';
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
/** `N` or `N,N,…`: the accepted values of an expected version; `name` is how the user spelled the option. */
function parseVersionList(text, name, hint) {
    const parts = text.split(',').map((part) => part.trim());
    if (parts.some((part) => part === ''))
        throw usageError(`${name} takes N or N,N,…; got "${text}".`, hint);
    return parts.map((part) => parseInteger(part, name, INT64_MIN, INT64_MAX));
}

;// CONCATENATED MODULE: ./src/core/shared/plural.ts
/** `1 table`, `2 tables`, `0 rows`: a count with its noun, as every face writes counts. */
const counted = (count, noun, plural = `${noun}s`) => `${count} ${count === 1 || count === 1n ? noun : plural}`;

// EXTERNAL MODULE: external "node:buffer"
var external_node_buffer_ = __nccwpck_require__(4573);
;// CONCATENATED MODULE: ./src/core/sql/sqlLiteral.ts
/**
 * How each SQLite value is written in the dump (docs/format.md §2.3 rule 4). The row query hands values over
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
    if (nul || (nonAscii && !(0,external_node_buffer_.isUtf8)(bytes))) {
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

;// CONCATENATED MODULE: ./src/core/sql/sqlTokens.ts
/**
 * A small SQL tokenizer, enough to classify the statements of a dump and to check that the
 * values of an INSERT are literals: identifiers (bare or quoted), strings, blobs, numbers and
 * single-character punctuation; whitespace and comments are skipped.
 */
const isSpace = (c) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isIdStart = (c) => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdPart = (c) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
/** Index just past the closing `quote` that starts at `start`, honouring doubled quotes; -1 if open. */
function closingQuote(text, start, quote) {
    let at = start + 1;
    for (;;) {
        const close = text.indexOf(quote, at);
        if (close < 0)
            return -1;
        if (text[close + 1] !== quote)
            return close + 1;
        at = close + 2;
    }
}
/** Tokenizes one statement; throws on an unterminated quote or comment. */
function tokenize(sql) {
    const tokens = [];
    let i = 0;
    while (i < sql.length) {
        const c = sql[i];
        if (isSpace(c)) {
            i++;
        }
        else if (c === '-' && sql[i + 1] === '-') {
            const end = sql.indexOf('\n', i);
            i = end < 0 ? sql.length : end + 1;
        }
        else if (c === '/' && sql[i + 1] === '*') {
            const end = sql.indexOf('*/', i + 2);
            if (end < 0)
                throw new Error('unterminated comment');
            i = end + 2;
        }
        else if (c === "'" || c === '"' || c === '`') {
            const end = closingQuote(sql, i, c);
            if (end < 0)
                throw new Error('unterminated quote');
            const value = sql.slice(i + 1, end - 1).replaceAll(c + c, c);
            tokens.push({ kind: c === "'" ? 'string' : 'quoted', value });
            i = end;
        }
        else if (c === '[') {
            const end = sql.indexOf(']', i);
            if (end < 0)
                throw new Error('unterminated identifier');
            tokens.push({ kind: 'quoted', value: sql.slice(i + 1, end) });
            i = end + 1;
        }
        else if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
            const end = closingQuote(sql, i + 1, "'");
            if (end < 0)
                throw new Error('unterminated blob');
            tokens.push({ kind: 'blob', value: sql.slice(i + 2, end - 1) });
            i = end;
        }
        else if (/[0-9.]/.test(c) && (c !== '.' || /[0-9]/.test(sql[i + 1] ?? ''))) {
            const match = /^(0[xX][0-9a-fA-F]+|[0-9]*\.?[0-9]*(?:[eE][-+]?[0-9]+)?)/.exec(sql.slice(i, i + 400));
            tokens.push({ kind: 'number', value: match[0] });
            i += match[0].length;
        }
        else if (isIdStart(c)) {
            let end = i + 1;
            while (end < sql.length && isIdPart(sql[end]))
                end++;
            tokens.push({ kind: 'word', value: sql.slice(i, end) });
            i = end;
        }
        else {
            tokens.push({ kind: 'punct', value: c });
            i++;
        }
    }
    return tokens;
}
/** Case-insensitive keyword test on a bare word token. */
const isKeyword = (token, ...words) => token?.kind === 'word' && words.includes(token.value.toUpperCase());
/** A table or object name: a bare word or a quoted identifier (or a string, which SQLite accepts). */
const isName = (token) => token?.kind === 'word' || token?.kind === 'quoted' || token?.kind === 'string';
/**
 * SQLite's keywords (the 147 of its keyword table). A bare one is not always a name: SQLite reads
 * some as names and refuses others, so callers leave such words to SQLite.
 */
const SQL_KEYWORDS = new Set(`ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY
  CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE
  CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP
  EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM
  FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT
  INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING
  NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY
  RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK
  ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE
  UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT`.split(/\s+/));
/** Is `word` (any case) one of SQLite's keywords? */
const isSqlKeyword = (word) => SQL_KEYWORDS.has(word.toUpperCase());

;// CONCATENATED MODULE: ./src/core/load/rowCounts.ts
/**
 * Exact per-table row counts: what the loader inserted from the dump, and the check that the new
 * database holds exactly that many rows in each table. A page-level check (quick_check) finds a
 * damaged file; only a count against the dump finds rows that went missing or appeared on the way
 * in (a trigger firing during the load, a constraint that silently drops or replaces a row, a
 * loader fault), so the restore compares them right after loading, before any migration runs.
 */




/** SQLite compares names case-insensitively for ASCII letters only; so does this key. */
const tableKey = (name) => name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
/**
 * The table and the number of rows of a plain `INSERT INTO t [(columns)] VALUES (…), (…)` that the
 * statement policy accepted: one row per parenthesised group after VALUES. Undefined for anything
 * else (the policy refuses it before it runs).
 */
function insertedRows(sql) {
    const tokens = tokenize(sql);
    const name = tokens[2];
    if (!isKeyword(tokens[0], 'INSERT') || !isKeyword(tokens[1], 'INTO') || !isName(name))
        return undefined;
    let at = 3;
    let depth = 0;
    // Skip the column list, if any: VALUES is the first keyword outside parentheses.
    for (; at < tokens.length && !(depth === 0 && isKeyword(tokens[at], 'VALUES')); at++) {
        const token = tokens[at];
        if (token.kind === 'punct' && token.value === '(')
            depth++;
        else if (token.kind === 'punct' && token.value === ')')
            depth--;
    }
    let rows = 0;
    for (at++; at < tokens.length; at++) {
        const token = tokens[at];
        if (token.kind !== 'punct')
            continue;
        if (token.value === '(' && depth++ === 0)
            rows++;
        else if (token.value === ')')
            depth--;
    }
    return { table: name.value, rows };
}
/** Counts rows per table as the loader inserts them; `counter()` hands out one table's counter. */
class TableRowCounts {
    counts = new Map();
    /** The counter of `table` (any spelling SQLite takes for it): the fast path keeps it and adds one per row. */
    counter(table) {
        const key = tableKey(table);
        let counter = this.counts.get(key);
        if (!counter) {
            counter = { name: table, rows: 0 };
            this.counts.set(key, counter);
        }
        return counter;
    }
    /** Rows per table, by its first spelling in the dump (a plain Map crosses threads). */
    toMap() {
        return new Map([...this.counts.values()].map(({ name, rows }) => [name, rows]));
    }
}
/**
 * One problem line per table whose row count in `db` differs from `expected` (by tableKey; tables
 * the dump inserted nothing into must be empty). Internal sqlite_ tables are not compared: SQLite
 * writes sqlite_sequence itself, and the dump carries no statistics by default.
 */
function rowCountProblems(db, inserted) {
    const expected = new Map([...inserted].map(([name, rows]) => [tableKey(name), { name, rows }]));
    const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
        .pluck()
        .all();
    const problems = [];
    const seen = new Set();
    for (const table of tables) {
        seen.add(tableKey(table));
        const want = expected.get(tableKey(table))?.rows ?? 0;
        const have = Number(db
            .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`)
            .pluck()
            .get());
        if (have !== want) {
            problems.push(`table ${quoted(table)} holds ${counted(have, 'row')} after loading; the dump inserted ${want}`);
        }
    }
    for (const [key, { name, rows }] of expected) {
        if (!seen.has(key) && !key.startsWith('sqlite_') && rows > 0) {
            problems.push(`the dump inserted ${counted(rows, 'row')} into ${quoted(name)}, which is not a table of the restored database`);
        }
    }
    return problems;
}

;// CONCATENATED MODULE: ./src/core/sqlite/integrity.ts
/**
 * PRAGMA integrity_check, on two threads for large databases, and PRAGMA quick_check. A full
 * integrity_check equals quick_check (every page and b-tree, page accounting) plus, per table, the
 * cross-check of the table against its indexes (`integrity_check(<table>)`); the per-table part is
 * split between this thread and a worker with its own read-only connection.
 */



const ROLE = 'sqlite-snapshot-integrity';
/**
 * The cross-check looks each row up in each of its table's indexes, in rowid order: random reads
 * all over the indexes. With the 1 MB cache of a scan nearly every lookup is a read from the OS
 * (seconds of system time on a large index-heavy database); 16 MB per connection keeps the upper
 * levels and much of the leaves cached, within the restore's memory bar.
 */
const CROSS_CHECK_CACHE_PRAGMA = 'cache_size = -16384';
/** Below this many (rows × indexes), one thread checks faster than two start. */
const PARALLEL_MIN_WEIGHT = 200_000;
/** The heading SQLite puts above a database's messages; it names no problem. */
const HEADING = /^\*\*\* in database \S+ \*\*\*$/;
/**
 * Problems reported by one integrity pragma, one per message; empty when it says "ok". SQLite
 * may pack several messages into one row, a line each, under a heading.
 */
function problems(db, pragma) {
    const rows = db.pragma(pragma, { simple: false });
    const texts = rows.flatMap((row) => String(Object.values(row)[0]).split('\n')).filter((text) => !HEADING.test(text));
    return texts.length === 1 && texts[0] === 'ok' ? [] : texts;
}
/**
 * The messages of PRAGMA quick_check of `db`: none when it is sound; at most `limit`. One read of
 * every page, which also finds a damaged or cut-off file. Throws when the schema cannot be read.
 */
const quickCheckProblems = (db, limit) => problems(db, `quick_check(${limit})`);
/** Stands for the whole-file quick_check among the per-table checks, so it is balanced like them. */
const QUICK_CHECK = '\u0000quick_check';
function checkTables(db, tables, limit) {
    const found = [];
    for (const table of tables) {
        if (found.length >= limit)
            break;
        const pragma = table === QUICK_CHECK ? `quick_check(${limit})` : `integrity_check(${quoteString(table)})`;
        found.push(...problems(db, pragma));
    }
    return found;
}
if (!external_node_worker_threads_.isMainThread && external_node_worker_threads_.workerData?.role === ROLE) {
    const request = external_node_worker_threads_.workerData;
    loadSqlite()
        .then((Sqlite) => {
        const db = new Sqlite(request.path, { readonly: true, fileMustExist: true });
        db.pragma(CROSS_CHECK_CACHE_PRAGMA);
        try {
            external_node_worker_threads_.parentPort.postMessage({ problems: checkTables(db, request.tables, request.limit) });
        }
        finally {
            db.close();
        }
    })
        .catch((error) => external_node_worker_threads_.parentPort.postMessage({ error: error.message }));
}
function runWorker(request) {
    return new Promise((resolve, reject) => {
        const worker = new external_node_worker_threads_.Worker(new URL(import.meta.url), { workerData: request });
        worker.once('message', (reply) => reply.error === undefined ? resolve(reply.problems) : reject(new Error(reply.error)));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the integrity check worker stopped (exit code ${code})`)));
    });
}
const indexCount = (db, table) => Number(db.prepare('SELECT count(*) FROM pragma_index_list(?)').pluck().get(table));
/** Splits tables into two groups of similar weight, heaviest first. */
function partition(weights) {
    const groups = [[], []];
    const totals = [0, 0];
    for (const [table, weight] of [...weights].sort((a, b) => b[1] - a[1])) {
        const lighter = totals[0] <= totals[1] ? 0 : 1;
        groups[lighter].push(table);
        totals[lighter] += weight;
    }
    return groups;
}
/**
 * The messages of an integrity check of `db` (opened on `path`): none when it is sound; at most
 * about `limit`. Throws when the schema is too damaged for the check to run.
 */
async function integrityProblems(db, path, limit) {
    const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name")
        .pluck()
        .all();
    let totalRows = 0;
    // A table's cross-check visits each row once per index: rows × (1 + indexes) is its work.
    const weights = tables.map((table) => {
        const rows = Number(db
            .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`)
            .pluck()
            .get());
        totalRows += rows;
        return [table, rows * (1 + indexCount(db, table))];
    });
    if (weights.reduce((sum, [, weight]) => sum + weight, 0) < PARALLEL_MIN_WEIGHT) {
        return problems(db, `integrity_check(${limit})`);
    }
    // quick_check reads every page once: about as much work as one pass over every row.
    const [mine, theirs] = partition([...weights, [QUICK_CHECK, totalRows]]);
    const other = runWorker({ role: ROLE, path, tables: theirs, limit });
    // Awaited below; when this thread's part throws first, the worker's outcome is not news.
    other.catch(() => { });
    const cacheSize = db.pragma('cache_size', { simple: true });
    db.pragma(CROSS_CHECK_CACHE_PRAGMA);
    try {
        const local = checkTables(db, mine, limit);
        return [...local, ...(await other)].slice(0, limit);
    }
    finally {
        db.pragma(`cache_size = ${cacheSize}`);
    }
}

;// CONCATENATED MODULE: ./src/core/sqlite/sqliteFile.ts
/** Recognising a SQLite file by its header, before SQLite itself opens (and maybe recovers) it. */


const SQLITE_MAGIC = 'SQLite format 3\0';
/** The file's first `length` bytes (fewer for a shorter file); `what` names it in the error. */
function readFileStart(path, length, what) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(path, 'r');
    }
    catch (error) {
        throw ioError(`Cannot read ${what} ${path}: ${error.message}`, 'Check the file permissions.', error);
    }
    try {
        return readHeaderAt(fd, length);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** The first `length` bytes of an open file. */
function readHeaderAt(fd, length) {
    const header = Buffer.alloc(length);
    return header.subarray(0, (0,external_node_fs_.readSync)(fd, header, 0, length, 0));
}
/** Whether a non-empty header is SQLite's ("SQLite format 3\0"). */
const hasSqliteMagic = (header) => header.subarray(0, 16).toString('latin1') === SQLITE_MAGIC;

;// CONCATENATED MODULE: ./src/core/sqlite/source.ts
/**
 * Opens a source database for reading without changing anything next to it: read-only, and a WAL
 * database that has no -wal file is read from a private copy, because SQLite would otherwise create
 * -wal and -shm files beside it even on a read-only connection.
 */








/** Sequential scans gain nothing from a large page cache; a small one keeps memory flat. */
const SCAN_CACHE_PRAGMA = 'cache_size = -1024';
/** Separators a path may end with here: Windows takes both. */
const TRAILING_SEPARATORS = process.platform === 'win32' ? /[\\/]+$/ : /\/+$/;
/**
 * A path ending in a separator names a directory. Where the name without it is a file, the user
 * typed one character too many: say so, rather than read the file or blame permissions.
 */
function refuseFileWithTrailingSeparator(path) {
    const file = path.replace(TRAILING_SEPARATORS, '');
    if (file === path || file === '' || !statSafe(file)?.isFile())
        return;
    throw usageError(`The database path ${path} ends with a path separator, which names a directory, but ${file} is a file.`, `Pass ${options_option('db')} without the trailing separator: ${file}`);
}
function statSource(path) {
    refuseFileWithTrailingSeparator(path);
    try {
        return (0,external_node_fs_.statSync)(path);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
            throw ioError(code === 'ENOENT'
                ? `Database not found: ${path}`
                : `Database not found: ${path} (a part of it is a file, not a directory)`, `Check the ${options_option('db')} path (relative paths start at the working directory).`, error);
        throw ioError(`Cannot read database ${path}: ${error.message}`, 'Check the file permissions.', error);
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
    const header = readFileStart(path, 100, 'database');
    if (header.length > 0 && !hasSqliteMagic(header)) {
        throw ioError(`${path} is not a SQLite database (its first bytes are not "SQLite format 3").`, 'Pass the fixture .db file itself.');
    }
    // Header bytes 18 and 19 are 2 in WAL mode.
    const walMode = header.length >= 20 && header[18] === 2 && header[19] === 2;
    let readPath = path;
    let copyDir;
    if (walMode && !statSafe(`${path}-wal`)) {
        copyDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'sqlite-snapshot-src-'));
        readPath = (0,external_node_path_.join)(copyDir, `source-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.db`);
        (0,external_node_fs_.copyFileSync)(path, readPath);
        // A writer that started meanwhile creates -wal first and only then changes the main file.
        const after = statSafe(path);
        if (statSafe(`${path}-wal`) || !after || !sameFile(before, after)) {
            (0,external_node_fs_.rmSync)(copyDir, { recursive: true, force: true });
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
            (0,external_node_fs_.rmSync)(copyDir, { recursive: true, force: true });
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
                (0,external_node_fs_.rmSync)(copyDir, { recursive: true, force: true });
        },
    };
}
function statSafe(path) {
    try {
        return (0,external_node_fs_.statSync)(path);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/core/sqlite/userQuery.ts
/**
 * Runs a query a user gave (a version query, a restore check): one read-only SELECT returning one
 * column. It runs under PRAGMA query_only, so SQLite itself refuses any write whatever the
 * statement; the keyword test also keeps out PRAGMAs, which can change settings.
 */

/** Why a query cannot be used, as a phrase that follows the query's name. */
class UserQueryError extends Error {
}
/** The first `limit` values of the query's single column (integers as bigint). */
function selectOneColumn(db, sql, limit) {
    const wasQueryOnly = db.pragma('query_only', { simple: true });
    db.pragma('query_only = ON');
    try {
        let statement;
        try {
            // prepare() refuses text holding more than one statement, so nothing can ride along.
            statement = db.prepare(sql);
        }
        catch (error) {
            throw new UserQueryError(`is not one valid SQL statement: ${error.message}`);
        }
        let first;
        try {
            first = tokenize(sql)[0];
        }
        catch {
            first = undefined;
        }
        if (!statement.reader || !statement.readonly || !isKeyword(first, 'SELECT', 'WITH', 'VALUES')) {
            throw new UserQueryError('is not a read-only SELECT');
        }
        const columns = statement.columns().length;
        if (columns !== 1)
            throw new UserQueryError(`returns ${columns} columns; it must return exactly one`);
        const values = [];
        try {
            for (const row of statement.raw(true).safeIntegers(true).iterate()) {
                values.push(row[0]);
                if (values.length >= limit)
                    break;
            }
        }
        catch (error) {
            throw new UserQueryError(`failed: ${error.message}`);
        }
        return values;
    }
    finally {
        db.pragma(`query_only = ${wasQueryOnly ? 'ON' : 'OFF'}`);
    }
}

;// CONCATENATED MODULE: ./src/core/restore/sanity.ts
/**
 * The last gate before a restored DB replaces the target (docs/format.md §4): integrity, foreign keys,
 * required tables and an optional user query. Every check runs and all problems are reported
 * together, so one failed restore shows everything that needs fixing.
 */









/**
 * How the restored file itself is checked:
 * - `quick`: PRAGMA quick_check — every page and b-tree of the file is well formed, every page
 *   accounted for. Paired with the restore's exact per-table row counts against the dump, this is
 *   what a database this process has just written needs: it finds a damaged or truncated file and
 *   lost or extra rows, in about one read of the file.
 * - `full`: PRAGMA integrity_check — quick_check plus, row by row, that every index holds exactly
 *   its table's entries (and CHECK / NOT NULL constraints). It finds an index that disagrees with
 *   its table, which SQLite's own index builds do not produce; it costs an index lookup per row
 *   and index, several times the quick check on an index-heavy database.
 */
const INTEGRITY_CHOICES = ['quick', 'full'];
/** What a restore runs when not told: see IntegrityChoice. */
const DEFAULT_RESTORE_INTEGRITY = 'quick';
/**
 * Reads the text of a flag or an input (`quick` or `full`, any case, spaces around ignored);
 * `label` names it in the error (`--integrity`, `Input "integrity"`).
 */
function parseIntegrityChoice(text, label = 'The integrity check') {
    const choice = text.trim().toLowerCase();
    if (INTEGRITY_CHOICES.includes(choice))
        return choice;
    throw usageError(`${label} must be one of ${INTEGRITY_CHOICES.join(', ')}, not ${quoted(text)}.`, 'Use quick (quick_check and exact row counts, the default) or full (the full integrity_check, slower on index-heavy databases).');
}
/**
 * A failed sanity check, with its problems, so each caller can say what it means there: a
 * restore did not replace its target; a restore proof failed.
 */
class SanityError extends SnapshotError {
    problems;
    constructor(database, problems) {
        super('sanity', `The restored database ${database} failed its sanity checks:\n${listProblems(problems)}`, {
            hint: 'Fix the snapshot or the migrations (or the required tables / check query).',
        });
        this.problems = problems;
    }
}
const listProblems = (problems) => problems.map((problem) => `  - ${problem}`).join('\n');
/** How many messages of a failed check are shown; the rest are counted. */
const SHOWN = 5;
/** Throws a SanityError listing every problem found in `db`; returns quietly when all checks hold. */
async function checkSanity(db, options) {
    const problems = [
        ...(await checkIntegrity(db, options.integrity ?? 'full')),
        ...checkForeignKeys(db),
        ...checkRequiredTables(db, options.requireTables ?? []),
        ...(options.checkSql === undefined ? [] : checkUserQuery(db, options.checkSql)),
    ];
    if (problems.length === 0)
        return;
    throw new SanityError((0,external_node_path_.basename)(db.name), problems);
}
function summarise(items) {
    const shown = items.slice(0, SHOWN).join('; ');
    return items.length > SHOWN ? `${shown}; and ${items.length - SHOWN} more` : shown;
}
async function checkIntegrity(db, choice) {
    const pragma = choice === 'full' ? 'integrity_check' : 'quick_check';
    try {
        // Asking for one message more than shown tells whether there are more without listing 100.
        const texts = choice === 'full' ? await integrityProblems(db, db.name, SHOWN + 1) : quickCheckProblems(db, SHOWN + 1);
        if (texts.length === 0)
            return [];
        // SQLite's messages name the dump's tables and indexes: one printable line.
        const shown = printable(texts.slice(0, SHOWN).join('; '));
        return [`PRAGMA ${pragma} failed: ${texts.length > SHOWN ? `${shown}; …` : shown}`];
    }
    catch (error) {
        // Damage to the schema itself makes the check throw instead of report.
        return [`PRAGMA ${pragma} could not run: ${printable(error.message)}`];
    }
}
function checkForeignKeys(db) {
    try {
        const rows = db.prepare('PRAGMA foreign_key_check').safeIntegers(true).all();
        if (rows.length === 0)
            return [];
        const described = rows.map((row) => `${quoted(row.table)} ${row.rowid === null ? '(WITHOUT ROWID row)' : `rowid ${row.rowid}`} → missing parent in ${quoted(row.parent)}`);
        return [`PRAGMA foreign_key_check found ${counted(rows.length, 'violation')}: ${summarise(described)}`];
    }
    catch (error) {
        // e.g. "foreign key mismatch": a foreign key naming columns without a unique index.
        return [`PRAGMA foreign_key_check could not run: ${error.message}`];
    }
}
function checkRequiredTables(db, required) {
    const present = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE");
    const missing = required.filter((name) => present.get(name) === undefined);
    if (missing.length === 0)
        return [];
    return [
        `required table${missing.length === 1 ? '' : 's'} missing: ${missing.map((name) => quoted(name)).join(', ')}`,
    ];
}
/** SQL's falsy values as the user query can return them (integers come back as bigint). */
function isTruthy(value) {
    if (value === null || value === undefined || value === 0 || value === 0n || value === '')
        return false;
    if (Buffer.isBuffer(value))
        return value.length > 0;
    return true;
}
function describeValue(value) {
    if (value === null)
        return 'NULL';
    if (typeof value === 'string')
        return `'${value}'`;
    if (Buffer.isBuffer(value))
        return `a ${value.length}-byte blob`;
    return String(value);
}
function checkUserQuery(db, sql) {
    const label = `check query \`${sql.trim()}\``;
    try {
        const [value, ...rest] = selectOneColumn(db, sql, 1);
        if (rest.length === 0 && value === undefined)
            return [`${label} returned no row; it must return a truthy value`];
        if (!isTruthy(value))
            return [`${label} returned ${describeValue(value)}; it must return a truthy value`];
        return [];
    }
    catch (error) {
        if (error instanceof UserQueryError)
            return [`${label} ${error.message}`];
        return [`${label} failed: ${error.message}`];
    }
}
/**
 * Opens the database a load has just written at `path` and throws a sanity refusal unless each
 * table holds exactly the rows the loader inserted from `dumpPath` (`inserted`: LoadStats.rowsByTable).
 */
async function checkLoadedRows(path, dumpPath, inserted) {
    const Sqlite = await loadSqlite();
    const db = new Sqlite(path, { readonly: true, fileMustExist: true });
    let problems;
    try {
        db.pragma(SCAN_CACHE_PRAGMA);
        problems = rowCountProblems(db, inserted);
    }
    finally {
        db.close();
    }
    if (problems.length === 0)
        return;
    throw refusal('sanity', `The database loaded from ${(0,external_node_path_.basename)(dumpPath)} does not hold exactly the rows of the dump, so it was not used:\n${listProblems(problems)}`, 'A trigger or a constraint in the dump changed rows while they were loaded, or rows were lost: rebuild the snapshot with sqlite-snapshot build from its database.');
}

;// CONCATENATED MODULE: ./src/spec/actionInputs.ts
/**
 * The Action's inputs and outputs, once. Every surface that lists them is generated from or read
 * through this table (`npm run generate`, and a test that fails when a generated file is stale):
 * the root action.yml (every input, with `mode`), the per-verb actions build/, verify/ and
 * restore/ (each with only its own inputs, named for what they mean there), the reusable
 * workflow's inputs and outputs, the tables in docs/action.md, the Action's input reader and its
 * "did you mean" for unknown inputs and CLI flags.
 */
const VERBS = ['build', 'verify', 'restore'];
/** A GitHub Actions expression, `${{ … }}`. */
const expression = (inner) => `\${{ ${inner} }}`;
const EXPECT = (what, accepted) => ({ name: `expect-${what}`, description: accepted });
const ACCEPTED_LIST = (field) => `The ${field}s this code accepts, N or N,N,…: any other fails verification. Empty accepts any.`;
const PROOF = 'When set, a verified snapshot is also restored into a throw-away database and checked (the restore proof):';
const ACTION_INPUTS = [
    {
        name: 'mode',
        description: 'What to do: build (dump a database into a snapshot and upload it), verify (check a snapshot against its manifest and the versions this code expects) or restore (verify, then safely put it in place of a database).',
        default: 'build',
        verbs: {},
        workflow: { type: 'string' },
    },
    {
        name: 'database',
        description: 'build: the fixture database to dump (default: start from an empty database, then migrations and seeds). restore: the database to create or replace (required).',
        verbs: {
            build: {
                description: 'The fixture database to dump (default: start from an empty database, then migrations and seeds).',
                flag: '--db',
            },
            restore: { description: 'The database to create or replace (required).', flag: '--db' },
        },
        workflow: {
            type: 'string',
            description: 'build: the fixture database to dump, relative to the checkout (default: an empty database, then migrations and seeds). restore: the database to create or replace (required).',
        },
    },
    {
        name: 'migrations',
        description: 'Directory of .sql migrations applied in numeric prefix order: to a private copy of the fixture (build), to the restored database (restore), or to a throw-away restore of the snapshot (verify: the restore proof).',
        verbs: {
            build: {
                description: 'Directory of .sql migrations applied, in numeric prefix order, to a private copy of the fixture.',
            },
            verify: { description: `${PROOF} directory of .sql migrations applied to it in numeric prefix order.` },
            restore: {
                description: 'Directory of .sql migrations applied to the restored database in numeric prefix order.',
            },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'migrate-command',
        description: "Shell command that migrates the database (build, restore, verify's restore proof), run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.",
        verbs: {
            build: {
                description: 'Shell command that migrates the private copy of the fixture, run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.',
            },
            verify: {
                description: `${PROOF} shell command that migrates it, run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.`,
            },
            restore: {
                description: 'Shell command that migrates the restored database, run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}.',
            },
        },
        workflow: {
            type: 'string',
            description: "Shell command that migrates the database (build, restore, verify's restore proof), run after migrations; the database path is in $SNAPSHOT_DB and replaces {db}. Install its tools with setup-command.",
        },
    },
    {
        name: 'seed',
        description: 'build: SQL files applied after the migrations, one per line.',
        verbs: { build: { description: 'SQL files applied after the migrations, one per line.' } },
        workflow: { type: 'string' },
    },
    {
        name: 'allow-empty',
        description: 'build: accept a database that holds no tables, views, indexes or triggers (otherwise the build fails: most often a misspelt database, migrations or seed input).',
        default: 'false',
        verbs: {
            build: {
                description: 'Accept a database that holds no tables, views, indexes or triggers (otherwise the build fails: most often a misspelt database, migrations or seed input).',
            },
        },
        workflow: { type: 'boolean', default: false },
    },
    {
        name: 'control-model-version',
        description: 'build: the control model version written in the manifest (default 0). verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
        verbs: {
            build: { description: 'The control model version written in the manifest (default 0).' },
            verify: EXPECT('control-model-version', ACCEPTED_LIST('control model version')),
            restore: EXPECT('control-model-version', ACCEPTED_LIST('control model version')),
        },
        workflow: {
            type: 'string',
            description: 'build: the control model version written in the manifest. verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
        },
    },
    {
        name: 'cache-schema-version',
        description: 'build: the cache schema version written in the manifest (default 0). verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
        verbs: {
            build: { description: 'The cache schema version written in the manifest (default 0).' },
            verify: EXPECT('cache-schema-version', ACCEPTED_LIST('cache schema version')),
            restore: EXPECT('cache-schema-version', ACCEPTED_LIST('cache schema version')),
        },
        workflow: {
            type: 'string',
            description: 'build: the cache schema version written in the manifest. verify/restore: the accepted versions, N or N,N,…; empty accepts any.',
        },
    },
    {
        name: 'control-version',
        description: 'build: the fleet cursor written in the manifest, 0..18446744073709551615 (default 0, or read by control-version-query). verify/restore: the lowest accepted control_version; empty accepts any.',
        verbs: {
            build: {
                description: 'The fleet cursor written in the manifest, 0..18446744073709551615 (default 0, or read by control-version-query).',
            },
            verify: EXPECT('min-control-version', 'The lowest control_version this code accepts. Empty accepts any.'),
            restore: EXPECT('min-control-version', 'The lowest control_version this code accepts. Empty accepts any.'),
        },
        workflow: {
            type: 'string',
            comment: 'A string: the cursor is a uint64, beyond the integers a number input holds exactly.',
        },
    },
    {
        name: 'control-version-query',
        description: 'build: a SQL query returning control_version (one integer) from the database.',
        verbs: { build: { description: 'A SQL query returning control_version (one integer) from the database.' } },
        workflow: { type: 'string' },
    },
    {
        name: 'db-migration-version',
        description: 'build: the migration version written in the manifest (default: read by db-migration-version-query, else detected). verify/restore: the required version; empty accepts any.',
        verbs: {
            build: {
                description: 'The migration version written in the manifest (default: read by db-migration-version-query, else detected).',
            },
            verify: EXPECT('db-migration-version', 'The db_migration_version this code requires. Empty accepts any.'),
            restore: EXPECT('db-migration-version', 'The db_migration_version this code requires. Empty accepts any.'),
        },
        workflow: { type: 'string' },
    },
    {
        name: 'db-migration-version-query',
        description: "build: a SQL query returning db_migration_version from the database (default: detected from the migration tool's bookkeeping, else PRAGMA user_version).",
        verbs: {
            build: {
                description: "A SQL query returning db_migration_version from the database (default: detected from the migration tool's bookkeeping, else PRAGMA user_version).",
            },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'source-version',
        description: "build: the producing code's version written in the manifest (default: the commit SHA, $GITHUB_SHA).",
        verbs: {
            build: {
                description: "The producing code's version written in the manifest (default: the commit SHA, $GITHUB_SHA).",
            },
        },
        workflow: {
            type: 'string',
            description: "build: the producing code's version written in the manifest (default: the commit SHA of the calling run).",
        },
    },
    {
        name: 'path',
        description: 'Directory of snapshot.sql and manifest.json: written by build; read by verify/restore, which download the artifact into it when it holds no snapshot (default: $RUNNER_TEMP/sqlite-snapshot).',
        verbs: {
            build: {
                description: 'Directory snapshot.sql and manifest.json are written to (default: $RUNNER_TEMP/sqlite-snapshot).',
                flag: '--out <dir>',
            },
            verify: {
                description: 'Directory of snapshot.sql and manifest.json; the artifact is downloaded into it when it holds no snapshot (default: $RUNNER_TEMP/sqlite-snapshot).',
                flag: 'the directory as an argument: sqlite-snapshot verify <dir>',
            },
            restore: {
                description: 'Directory of snapshot.sql and manifest.json; the artifact is downloaded into it when it holds no snapshot (default: $RUNNER_TEMP/sqlite-snapshot).',
                flag: 'the directory as an argument: sqlite-snapshot restore <dir> --db <target>',
            },
        },
        workflow: false,
    },
    {
        name: 'artifact-name',
        description: 'Name of the workflow artifact holding both files: uploaded by build, downloaded by verify/restore (default: sqlite-snapshot). Left empty in verify/restore, a snapshot this job already built or downloaded into path is used; set, only that artifact is.',
        verbs: {
            build: { description: 'Name of the workflow artifact the snapshot is uploaded as (default: sqlite-snapshot).' },
            verify: {
                description: 'Name of the workflow artifact to download (default: sqlite-snapshot). Left empty, a snapshot this job already built or downloaded into path is used; set, only that artifact is.',
            },
            restore: {
                description: 'Name of the workflow artifact to download (default: sqlite-snapshot). Left empty, a snapshot this job already built or downloaded into path is used; set, only that artifact is.',
            },
        },
        workflow: {
            type: 'string',
            description: 'Name of the workflow artifact holding snapshot.sql and manifest.json: uploaded by build, downloaded by verify/restore (default: sqlite-snapshot).',
        },
    },
    {
        name: 'upload',
        description: 'build: upload the snapshot as the artifact artifact-name.',
        default: 'true',
        verbs: { build: { description: 'Upload the snapshot as the artifact artifact-name.' } },
        workflow: {
            type: 'boolean',
            default: true,
            description: 'build: upload the snapshot as the artifact artifact-name (the only way the snapshot leaves this job).',
        },
    },
    {
        name: 'overwrite',
        description: 'build: replace an artifact of the same name already uploaded in this run (as when a job is re-run) instead of failing.',
        default: 'false',
        verbs: {
            build: {
                description: 'Replace an artifact of the same name already uploaded in this run (as when a job is re-run) instead of failing.',
            },
        },
        workflow: { type: 'boolean', default: false },
    },
    {
        name: 'name-with-checksum',
        description: 'build: upload as <artifact-name>-<first 16 hex digits of the checksum>, so every distinct snapshot has its own artifact name (the artifact-name output tells it; pass that to verify/restore).',
        default: 'false',
        verbs: {
            build: {
                description: 'Upload as <artifact-name>-<first 16 hex digits of the checksum>, so every distinct snapshot has its own artifact name (the artifact-name output tells it; pass that to verify/restore).',
            },
        },
        workflow: { type: 'boolean', default: false },
    },
    {
        name: 'retention-days',
        description: "build: days to keep the artifact, 1 to 400, capped by the repository's maximum (default: the repository's setting).",
        verbs: {
            build: {
                description: "Days to keep the artifact, 1 to 400, capped by the repository's maximum (default: the repository's setting).",
            },
        },
        workflow: {
            type: 'number',
            description: "build: days to keep the artifact, 1 to 400, capped by the repository's maximum (unset or 0: the repository's setting).",
            comment: "An unset number input is 0; the job passes empty, which the action reads as the repository's setting.",
            passes: expression("inputs.retention-days || ''"),
        },
    },
    {
        name: 'run-id',
        description: 'verify/restore: download the artifact from this workflow run instead of the current one (needs repository and github-token).',
        verbs: {
            verify: {
                description: 'Download the artifact from this workflow run instead of the current one (needs repository and github-token).',
            },
            restore: {
                description: 'Download the artifact from this workflow run instead of the current one (needs repository and github-token).',
            },
        },
        workflow: {
            type: 'string',
            description: 'verify/restore: download the artifact from this workflow run instead of the current one (needs actions: read, and the token secret for another private repository).',
        },
    },
    {
        name: 'repository',
        description: 'verify/restore with run-id: owner/name of the repository of that run (default: this repository).',
        verbs: {
            verify: { description: 'With run-id: owner/name of the repository of that run (default: this repository).' },
            restore: { description: 'With run-id: owner/name of the repository of that run (default: this repository).' },
        },
        workflow: {
            type: 'string',
            description: 'verify/restore with run-id: owner/name of the repository of that run (default: the calling repository).',
        },
    },
    {
        name: 'github-token',
        description: "verify/restore with run-id: a token that may read that run's artifacts (permissions: actions: read). With publish-to or from on ghcr.io and no registry-password: the registry password (permissions: packages: write to push, packages: read to pull).",
        default: expression('github.token'),
        verbs: {
            build: {
                description: 'With publish-to on ghcr.io and no registry-password: the registry password (permissions: packages: write).',
            },
            verify: {
                description: "With run-id: a token that may read that run's artifacts (permissions: actions: read). With from on ghcr.io and no registry-password: the registry password (packages: read).",
            },
            restore: {
                description: "With run-id: a token that may read that run's artifacts (permissions: actions: read). With from on ghcr.io and no registry-password: the registry password (packages: read).",
            },
        },
        // The workflow takes it as a secret, never as an input that would show in the run's log.
        workflow: { passes: expression('secrets.token || github.token') },
    },
    {
        name: 'save-baseline',
        description: "build: also save the snapshot in the Actions cache as this branch's baseline, for pull requests to compare with (typically on pushes to the default branch).",
        default: 'false',
        verbs: {
            build: {
                description: "Also save the snapshot in the Actions cache as this branch's baseline, for pull requests to compare with (typically on pushes to the default branch).",
            },
        },
        workflow: { type: 'boolean', default: false },
    },
    {
        name: 'compare-baseline',
        description: 'verify: restore the latest baseline of baseline-branch from the Actions cache and add what changed since (manifest fields, schema, row counts) to the job summary; a missing baseline is a notice, not a failure.',
        default: 'false',
        verbs: {
            verify: {
                description: 'Restore the latest baseline of baseline-branch from the Actions cache and add what changed since (manifest fields, schema, row counts) to the job summary; a missing baseline is a notice, not a failure.',
            },
        },
        workflow: {
            type: 'boolean',
            default: false,
            description: 'verify: restore the latest baseline of baseline-branch from the Actions cache and add what changed since to the job summary; a missing baseline is a notice, not a failure.',
        },
    },
    {
        name: 'baseline-branch',
        description: "verify with compare-baseline: the branch whose latest baseline to compare with (default: the repository's default branch, else main).",
        default: expression('github.event.repository.default_branch'),
        verbs: {
            verify: {
                description: "With compare-baseline: the branch whose latest baseline to compare with (default: the repository's default branch, else main).",
            },
        },
        workflow: { type: 'string', default: expression('github.event.repository.default_branch') },
    },
    {
        name: 'publish-to',
        description: 'build: also push the snapshot to this OCI registry reference after the artifact upload, e.g. ghcr.io/acme/app-snapshot (tagged cm<model>-cs<cache>-v<control_version> and cm<model>-cs<cache>, plus its own tag); sets oci-reference and oci-digest.',
        verbs: {
            build: {
                description: 'Also push the snapshot to this OCI registry reference after the artifact upload, e.g. ghcr.io/acme/app-snapshot (tagged cm<model>-cs<cache>-v<control_version> and cm<model>-cs<cache>, plus its own tag); sets oci-reference and oci-digest.',
            },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'from',
        description: 'verify/restore: take the snapshot from this OCI registry reference instead of an artifact: a tag or digest is pulled, a repository is resolved to the newest snapshot the expected versions accept.',
        verbs: {
            verify: {
                description: 'Take the snapshot from this OCI registry reference instead of an artifact: a tag or digest is pulled, a repository is resolved to the newest snapshot the expected versions accept.',
            },
            restore: {
                description: 'Take the snapshot from this OCI registry reference instead of an artifact: a tag or digest is pulled, a repository is resolved to the newest snapshot the expected versions accept.',
            },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'registry-username',
        description: 'publish-to/from: the registry user (default: on ghcr.io, the actor of the run; elsewhere SQLITE_SNAPSHOT_REGISTRY_USERNAME or the Docker config).',
        verbs: {
            build: { description: 'With publish-to: the registry user (default: on ghcr.io, the actor of the run).' },
            verify: { description: 'With from: the registry user (default: on ghcr.io, the actor of the run).' },
            restore: { description: 'With from: the registry user (default: on ghcr.io, the actor of the run).' },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'registry-password',
        description: 'publish-to/from: the registry password or token (default: on ghcr.io, github-token; elsewhere SQLITE_SNAPSHOT_REGISTRY_PASSWORD or the Docker config). Pass it from a secret.',
        verbs: {
            build: {
                description: 'With publish-to: the registry password or token (default: on ghcr.io, github-token). Pass it from a secret.',
            },
            verify: {
                description: 'With from: the registry password or token (default: on ghcr.io, github-token). Pass it from a secret.',
            },
            restore: {
                description: 'With from: the registry password or token (default: on ghcr.io, github-token). Pass it from a secret.',
            },
        },
        // The workflow takes it as a secret, never as an input.
        workflow: { passes: expression('secrets.registry-password') },
    },
    {
        name: 'force',
        description: 'restore: replace a database that already holds data (refused otherwise).',
        default: 'false',
        verbs: { restore: { description: 'Replace a database that already holds data (refused otherwise).' } },
        workflow: { type: 'boolean', default: false },
    },
    {
        name: 'backup',
        description: 'restore with force: keep the replaced database as <database>.bak-<UTC time>.',
        default: 'true',
        verbs: {
            restore: {
                description: 'With force: keep the replaced database as <database>.bak-<UTC time>.',
                flag: 'nothing: a backup is kept by default (--no-backup turns it off)',
            },
        },
        workflow: { type: 'boolean', default: true },
    },
    {
        name: 'require-table',
        description: "restore, and verify's restore proof: tables that must exist in the restored database, one per line.",
        verbs: {
            verify: { description: `${PROOF} tables that must exist in it, one per line.` },
            restore: { description: 'Tables that must exist in the restored database, one per line.' },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'check-sql',
        description: "restore, and verify's restore proof: a query that must return a truthy value on the restored database.",
        verbs: {
            verify: { description: `${PROOF} a query that must return a truthy value on it.` },
            restore: { description: 'A query that must return a truthy value on the restored database.' },
        },
        workflow: { type: 'string' },
    },
    {
        name: 'integrity',
        description: "restore, and verify's restore proof: quick (PRAGMA quick_check plus exact per-table row counts against the dump, the default) or full (the full PRAGMA integrity_check, which also cross-checks every index against its table; slower on index-heavy databases). Setting it in verify asks for the restore proof.",
        verbs: {
            verify: {
                description: `${PROOF} quick (PRAGMA quick_check plus exact per-table row counts against the dump, the default) or full (the full PRAGMA integrity_check, which also cross-checks every index against its table; slower on index-heavy databases).`,
            },
            restore: {
                description: 'quick (PRAGMA quick_check plus exact per-table row counts against the dump, the default) or full (the full PRAGMA integrity_check, which also cross-checks every index against its table; slower on index-heavy databases).',
            },
        },
        workflow: {
            type: 'string',
            description: "restore, and verify's restore proof: quick (quick_check plus exact row counts against the dump, the default) or full (the full integrity_check, slower on index-heavy databases).",
        },
    },
];
/** The name an input has in `verb`'s own action, or undefined when that action has no such input. */
function verbInputName(input, verb) {
    const use = input.verbs[verb];
    return use === undefined ? undefined : (use.name ?? input.name);
}
/** Every name an input has in some action: the root one's and each verb's own. */
const inputAliases = (input) => [
    ...new Set([input.name, ...VERBS.flatMap((verb) => verbInputName(input, verb) ?? [])]),
];
/** The inputs of an action: the root one (`verb` undefined) or a verb's own. */
function inputsOf(verb) {
    if (verb === undefined)
        return ACTION_INPUTS.map((spec) => ({ name: spec.name, description: spec.description, spec }));
    return ACTION_INPUTS.flatMap((spec) => {
        const use = spec.verbs[verb];
        return use === undefined ? [] : [{ name: use.name ?? spec.name, description: use.description, spec }];
    });
}

;// CONCATENATED MODULE: ./src/action/inputs.ts
/**
 * The Action's inputs, read from the runner's INPUT_* variables and checked up front: a bad value
 * fails the step with a message that names the input, before any work starts.
 */






const MODES = VERBS;
const DEFAULT_ARTIFACT_NAME = 'sqlite-snapshot';
const shown = (read, name) => read.label?.(name) ?? name;
/** The runner's variable for an input: INPUT_<NAME upper-cased, spaces as _>. */
const inputVariable = (name) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
const envInputReader = (env) => (name) => (env[inputVariable(name)] ?? '').trim();
/**
 * The inputs of a verb's own action, read by their root names: `expect-control-model-version` in
 * verify/action.yml is what `control-model-version` is in the root action with mode: verify. The
 * verb is the mode; inputs that action does not have read as empty.
 */
function verbInputReader(env, verb) {
    const read = envInputReader(env);
    const names = new Map(ACTION_INPUTS.map((spec) => [spec.name, verbInputName(spec, verb)]));
    const reader = (name) => {
        if (name === 'mode')
            return verb;
        const own = names.get(name);
        return own === undefined ? '' : read(own);
    };
    reader.label = (name) => names.get(name) ?? name;
    return reader;
}
const optional = (text) => (text === '' ? undefined : text);
const lines = (text) => text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
function booleanInput(read, rootName, fallback) {
    const text = read(rootName);
    const name = shown(read, rootName);
    if (text === '')
        return fallback;
    if (/^(true|yes|1)$/i.test(text))
        return true;
    if (/^(false|no|0)$/i.test(text))
        return false;
    throw usageError(`Input "${name}" must be true or false, got "${text}".`, `Set ${name}: true or ${name}: false.`);
}
function integerInput(read, rootName, min, max) {
    const text = read(rootName);
    return text === '' ? undefined : parseInteger(text, `Input "${shown(read, rootName)}"`, min, max);
}
/** `N` in build; `N` or `N,N,…` (the accepted values) in verify and restore. */
function versionListInput(read, rootName, mode) {
    const text = read(rootName);
    const name = shown(read, rootName);
    if (text === '')
        return undefined;
    const versions = parseVersionList(text, `Input "${name}"`, `Set ${name} to whole numbers.`);
    if (mode === 'build' && versions.length > 1) {
        throw usageError(`Input "${name}" is the one version a build writes, got a list "${text}".`, 'Lists of accepted versions are for mode: verify and mode: restore.');
    }
    return versions;
}
function integrityInput(read) {
    const text = read('integrity');
    return text === '' ? {} : { integrity: parseIntegrityChoice(text, 'Input "integrity"') };
}
function modeInput(read) {
    const text = read('mode') || 'build';
    if (MODES.includes(text))
        return text;
    throw usageError(`Input "mode" must be one of ${MODES.join(', ')}, got "${text}".`, 'Set mode: build, verify or restore.');
}
function artifactSource(read, env) {
    const given = read('artifact-name');
    const name = given || DEFAULT_ARTIFACT_NAME;
    if (/[\\/":<>|*?\r\n]/.test(name)) {
        throw usageError(`Input "artifact-name" "${name}" holds a character artifact names cannot contain (\\ / " : < > | * ? or a newline).`, 'Choose a name of letters, digits, dots, dashes and underscores.');
    }
    const named = given !== '';
    const runId = integerInput(read, 'run-id', 1n, BigInt(Number.MAX_SAFE_INTEGER));
    const repositoryText = read('repository') || env.GITHUB_REPOSITORY || '';
    // This very run, named by its id, is this run: no token or REST lookup needed.
    const thisRun = String(runId) === env.GITHUB_RUN_ID && repositoryText === (env.GITHUB_REPOSITORY ?? '');
    if (runId === undefined || thisRun)
        return { name, named };
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repositoryText);
    if (!match) {
        throw usageError(`Input "repository" must be owner/name, got "${repositoryText}".`, 'Set repository: owner/name of the run that uploaded the artifact.');
    }
    const token = read('github-token');
    if (token === '') {
        throw usageError('Input "github-token" is needed to download an artifact of another run (run-id is set).', 'Leave github-token at its default (the job token, with permissions actions: read) or pass a token that can read that repository.');
    }
    return { name, named, runId: Number(runId), repository: { owner: match[1], repo: match[2] }, token };
}
/**
 * Inputs a step set (to something other than action.yml's default, which the runner passes
 * anyway) that this mode does not use. Only the root action has them: a verb's own action has
 * only its own inputs.
 */
const ignoredInputs = (read, mode) => ACTION_INPUTS.filter((spec) => spec.name !== 'mode' && spec.verbs[mode] === undefined)
    .filter((spec) => !['', spec.default ?? ''].includes(read(spec.name)))
    .map((spec) => spec.name);
function readInputs(read, env) {
    const mode = modeInput(read);
    const database = optional(read('database'));
    if (mode === 'restore' && database === undefined) {
        throw usageError('Input "database" is required in mode: restore: it is the database to create or replace.', 'Set database: path/to/app.db.');
    }
    // The service caps it at the repository's maximum (90 days by default, up to 400 for private ones).
    const retention = integerInput(read, 'retention-days', 1n, 400n);
    const runnerTemp = env.RUNNER_TEMP || env.TMPDIR || '/tmp';
    return {
        mode,
        database,
        migrations: optional(read('migrations')),
        migrateCommand: optional(read('migrate-command')),
        seeds: lines(read('seed')),
        allowEmpty: booleanInput(read, 'allow-empty', false),
        controlModelVersions: versionListInput(read, 'control-model-version', mode),
        cacheSchemaVersions: versionListInput(read, 'cache-schema-version', mode),
        controlVersion: integerInput(read, 'control-version', 0n, UINT64_MAX),
        controlVersionQuery: optional(read('control-version-query')),
        dbMigrationVersion: optional(read('db-migration-version')),
        dbMigrationVersionQuery: optional(read('db-migration-version-query')),
        sourceVersion: optional(read('source-version')),
        path: read('path') || (0,external_node_path_.join)(runnerTemp, 'sqlite-snapshot'),
        artifact: artifactSource(read, env),
        upload: booleanInput(read, 'upload', true),
        overwrite: booleanInput(read, 'overwrite', false),
        nameWithChecksum: booleanInput(read, 'name-with-checksum', false),
        retentionDays: retention === undefined ? undefined : Number(retention),
        saveBaseline: booleanInput(read, 'save-baseline', false),
        compareBaseline: booleanInput(read, 'compare-baseline', false),
        baselineBranch: read('baseline-branch') || 'main',
        force: booleanInput(read, 'force', false),
        backup: booleanInput(read, 'backup', true),
        requireTables: lines(read('require-table')),
        checkSql: optional(read('check-sql')),
        ...integrityInput(read),
        publishTo: optional(read('publish-to')),
        from: optional(read('from')),
        registryUsername: optional(read('registry-username')),
        registryPassword: optional(read('registry-password')),
        githubToken: optional(read('github-token')),
        ignored: ignoredInputs(read, mode),
    };
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(51455);
;// CONCATENATED MODULE: ./src/core/format/versionFacts.ts
/**
 * The manifest's version facts that come from the database (docs/format.md §5). `db_migration_version` is
 * explicit, else a user query, else read from the bookkeeping table a migration tool left behind;
 * `control_version` is explicit or a user query. Each table is read the way its own tool reads it,
 * so the recorded version is the one that tool would report for the same DB.
 */




/** Empty option text (an Action input left at its default '') means "not given". */
const given = (text) => text !== undefined && text.trim() !== '';
function detectDbMigrationVersion(db, options) {
    // A dirty DB is refused whoever names its version: its schema matches no version at all.
    refuseDirtyGolangMigrate(db);
    if (given(options.explicit))
        return { value: options.explicit, source: 'explicit --db-migration-version' };
    if (given(options.query)) {
        const label = queryLabel('db_migration_version', options.query);
        const value = runValueQuery(db, options.query, label);
        const text = versionText(value);
        if (text === undefined) {
            throw usageError(`${label} returned ${versionFacts_describeValue(value)}; it must return text or a number.`);
        }
        return { value: text, source: 'query' };
    }
    for (const rule of RULES) {
        const table = findTable(db, rule);
        const value = table === undefined ? undefined : rule.read(db, table);
        if (value !== undefined)
            return { value, source: rule.source };
    }
    const userVersion = db.pragma('user_version', { simple: true });
    if (userVersion !== 0)
        return { value: String(userVersion), source: 'PRAGMA user_version' };
    return { value: '', source: 'none found' };
}
function resolveControlVersion(db, options) {
    if (options.explicit !== undefined) {
        if (options.explicit < 0n || options.explicit > UINT64_MAX) {
            throw usageError(`--control-version must be between 0 and ${UINT64_MAX}, got ${options.explicit}.`);
        }
        return { value: options.explicit, source: 'explicit --control-version' };
    }
    // A fleet cursor nobody set is at its start: 0 is what a Go consumer's zero value would read too.
    if (!given(options.query))
        return { value: 0n, source: 'default (none given)' };
    const label = queryLabel('control_version', options.query);
    const value = runValueQuery(db, options.query, label);
    // Above 2^63-1 a uint64 cannot be an SQLite INTEGER, so its decimal text is accepted as well.
    const parsed = typeof value === 'bigint' ? value : typeof value === 'string' && DIGITS.test(value) ? BigInt(value) : -1n;
    if (parsed < 0n || parsed > UINT64_MAX) {
        throw usageError(`${label} returned ${versionFacts_describeValue(value)}; control_version must be a whole number from 0 to ${UINT64_MAX}.`, 'Return an INTEGER ≥ 0, or the decimal digits as TEXT for values above 9223372036854775807.');
    }
    return { value: parsed, source: 'query' };
}
const queryLabel = (field, sql) => `The ${field} query \`${sql.trim()}\``;
/** The user's query's single non-NULL value; every other outcome is a usage error naming the query. */
function runValueQuery(db, sql, label) {
    const hint = 'Give one read-only SELECT returning one row with one column, e.g. SELECT max(version) FROM migrations.';
    let values;
    try {
        values = selectOneColumn(db, sql, 2);
    }
    catch (error) {
        if (!(error instanceof UserQueryError))
            throw error;
        const pragmaHint = error.message.startsWith('is not a read-only')
            ? ' A PRAGMA reads as a table: SELECT user_version FROM pragma_user_version.'
            : '';
        throw usageError(`${label} ${error.message}.`, `${hint}${pragmaHint}`);
    }
    if (values.length === 0)
        throw usageError(`${label} returned no row; it must return exactly one.`, hint);
    if (values.length > 1) {
        throw usageError(`${label} returned more than one row; it must return exactly one.`, 'Add ORDER BY … LIMIT 1.');
    }
    if (values[0] === null)
        throw usageError(`${label} returned NULL; it must return a value.`, hint);
    return values[0];
}
function versionFacts_describeValue(value) {
    if (value === null)
        return 'NULL';
    if (typeof value === 'string')
        return `the text '${value}'`;
    if (typeof value === 'number')
        return `the REAL ${formatReal(value)}`;
    if (Buffer.isBuffer(value))
        return `a ${value.length}-byte blob`;
    return String(value);
}
const DIGITS = /^\d+$/;
/** A cell as version text: INTEGER exact (bigint), TEXT as is, REAL as JS prints it; NULL and BLOB are none. */
function versionText(value) {
    if (typeof value === 'bigint' || typeof value === 'number')
        return String(value);
    return typeof value === 'string' ? value : undefined;
}
/** Numeric order when every version is digits (so '10' beats '9'), else SQLite's BINARY order. */
function highest(values) {
    const versions = values.map(versionText).filter((text) => text !== undefined && text !== '');
    const numeric = versions.every((text) => DIGITS.test(text));
    const compare = (a, b) => {
        if (numeric && BigInt(a) !== BigInt(b))
            return BigInt(a) > BigInt(b) ? 1 : -1;
        return Buffer.compare(Buffer.from(a), Buffer.from(b));
    };
    return versions.reduce((best, text) => (best === undefined || compare(text, best) > 0 ? text : best), undefined);
}
/** golang-migrate and goose store Go bools; drivers write 1, but hand-made rows may say 'true'. */
const isTrue = (value) => value === 1n || value === 1 || (typeof value === 'string' && /^(1|t|true)$/i.test(value.trim()));
const column = (db, sql) => db.prepare(sql).pluck().safeIntegers(true).all();
const rows = (db, sql) => db.prepare(sql).raw(true).safeIntegers(true).all();
const first = (db, sql) => db.prepare(sql).raw(true).safeIntegers(true).get();
/** Keeps NULL and BLOB cells out of ORDER BY … LIMIT 1, where they would hide a usable row. */
const usable = (name) => `typeof(${name}) IN ('integer', 'real', 'text')`;
/** Told apart from dbmate/Rails, which use the same table name, by its `dirty` column. */
const GOLANG_MIGRATE = {
    source: 'golang-migrate schema_migrations',
    table: 'schema_migrations',
    columns: ['version', 'dirty'],
    // Dirty rows were refused before detection began; a nil version (-1) is no version.
    read: (db, table) => highest(column(db, `SELECT version FROM ${table}`).filter((v) => DIGITS.test(String(v)))),
};
/** In detection order: the first rule whose table yields a version wins. */
const RULES = [
    {
        source: 'sqlite-snapshot snapshot_migrations',
        table: 'snapshot_migrations',
        columns: ['version'],
        read: (db, table) => highest(column(db, `SELECT version FROM ${table}`).filter((v) => DIGITS.test(String(v)))),
    },
    GOLANG_MIGRATE,
    {
        source: 'goose goose_db_version',
        table: 'goose_db_version',
        columns: ['id', 'version_id', 'is_applied'],
        read: (db, table) => {
            // goose's own walk: newest row first; a version whose newest row says "not applied" was rolled back.
            const settled = new Set();
            for (const [versionId, applied] of rows(db, `SELECT version_id, is_applied FROM ${table} ORDER BY id DESC`)) {
                const version = versionText(versionId);
                // Version 0 is the row goose writes when it creates the table, not a migration.
                if (version === undefined || version === '0' || settled.has(version))
                    continue;
                if (isTrue(applied))
                    return version;
                settled.add(version);
            }
            return undefined;
        },
    },
    {
        source: 'dbmate/Rails schema_migrations',
        table: 'schema_migrations',
        columns: ['version'],
        without: 'dirty',
        read: (db, table) => highest(column(db, `SELECT version FROM ${table}`)),
    },
    {
        source: 'Atlas atlas_schema_revisions',
        table: 'atlas_schema_revisions',
        columns: ['version', 'applied', 'total'],
        read: (db, table) => {
            // Fully applied revisions only; Atlas keeps its own rows (`.atlas_cloud_identifiers`) under a leading dot.
            const versions = column(db, `SELECT version FROM ${table} WHERE applied = total`);
            return highest(versions.filter((v) => typeof v !== 'string' || !v.startsWith('.')));
        },
    },
    {
        source: 'Prisma _prisma_migrations',
        table: '_prisma_migrations',
        columns: ['migration_name', 'finished_at', 'rolled_back_at'],
        read: (db, table) => {
            const sql = `SELECT migration_name FROM ${table} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
        AND ${usable('migration_name')} ORDER BY finished_at DESC, migration_name DESC LIMIT 1`;
            return versionText(first(db, sql)?.[0]);
        },
    },
    {
        source: 'Drizzle __drizzle_migrations',
        table: '__drizzle_migrations',
        columns: ['hash', 'created_at'],
        // Drizzle itself takes the newest created_at (its journal's millisecond stamp) as the current state.
        read: (db, table) => versionText(first(db, `SELECT created_at FROM ${table} WHERE ${usable('created_at')} ORDER BY created_at DESC LIMIT 1`)?.[0]),
    },
    {
        source: 'Django django_migrations',
        table: 'django_migrations',
        columns: ['id', 'app', 'name'],
        read: (db, table) => {
            const row = first(db, `SELECT app, name FROM ${table} WHERE ${usable('app')} AND ${usable('name')} ORDER BY id DESC LIMIT 1`);
            return row === undefined ? undefined : `${versionText(row[0])}.${versionText(row[1])}`;
        },
    },
];
function refuseDirtyGolangMigrate(db) {
    const table = findTable(db, GOLANG_MIGRATE);
    if (table === undefined)
        return;
    // golang-migrate keeps one row; should there be more, any dirty one makes the DB untrustworthy.
    const dirty = rows(db, `SELECT version, dirty FROM ${table}`).find((row) => isTrue(row[1]));
    if (dirty === undefined)
        return;
    const version = versionText(dirty[0]) ?? 'NULL';
    throw refusal('invalid', `The database is in a dirty golang-migrate state at version ${version}: that migration failed part-way, so the schema matches no known version and is not snapshotted.`, `Repair the database, run \`migrate force ${version}\` (or the version before it if the failed migration's changes were undone), then migrate again.`);
}
/** The rule's table in `main` as a quoted SQL name, when it exists with the tool's columns. */
function findTable(db, rule) {
    const found = db
        .prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name = ? COLLATE NOCASE AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .pluck()
        .get(rule.table);
    if (found === undefined)
        return undefined;
    const names = db.prepare('SELECT name FROM pragma_table_xinfo(?, ?)').pluck().all(found, 'main');
    const columns = new Set(names.map((name) => name.toLowerCase()));
    if (!rule.columns.every((name) => columns.has(name)))
        return undefined;
    if (rule.without !== undefined && columns.has(rule.without))
        return undefined;
    return `main.${quoteIdentifier(found)}`;
}

;// CONCATENATED MODULE: ./src/core/shared/fileSystem.ts
/** Small file-system steps the core repeats: looking at a name without following it, flushing. */

/** What is at `path` itself (a link is not followed), or undefined when nothing can be seen there. */
function lstatOrUndefined(path) {
    try {
        return (0,external_node_fs_.lstatSync)(path);
    }
    catch {
        return undefined;
    }
}
/**
 * fsync a file or a directory. On Windows a directory cannot be opened for it (a rename is durable
 * enough there without), and FlushFileBuffers needs a handle with write access (a read-only one
 * fails with EPERM). Elsewhere a read-only descriptor is enough, and the only one we may get once a
 * file has taken a read-only mode of the target.
 */
function fsyncPath(path) {
    const windows = process.platform === 'win32';
    if (windows && (0,external_node_fs_.statSync)(path).isDirectory())
        return;
    const fd = (0,external_node_fs_.openSync)(path, windows ? 'r+' : 'r');
    try {
        (0,external_node_fs_.fsyncSync)(fd);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}

;// CONCATENATED MODULE: ./src/core/shared/hashingFile.ts
/** Writes chunks to a file descriptor and hashes exactly the bytes written. */


class HashingFile {
    hash = (0,external_node_crypto_.createHash)('sha256');
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
            offset += (0,external_node_fs_.writeSync)(this.fd, chunk, offset, chunk.length - offset);
        this.written += chunk.length;
    }
    /**
     * Returns the lowercase hex sha256 and the byte count. No fsync here: the caller flushes the
     * file once, before a name points at it.
     */
    finish() {
        return { sha256: this.hash.digest('hex'), size: this.written };
    }
}

;// CONCATENATED MODULE: ./src/core/format/manifestParse.ts
/**
 * Strict reading of manifest.json, with a parser of our own rather than JSON.parse: JSON.parse
 * hides a duplicated field (last one wins), rounds integers above 2^53, and its error messages
 * quote the text around a syntax error, which for a file that is not a manifest at all (a copy of
 * a secret, say) would print the secret (docs/format.md §6). Here a syntax error names its line and
 * column and shows one escaped character; keys come in text order, duplicates included; numbers
 * keep their source text. What Go would read differently is judged by verifyFields.ts.
 */

/** A manifest is well under 1 KiB; anything past this is not a manifest and is not parsed. */
const MANIFEST_MAX_BYTES = 64 * 1024;
const refused = (error) => ({
    object: undefined,
    error,
    keys: [],
    numberSources: new Map(),
});
const tooLarge = (bytes) => refused(`it is ${bytes} bytes or more; a manifest is well under 1 KiB, so over ${MANIFEST_MAX_BYTES} is not parsed`);
class JsonSyntaxError extends Error {
    position;
    constructor(position, expected) {
        super(expected);
        this.position = position;
    }
}
// RFC 8259 tokens. Sticky, so each matches exactly at the scanner's position.
const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters end a plain run
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERALS = ['true', 'false', 'null'];
class Scanner {
    text;
    at = 0;
    constructor(text) {
        this.text = text;
    }
    skip(pattern) {
        pattern.lastIndex = this.at;
        if (!pattern.test(this.text))
            return false;
        this.at = pattern.lastIndex;
        return true;
    }
    fail(expected) {
        throw new JsonSyntaxError(this.at, expected);
    }
    whitespace() {
        this.skip(WHITESPACE);
    }
    expect(char) {
        if (this.text[this.at] !== char)
            this.fail(`'${char}'`);
        this.at++;
    }
    /** A string token, decoded (lone surrogate escapes stay as they are: verifyFields judges them). */
    string() {
        const start = this.at;
        this.expect('"');
        for (;;) {
            this.skip(PLAIN_CHARS);
            const char = this.text[this.at];
            if (char === '"')
                break;
            if (char === undefined)
                this.fail('the closing quote of the string');
            if (char !== '\\')
                this.fail('a control character in a string to be escaped (\\n, \\t, \\u0000…)');
            if (!this.skip(ESCAPE))
                this.fail('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\u and four hex digits');
        }
        this.at++;
        // The token is valid JSON now, so JSON.parse only decodes it and has nothing to complain about.
        return JSON.parse(this.text.slice(start, this.at));
    }
    /** Steps over one value, however deeply nested, with a stack rather than recursion. */
    value() {
        const closers = [];
        for (;;) {
            this.whitespace();
            const opener = this.text[this.at];
            if (opener === '{' || opener === '[') {
                this.at++;
                this.whitespace();
                const closer = opener === '{' ? '}' : ']';
                if (this.text[this.at] !== closer) {
                    closers.push(closer);
                    if (closer === '}')
                        this.memberName();
                    continue;
                }
                this.at++;
            }
            else {
                this.scalar();
            }
            // A value is complete: close what ends here, then go on with the next element, if any.
            for (;;) {
                const closer = closers.at(-1);
                if (closer === undefined)
                    return;
                this.whitespace();
                if (this.text[this.at] === closer) {
                    this.at++;
                    closers.pop();
                    continue;
                }
                this.expect(',');
                if (closer === '}') {
                    this.whitespace();
                    this.memberName();
                }
                break;
            }
        }
    }
    /** `"name" :` — leaves the scanner before the member's value. */
    memberName() {
        if (this.text[this.at] !== '"')
            this.fail('a member name in double quotes');
        const name = this.string();
        this.whitespace();
        this.expect(':');
        return name;
    }
    scalar() {
        if (this.text[this.at] === '"') {
            this.string();
            return;
        }
        const literal = LITERALS.find((word) => this.text.startsWith(word, this.at));
        if (literal)
            this.at += literal.length;
        else if (!this.skip(NUMBER))
            this.fail('a value');
    }
}
/** The members of the top-level object as raw value text, or what the top level is instead. */
function scanTopLevel(text) {
    const scanner = new Scanner(text);
    scanner.whitespace();
    const start = scanner.at;
    const members = [];
    if (text[start] === '{') {
        scanner.at++;
        scanner.whitespace();
        while (text[scanner.at] !== '}') {
            if (members.length > 0) {
                if (text[scanner.at] !== ',')
                    scanner.fail("',' or '}'");
                scanner.at++;
                scanner.whitespace();
            }
            const key = scanner.memberName();
            scanner.whitespace();
            const valueStart = scanner.at;
            scanner.value();
            members.push({ key, value: text.slice(valueStart, scanner.at) });
            scanner.whitespace();
        }
        scanner.at++;
    }
    else {
        scanner.value();
    }
    scanner.whitespace();
    if (scanner.at < text.length)
        scanner.fail('the end of the file after the top-level value');
    if (text[start] === '{')
        return members;
    const first = text[start];
    const kinds = { '[': 'an array', '"': 'a string', n: 'null', t: 'a boolean', f: 'a boolean' };
    return kinds[first ?? ''] ?? 'a number';
}
/** Where a syntax error is, and the one character found there (escaped), never the text around it. */
function describeSyntaxError(text, error) {
    const before = text.slice(0, error.position);
    const line = before.split('\n').length;
    const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
    const char = String.fromCodePoint(text.codePointAt(error.position) ?? 0);
    const found = error.position >= text.length ? 'the end of the file' : quoted(char);
    return `JSON syntax error at line ${line}, column ${column}: expected ${error.message}, found ${found}`;
}
function parseManifestText(text) {
    if (text.length > MANIFEST_MAX_BYTES)
        return tooLarge(text.length);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MANIFEST_MAX_BYTES)
        return tooLarge(bytes);
    if (text.startsWith('\ufeff')) {
        return refused("it starts with a byte order mark (U+FEFF), which JSON forbids and Go's encoding/json refuses");
    }
    let members;
    try {
        members = scanTopLevel(text);
    }
    catch (error) {
        if (error instanceof JsonSyntaxError)
            return refused(describeSyntaxError(text, error));
        throw error;
    }
    if (typeof members === 'string')
        return refused(`the top level is ${members}, not an object`);
    // No prototype: a "__proto__" key is a key like any other.
    const object = Object.create(null);
    const numberSources = new Map();
    for (const { key, value } of members) {
        const isNumber = /^[-0-9]/.test(value);
        object[key] = isNumber ? Number(value) : JSON.parse(value);
        if (isNumber)
            numberSources.set(key, value);
        else
            numberSources.delete(key);
    }
    return { object, error: undefined, keys: members.map((member) => member.key), numberSources };
}
/** The line and byte offset of the first byte that is not UTF-8 (text up to there decodes alike). */
function whereUtf8Breaks(bytes) {
    const lossy = new TextEncoder().encode(new TextDecoder('utf-8').decode(bytes));
    let at = 0;
    while (at < bytes.length && bytes[at] === lossy[at])
        at++;
    const line = bytes.subarray(0, at).filter((byte) => byte === 0x0a).length + 1;
    return `line ${line}, near byte ${at}`;
}
/**
 * Parses manifest.json as read from disk: at most MANIFEST_MAX_BYTES, and UTF-8, as JSON
 * (RFC 8259) requires. Go would read bytes that are not UTF-8 as U+FFFD, so they are refused.
 */
function parseManifestBytes(bytes) {
    if (bytes.length > MANIFEST_MAX_BYTES)
        return tooLarge(bytes.length);
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    }
    catch {
        return refused(`it is not UTF-8 text (${whereUtf8Breaks(bytes)})`);
    }
    return parseManifestText(text);
}

;// CONCATENATED MODULE: ./src/core/format/snapshotFiles.ts
/**
 * A snapshot directory, opened once (docs/format.md §6): manifest.json is read into memory and
 * snapshot.sql is held open, so verify and load read the very same bytes, whatever happens to the
 * paths meanwhile (a directory swapped for another, a file replaced by a link). Only regular files
 * that are not symbolic links are read: a link to /etc/passwd or to a secret is refused, not
 * hashed or quoted.
 */





const WHERE_HINT = 'Point at the directory that holds snapshot.sql and manifest.json (download the artifact first).';
// O_NOFOLLOW and O_NONBLOCK do not exist on Windows; there the lstat check below stands alone.
const OPEN_FLAGS = external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NOFOLLOW ?? 0) | (external_node_fs_.constants.O_NONBLOCK ?? 0);
function fileError(error, path, what) {
    const code = error.code;
    if (code === 'ENOENT')
        return ioError(`${what} not found: ${path}`, WHERE_HINT, error);
    if (code === 'ELOOP')
        return symlinkError(path, what);
    if (code === 'EACCES' || code === 'EPERM') {
        return ioError(`Cannot read ${what} ${path}: permission denied.`, 'Run as a user that can read the artifact, or fix its permissions (chmod a+r).', error);
    }
    return ioError(`Cannot read ${what} ${path}: ${error.message}`, WHERE_HINT, error);
}
const symlinkError = (path, what) => ioError(`${what} ${path} is a symbolic link; snapshot files must be regular files in the snapshot directory.`, 'Copy the file itself into the snapshot directory (an artifact download never makes links).');
/**
 * Opens `path` for reading without following a link, and only if it is a regular file (a FIFO is
 * not waited on); `what` names it in the errors.
 */
function openRegularFile(path, what) {
    let fd;
    try {
        if ((0,external_node_fs_.lstatSync)(path).isSymbolicLink())
            throw symlinkError(path, what);
        fd = (0,external_node_fs_.openSync)(path, OPEN_FLAGS);
    }
    catch (error) {
        throw error instanceof SnapshotError ? error : fileError(error, path, what);
    }
    const stats = (0,external_node_fs_.fstatSync)(fd);
    if (!stats.isFile()) {
        (0,external_node_fs_.closeSync)(fd);
        throw ioError(`${what} ${path} is not a regular file.`, WHERE_HINT);
    }
    return { fd, stats };
}
function readAtMost(fd, limit, path) {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    try {
        for (;;) {
            const read = (0,external_node_fs_.readSync)(fd, buffer, length, limit - length, length);
            if (read === 0 || length + read === limit)
                return buffer.subarray(0, length + read);
            length += read;
        }
    }
    catch (error) {
        throw fileError(error, path, 'Manifest');
    }
}
function openSnapshotFiles(directory) {
    let stats;
    try {
        stats = (0,external_node_fs_.statSync)(directory);
    }
    catch (error) {
        throw fileError(error, directory, 'Snapshot directory');
    }
    if (!stats.isDirectory())
        throw ioError(`Snapshot directory ${directory} is not a directory.`, WHERE_HINT);
    const manifestPath = (0,external_node_path_.join)(directory, MANIFEST_FILE);
    const dumpPath = (0,external_node_path_.join)(directory, DUMP_FILE);
    const manifest = openRegularFile(manifestPath, 'Manifest');
    let manifestBytes;
    try {
        manifestBytes = readAtMost(manifest.fd, MANIFEST_MAX_BYTES + 1, manifestPath);
    }
    finally {
        (0,external_node_fs_.closeSync)(manifest.fd);
    }
    const dump = openRegularFile(dumpPath, 'Dump');
    let open = true;
    return {
        directory,
        dumpPath,
        manifestPath,
        manifestBytes,
        dumpFd: dump.fd,
        dumpBytes: dump.stats.size,
        close() {
            if (open)
                (0,external_node_fs_.closeSync)(dump.fd);
            open = false;
        },
    };
}
/** Runs `work` on `snapshot`: files the caller already opened, or a directory opened (and closed) here. */
async function withSnapshotFiles(snapshot, work) {
    if (typeof snapshot !== 'string')
        return work(snapshot);
    const files = openSnapshotFiles(snapshot);
    try {
        return await work(files);
    }
    finally {
        files.close();
    }
}

;// CONCATENATED MODULE: ./src/core/build/buildPaths.ts
/** The paths of a build: its output directory, made step by step, and never the file it reads. */






/**
 * mkdir -p, one level at a time: Node's recursive mkdir never returns on some pseudo file systems
 * (/proc), and a plain file in the way deserves its own message.
 */
function makeDirectory(path) {
    if ((0,external_node_fs_.existsSync)(path)) {
        if (!(0,external_node_fs_.statSync)(path).isDirectory()) {
            throw ioError(`The output directory ${path} is a file, not a directory.`, 'Pass a directory (it is created if missing).');
        }
        return;
    }
    const parent = (0,external_node_path_.dirname)(path);
    if (parent !== path)
        makeDirectory(parent);
    (0,external_node_fs_.mkdirSync)(path);
}
/** rmdir only succeeds on an empty directory: anything someone else put there stays. */
function removeEmptyDirectory(path) {
    try {
        (0,external_node_fs_.rmdirSync)(path);
    }
    catch {
        // Not empty or already gone: nothing of ours is left in it either way.
    }
}
/** Follows links: what matters is the file a name reaches. Exact (bigint) inode numbers. */
function fileIdentity(path) {
    try {
        return (0,external_node_fs_.statSync)(path, { bigint: true, throwIfNoEntry: false });
    }
    catch {
        return undefined; // ENOTDIR, EACCES…: the database's own checks word these
    }
}
/**
 * Refuses a database that is the build's own output file, by whatever name it is reached (a
 * relative spelling, a link, a hard link): the build would replace the file it reads.
 */
function refuseOutputOverInput(database, outDir) {
    const input = fileIdentity(database);
    if (!input)
        return; // missing: opening it says so
    for (const name of [DUMP_FILE, MANIFEST_FILE]) {
        const output = (0,external_node_path_.join)(outDir, name);
        const existing = fileIdentity(output);
        if (existing && existing.dev === input.dev && existing.ino === input.ino) {
            throw usageError(`The database ${database} is the file ${output} this build writes: it would replace its own input.`, `Pass another ${options_option('out')} directory, or move the database out of ${outDir}.`);
        }
    }
}
/** A directory where a snapshot file goes would stop the commit half-way, after the dump has moved. */
function refuseDirectoriesInTheWay(outDir) {
    for (const name of [DUMP_FILE, MANIFEST_FILE]) {
        const path = (0,external_node_path_.join)(outDir, name);
        if (lstatOrUndefined(path)?.isDirectory()) {
            throw ioError(`${path} is a directory; the build writes a file there.`, `Remove it, or choose another ${options_option('out')} directory.`);
        }
    }
}

;// CONCATENATED MODULE: ./src/core/sqlite/lockedDir.ts
/**
 * Private working directories marked live by a lock, not a pid: a build's staging directory and a
 * restore's temp directory. Pids are per PID namespace, and containers share volumes; a lock is
 * seen by every process on the host, and the kernel drops it when its holder dies (kill -9 too).
 *
 * The lock is a small SQLite file, `lock`, in EXCLUSIVE locking mode: its first write takes the
 * file's exclusive lock and keeps it until close. SQLite's locks (POSIX advisory locks, LockFileEx
 * on Windows) are tracked by SQLite across the connections of one process, so a sweep in the same
 * process sees them too; only SQLite ever opens the file, since a plain open and close of it by
 * this process would drop the locks this process holds on it.
 *
 * A directory exists a moment before its lock is held. A sweeper that takes the lock of such a
 * directory deletes it while holding it; its maker notices (its own write is refused, or its lock
 * file no longer has that name) and starts over in a new one.
 */




const LOCK_FILE = 'lock';
/** Each retry means a sweeper took the lock of a directory just made: more than a few is not a race. */
const ATTEMPTS = 5;
/** rm -rf that never throws: what cannot be removed is left for a later sweep. */
function removeQuietly(path) {
    try {
        (0,external_node_fs_.rmSync)(path, { recursive: true, force: true });
    }
    catch {
        // Left for the next sweep: cleanup never hides the outcome of the work.
    }
}
/**
 * Removes the directory while the lock is still held, so that no one can take the lock in between
 * and think the directory its own; Windows refuses to delete an open file, so there the lock file
 * goes after closing.
 */
function letGo(dir, lock, removeDir) {
    if (removeDir)
        removeQuietly(dir);
    if (lock.open)
        lock.close();
    if (removeDir)
        removeQuietly(dir);
}
const handle = (dir, lock) => ({
    remove: () => letGo(dir, lock, true),
    release: () => letGo(dir, lock, false),
});
const isBusy = (error) => {
    const code = String(error.code);
    return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
};
function inode(path) {
    try {
        return (0,external_node_fs_.lstatSync)(path).ino;
    }
    catch {
        return undefined;
    }
}
/** Locks a directory just made; undefined when a sweeper got there first. Other failures throw. */
function lockNewDirectory(Sqlite, dir) {
    const path = (0,external_node_path_.join)(dir, LOCK_FILE);
    let lock;
    let opened;
    try {
        lock = new Sqlite(path, { timeout: 0 });
        opened = inode(path);
        lock.pragma('journal_mode = MEMORY'); // no -journal file beside it
        lock.pragma('locking_mode = EXCLUSIVE');
        lock.pragma('user_version = 1'); // the write that takes the exclusive lock, kept until close
    }
    catch (error) {
        if (lock?.open)
            lock.close();
        if (isBusy(error) || inode(dir) === undefined)
            return undefined;
        removeQuietly(dir);
        throw error;
    }
    // A sweeper that took the lock first removed the directory before letting go: we then hold the
    // lock of a file that no longer has this name.
    if (opened === undefined || inode(path) !== opened) {
        letGo(dir, lock, true);
        return undefined;
    }
    return lock;
}
/**
 * A new 0700 directory `<prefix>XXXXXX` in `parent`, locked until `remove` or `release`. Errors of
 * the file system (no such parent, no space) are thrown as they are, for the caller to explain.
 */
async function makeLockedDir(parent, prefix) {
    // Loaded first, so that the moment between making the directory and locking it stays short.
    const Sqlite = await loadSqlite();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const path = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(parent, prefix));
        try {
            (0,external_node_fs_.chmodSync)(path, 0o700); // mkdtemp already uses 0700 on POSIX; say it, so no platform default widens it
        }
        catch (error) {
            removeQuietly(path);
            throw error;
        }
        const lock = lockNewDirectory(Sqlite, path);
        if (lock)
            return { path, ...handle(path, lock) };
    }
    throw ioError(`Could not lock a working directory in ${parent}: other runs kept sweeping it.`, 'Run one build or restore at a time in this directory.');
}
/**
 * Tries, without waiting, to take the lock of another process's directory. With `takeUnlocked`, a
 * directory without a lock file gets one, so that a directory killed before its lock goes at once;
 * without it, such a directory is `unlocked`, left to be judged by its age.
 */
async function probeLockedDir(dir, options) {
    const Sqlite = await loadSqlite();
    let lock;
    try {
        lock = new Sqlite((0,external_node_path_.join)(dir, LOCK_FILE), { timeout: 0, fileMustExist: !options.takeUnlocked });
        lock.pragma('journal_mode = MEMORY');
        lock.exec('BEGIN IMMEDIATE'); // refused while the owner holds its exclusive lock
    }
    catch (error) {
        if (lock?.open)
            lock.close();
        return isBusy(error) ? { state: 'live' } : { state: 'unlocked' };
    }
    return { state: 'orphaned', ...handle(dir, lock) };
}

;// CONCATENATED MODULE: ./src/core/build/buildStaging.ts
/**
 * The private directory a build writes its two files in before it moves them into the output
 * directory: made inside that directory (same file system, so the moves are renames; 0700, so
 * nobody reads a half-written file), and marked live by a lock (lockedDir.ts).
 */



const STAGING_PREFIX = '.sqlite-snapshot-build-';
/** Our prefix and mkdtemp's six characters, exactly: the sweep touches nothing else. */
const STAGING_NAME = /^\.sqlite-snapshot-build-[A-Za-z0-9]{6}$/;
/** A new, locked staging directory in `outDir` (which must exist). */
async function createStaging(outDir) {
    const { path, remove, release } = await makeLockedDir(outDir, STAGING_PREFIX);
    return { dir: path, dumpPath: (0,external_node_path_.join)(path, DUMP_FILE), manifestPath: (0,external_node_path_.join)(path, MANIFEST_FILE), remove, release };
}
/**
 * What another build's staging directory is. One killed before it locked its directory holds no
 * lock file yet: the probe makes one and takes it, so that directory goes at once.
 */
const probeStaging = (dir) => probeLockedDir(dir, { takeUnlocked: true });

;// CONCATENATED MODULE: ./src/core/build/buildOutput.ts
/**
 * The output directory of a build. Its pair is replaced as a unit: both files are staged complete
 * and fsynced in a staging directory, then moved into place, dump first. The staged manifest is the
 * commit record: a build killed between the two moves leaves its manifest staged, and the next run
 * moves it into place — only over the dump it names by checksum, so a dump put there since by
 * another build (or by hand) is never paired with a manifest that is not its own. A kill before the
 * first move leaves the old pair; the next run drops the staging directory.
 */












/** What has no lock to judge it by is left alone this long: nobody still writes to it after that. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;
/** The temp files of versions before staging directories, `.snapshot.sql.<pid>-<8 hex>.tmp`: history, so spelled out. */
const LEGACY_TEMP = /^\.(?:snapshot\.sql|manifest\.json)\.\d+-[0-9a-f]{8}\.tmp$/;
function explainWriteError(error, path) {
    if (error instanceof SnapshotError)
        return error;
    const code = error.code ?? '';
    if (code === 'ENOSPC') {
        return ioError(`No space left on the device while writing ${path}.`, `Free some space or choose another ${options_option('out')} directory.`, error);
    }
    if (/^E[A-Z]+$/.test(code)) {
        return ioError(`Cannot write ${path}: ${error.message}`, `Choose an ${options_option('out')} directory you can write to.`, error);
    }
    return explainSqliteError(error, path);
}
/**
 * Makes `outDir` and a locked staging directory in it, after sweeping what killed builds left
 * there. Refuses while another build writes into `outDir`: two commits at once would pair one
 * build's dump with the other's manifest.
 */
async function openStaging(outDir) {
    let staging;
    try {
        makeDirectory(outDir);
        staging = await createStaging(outDir);
    }
    catch (error) {
        throw explainWriteError(error, outDir);
    }
    // Swept after our own lock is taken: of two builds starting together, the later one sees the other.
    const { live } = await sweepBuildLeftovers(outDir, staging.dir);
    if (live.length > 0) {
        staging.remove();
        throw ioError(`Another build is writing into ${outDir} (its staging directory ${live[0]} is locked).`, `Wait for it to finish, or give each build its own ${options_option('out')} directory.`);
    }
    return staging;
}
/** The commit, step by step: a crash between any two steps is what the sweep is made for. */
function commitSteps(staging, outDir) {
    return [
        { name: 'move the dump into place', run: () => (0,external_node_fs_.renameSync)(staging.dumpPath, (0,external_node_path_.join)(outDir, DUMP_FILE)) },
        { name: 'move the manifest into place', run: () => (0,external_node_fs_.renameSync)(staging.manifestPath, (0,external_node_path_.join)(outDir, MANIFEST_FILE)) },
        { name: 'flush the output directory', run: () => fsyncPath(outDir) },
        { name: 'remove the staging directory', run: () => staging.remove() },
    ];
}
/**
 * Removes what killed builds left in `outDir`, finishing a commit one of them had begun, and returns
 * the staging directories of builds still running (other than `own`), which it leaves alone.
 */
async function sweepBuildLeftovers(outDir, own) {
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(outDir);
    }
    catch {
        return { live: [] };
    }
    const live = [];
    const stagings = [];
    const legacy = [];
    for (const name of names) {
        const path = (0,external_node_path_.join)(outDir, name);
        if (STAGING_NAME.test(name) && path !== own) {
            const stats = lstatOrUndefined(path);
            if (!stats?.isDirectory())
                continue; // never follow a link out of this directory
            const probe = await probeStaging(path);
            if (probe.state === 'live')
                live.push(name);
            else if (probe.state === 'orphaned')
                stagings.push({ path, probe });
            else if (isOld(stats))
                stagings.push({ path });
        }
        else if (LEGACY_TEMP.test(name)) {
            const stats = lstatOrUndefined(path);
            if (stats?.isFile() && isOld(stats))
                legacy.push(path);
        }
    }
    for (const path of legacy)
        removeLeftover(path);
    if (live.length > 0) {
        // Finishing a dead build's commit now could undo the live one's: leave them for a later run.
        for (const staging of stagings)
            staging.probe?.release();
        return { live };
    }
    for (const staging of stagings) {
        try {
            await rollForward(staging.path, outDir);
        }
        catch {
            // Kept, to try again next time: without it, a dump that has moved would stay unpaired.
            staging.probe?.release();
            continue;
        }
        if (staging.probe)
            staging.probe.remove();
        else
            removeLeftover(staging.path);
    }
    return { live };
}
/** Moves a staged manifest into place when its build died after moving its dump, and only over that dump. */
async function rollForward(dir, outDir) {
    const manifest = (0,external_node_path_.join)(dir, MANIFEST_FILE);
    // The dump still staged: the commit had not begun, and the old pair is whole.
    if (lstatOrUndefined((0,external_node_path_.join)(dir, DUMP_FILE)) || !lstatOrUndefined(manifest)?.isFile())
        return;
    const checksum = parseManifestBytes((0,external_node_fs_.readFileSync)(manifest)).object?.checksum;
    if (typeof checksum !== 'string' || (await checksumOf((0,external_node_path_.join)(outDir, DUMP_FILE))) !== checksum)
        return;
    (0,external_node_fs_.renameSync)(manifest, (0,external_node_path_.join)(outDir, MANIFEST_FILE));
    fsyncPath(outDir);
}
/** The checksum of a regular file, never through a link or into a FIFO; undefined for anything else. */
async function checksumOf(path) {
    let fd;
    try {
        fd = openRegularFile(path, 'Dump').fd;
    }
    catch {
        return undefined;
    }
    try {
        return (await digestDescriptor(fd)).checksum;
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
const isOld = (stats) => Date.now() - stats.mtimeMs > ORPHAN_AGE_MS;
function removeLeftover(path) {
    try {
        (0,external_node_fs_.rmSync)(path, { recursive: true, force: true });
    }
    catch {
        // Another user's leftovers: not ours to remove, and no reason to fail this build.
    }
}

;// CONCATENATED MODULE: ./src/core/format/dumpText.ts
/** The first and last lines of every snapshot.sql: the whole dump is one transaction. */
const DUMP_HEADER = 'PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n';
const DUMP_FOOTER = 'COMMIT;\n';

;// CONCATENATED MODULE: ./src/core/shared/chunkWriter.ts
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
;// CONCATENATED MODULE: ./src/core/shared/heap.ts
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
/** Returns a function to call with the running byte count; it collects every `every` bytes. */
function heapKeeper(every = COLLECT_EVERY_BYTES) {
    let next = every;
    return (bytes) => {
        if (bytes < next)
            return;
        next = bytes + every;
        collector()();
    };
}

;// CONCATENATED MODULE: ./src/core/sql/sqlComplete.ts
/**
 * Statement completeness with the semantics of SQLite's `sqlite3_complete()` (complete.c): a text
 * is complete when it ends with a semicolon that is not inside a string, identifier quote, comment,
 * or the body of a `CREATE TRIGGER … END`. The dump uses it for the comment-safe terminator of
 * schema statements; the restore splitter uses the same state machine.
 */
/** The token classes of complete.c, for a caller that tokenizes on its own (rawLiterals.ts reads bytes). */
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
/** The automaton's state after `token` in `state`. */
const stepStatement = (state, token) => TRANSITIONS[state][token];
/** Whitespace for complete.c (space, tab, newline, vertical tab, form feed, CR). */
const sqlComplete_isSpace = (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
/** An identifier byte or UTF-16 unit for complete.c: ASCII letters, digits, _ and $, and anything past ASCII. */
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
        state = stepStatement(state, token);
    };
    while (i < n) {
        const c = sql.charCodeAt(i);
        if (c === 0x3b) {
            step(Token.Semi);
            i++;
            if (state === START_STATE)
                ends.push(i);
        }
        else if (sqlComplete_isSpace(c)) {
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

;// CONCATENATED MODULE: ./src/core/sqlite/schema.ts
/**
 * Reads what a dump must contain from sqlite_schema, and refuses what it cannot carry losslessly.
 */


/** Tables whose names SQLite reserves; they are handled separately or left out. */
const isInternalName = (name) => name.toLowerCase().startsWith('sqlite_');
/** Byte order of the UTF-8 names, as the dump orders tables, whatever the JS string order says. */
const byName = (a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
/** Every column of `table`, generated and hidden ones included, in declaration order. */
function readColumnRows(db, table) {
    return db
        .prepare('SELECT name, type, "notnull" AS not_null, dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid')
        .all(table);
}
/** Whether `table` is WITHOUT ROWID and STRICT. */
function readTableShape(db, table) {
    // pragma_table_list (SQLite ≥ 3.37) reports it directly, instead of parsing the CREATE text.
    const row = db.prepare('SELECT wr, strict FROM pragma_table_list WHERE schema = ? AND name = ?').get('main', table);
    return { withoutRowid: row?.wr === 1, strict: row?.strict === 1 };
}
/** The key terms of `index` in order (not the rowid SQLite appends to every index). */
function readIndexKeys(db, index) {
    return db
        .prepare('SELECT cid, name, desc, coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno')
        .all(index);
}
function readColumns(db, table) {
    const rows = readColumnRows(db, table);
    return {
        columns: rows.filter((row) => row.hidden === 0).map((row) => row.name),
        names: new Set(rows.map((row) => row.name.toLowerCase())),
    };
}
/**
 * A WITHOUT ROWID table's primary-key order. Spelled out because SQLite may otherwise scan such a
 * table through a covering secondary index (even with NOT INDEXED), in that index's order.
 */
function primaryKeyOrder(db, table) {
    const index = db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'pk'").pluck().get(table);
    return readIndexKeys(db, index)
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
        const { withoutRowid } = readTableShape(db, row.name);
        const rowidAlias = withoutRowid ? undefined : ['_rowid_', 'rowid', 'oid'].find((alias) => !names.has(alias));
        const orderBy = withoutRowid ? primaryKeyOrder(db, row.name) : (rowidAlias ?? '');
        tables.push({ name: row.name, sql: row.sql, withoutRowid, columns, rowidAlias, orderBy });
    }
    const viewsAndTriggers = rows.filter((row) => row.type === 'view' || row.type === 'trigger');
    const indexes = rows.filter((row) => row.type === 'index').sort(byName);
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

;// CONCATENATED MODULE: ./src/core/build/rowWriter.ts

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
/** The scan path's raw-text reader: rows with lossy text leave that path before they are written. */
const NO_RAW_TEXT = () => Buffer.alloc(0);
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
        writeFastRow(out, prefix, next.value, 0, NO_RAW_TEXT);
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

;// CONCATENATED MODULE: ./src/core/build/dump.ts
/**
 * The canonical, lossless, streaming dump (docs/format.md §2). The dump is planned as an ordered list of
 * units: small "static" units (header, schema statements, sqlite_sequence, footer) written by the
 * planning connection, and "rows" units (a table, or a rowid range of a large one) that can be
 * written by this thread or, in parallel, by worker threads reading the same snapshot.
 */







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

;// CONCATENATED MODULE: ./src/core/place/restoreDir.ts
/**
 * The private directories a restore works in: created next to the target (same file system, so
 * the final rename is atomic), held under a lock for as long as their restore runs, and swept
 * once nobody holds that lock. Liveness is judged by the lock, never by a pid: pids are per PID
 * namespace, and containers that share a volume share these directories.
 *
 * The lock and how it is judged are lockedDir.ts's, shared with build's staging directories.
 */





const RESTORE_DIR_PREFIX = '.sqlite-snapshot-restore-';
/**
 * A directory without a lock file is swept only after this long: its owner may be between mkdtemp
 * and its lock (microseconds), or it was left by an older version.
 */
const UNLOCKED_AGE_MS = 15 * 60 * 1000;
function explainDirError(error, parent) {
    const code = error.code ?? '';
    if (code === 'ENOENT') {
        return ioError(`The directory ${parent} of the restore target does not exist.`, 'Create it first (mkdir -p), or restore to a path in an existing directory.', error);
    }
    if (code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL')) {
        return ioError(`No space left on the device in ${parent}, where the restore makes its temporary copy.`, 'Free some space next to the target database (the restore needs room for a full copy of it), then run again.', error);
    }
    return ioError(`Cannot create a temp directory in ${parent}: ${error.message}`, 'The restore needs write access to the directory that holds the target database.', error);
}
/** A private 0700 directory next to the target, locked until `remove()`. */
async function makeRestoreDir(targetPath) {
    const parent = (0,external_node_path_.dirname)((0,external_node_path_.resolve)(targetPath));
    try {
        const { path, remove } = await makeLockedDir(parent, RESTORE_DIR_PREFIX);
        return { path, remove };
    }
    catch (error) {
        throw error instanceof SnapshotError ? error : explainDirError(error, parent);
    }
}
/** Removes restore dirs left next to the target by crashed runs; never one whose lock is held. */
async function sweepRestoreDirs(targetPath) {
    const parent = (0,external_node_path_.dirname)((0,external_node_path_.resolve)(targetPath));
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(parent);
    }
    catch {
        return [];
    }
    const removed = [];
    for (const name of names.filter((entry) => entry.startsWith(RESTORE_DIR_PREFIX))) {
        const dir = (0,external_node_path_.join)(parent, name);
        const stats = lstatOrUndefined(dir);
        if (!stats?.isDirectory())
            continue; // never follow a symlink out of this directory
        // A directory with no lock file may be a restore between mkdtemp and its lock: judged by age.
        const probe = await probeLockedDir(dir, { takeUnlocked: false });
        if (probe.state === 'live')
            continue;
        if (probe.state === 'unlocked' && Date.now() - stats.mtimeMs <= UNLOCKED_AGE_MS)
            continue;
        if (probe.state === 'orphaned')
            probe.remove();
        else
            removeQuietly(dir);
        // Another user's leftovers may not be ours to remove: no reason to fail this restore.
        if (!lstatOrUndefined(dir))
            removed.push(dir);
    }
    return removed;
}

;// CONCATENATED MODULE: ./src/core/place/fresh.ts
/**
 * Decides whether a restore target is "fresh" (docs/format.md §4): absent, zero bytes, or a SQLite DB whose
 * tables hold no rows besides migration bookkeeping. Anything else is populated and is replaced only
 * with `force`, so every doubt (not SQLite, damaged, unreadable table) answers "not fresh".
 */









/**
 * Tables that migration tools keep for themselves: rows there say which migrations ran, not that
 * the application stored anything, so a freshly migrated empty DB is still fresh.
 */
const BOOKKEEPING_TABLES = [
    // This tool's own runner (docs/format.md §5); SQLite reserves sqlite_* names, hence no prefix.
    'snapshot_migrations',
    'schema_migrations', // golang-migrate, dbmate and Rails
    'goose_db_version', // goose
    'ar_internal_metadata', // Rails (environment name next to schema_migrations)
    'atlas_schema_revisions', // Atlas
    '_prisma_migrations', // Prisma
    '__drizzle_migrations', // Drizzle
    'django_migrations', // Django
    'sqlite_sequence', // AUTOINCREMENT counters survive a DELETE of every row
];
const BOOKKEEPING = new Set(BOOKKEEPING_TABLES.map((name) => name.toLowerCase()));
/** Whether rows in this table are bookkeeping rather than data (SQLite table names are case-insensitive). */
function isBookkeepingTable(name) {
    // SQLite reserves the `sqlite_` prefix (sqlite_schema, sqlite_sequence, sqlite_stat1..4): no user data lives there.
    return isInternalName(name) || BOOKKEEPING.has(name.toLowerCase());
}
const SYMBOLIC_LINK = 'is a symbolic link';
const NOT_A_REGULAR_FILE = 'is not a regular file';
/** A symbolic link or something other than a regular file: no database to replace, forced or not. */
const isNotAFile = (freshness) => freshness.reason === SYMBOLIC_LINK || freshness.reason === NOT_A_REGULAR_FILE;
async function checkFreshness(path) {
    let stats;
    try {
        stats = (0,external_node_fs_.lstatSync)(path);
    }
    catch (error) {
        // Never open an absent target with SQLite: that would create it (and maybe a journal) as a side effect.
        if (error.code === 'ENOENT')
            return { fresh: true, reason: 'does not exist' };
        throw ioError(`Cannot inspect restore target ${path}: ${error.message}`, 'Check the path and its permissions.', error);
    }
    if (stats.isSymbolicLink())
        return { fresh: false, reason: SYMBOLIC_LINK };
    if (!stats.isFile())
        return { fresh: false, reason: NOT_A_REGULAR_FILE };
    // SQLite itself discards a -wal or -journal found next to a zero-byte DB, so nothing beside it matters.
    if (stats.size === 0)
        return { fresh: true, reason: 'is empty (0 bytes)' };
    // Check the header before SQLite sees the file: recovering a stray -journal would write into a non-SQLite file.
    if (!hasSqliteMagic(readFileStart(path, 16, 'restore target'))) {
        return { fresh: false, reason: 'is not a SQLite database (its first bytes are not "SQLite format 3")' };
    }
    return inspectReadOnly(path);
}
/**
 * Judges the target without writing to it or beside it, as its application would see it once
 * recovered: SQLite reads it through a hard link (or a copy) in a private directory, so no
 * -wal/-shm appears next to it and nothing is replayed into it. A -wal is copied beside the link
 * and read (read-only: never checkpointed); a -journal, which only a writer can roll back, is
 * rolled back in a private copy of the file.
 */
async function inspectReadOnly(path) {
    const scratch = await makeRestoreDir(path);
    try {
        const [wal, journal] = SIDECARS.map((suffix) => (lstatOrUndefined(`${path}${suffix}`)?.size ?? 0) > 0);
        const view = (0,external_node_path_.join)(scratch.path, 'view.db');
        if (journal)
            (0,external_node_fs_.copyFileSync)(path, view);
        else
            linkOrCopy(path, view);
        if (journal)
            (0,external_node_fs_.copyFileSync)(`${path}-journal`, `${view}-journal`);
        if (wal)
            (0,external_node_fs_.copyFileSync)(`${path}-wal`, `${view}-wal`);
        return await judgeFile(view, path, { readonly: !journal });
    }
    catch (error) {
        throw error instanceof SnapshotError
            ? error
            : ioError(`Cannot read restore target ${path}: ${error.message}`, undefined, error);
    }
    finally {
        scratch.remove();
    }
}
/** The sidecars whose content SQLite would replay into the main file. */
const SIDECARS = ['-wal', '-journal'];
/** A hard link shares the file without its name's sidecars; a copy stands in where links are not allowed. */
function linkOrCopy(path, privatePath) {
    try {
        (0,external_node_fs_.linkSync)(path, privatePath);
    }
    catch {
        (0,external_node_fs_.copyFileSync)(path, privatePath);
    }
}
async function judgeFile(file, path, options) {
    const Database = await loadSqlite();
    let db;
    try {
        db = new Database(file, { fileMustExist: true, readonly: options.readonly, timeout: 2000 });
        return judgeOpenDatabase(db);
    }
    catch (error) {
        return explainFailure(error, path);
    }
    finally {
        db?.close();
    }
}
/** Whether an open database holds rows besides bookkeeping; used again under the replace lock. */
function judgeOpenDatabase(db) {
    // Reading a table runs no schema code, but a foreign file should not get to run any.
    db.pragma('trusted_schema = OFF');
    return findRows(db);
}
function findRows(db) {
    const tables = db.pragma('main.table_list')
        // Shadow tables (fts5 `_data`, `_config`) hold rows even when their virtual table is empty.
        .filter((table) => (table.type === 'table' || table.type === 'virtual') && !isBookkeepingTable(table.name))
        .map((table) => table.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of tables) {
        let hasRow;
        try {
            hasRow = db.prepare(`SELECT 1 FROM "${name.replaceAll('"', '""')}" LIMIT 1`).get() !== undefined;
        }
        catch (error) {
            // A virtual table whose module is not loaded cannot be read: it may hold anything.
            return { fresh: false, reason: `table ${quoted(name)} cannot be read (${error.message})` };
        }
        if (hasRow)
            return { fresh: false, reason: `table ${quoted(name)} holds rows` };
    }
    return { fresh: true, reason: 'holds no rows besides migration bookkeeping' };
}
function explainFailure(error, path) {
    const code = error.code ?? '';
    const message = error.message;
    if (code === 'SQLITE_NOTADB')
        return { fresh: false, reason: `is not a SQLite database (SQLite: ${message})` };
    if (code.startsWith('SQLITE_CORRUPT'))
        return { fresh: false, reason: `is a damaged SQLite database (${message})` };
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        throw refusal('busy', `Restore target ${path} is locked by another process, so whether it holds data cannot be read.`, 'Stop the application using it, then run the restore again.', error);
    }
    if (code.startsWith('SQLITE_CANTOPEN')) {
        throw ioError(`Cannot open restore target ${path} (${message}).`, 'Run the restore as the user that owns the database and its directory.', error);
    }
    throw ioError(`Cannot read restore target ${path}: ${message}${code ? ` (${code})` : ''}.`, undefined, error);
}

;// CONCATENATED MODULE: ./src/core/build/emptyBuild.ts
/**
 * A build that snapshots nothing is almost always a mistake (a misspelt input name leaves the
 * database, the migrations and the seeds unset), and an empty snapshot restores "successfully"
 * over nothing. So an empty result fails unless it was asked for.
 */



/**
 * Whether the database holds no schema object but SQLite's own and migration bookkeeping (with
 * the bookkeeping tables' indexes and triggers: tbl_name is the table an object belongs to).
 */
function holdsNothing(db) {
    const owners = db.prepare('SELECT tbl_name FROM sqlite_schema').pluck().all();
    return owners.every(isBookkeepingTable);
}
/** The refusal of an empty build; says what was (not) given so that a misspelt option shows. */
function emptyBuildError(label, given) {
    const missing = [
        given.database === undefined ? 'no database' : undefined,
        given.migrations === undefined ? 'no migrations' : undefined,
        given.seeds === 0 ? 'no seed files' : undefined,
    ].filter((text) => text !== undefined);
    const what = missing.length > 0 ? ` (${missing.join(', ')} given)` : '';
    return new SnapshotError('usage', `Nothing to snapshot: ${label} holds no tables, views, indexes or triggers${what}.`, {
        hint: `Check the spelling of the options that name the database, migrations and seed files (${options_option('db')}, ${options_option('migrations')}, ${options_option('seed')}); pass ${options_option('allow-empty')} if an empty snapshot is what you want.`,
    });
}

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/core/shared/platform.ts
/**
 * Where the core behaves differently per operating system, decided from one value. Callers take
 * the platform as a parameter (default: this process's), so a test on Linux can run the branch of
 * another OS against real files and processes by naming it.
 */
function osFamily(platform = process.platform) {
    if (platform === 'win32')
        return 'windows';
    if (platform === 'linux' || platform === 'android')
        return 'linux';
    return 'posix';
}

;// CONCATENATED MODULE: ./src/core/migrate/migrateCommand.ts
/**
 * Runs a user's migrator against a database: any shell command, with the database path in the
 * SNAPSHOT_DB environment variable and substituted for `{db}`. A non-zero exit fails with the
 * command's output shown, so the user sees why their migration failed.
 */



/** Keeps the end of a long output: that is where migrators print their error. */
const OUTPUT_LIMIT = 16 * 1024;
/**
 * Characters cmd.exe gives a meaning that double quotes do not take away (`%` expands variables,
 * `!` too when delayed expansion is on) or that would split the command if a user's own quotes
 * around `{db}` closed ours (`&`, `|`, `<`, `>`, `^`), and `"`, which cannot be quoted at all.
 */
const CMD_UNQUOTABLE = /["%!^&|<>\r\n]/;
/**
 * `dbPath` as one word for the shell Node's `shell: true` runs a command with: /bin/sh (single
 * quotes, which keep everything literal) or, on Windows, cmd.exe (double quotes). Refuses a path
 * cmd.exe cannot be given safely, pointing at %SNAPSHOT_DB%, which cmd expands without re-reading.
 */
function quoteDbPath(platform, dbPath) {
    if (osFamily(platform) !== 'windows')
        return `'${dbPath.replaceAll("'", "'\\''")}'`;
    const special = CMD_UNQUOTABLE.exec(dbPath)?.[0];
    if (special !== undefined) {
        throw usageError(`The database path ${dbPath} holds ${JSON.stringify(special)}, which cmd.exe interprets even inside quotes, so {db} cannot stand for it in the migrate command.`, 'Write "%SNAPSHOT_DB%" (with the quotes) in the migrate command instead of {db}, or use a path without " % ! ^ & | < >.');
    }
    // Programs split their command line by the C runtime's rules, where backslashes before a quote
    // escape it: doubled, a path's trailing backslashes stay backslashes and the quote still closes.
    return `"${dbPath.replace(/\\+$/, (slashes) => slashes + slashes)}"`;
}
/** The command with every `{db}` replaced by the quoted path (unchanged, and never refused, without one). */
function expandMigrateCommand(command, dbPath, platform = process.platform) {
    return command.includes('{db}') ? command.replaceAll('{db}', quoteDbPath(platform, dbPath)) : command;
}
async function runMigrateCommand(command, dbPath, env = process.env) {
    const expanded = expandMigrateCommand(command, dbPath);
    return await new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(expanded, {
            shell: true,
            env: { ...env, SNAPSHOT_DB: dbPath },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const collect = (chunk) => {
            output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        child.once('error', (error) => reject(refusal('invalid', `The migrate command could not start: ${error.message}`, 'Check the command and its PATH.', error)));
        child.once('close', (code, signal) => {
            if (code === 0)
                resolve(output);
            else {
                const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
                reject(refusal('invalid', `The migrate command ${how}: ${command}\n${output.trimEnd()}`, 'Fix the migration (its output is above).'));
            }
        });
    });
}

;// CONCATENATED MODULE: ./src/core/sqlite/sqlScript.ts
/**
 * Runs a user's SQL script (a migration or a seed file) one statement at a time, so a failure names
 * the file and the line where the failing statement starts instead of SQLite's bare message.
 * Statements are split with the complete.c automaton (sqlComplete.ts), which keeps a
 * `CREATE TRIGGER … BEGIN …; END;` body whole.
 */


const sqlScript_isSpace = (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
/**
 * The offset of the first token at or after `from`, skipping whitespace and comments. A comment
 * left open at the end counts as running to the end, as SQLite's tokenizer treats it.
 */
function skipTrivia(sql, from, to = sql.length) {
    let i = from;
    while (i < to) {
        const c = sql.charCodeAt(i);
        if (sqlScript_isSpace(c))
            i++;
        else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
            const newline = sql.indexOf('\n', i + 2);
            i = newline < 0 || newline >= to ? to : newline + 1;
        }
        else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
            const close = sql.indexOf('*/', i + 2);
            i = close < 0 || close + 2 > to ? to : close + 2;
        }
        else
            break;
    }
    return i;
}
/**
 * Splits a script into statements with their starting lines. Empty statements (only whitespace,
 * comments, or a lone `;`) are dropped; a trailing statement without `;` is kept, so SQLite gets
 * to run it or to say what is wrong with it (an unclosed quote, a trigger without END).
 */
function splitStatements(sql) {
    const { ends } = scanStatements(sql);
    const statements = [];
    // Lines are counted incrementally: a seed file can hold many thousands of statements.
    let line = 1;
    let counted = 0;
    // A UTF-8 byte order mark (editors on Windows add one) is not SQL.
    let start = sql.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (const end of [...ends, sql.length]) {
        const first = skipTrivia(sql, start, end);
        const empty = first >= end || (first === end - 1 && sql[first] === ';');
        if (!empty) {
            for (let i = sql.indexOf('\n', counted); i >= 0 && i < first; i = sql.indexOf('\n', i + 1))
                line++;
            counted = first;
            statements.push({ text: sql.slice(first, end), line });
        }
        start = end;
    }
    return statements;
}
/**
 * Executes statements in order; the first failure throws a refusal naming `file` and the line.
 * Returns how many statements ran. `hint` replaces the default advice (callers know the context).
 */
function runStatements(db, statements, file, hint) {
    for (const statement of statements) {
        try {
            // exec, not prepare: a statement that returns rows (a SELECT, a PRAGMA) is still fine to run.
            db.exec(statement.text);
        }
        catch (error) {
            throw refusal('invalid', `${file} line ${statement.line}: ${error instanceof Error ? error.message : String(error)}`, hint ?? `Fix the statement that starts on line ${statement.line} of ${file}, then run again.`, error);
        }
    }
    return statements.length;
}
/** Runs a whole script statement by statement (see splitStatements); returns the number run. */
function runSqlScript(db, sql, file) {
    return runStatements(db, splitStatements(sql), file);
}

;// CONCATENATED MODULE: ./src/core/migrate/migrations.ts
/**
 * The built-in migration runner (docs/format.md §5): plain `.sql` files in a directory, applied in numeric
 * version order, each in a transaction of its own together with its row in the bookkeeping table,
 * so a failing migration leaves nothing behind and the table always says exactly what ran.
 *
 * Decisions:
 * - A file is a migration when its name is `<digits>.sql` or `<digits>` + `_`/`-`/`.` + anything +
 *   `.sql`; `*.down.sql` and everything else in the directory are ignored. The version is the
 *   number (leading zeros do not count), so `1_a.sql` and `0001_b.sql` clash and are refused.
 * - The version is the key: an applied version is skipped even if its file was renamed or edited,
 *   and a not-yet-applied version runs even when a higher one already ran (what is in the table is
 *   what ran; nothing is reordered or re-run).
 * - Files wrapped in their own `BEGIN; … COMMIT;` (what many tools generate) are accepted: a BEGIN
 *   as the first statement and a COMMIT/END as the last one are dropped, since the runner opens and
 *   commits the transaction itself. Any other BEGIN, COMMIT, END or ROLLBACK (not ROLLBACK TO a
 *   savepoint) is refused before anything runs: it would commit half a migration, or leave the
 *   bookkeeping row outside the migration's transaction. SAVEPOINTs work as usual.
 * - Foreign keys stay as the connection has them. `PRAGMA foreign_keys` is a no-op inside a
 *   transaction, so a migration that rebuilds a referenced table must keep its rows consistent.
 * - applied_at is RFC 3339 UTC with seconds, SOURCE_DATE_EPOCH when set, so builds stay reproducible.
 */





/** SQLite refuses user tables named sqlite_*, so the bookkeeping table goes without the prefix. */
const MIGRATIONS_TABLE = 'snapshot_migrations';
const MIGRATION_NAME = /^(\d+)(?:[_.-].*)?\.sql$/i;
const DOWN_MIGRATION = /\.down\.sql$/i;
function isFile(dir, entry) {
    if (entry.isFile())
        return true;
    if (!entry.isSymbolicLink())
        return false;
    try {
        return (0,external_node_fs_.statSync)((0,external_node_path_.join)(dir, entry.name)).isFile();
    }
    catch {
        return false; // a dangling link is not a migration
    }
}
/** The migrations in `dir`, sorted by version; refuses two files with the same version. */
function listMigrations(dir) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true });
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT') {
            throw ioError(`Migrations directory not found: ${dir}`, 'Check the migrations directory path.', error);
        }
        if (code === 'ENOTDIR') {
            throw usageError(`Migrations path ${dir} is not a directory.`, 'Point migrations at the directory that holds the .sql files, not at a file.');
        }
        throw ioError(`Cannot read migrations directory ${dir}: ${error.message}`, 'Check its permissions.', error);
    }
    const migrations = [];
    for (const entry of entries) {
        const match = MIGRATION_NAME.exec(entry.name);
        if (!match || DOWN_MIGRATION.test(entry.name) || !isFile(dir, entry))
            continue;
        migrations.push({ version: BigInt(match[1]), name: entry.name, path: (0,external_node_path_.join)(dir, entry.name) });
    }
    migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
    for (let i = 1; i < migrations.length; i++) {
        const [a, b] = [migrations[i - 1], migrations[i]];
        if (a.version === b.version) {
            throw usageError(`Migrations ${a.path} and ${b.path} have the same version ${a.version}.`, 'Renumber one of them: each migration needs a version of its own.');
        }
    }
    return migrations;
}
const WORD = /[A-Za-z_]\w*/y;
/** The first few keywords of a statement, upper-cased, skipping comments between them. */
function leadingWords(text, count) {
    const words = [];
    let i = 0;
    while (words.length < count) {
        WORD.lastIndex = skipTrivia(text, i);
        const match = WORD.exec(text);
        if (!match)
            break;
        words.push(match[0].toUpperCase());
        i = WORD.lastIndex;
    }
    return words;
}
/** BEGIN / COMMIT (or END) / ROLLBACK of the whole transaction, else undefined. */
function transactionControl(text) {
    const [first, second, third] = leadingWords(text, 3);
    if (first === 'BEGIN' || first === 'COMMIT' || first === 'END')
        return first;
    // ROLLBACK [TRANSACTION] TO [SAVEPOINT] x only unwinds a savepoint: that is fine inside a migration.
    if (first === 'ROLLBACK' && (second === 'TRANSACTION' ? third : second) !== 'TO')
        return first;
    return undefined;
}
/** The statements to run: a wrapping BEGIN … COMMIT dropped, any other transaction control refused. */
function migrationBody(migration, statements) {
    let body = statements;
    const first = body[0];
    const last = body.at(-1);
    if (first && last && first !== last && transactionControl(first.text) === 'BEGIN') {
        const end = transactionControl(last.text);
        if (end === 'COMMIT' || end === 'END')
            body = body.slice(1, -1);
    }
    for (const statement of body) {
        const control = transactionControl(statement.text);
        if (control === undefined)
            continue;
        throw refusal('invalid', `${migration.path} line ${statement.line}: ${control} inside a migration; the runner runs each migration file in a transaction of its own.`, 'Remove the transaction statements (one BEGIN first and one COMMIT last are tolerated), or split the file into one migration per transaction.');
    }
    return body;
}
function readMigration(migration) {
    let sql;
    try {
        sql = (0,external_node_fs_.readFileSync)(migration.path, 'utf8');
    }
    catch (error) {
        throw ioError(`Cannot read migration ${migration.path}: ${error.message}`, 'Check its permissions.', error);
    }
    return migrationBody(migration, splitStatements(sql));
}
const highestVersion = (versions) => versions
    .filter((version) => /^\d+$/.test(version))
    .map((version) => BigInt(version))
    .reduce((max, version) => (max === undefined || version > max ? version : max), undefined)
    ?.toString() ?? '';
/**
 * Applies every migration in `dir` that the bookkeeping table does not list yet. Stops at the first
 * failure, which is rolled back; migrations applied before it stay. `version` is the highest version
 * applied so far, counting earlier runs; '' when none.
 */
function runMigrations(db, dir, options = {}) {
    const stamp = () => createdAt(options.env ?? process.env, options.now ?? new Date());
    stamp(); // a bad SOURCE_DATE_EPOCH fails before anything runs
    if (db.inTransaction) {
        throw usageError('Migrations must start outside a transaction: each migration runs in its own.');
    }
    const migrations = listMigrations(dir);
    db.exec(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version TEXT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const selectVersions = db.prepare(`SELECT version FROM ${MIGRATIONS_TABLE}`).pluck();
    const done = new Set(selectVersions.all());
    const pending = migrations.filter((migration) => !done.has(migration.version.toString()));
    // Read and check every pending file first: a stray COMMIT in a later file fails before any runs.
    const bodies = pending.map(readMigration);
    const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`);
    const applied = [];
    for (const [index, migration] of pending.entries()) {
        const hint = `Fix ${migration.path}: it was rolled back; the migrations before it stay applied and the ones after it were not run.`;
        db.exec('BEGIN IMMEDIATE');
        try {
            runStatements(db, bodies[index], migration.path, hint);
            if (!db.inTransaction) {
                // Only a transaction statement the up-front check did not see can get here; say what happened.
                throw refusal('invalid', `${migration.path}: the migration ended the runner's transaction early, so part of it may be committed and it is not recorded as applied.`, 'Remove BEGIN/COMMIT/ROLLBACK statements from the file and rebuild the database from scratch.');
            }
            record.run(migration.version.toString(), migration.name, stamp());
            try {
                db.exec('COMMIT');
            }
            catch (error) {
                // A deferred constraint (e.g. a DEFERRABLE INITIALLY DEFERRED foreign key) is checked here.
                throw refusal('invalid', `${migration.path}: the migration could not be committed: ${error.message}`, `${hint} A deferred constraint fails at the end of the file: fix the rows the migration leaves behind.`, error);
            }
        }
        catch (error) {
            try {
                if (db.inTransaction)
                    db.exec('ROLLBACK');
            }
            catch {
                // The migration's own error says what went wrong; a failed ROLLBACK would only hide it.
            }
            throw error;
        }
        applied.push(migration);
    }
    return { applied, version: highestVersion(selectVersions.all()) };
}

;// CONCATENATED MODULE: ./src/core/migrate/migrate.ts
/**
 * Brings a database file to the code's migration level: the built-in runner (a directory of .sql
 * files), then an external migrate command. The same step for a build's fixture and a restore's
 * temp database.
 */



/**
 * `reproducible`: for a build, whose snapshot is content-addressed: the runner's applied_at must
 * not make two builds of the same migrations differ, so it is always the Unix epoch. Not
 * SOURCE_DATE_EPOCH: that dates created_at, and a release built with it and a pull request built
 * without would then differ in content. A restore records the real time.
 */
async function migrateDatabaseFile(path, options, reproducible = false) {
    if (options.migrations !== undefined) {
        const Sqlite = await loadSqlite();
        const db = new Sqlite(path, { fileMustExist: true });
        const env = options.env ?? process.env;
        try {
            const runnerEnv = reproducible ? { ...env, SOURCE_DATE_EPOCH: '0' } : env;
            runMigrations(db, options.migrations, { env: runnerEnv });
        }
        finally {
            db.close();
        }
    }
    if (options.migrateCommand !== undefined)
        await runMigrateCommand(options.migrateCommand, path, options.env);
}

;// CONCATENATED MODULE: ./src/core/build/fixture.ts
/**
 * The database a build dumps: the user's fixture file as it is, or — when migrations, a migrate
 * command or seed files are given — a private copy of it (or a new empty database) migrated and
 * seeded in a temp directory. The user's fixture file is never modified.
 */









function readSeed(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (error) {
        throw ioError(`Cannot read seed file ${path}: ${error.message}`, `Check the ${options_option('seed')} path.`, error);
    }
}
async function prepareFixture(options) {
    const seeds = options.seeds ?? [];
    const transforms = options.migrations !== undefined || options.migrateCommand !== undefined || seeds.length > 0;
    if (options.database !== undefined && !transforms) {
        return { path: options.database, label: options.database, close() { } };
    }
    const directory = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'sqlite-snapshot-fixture-'));
    const path = (0,external_node_path_.join)(directory, 'fixture.db');
    const close = () => (0,external_node_fs_.rmSync)(directory, { recursive: true, force: true });
    try {
        if (options.database !== undefined) {
            // The backup API copies a consistent snapshot, WAL content included, without writing the source.
            const source = await openSource(options.database);
            try {
                await source.db.backup(path);
            }
            finally {
                source.close();
            }
        }
        const Sqlite = await loadSqlite();
        // No fixture file: start from a new, empty database.
        if (options.database === undefined)
            new Sqlite(path).close();
        await migrateDatabaseFile(path, options, true);
        if (seeds.length > 0) {
            const db = new Sqlite(path);
            try {
                for (const seed of seeds)
                    db.transaction(() => runSqlScript(db, readSeed(seed), seed))();
            }
            finally {
                db.close();
            }
        }
        const label = options.database === undefined ? 'the fixture database' : `the migrated copy of ${options.database}`;
        return { path, label, close };
    }
    catch (error) {
        close();
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/core/build/parallelDump.ts
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







const parallelDump_ROLE = 'sqlite-snapshot-dump';
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
async function parallelDump_runWorker(init) {
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
if (!external_node_worker_threads_.isMainThread && external_node_worker_threads_.workerData?.role === parallelDump_ROLE) {
    void parallelDump_runWorker(external_node_worker_threads_.workerData);
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
            const init = { role: parallelDump_ROLE, path: readPath, tables: schema.tables, returns: channel.port2, returned };
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
            // Workers only stop when terminated at the end; one that exits sooner would leave its units unwritten.
            thread.on('exit', (code) => {
                failure ??= new Error(`a dump worker stopped before it finished (exit code ${code})`);
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

;// CONCATENATED MODULE: ./src/core/build/build.ts
/**
 * build: dump a database and write its manifest. Both files are staged complete in a private
 * directory, then replaced as a unit (see buildOutput.ts); on any failure nothing is left in the
 * output directory and the snapshot files already there are untouched.
 */














/** Below this size, starting worker threads costs more than it saves. */
const PARALLEL_MIN_BYTES = 32 << 20;
async function buildSnapshot(options) {
    const staged = await stageSnapshot(options);
    let done = 0;
    try {
        for (const step of staged.commitSteps) {
            step.run();
            done++;
        }
    }
    catch (error) {
        if (done > 0) {
            // The dump is in place beside the old manifest: the staged manifest finishes it next time.
            staged.release();
            throw ioError(`Cannot finish putting the snapshot in place in ${(0,external_node_path_.dirname)(staged.result.dumpPath)}: ${error.message}`, 'Run the build again: it completes this one first.', error);
        }
        staged.discard();
        throw explainWriteError(error, staged.result.dumpPath);
    }
    return staged.result;
}
/** Everything a build does before its commit: the pair, complete and on disk, in a staging directory. */
async function stageSnapshot(options) {
    const env = options.env ?? process.env;
    // Resolve the version facts first: a bad SOURCE_DATE_EPOCH must fail before any work.
    const timestamp = createdAt(env);
    const outDir = (0,external_node_path_.resolve)(options.outDir);
    if (options.database !== undefined)
        refuseOutputOverInput(options.database, outDir);
    refuseDirectoriesInTheWay(outDir);
    const createdOutDir = !(0,external_node_fs_.existsSync)(outDir);
    let staging;
    try {
        staging = await openStaging(outDir);
    }
    catch (error) {
        if (createdOutDir)
            removeEmptyDirectory(outDir);
        throw error;
    }
    const discard = () => {
        staging.remove();
        // Leave no trace of a failed build: not even the output directory it created.
        if (createdOutDir)
            removeEmptyDirectory(outDir);
    };
    try {
        const written = await writeStaged(options, staging, { timestamp, env });
        const result = { ...written, dumpPath: (0,external_node_path_.join)(outDir, DUMP_FILE), manifestPath: (0,external_node_path_.join)(outDir, MANIFEST_FILE) };
        return { result, commitSteps: commitSteps(staging, outDir), discard, release: () => staging.release() };
    }
    catch (error) {
        discard();
        throw error;
    }
}
async function writeStaged(options, staging, { timestamp, env }) {
    const fixture = await prepareFixture(options);
    let source;
    try {
        source = await openSource(fixture.path);
    }
    catch (error) {
        fixture.close();
        throw error;
    }
    try {
        if (!options.allowEmpty && holdsNothing(source.db)) {
            throw emptyBuildError(fixture.label, { ...options, seeds: options.seeds?.length ?? 0 });
        }
        const facts = {
            dbMigrationVersion: detectDbMigrationVersion(source.db, {
                explicit: options.dbMigrationVersion,
                query: options.dbMigrationVersionQuery,
            }),
            controlVersion: resolveControlVersion(source.db, {
                explicit: options.controlVersion,
                query: options.controlVersionQuery,
            }),
        };
        const { stats, digest } = await writeDumpFile(options, fixture.label, source, staging.dumpPath);
        const manifest = {
            kind: MANIFEST_KIND,
            format: MANIFEST_FORMAT,
            checksum: `sha256:${digest.sha256}`,
            control_model_version: options.controlModelVersion ?? 0n,
            cache_schema_version: options.cacheSchemaVersion ?? 0n,
            control_version: facts.controlVersion.value,
            created_at: timestamp,
            source_chassis_version: options.sourceVersion ?? defaultSourceVersion(env),
            db_migration_version: facts.dbMigrationVersion.value,
        };
        try {
            // Complete and on disk before the first rename: it is the record the next run commits by.
            (0,external_node_fs_.writeFileSync)(staging.manifestPath, serializeManifest(manifest), { flag: 'wx', mode: 0o666, flush: true });
            fsyncPath(staging.dir);
        }
        catch (error) {
            throw explainWriteError(error, (0,external_node_path_.join)(options.outDir, MANIFEST_FILE));
        }
        return { manifest, facts, dumpBytes: digest.size, ...stats };
    }
    finally {
        source.close();
        fixture.close();
    }
}
async function writeDumpFile(options, label, source, path) {
    let fd;
    try {
        // 'wx': a fresh name of our own; 0o666 so that the umask decides, as for any file a tool creates.
        fd = (0,external_node_fs_.openSync)(path, 'wx', 0o666);
    }
    catch (error) {
        throw explainWriteError(error, options.outDir);
    }
    try {
        const file = new HashingFile(fd);
        const sink = (chunk) => file.write(chunk);
        const threads = options.threads ?? (source.bytes >= PARALLEL_MIN_BYTES ? 2 : 1);
        const stats = threads > 1 && source.sharedSnapshot
            ? await writeDumpParallel(source.db, label, source.readPath, threads, sink, options.onProgress)
            : writeDump(source.db, label, sink, options.onProgress);
        const digest = file.finish();
        (0,external_node_fs_.fsyncSync)(fd); // on disk before any name points at it
        return { stats, digest };
    }
    catch (error) {
        throw error.code?.startsWith('E') && !(error instanceof SnapshotError)
            ? explainWriteError(error, (0,external_node_path_.join)(options.outDir, DUMP_FILE))
            : explainSqliteError(error, label);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}

;// CONCATENATED MODULE: ./src/core/restore/progress.ts

/** Calls `report` at most once every `intervalMs`, so short work stays quiet and long work visible. */
function throttled(intervalMs, report) {
    let last = Date.now();
    return (value) => {
        const now = Date.now();
        if (now - last < intervalMs)
            return;
        last = now;
        report(value);
    };
}
const describeDumpProgress = (progress) => `dumping ${quoted(progress.table)}: ${progress.rows} rows, ${(progress.bytes / 1e6).toFixed(1)} MB written`;
/** `3 s`, `2 min 05 s`, `1 h 02 min`: a duration as a person reads it. */
function humanDuration(seconds) {
    const whole = Math.max(0, Math.round(seconds));
    if (whole < 60)
        return `${whole} s`;
    if (whole < 3600)
        return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
    return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}
/**
 * Describes a load's progress with its share of the dump and, from the second line on, the time
 * left at the pace seen since the first line (the pace before it includes verifying the dump).
 */
function loadProgressDescriber(now = Date.now) {
    let first;
    return (progress) => {
        const at = now();
        const share = progress.totalBytes > 0 ? progress.bytes / progress.totalBytes : 1;
        const percent = `${Math.min(100, Math.floor(share * 100))}%`;
        const sizes = `${(progress.bytes / 1e6).toFixed(1)} of ${(progress.totalBytes / 1e6).toFixed(1)} MB`;
        let left = '';
        if (first === undefined)
            first = { at, bytes: progress.bytes };
        else if (progress.bytes > first.bytes && at > first.at) {
            const pace = (progress.bytes - first.bytes) / (at - first.at);
            left = `, about ${humanDuration((progress.totalBytes - progress.bytes) / pace / 1000)} left`;
        }
        return `restoring: ${percent} (${sizes} of the dump, ${progress.rows} rows)${left}`;
    };
}

;// CONCATENATED MODULE: ./src/core/load/rowBatch.ts

const MAX_ROWS = 256;
/** SQLite's default limit on bound parameters is 32766. */
const MAX_PARAMETERS = 32000;
/** SQLite refused a row: which one, and where the dump holds it. */
class RowBatchError extends Error {
    table;
    /** The refused row's values; empty when only the batch as a whole failed. */
    values;
    /** The dump line of the refused row (of the batch's first row when no single row failed). */
    line;
    constructor(table, values, line, cause) {
        super(cause instanceof Error ? cause.message : String(cause), { cause });
        this.table = table;
        this.values = values;
        this.line = line;
    }
}
class RowBatcher {
    db;
    statements = new Map();
    table = '';
    arity = 0;
    limit = 0;
    rows = 0;
    values = [];
    /** The dump line of each pending row, to name the one SQLite refuses. */
    lines = [];
    constructor(db) {
        this.db = db;
    }
    statement(table, arity, rows) {
        const key = `${arity}\u0000${rows}\u0000${table}`;
        let statement = this.statements.get(key);
        if (!statement) {
            const row = `(${Array.from({ length: arity }, () => '?').join(',')})`;
            const sql = `INSERT INTO ${quoteIdentifier(table)} VALUES${Array.from({ length: rows }, () => row).join(',')}`;
            statement = this.db.prepare(sql);
            this.statements.set(key, statement);
        }
        return statement;
    }
    /** Adds the row `values[start … start + arity)` of `table`, found on `line` of the dump. */
    add(table, values, start, arity, line) {
        if (this.rows > 0 && (table !== this.table || arity !== this.arity))
            this.flush();
        if (this.rows === 0) {
            this.table = table;
            this.arity = arity;
            this.limit = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, arity))));
        }
        for (let at = start; at < start + arity; at++)
            this.values.push(values[at]);
        this.lines.push(line);
        if (++this.rows === this.limit)
            this.flush();
    }
    /**
     * Inserts what is pending. On failure, finds the failing row by inserting one by one: SQLite's
     * message is the same either way (a missing table or a trigger that does not compile fails to
     * prepare; a constraint fails on its row), and the row's line is what the user needs.
     */
    flush() {
        if (this.rows === 0)
            return;
        const { table, arity, rows, values, lines } = this;
        this.rows = 0;
        this.values = [];
        this.lines = [];
        this.db.exec('SAVEPOINT batch');
        try {
            this.statement(table, arity, rows).run(values);
            this.db.exec('RELEASE batch');
            return;
        }
        catch (error) {
            // Some errors (a full disk, I/O) make SQLite roll back the whole transaction: nothing to retry.
            if (!this.db.inTransaction)
                throw error;
            this.db.exec('ROLLBACK TO batch');
            this.db.exec('RELEASE batch');
            this.insertOneByOne(table, arity, values, lines);
            throw new RowBatchError(table, [], lines[0], error);
        }
    }
    insertOneByOne(table, arity, values, lines) {
        for (let row = 0; row < lines.length; row++) {
            const rowValues = values.slice(row * arity, (row + 1) * arity);
            try {
                this.statement(table, arity, 1).run(rowValues);
            }
            catch (error) {
                if (!this.db.inTransaction)
                    throw error;
                throw new RowBatchError(table, rowValues, lines[row], error);
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/core/load/loadTarget.ts
/**
 * Where the statements a loader accepted are carried out: a database on this thread, or one on a
 * worker thread (the loader then parses while SQLite inserts). Rows come in dump order and are
 * inserted in batches; statements and the COMMIT flush the rows before them.
 */



const BROKEN_DUMP_HINT = 'The dump is inconsistent (it fills a table or column it does not create, breaks a constraint, or holds SQL SQLite cannot run): rebuild the snapshot with sqlite-snapshot build from its database.';
/** SQLite's message, which quotes names and SQL from the dump: on one line, controls escaped, cut short. */
function sqliteReason(error) {
    const message = error instanceof Error ? error.message : String(error);
    return printableShort(message, 300);
}
/**
 * Describes a refused row the way a user finds it in the dump: its line, and its table. The cause
 * is SQLite's own error, whose code tells a full disk from a broken dump.
 */
const rowRefusal = (error, path) => refusal('invalid', `${path} line ${error.line}: SQLite refused the row of ${quoted(error.table)}: ${sqliteReason(error.cause)}`, BROKEN_DUMP_HINT, error.cause);
/** Carries the load out on `db`, on this thread. */
class DatabaseTarget {
    db;
    batch;
    path;
    constructor(db, path) {
        this.db = db;
        this.path = path;
        this.batch = new RowBatcher(db);
    }
    flush() {
        try {
            this.batch.flush();
        }
        catch (error) {
            throw error instanceof RowBatchError ? rowRefusal(error, this.path) : error;
        }
    }
    begin() {
        this.db.exec('BEGIN');
    }
    row(table, values, line) {
        this.rowOf(table, values, 0, values.length, line);
    }
    /** The row `values[start … start + arity)`: a worker's rows come flattened, one array per batch. */
    rowOf(table, values, start, arity, line) {
        try {
            this.batch.add(table, values, start, arity, line);
        }
        catch (error) {
            throw error instanceof RowBatchError ? rowRefusal(error, this.path) : error;
        }
    }
    execute(sql, where) {
        this.flush();
        try {
            this.db.exec(sql);
        }
        catch (error) {
            throw refusal('invalid', `${where}: SQLite refused the statement: ${sqliteReason(error)}`, BROKEN_DUMP_HINT, error);
        }
    }
    commit() {
        this.flush();
        this.db.exec('COMMIT');
    }
    pace() {
        return undefined;
    }
    abandon() {
        if (this.db.inTransaction)
            this.db.exec('ROLLBACK');
    }
}

;// CONCATENATED MODULE: ./src/core/load/rowPack.ts
/**
 * Row values in transit from the parser to the inserting thread. postMessage serializes an array
 * value by value, and a bigint or a Buffer costs several times a string; packed, a batch's
 * numbers and blobs cross as a few typed arrays, moved rather than copied, and only the texts are
 * serialized one by one. That cuts what the parser, the busier of the two threads, spends on each
 * row by more than half. The inserter unpacks them.
 *
 * The packer fills arrays it keeps and hands out exact-size copies: fresh memory for every batch
 * costs a page fault per page, which on a virtual machine is dearer than the copy.
 *
 * Storage classes survive the trip exactly: integers stay bigint (INTEGER), numbers stay numbers
 * (REAL), text stays text, blobs stay bytes.
 */

const NULL = 0;
const REAL = 1;
const INTEGER = 2;
const TEXT = 3;
const BLOB = 4;
/** The memory a packed batch moves to the other thread (the packer keeps none of it). */
const packedTransfer = (packed) => [packed.kinds, packed.reals, packed.integers, packed.blobs, packed.blobEnds].map((array) => array.buffer);
/** The storage class of a value the parser made; throws for what no typed array would carry exactly. */
function kindOf(value) {
    if (value === null)
        return NULL;
    if (typeof value === 'bigint') {
        // A typed array would wrap a larger one silently; the parser makes REAL of those, as SQLite does.
        if (value < INT64_MIN || value > INT64_MAX)
            throw new RangeError(`integer ${value} is outside 64 bits`);
        return INTEGER;
    }
    if (typeof value === 'number')
        return REAL;
    if (typeof value === 'string')
        return TEXT;
    if (value instanceof Uint8Array)
        return BLOB;
    throw new TypeError(`cannot pack a ${typeof value} value`);
}
/** Doubles `array`'s room until it holds `size`, keeping its first `used` items. */
function grown(array, used, size) {
    if (size <= array.length)
        return array;
    let length = Math.max(array.length, 1024);
    while (length < size)
        length *= 2;
    const bigger = new array.constructor(length);
    bigger.set(array.subarray(0, used));
    return bigger;
}
class ValuePacker {
    kinds = new Uint8Array(16384);
    count = 0;
    reals = new Float64Array(4096);
    realCount = 0;
    integers = new BigInt64Array(4096);
    integerCount = 0;
    texts = [];
    textChars = 0;
    blobs = new Uint8Array(64 << 10);
    blobBytes = 0;
    blobEnds = new Float64Array(4096);
    blobCount = 0;
    /** Values added since the last pack(). */
    get size() {
        return this.count;
    }
    /** Characters of text and bytes of blobs added since the last pack(), to bound a batch's memory. */
    get bytes() {
        return this.textChars + this.blobBytes;
    }
    /** Adds one value as the parser made it: null, bigint, number, string or Buffer. */
    add(value) {
        const kind = kindOf(value);
        if (this.count === this.kinds.length)
            this.kinds = grown(this.kinds, this.count, this.count + 1);
        this.kinds[this.count++] = kind;
        switch (kind) {
            case INTEGER:
                if (this.integerCount === this.integers.length) {
                    this.integers = grown(this.integers, this.integerCount, this.integerCount + 1);
                }
                this.integers[this.integerCount++] = value;
                break;
            case REAL:
                if (this.realCount === this.reals.length)
                    this.reals = grown(this.reals, this.realCount, this.realCount + 1);
                this.reals[this.realCount++] = value;
                break;
            case TEXT:
                this.texts.push(value);
                this.textChars += value.length;
                break;
            case BLOB:
                this.addBlob(value);
                break;
        }
    }
    addBlob(bytes) {
        const end = this.blobBytes + bytes.length;
        this.blobs = grown(this.blobs, this.blobBytes, end);
        this.blobs.set(bytes, this.blobBytes);
        this.blobBytes = end;
        if (this.blobCount === this.blobEnds.length)
            this.blobEnds = grown(this.blobEnds, this.blobCount, this.blobCount + 1);
        this.blobEnds[this.blobCount++] = end;
    }
    /** The values added since the last pack(), as exact-size copies to move (packedTransfer); starts a new batch. */
    pack() {
        const packed = {
            kinds: this.kinds.slice(0, this.count),
            reals: this.reals.slice(0, this.realCount),
            integers: this.integers.slice(0, this.integerCount),
            texts: this.texts,
            blobs: this.blobs.slice(0, this.blobBytes),
            blobEnds: this.blobEnds.slice(0, this.blobCount),
        };
        this.count = this.realCount = this.integerCount = this.textChars = this.blobBytes = this.blobCount = 0;
        this.texts = [];
        return packed;
    }
}
/** The values of a packed batch, in order, as the parser made them (blobs as views of one block). */
function unpackValues(packed) {
    const { kinds, reals, integers, texts, blobs, blobEnds } = packed;
    const values = new Array(kinds.length);
    let real = 0;
    let integer = 0;
    let text = 0;
    let blob = 0;
    let blobStart = 0;
    for (let at = 0; at < kinds.length; at++) {
        switch (kinds[at]) {
            case NULL:
                values[at] = null;
                break;
            case REAL:
                values[at] = reals[real++];
                break;
            case INTEGER:
                values[at] = integers[integer++];
                break;
            case TEXT:
                values[at] = texts[text++];
                break;
            default: {
                const end = blobEnds[blob++];
                values[at] = blobs.subarray(blobStart, end);
                blobStart = end;
            }
        }
    }
    return values;
}

;// CONCATENATED MODULE: ./src/core/load/insertWorker.ts
/**
 * The inserting half of a restore: a worker thread that owns the new database and carries out the
 * statements the parser accepted, as they arrive. Parsing and inserting thus run on two cores; a
 * bounded number of batches in flight keeps memory flat.
 */









const insertWorker_ROLE = 'sqlite-snapshot-restore-insert';
/**
 * A worker's young generation, capped: V8 otherwise grows it the longer the run goes (up to 64 MB a
 * semi-space), so peak memory would grow with the size of the dump.
 */
const insertWorker_WORKER_YOUNG_GENERATION_MB = 8;
/**
 * A batch is sent when it holds this many values, characters of text and blobs (and statements),
 * or operations; the parser waits while this many batches are in flight. Large batches keep the
 * fixed cost of a message small; the bounds keep memory flat whatever the rows hold.
 */
const BATCH_VALUES = 8192;
const BATCH_BYTES = 1 << 20;
const BATCH_OPERATIONS = 4096;
const BATCHES_IN_FLIGHT = 8;
/** Helper threads for CREATE INDEX's sorter: one per other core, at most SQLite's usual few. */
const SORTER_HELPER_THREADS = Math.max(1, Math.min(4, (0,external_node_os_.availableParallelism)() - 1));
const describeFailure = (error) => ({
    failed: {
        kind: error instanceof SnapshotError ? error.kind : undefined,
        message: error.message,
        hint: error instanceof SnapshotError ? error.hint : undefined,
    },
});
const rebuildFailure = ({ kind, message, hint }) => kind ? new SnapshotError(kind, message, { hint }) : new Error(message);
/**
 * Settings for the new database while it is loaded (it is discarded on failure).
 * The cache is small: rows are appended, pages written once. CREATE INDEX sorts through SQLite's
 * external merge sort, in runs as large as the cache (1 MB at the least): measured on a 2M-row
 * table with three indexes, 1 MB runs sort faster than 4 or 16 MB ones (they stay in the CPU's
 * caches) and hold less memory. The indexes are built after the rows, when the parser is idle, so
 * the sorter gets helper threads for the other cores (PRAGMA threads): on two cores the three
 * index builds of that table take 2.1 s instead of 2.9 s, for the same peak memory.
 */
function prepareNewDatabase(db) {
    // The rollback journal in memory: the file is thrown away on failure, so a journal on disk would
    // only cost writes, but a refused multi-row INSERT must still be undone before its rows are
    // retried one by one to name the culprit (journal_mode = OFF cannot undo a statement, and
    // SQLite's defensive mode, on here, ignores it anyway).
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1024');
    db.pragma(`threads = ${SORTER_HELPER_THREADS}`);
    // The dump's own PRAGMA foreign_keys=OFF is honoured by keeping them off throughout.
    db.pragma('foreign_keys = OFF');
    // Schema from a file is not trusted: no functions with side effects in views, triggers, defaults.
    db.pragma('trusted_schema = OFF');
}
/** SQLite's "disk full" (and I/O errors) as an error that names the place and says what to do. */
function explainLoadError(error, dbPath) {
    const cause = error instanceof SnapshotError ? error.cause : error;
    const code = cause?.code ?? error.code ?? '';
    if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
        return ioError(`No space left on the device while restoring into ${(0,external_node_path_.dirname)(dbPath)}.`, `Free some space next to the target database (the restore needs room for a full copy, and for a backup with ${options_option('force')}).`, error);
    }
    if (code.startsWith('SQLITE_IOERR')) {
        return ioError(`I/O error while restoring into ${(0,external_node_path_.dirname)(dbPath)}: ${error.message}`, undefined, error);
    }
    return error;
}
/** The worker: owns the new database and applies the operations in the order they come. */
async function insertWorker_runWorker(init) {
    const port = external_node_worker_threads_.parentPort;
    const inFlight = new Int32Array(init.inFlight);
    let db;
    let target;
    let failed = false;
    try {
        if ((0,external_node_fs_.existsSync)(init.dbPath))
            throw new Error(`refusing to load into existing file ${init.dbPath}`);
        const Sqlite = await loadSqlite();
        db = new Sqlite(init.dbPath);
        prepareNewDatabase(db);
        target = new DatabaseTarget(db, init.dumpPath);
    }
    catch (error) {
        failed = true;
        port.postMessage(describeFailure(explainLoadError(error, init.dbPath)));
    }
    port.on('message', (message) => {
        const batch = 'operations' in message;
        try {
            if (failed || !db || !target)
                return;
            if (!batch) {
                // A plain rollback-journal file with no sidecars, ready to be renamed into place.
                db.pragma('journal_mode = DELETE');
                db.close();
                port.postMessage({ finished: true });
                return;
            }
            const values = unpackValues(message.values);
            let next = 0;
            for (const operation of message.operations)
                next = apply(target, operation, values, next);
        }
        catch (error) {
            failed = true;
            port.postMessage(describeFailure(explainLoadError(error, init.dbPath)));
        }
        finally {
            if (batch) {
                Atomics.sub(inFlight, 0, 1);
                Atomics.notify(inFlight, 0);
            }
        }
    });
}
/** Applies one operation; rows take their values from `values[next …]`. Returns where the next rows' start. */
function apply(target, operation, values, next) {
    switch (operation.k) {
        case 'b':
            target.begin();
            break;
        case 'r':
            for (let row = 0; row < operation.l.length; row++, next += operation.a)
                target.rowOf(operation.t, values, next, operation.a, operation.l[row]);
            break;
        case 'x':
            target.execute(operation.sql, operation.where);
            break;
        case 'c':
            target.commit();
            break;
    }
    return next;
}
if (!external_node_worker_threads_.isMainThread && external_node_worker_threads_.workerData?.role === insertWorker_ROLE) {
    void insertWorker_runWorker(external_node_worker_threads_.workerData);
}
/** The parser's side of the pipe: batches operations to the worker and paces itself by it. */
class InsertWorkerTarget {
    worker;
    inFlight;
    operations = [];
    rows;
    values = new ValuePacker();
    /** Characters of the statements in `operations`. */
    statementChars = 0;
    failure;
    /** Resolves when the worker finished, failed or stopped. */
    settled;
    /** Starts a worker that will create `dbPath` and load into it (`dumpPath` names the dump in messages). */
    constructor(dumpPath, dbPath) {
        const inFlight = new SharedArrayBuffer(4);
        const init = { role: insertWorker_ROLE, dumpPath, dbPath, inFlight };
        this.worker = new external_node_worker_threads_.Worker(new URL(import.meta.url), {
            workerData: init,
            resourceLimits: { maxYoungGenerationSizeMb: insertWorker_WORKER_YOUNG_GENERATION_MB },
        });
        this.inFlight = new Int32Array(inFlight);
        let settle = () => { };
        this.settled = new Promise((resolve) => {
            settle = resolve;
        });
        this.worker.on('message', (message) => {
            if ('failed' in message)
                this.failure ??= rebuildFailure(message.failed);
            settle();
        });
        this.worker.on('error', (error) => {
            this.failure ??= error;
            settle();
        });
        this.worker.on('exit', () => {
            this.failure ??= new Error('the restore worker stopped before it finished');
            settle();
        });
    }
    send() {
        if (this.operations.length === 0)
            return;
        Atomics.add(this.inFlight, 0, 1);
        const values = this.values.pack();
        this.worker.postMessage({ operations: this.operations, values }, packedTransfer(values));
        this.operations = [];
        this.rows = undefined;
        this.statementChars = 0;
    }
    sendWhenFull() {
        if (this.values.size >= BATCH_VALUES ||
            this.values.bytes + this.statementChars >= BATCH_BYTES ||
            this.operations.length >= BATCH_OPERATIONS) {
            this.send();
        }
    }
    begin() {
        this.operations.push({ k: 'b' });
    }
    row(table, values, line) {
        const rows = this.rows;
        if (rows && rows.t === table && rows.a === values.length)
            rows.l.push(line);
        else {
            this.rows = { k: 'r', t: table, a: values.length, l: [line] };
            this.operations.push(this.rows);
        }
        for (const value of values)
            this.values.add(value);
        this.sendWhenFull();
    }
    execute(sql, where) {
        this.operations.push({ k: 'x', sql, where });
        this.rows = undefined;
        this.statementChars += sql.length;
        this.sendWhenFull();
    }
    commit(where) {
        this.operations.push({ k: 'c', where });
        this.send();
    }
    /** Waits while the worker is behind. Sends nothing itself: small batches cost more per row. */
    async pace() {
        for (;;) {
            if (this.failure)
                throw this.failure;
            const pending = Atomics.load(this.inFlight, 0);
            if (pending < BATCHES_IN_FLIGHT)
                return;
            const wait = Atomics.waitAsync(this.inFlight, 0, pending, 1000);
            if (wait.async)
                await wait.value;
        }
    }
    /** Waits until the worker has applied everything and closed the database. */
    async finish() {
        this.send();
        this.worker.postMessage({ finish: true });
        await this.settled;
        if (this.failure)
            throw this.failure;
    }
    abandon() {
        this.operations = [];
    }
    /** Stops the worker (it closes its database as it goes). */
    terminate() {
        return this.worker.terminate();
    }
}

;// CONCATENATED MODULE: ./src/core/shared/utf8Bytes.ts
/**
 * UTF-8 at the byte level, for the dump reader's slow path (rawLiterals.ts): where a chunk may be
 * cut without splitting a character, and where the first byte that is not UTF-8 sits, so a refusal
 * can name its line. The validity rules are the WHATWG decoder's (TextDecoder): no overlong forms,
 * no surrogates (ED A0..BF), nothing past U+10FFFF.
 */
/** Bytes a sequence starting with `lead` should have; 0 when `lead` can never start one. */
function sequenceLength(lead) {
    if (lead < 0x80)
        return 1;
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0;
}
/** The range the second byte of a sequence must fall in: narrower after E0, ED, F0 and F4. */
function secondByteOk(lead, second) {
    if (lead === 0xe0)
        return second >= 0xa0 && second <= 0xbf;
    if (lead === 0xed)
        return second >= 0x80 && second <= 0x9f;
    if (lead === 0xf0)
        return second >= 0x90 && second <= 0xbf;
    if (lead === 0xf4)
        return second >= 0x80 && second <= 0x8f;
    return second >= 0x80 && second <= 0xbf;
}
/**
 * How many bytes at the end of `bytes` begin a character that the next bytes may complete: a valid
 * start of a sequence, cut short. They are held back until more bytes arrive. Anything else
 * (complete, or already invalid) is 0: the decoder judges it now.
 */
function incompleteTail(bytes) {
    const end = bytes.length;
    for (let back = 1; back <= 3 && back <= end; back++) {
        const byte = bytes[end - back];
        if ((byte & 0xc0) === 0x80)
            continue;
        const length = sequenceLength(byte);
        if (length <= back)
            return 0;
        if (back >= 2 && !secondByteOk(byte, bytes[end - back + 1]))
            return 0;
        return back;
    }
    return 0;
}
/** Index of the first byte of the first invalid (or cut) sequence in `bytes`; -1 when all is UTF-8. */
function firstInvalidUtf8(bytes) {
    for (let at = 0; at < bytes.length;) {
        const lead = bytes[at];
        const length = sequenceLength(lead);
        if (length === 0 || at + length > bytes.length)
            return at;
        if (length > 1 && !secondByteOk(lead, bytes[at + 1]))
            return at;
        for (let next = 2; next < length; next++)
            if ((bytes[at + next] & 0xc0) !== 0x80)
                return at;
        at += length;
    }
    return -1;
}

;// CONCATENATED MODULE: ./src/core/sql/rawStatement.ts
/**
 * For the byte scanner of foreign dumps (rawLiterals.ts): which statement the bytes belong to, by
 * complete.c's automaton (sqlComplete.ts), and so whether a string literal there is a value of a
 * row — a string among the VALUES of an INSERT, not a blob — whose bytes may be rewritten. An
 * INSERT inside a CREATE TRIGGER body is part of the CREATE, whose text SQLite keeps as written.
 */

/**
 * complete.c's state inside an ordinary statement: only a semicolon leaves it, so there the words
 * need not be read as keywords.
 */
const NORMAL_STATE = stepStatement(START_STATE, Token.Other);
/** The words that matter: complete.c's keywords, and those telling the values of an INSERT. */
const KEYWORDS = ['create', 'trigger', 'temp', 'temporary', 'end', 'explain', 'insert', 'values'];
/** Enough of a word to tell those (TEMPORARY is the longest). */
const WORD_KEEP = 9;
/** The keyword (lower case) the first `length` bytes of `word` spell in any case, or ''. */
function keywordOf(word, length) {
    if (length > WORD_KEEP)
        return '';
    next: for (const keyword of KEYWORDS) {
        if (keyword.length !== length)
            continue;
        // Keywords are letters: OR-ing 0x20 lowers a letter and turns no other identifier byte into one.
        for (let at = 0; at < length; at++)
            if ((word[at] | 0x20) !== keyword.charCodeAt(at))
                continue next;
        return keyword;
    }
    return '';
}
class StatementFollower {
    /** complete.c's state, START between statements; the scan starts at a statement boundary. */
    statement = START_STATE;
    /** The current statement is an INSERT, and its VALUES keyword has been seen. */
    insert = false;
    values = false;
    /** The current word: its first WORD_KEEP bytes when it may matter, its length, its first byte. */
    word = new Uint8Array(WORD_KEEP);
    keepWord = false;
    wordLength = 0;
    wordFirst = 0;
    /** The last token was the word x: a quote now starts a blob literal. */
    afterX = false;
    /** The literal being read is a blob's. */
    blob = false;
    /** A word starts with the byte `first`. */
    beginWord(first) {
        this.wordLength = 0;
        this.wordFirst = first;
        // Words are only read where one can be a keyword that matters (not inside an ordinary
        // statement, past the VALUES of an INSERT): the rows of a dump are mostly such words.
        this.keepWord = this.statement !== NORMAL_STATE || (this.insert && !this.values);
    }
    /** More bytes of the current word: `chunk[from..to)`. */
    wordPart(chunk, from, to) {
        if (this.keepWord) {
            for (let at = from, kept = this.wordLength; at < to && kept < WORD_KEEP; at++)
                this.word[kept++] = chunk[at];
        }
        this.wordLength += to - from;
    }
    endWord() {
        const word = this.keepWord ? keywordOf(this.word, this.wordLength) : '';
        this.token(keywordToken(word), word);
        this.afterX = this.wordLength === 1 && (this.wordFirst | 0x20) === 0x78;
    }
    /** A string literal opens: X'..' (the x right before the quote) is a blob. */
    beginLiteral() {
        this.blob = this.afterX;
    }
    /** The literal being read is a value of a row. */
    rowValue() {
        return this.insert && this.values && !this.blob;
    }
    /** Feeds complete.c a token other than a word (`word`: the keyword a word spelled, or ''). */
    token(token, word = '') {
        if (this.statement === START_STATE && token !== Token.Space && token !== Token.Semi) {
            this.insert = word === 'insert';
            this.values = false;
        }
        else if (this.insert && word === 'values')
            this.values = true;
        this.afterX = false;
        this.statement = stepStatement(this.statement, token);
    }
}

;// CONCATENATED MODULE: ./src/core/sql/rawLiterals.ts
/**
 * Reads a foreign dump byte by byte once it turned out not to be UTF-8. The sqlite3 CLI writes TEXT
 * that is not UTF-8 raw between the quotes of a string literal, and a JS string cannot carry those
 * bytes. Each such literal in the VALUES of an INSERT becomes `CAST(X'<its bytes>' AS TEXT)` — the
 * form our own dumps use (docs/format.md §2.3 rule 4) — so the loader stores exactly the original bytes.
 *
 * Every other byte passes through unchanged: invalid UTF-8 in a name, a keyword, a comment or a
 * CREATE statement is left for the decoder to refuse. CREATE text is stored by SQLite as written, so
 * rewriting a literal there (a DEFAULT, a CHECK, a trigger body) would restore a different schema.
 * Statement boundaries follow complete.c (sqlComplete.ts), so an INSERT inside a trigger body is
 * part of its CREATE, and the state carries across chunks: a literal may straddle any number of reads.
 */




const OUT = 0;
/** Inside '…'; STRING_QUOTE: just after a ' inside it, which ends it unless another ' follows. */
const STRING = 1;
const STRING_QUOTE = 2;
/** Inside "…", `…` or […]; NAME_QUOTE: just after a " or ` closer, which may be doubled. */
const NAME = 3;
const NAME_QUOTE = 4;
const LINE_COMMENT = 5;
const BLOCK_COMMENT = 6;
/** Just after a * inside a block comment. */
const BLOCK_STAR = 7;
/** Just after a - or a / outside everything: a comment starts if the next byte repeats it (or is *). */
const DASH = 8;
const SLASH = 9;
const rawLiterals_WORD = 10;
const rawLiterals_QUOTE = 0x27;
class RawLiteralScanner {
    state = OUT;
    follow = new StatementFollower();
    closer = 0;
    /** Copies of the bytes of a literal that began in an earlier chunk. */
    held = [];
    /**
     * Scans `chunk` (read into a buffer the caller reuses) and returns what to decode, in order:
     * unchanged slices of `chunk`, to decode before the next read, and whole literals, rewritten
     * when they are row values that are not UTF-8. A literal still open at the end is held back.
     */
    push(chunk) {
        const out = [];
        const n = chunk.length;
        /** Bytes before `from` are in `out`; a literal's bytes in this chunk start at `start`. */
        let from = 0;
        let start = 0;
        let i = 0;
        // Most chunks of a dump hold no invalid byte at all; then no literal that begins and ends in
        // this chunk needs a look of its own (the bytes of a character cut by the reads are left out).
        let lead = 0;
        while (lead < 3 && lead < n && (chunk[lead] & 0xc0) === 0x80)
            lead++;
        const clean = (0,external_node_buffer_.isUtf8)(chunk.subarray(lead, n - incompleteTail(chunk)));
        while (i < n) {
            const state = this.state;
            if (state === STRING) {
                const quote = chunk.indexOf(rawLiterals_QUOTE, i);
                i = quote < 0 ? n : quote + 1;
                if (quote >= 0)
                    this.state = STRING_QUOTE;
            }
            else if (state === STRING_QUOTE) {
                if (chunk[i] === rawLiterals_QUOTE) {
                    this.state = STRING;
                    i++;
                }
                else {
                    // The literal ended just before this byte, which is read again outside it. A literal
                    // that began in this chunk and stays as it is remains part of the slice around it.
                    if (this.held.length > 0) {
                        const bytes = Buffer.concat([...this.takeHeld(), chunk.subarray(start, i)]);
                        out.push(this.rewrite(bytes) ?? bytes);
                        from = i;
                    }
                    else if (!clean && this.follow.rowValue()) {
                        const rewritten = this.rewrite(chunk.subarray(start, i));
                        if (rewritten) {
                            if (from < start)
                                out.push(chunk.subarray(from, start));
                            out.push(rewritten);
                            from = i;
                        }
                    }
                    this.state = OUT;
                    this.follow.token(Token.Other);
                }
            }
            else if (state === NAME) {
                const close = chunk.indexOf(this.closer, i);
                i = close < 0 ? n : close + 1;
                if (close >= 0)
                    this.state = this.closer === 0x5d ? this.endToken(OUT) : NAME_QUOTE;
            }
            else if (state === NAME_QUOTE) {
                if (chunk[i] === this.closer) {
                    this.state = NAME;
                    i++;
                }
                else
                    this.state = this.endToken(OUT);
            }
            else if (state === LINE_COMMENT) {
                const newline = chunk.indexOf(0x0a, i);
                i = newline < 0 ? n : newline + 1;
                if (newline >= 0)
                    this.state = OUT;
            }
            else if (state === BLOCK_COMMENT) {
                const star = chunk.indexOf(0x2a, i);
                i = star < 0 ? n : star + 1;
                if (star >= 0)
                    this.state = BLOCK_STAR;
            }
            else if (state === BLOCK_STAR) {
                const c = chunk[i++];
                if (c === 0x2f)
                    this.state = OUT;
                else if (c !== 0x2a)
                    this.state = BLOCK_COMMENT;
            }
            else if (state === DASH || state === SLASH) {
                if (chunk[i] === (state === DASH ? 0x2d : 0x2a)) {
                    // A comment is whitespace to complete.c.
                    this.follow.token(Token.Space);
                    this.state = state === DASH ? LINE_COMMENT : BLOCK_COMMENT;
                    i++;
                }
                else
                    this.state = this.endToken(OUT);
            }
            else if (state === rawLiterals_WORD) {
                let end = i;
                while (end < n && isIdChar(chunk[end]))
                    end++;
                this.follow.wordPart(chunk, i, end);
                i = end;
                if (end < n) {
                    this.state = OUT;
                    this.follow.endWord();
                }
            }
            else {
                const c = chunk[i];
                if (c === rawLiterals_QUOTE) {
                    start = i++;
                    this.follow.beginLiteral();
                    this.state = STRING;
                }
                else if (c === 0x22 || c === 0x60 || c === 0x5b) {
                    this.closer = c === 0x5b ? 0x5d : c;
                    this.state = NAME;
                    i++;
                }
                else if (c === 0x2d || c === 0x2f) {
                    this.state = c === 0x2d ? DASH : SLASH;
                    i++;
                }
                else if (isIdChar(c)) {
                    this.follow.beginWord(c);
                    this.state = rawLiterals_WORD;
                }
                else {
                    this.follow.token(c === 0x3b ? Token.Semi : sqlComplete_isSpace(c) ? Token.Space : Token.Other);
                    i++;
                }
            }
        }
        if (this.state === STRING || this.state === STRING_QUOTE) {
            // Whether the literal gets rewritten is known only once it closes: hold a copy of its bytes.
            if (from < start)
                out.push(chunk.subarray(from, start));
            this.held.push(Buffer.from(chunk.subarray(start, n)));
        }
        else if (from < n)
            out.push(chunk.subarray(from, n));
        return out;
    }
    /** The end of the file: a literal that closed on its last byte is complete; one still open is not. */
    end() {
        if (this.state === STRING_QUOTE) {
            this.state = OUT;
            const bytes = Buffer.concat(this.takeHeld());
            return { output: [this.rewrite(bytes) ?? bytes], unterminated: undefined };
        }
        if (this.state === STRING)
            return { output: [], unterminated: Buffer.concat(this.takeHeld()) };
        return { output: [], unterminated: undefined };
    }
    takeHeld() {
        const held = this.held;
        this.held = [];
        return held;
    }
    /**
     * A whole literal, quotes included, as CAST(X'..' AS TEXT) of its bytes (with '' back to '), or
     * undefined to keep it: it is UTF-8, or not a row value. Its line breaks stay as line breaks after
     * the hex, so later line numbers still match the file.
     */
    rewrite(bytes) {
        if (!this.follow.rowValue() || (0,external_node_buffer_.isUtf8)(bytes))
            return undefined;
        const content = unquote(bytes.subarray(1, bytes.length - 1));
        // SQLite's tokenizer stops at a NUL, so the sqlite3 CLI could never load such a literal either.
        if (content.includes(0))
            return undefined;
        let breaks = 0;
        for (let at = content.indexOf(0x0a); at >= 0; at = content.indexOf(0x0a, at + 1))
            breaks++;
        return Buffer.from(`CAST(X'${content.toString('hex')}'${'\n'.repeat(breaks)} AS TEXT)`, 'latin1');
    }
    /** Ends a one-token state (a name, a lone - or /) and returns the state to go on in. */
    endToken(next) {
        this.follow.token(Token.Other);
        return next;
    }
}
/** The bytes between a literal's quotes with each '' back to one '. */
function unquote(content) {
    if (!content.includes(rawLiterals_QUOTE))
        return content;
    const out = Buffer.allocUnsafe(content.length);
    let length = 0;
    for (let at = 0; at < content.length; at++) {
        out[length++] = content[at];
        if (content[at] === rawLiterals_QUOTE)
            at++;
    }
    return out.subarray(0, length);
}

;// CONCATENATED MODULE: ./src/core/sql/rawDecoder.ts
/**
 * Decodes a dump once it turned out not to be UTF-8 (see dumpReader.ts): its bytes go through the
 * literal scanner (rawLiterals.ts), which rewrites the row literals that are not UTF-8, and what
 * comes out is decoded strictly, so any invalid byte left is one that may not be there. A character
 * cut by a read waits for the next one.
 */


/** Thrown by RawTextDecoder: bytes that are not UTF-8 where no rewrite applies, or a cut character at the end. */
class BadBytes extends Error {
    /** Line breaks in the text given out by this call before the first bad byte (its line, counted from there). */
    breaks;
    cut;
    constructor(cut, breaks, cause) {
        super(cut ? 'the bytes end inside a UTF-8 character' : 'invalid UTF-8', { cause });
        this.cut = cut;
        this.breaks = breaks;
    }
}
/** Fatal, and given whole characters only (the decoder carries cut ones itself). */
const STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
class RawTextDecoder {
    scanner = new RawLiteralScanner();
    /** The start of a character cut by a read, to decode with the next bytes. */
    pending = Buffer.alloc(0);
    /** The text of `bytes` (which the caller may reuse after the call); a literal still open waits. */
    decode(bytes) {
        return this.text(this.scanner.push(bytes));
    }
    /** The rest of the text at the end of the file. */
    end() {
        const { output, unterminated } = this.scanner.end();
        const text = this.text(output);
        if (this.pending.length > 0)
            throw new BadBytes(true, 0);
        // A literal the file ends inside can never run (the loader refuses the dump as truncated);
        // decoded leniently, it lets that refusal name the real cause instead of its bytes.
        return unterminated ? text + new TextDecoder().decode(unterminated) : text;
    }
    text(output) {
        const bytes = Buffer.concat([this.pending, ...output]);
        const complete = bytes.length - incompleteTail(bytes);
        // A copy: the scanner's slices point into the read buffer, which the next read overwrites.
        this.pending = Buffer.from(bytes.subarray(complete));
        const whole = bytes.subarray(0, complete);
        try {
            return STRICT.decode(whole);
        }
        catch (error) {
            const bad = firstInvalidUtf8(whole);
            let breaks = 0;
            for (let at = whole.indexOf(0x0a); at >= 0 && at < bad; at = whole.indexOf(0x0a, at + 1))
                breaks++;
            throw new BadBytes(false, breaks, error);
        }
    }
}

;// CONCATENATED MODULE: ./src/core/sql/dumpReader.ts
/**
 * Reads a dump file as text, in chunks, keeping only what is not yet consumed: memory stays flat
 * whatever the file size, and line numbers are known for error messages.
 *
 * The checksum is taken over the raw bytes as they are read. Text is decoded as strict UTF-8; a
 * foreign dump (sqlite3 CLI) writes TEXT that is not UTF-8 raw between quotes, so at the first
 * invalid byte the reader goes over to a byte scanner (rawLiterals.ts) for the rest of the file:
 * such row literals become CAST(X'..' AS TEXT), the form of our own dumps, and invalid UTF-8
 * anywhere else is refused with its line. Dumps that are UTF-8 never pay for the scan.
 */





const dumpReader_READ_BYTES = 64 << 10;
class DumpReader {
    /**
     * Unconsumed text starts at `text[pos]`. The consumer moves `pos` only to a point between
     * statements (never inside a literal, a name or a comment): the byte scanner starts from there.
     */
    text = '';
    pos = 0;
    fd;
    /** Fatal: invalid UTF-8 throws instead of turning into U+FFFD; streaming: a sequence may straddle reads. */
    decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    /**
     * The last (up to 3) bytes given to `decoder`: when it throws, the start of a character it was
     * holding back from the previous read is among them.
     */
    tail = Buffer.alloc(3);
    tailLength = 0;
    /** Set at the first invalid UTF-8: the rest of the file goes through it. */
    raw;
    path;
    eof = false;
    /** Bytes read from the file so far. */
    bytesRead = 0;
    /** sha256 of the bytes read: the file is checked against its manifest as it is loaded. */
    hash = (0,external_node_crypto_.createHash)('sha256');
    /** Lines before `text[0]`. */
    linesBefore = 0;
    buffer = Buffer.allocUnsafe(dumpReader_READ_BYTES);
    /**
     * Reads the open file `fd` from its first byte, at explicit positions (another reader may share
     * the descriptor); `path` names it in messages. The caller closes `fd`.
     */
    constructor(fd, path) {
        this.path = path;
        this.fd = fd;
    }
    /** `sha256:<hex>` of the whole file; call once the end has been reached. */
    checksum() {
        return `sha256:${this.hash.digest('hex')}`;
    }
    /** 1-based line number of `text[index]`. */
    lineAt(index) {
        let line = this.linesBefore + 1;
        for (let at = this.text.indexOf('\n'); at >= 0 && at < index; at = this.text.indexOf('\n', at + 1))
            line++;
        return line;
    }
    /**
     * Appends at least `minimumChars` more characters (or up to the end of the file). Returns false
     * at the end of the file. Drops consumed text first, so the buffer holds one statement's worth.
     */
    more(minimumChars = 1) {
        if (this.eof)
            return false;
        this.compact();
        const target = this.text.length + minimumChars;
        const parts = [this.text];
        let length = this.text.length;
        while (length < target) {
            const count = (0,external_node_fs_.readSync)(this.fd, this.buffer, 0, dumpReader_READ_BYTES, this.bytesRead);
            if (count === 0) {
                parts.push(this.raw ? this.rawText(parts, undefined) : this.decode(undefined));
                this.eof = true;
                break;
            }
            this.bytesRead += count;
            const chunk = this.buffer.subarray(0, count);
            this.hash.update(chunk);
            if (this.raw) {
                const decoded = this.rawText(parts, chunk);
                parts.push(decoded);
                length += decoded.length;
                continue;
            }
            const decoded = this.decode(chunk);
            if (decoded === undefined) {
                // Not UTF-8: scan again from the start of the unconsumed text, which the loader only ever
                // leaves between two statements, so a literal that began in earlier reads is rewritten whole.
                const text = this.startScanning(parts, chunk);
                parts.length = 0;
                parts.push(text);
                length = text.length;
                continue;
            }
            parts.push(decoded);
            length += decoded.length;
        }
        this.text = parts.join('');
        return true;
    }
    /**
     * Goes over to the byte scanner: the text decoded since the last statement boundary (`parts`),
     * the character start `decoder` was holding back, and `chunk`, read again as bytes. Returns their
     * text as the scanner gives it.
     */
    startScanning(parts, chunk) {
        this.raw = new RawTextDecoder();
        const tail = this.tail.subarray(0, this.tailLength);
        const holding = tail.subarray(tail.length - incompleteTail(tail));
        return this.rawText([], Buffer.concat([Buffer.from(parts.join(''), 'utf8'), holding, chunk]));
    }
    /** The text of `bytes` through the scanner (undefined: the end); `parts`: the text before, for a refusal's line. */
    rawText(parts, bytes) {
        try {
            return bytes ? this.raw.decode(bytes) : this.raw.end();
        }
        catch (error) {
            if (!(error instanceof BadBytes))
                throw error;
            if (error.cut)
                throw this.cutCharacter(error);
            let line = this.linesBefore + 1 + error.breaks;
            for (const part of parts)
                line += countBreaks(part);
            throw refusal('hostile', `${this.path} line ${line}: not valid UTF-8 outside the string literals of rows.`, "Only a string literal among the VALUES of an INSERT may hold TEXT that is not UTF-8 (it is restored byte for byte); names, keywords, comments and CREATE statements (SQLite keeps their text as written) must be UTF-8. sqlite-snapshot build writes such TEXT as CAST(X'..' AS TEXT).", error);
        }
    }
    cutCharacter(cause) {
        // An incomplete character at the very end: the file was cut.
        return refusal('truncated', `${this.path} ends inside a UTF-8 character, before its final COMMIT.`, 'The file is truncated: download the artifact again or rebuild it.', cause);
    }
    compact() {
        if (this.pos === 0)
            return;
        for (let at = this.text.indexOf('\n'); at >= 0 && at < this.pos; at = this.text.indexOf('\n', at + 1)) {
            this.linesBefore++;
        }
        this.text = this.text.slice(this.pos);
        this.pos = 0;
    }
    decode(bytes) {
        if (!bytes) {
            try {
                return this.decoder.decode();
            }
            catch (error) {
                throw this.cutCharacter(error);
            }
        }
        let text;
        try {
            text = this.decoder.decode(bytes, { stream: true });
        }
        catch {
            return undefined;
        }
        this.keepTail(bytes);
        return text;
    }
    keepTail(bytes) {
        const length = bytes.length;
        if (length >= 3) {
            bytes.copy(this.tail, 0, length - 3, length);
            this.tailLength = 3;
            return;
        }
        // A short read (the file's last bytes): keep what fits of the previous tail before it.
        const keep = Math.min(this.tailLength, 3 - length);
        this.tail.copy(this.tail, 0, this.tailLength - keep, this.tailLength);
        bytes.copy(this.tail, keep);
        this.tailLength = keep + length;
    }
}
const countBreaks = (text) => {
    let count = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
        count++;
    return count;
};

;// CONCATENATED MODULE: ./src/core/sql/insertParser.ts
/**
 * The fast path of a restore: parses the single-row `INSERT INTO name VALUES(…);` statements that
 * dumps consist of into JS values, so they can be bound to a prepared statement instead of being
 * parsed by SQLite one by one. Only literal forms are understood (NULL, integers, reals, strings,
 * blobs, the shell's replace(…,char(N)) line breaks, schollz/sqlite3dump's Inf); anything else is
 * left to the general path, which checks and executes the statement as SQL. So is every form where
 * JS could store other bytes than SQLite would (a surrogate's char(), a NUL in a literal, a bare
 * keyword as the table name): both paths must store the same (test/core/sql/insertDifferential.test.ts).
 */


const MORE = { kind: 'more' };
const GENERAL = { kind: 'general' };
const BARE_NAME = /[A-Za-z0-9_$\u0080-\uffff]/;
/** A table name: "quoted", [bracketed], `backticked` or bare. */
function parseName(text, at) {
    const c = text[at];
    if (c === undefined)
        return 'more';
    if (c === '"' || c === '`') {
        const end = closingQuote(text, at, c);
        if (end < 0)
            return 'more';
        return { value: text.slice(at + 1, end - 1).replaceAll(c + c, c), end };
    }
    if (c === '[') {
        const end = text.indexOf(']', at);
        return end < 0 ? 'more' : { value: text.slice(at + 1, end), end: end + 1 };
    }
    let end = at;
    while (end < text.length && BARE_NAME.test(text[end]))
        end++;
    if (end === text.length)
        return 'more';
    if (end === at || /[0-9$]/.test(c))
        return undefined;
    const name = text.slice(at, end);
    // A bare keyword is SQLite's to read (VALUES is a syntax error there, ABORT a name).
    return isSqlKeyword(name) ? undefined : { value: name, end };
}
function parseString(text, at) {
    const end = closingQuote(text, at, "'");
    if (end < 0)
        return 'more';
    const raw = text.slice(at + 1, end - 1);
    // SQLite's tokenizer stops at a NUL, so it refuses such a literal; leave that to it.
    if (raw.includes('\u0000'))
        return undefined;
    return { value: raw.includes("'") ? raw.replaceAll("''", "'") : raw, end };
}
/**
 * Nesting of replace() the fast path reads: a dump nests one for newlines and one for CRs. Deeper
 * nests go to SQLite, which refuses expressions deeper than its own limit; the parse is a loop, so
 * no nesting can exhaust the stack here.
 */
const MAX_REPLACE_NESTING = 4;
const REPLACE_CALL = 'replace(';
const CHAR_TAIL = /^,char\(([0-9]{1,7})\)\)/;
/** A code point SQLite's char() and JS agree on: not 0 (SQLite stops there), not a surrogate, in range. */
const isPlainCodePoint = (code) => code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
/** A string literal, or the shell's `replace(<expr>,'marker',char(N))` around one. */
function parseTextExpression(text, at) {
    let nesting = 0;
    while (text.startsWith(REPLACE_CALL, at + nesting * REPLACE_CALL.length)) {
        if (++nesting > MAX_REPLACE_NESTING)
            return undefined;
    }
    at += nesting * REPLACE_CALL.length;
    if (text[at] !== "'")
        return text.length - at < REPLACE_CALL.length ? 'more' : undefined;
    const literal = parseString(text, at);
    if (literal === 'more' || literal === undefined)
        return literal;
    let { value, end } = literal;
    for (; nesting > 0; nesting--) {
        if (text[end] !== ',')
            return text.length <= end ? 'more' : undefined;
        const marker = parseString(text, end + 1);
        if (marker === 'more' || marker === undefined)
            return marker;
        const tail = CHAR_TAIL.exec(text.slice(marker.end, marker.end + 20));
        if (!tail)
            return text.length - marker.end < 20 ? 'more' : undefined;
        const code = Number(tail[1]);
        // A surrogate's char() is bytes that are not UTF-8 (ED A0 80…); a JS string cannot carry them.
        if (!isPlainCodePoint(code) || marker.value === '')
            return undefined;
        value = value.replaceAll(marker.value, String.fromCodePoint(code));
        end = marker.end + tail[0].length;
    }
    return { value, end };
}
/** Digits, sign, point and exponent: the characters a numeric literal is made of. */
function isNumberChar(code) {
    return ((code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d || code === 0x2b || code === 0x65 || code === 0x45);
}
function parseNumber(text, at) {
    // Read on when the text stops inside "-Inf": the general path cannot read Inf at all.
    if (text.length - at < 4 && ('-Inf'.startsWith(text.slice(at)) || 'Inf'.startsWith(text.slice(at))))
        return 'more';
    if (text.startsWith('-Inf', at) || text.startsWith('Inf', at)) {
        const negative = text[at] === '-';
        return { value: negative ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY, end: at + (negative ? 4 : 3) };
    }
    let end = at + 1;
    let integer = true;
    for (; end < text.length; end++) {
        const code = text.charCodeAt(end);
        if (code >= 0x30 && code <= 0x39)
            continue;
        if (!isNumberChar(code))
            break;
        integer = false;
    }
    if (end === text.length)
        return 'more';
    const literal = text.slice(at, end);
    if (integer && literal !== '-') {
        // Up to 18 digits always fit in 64 bits; longer ones are checked (SQLite reads larger as REAL).
        if (end - at <= 18)
            return { value: BigInt(literal), end };
        const exact = BigInt(literal);
        return { value: exact >= INT64_MIN && exact <= INT64_MAX ? exact : Number(literal), end };
    }
    const value = Number(literal);
    // Number() accepts forms SQLite does not read the same way ("1e", "--1"); leave those to SQLite.
    if (Number.isNaN(value) || !/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(literal))
        return undefined;
    return { value, end };
}
/** Decodes hex digits; undefined when any character is not one (Buffer.from stops early there). */
function decodeHex(hex) {
    if (hex.length % 2 !== 0)
        return undefined;
    const bytes = Buffer.from(hex, 'hex');
    return bytes.length * 2 === hex.length ? bytes : undefined;
}
function parseValue(text, at) {
    const c = text[at];
    if (c === undefined)
        return 'more';
    if (c === "'" || c === 'r')
        return parseTextExpression(text, at);
    if (c === 'N') {
        if (text.length - at < 4)
            return 'more';
        return text.startsWith('NULL', at) ? { value: null, end: at + 4 } : undefined;
    }
    if ((c === 'X' || c === 'x') && at + 1 === text.length)
        return 'more';
    if ((c === 'X' || c === 'x') && text[at + 1] === "'") {
        const end = closingQuote(text, at + 1, "'");
        if (end < 0)
            return 'more';
        const bytes = decodeHex(text.slice(at + 2, end - 1));
        return bytes ? { value: bytes, end } : undefined;
    }
    if (c === '-' || c === 'I' || (c >= '0' && c <= '9'))
        return parseNumber(text, at);
    return undefined;
}
/** Parses `v1,v2,…);` starting at `at` (just after `VALUES(`). */
function parseValues(text, at) {
    const values = [];
    for (;;) {
        const value = parseValue(text, at);
        if (value === 'more')
            return MORE;
        if (!value)
            return GENERAL;
        values.push(value.value);
        at = value.end;
        const next = text[at];
        if (next === ',')
            at++;
        else if (next === ')') {
            if (at + 1 >= text.length)
                return MORE;
            return text[at + 1] === ';' ? { kind: 'values', values, end: at + 2 } : GENERAL;
        }
        else
            return next === undefined ? MORE : GENERAL;
    }
}
/** Parses the statement at `start` (which begins with `INSERT INTO `). */
function parseInsert(text, start) {
    const name = parseName(text, start + 12);
    if (name === 'more')
        return MORE;
    if (!name)
        return GENERAL;
    if (text.length - name.end < 8)
        return MORE;
    if (!text.startsWith(' VALUES(', name.end))
        return GENERAL;
    const valuesAt = name.end + 8;
    const parsed = parseValues(text, valuesAt);
    if (parsed.kind !== 'values')
        return parsed;
    return { kind: 'row', table: name.value, values: parsed.values, valuesAt, end: parsed.end };
}

;// CONCATENATED MODULE: ./src/core/sql/statementPolicy.ts
/**
 * Which statements a dump may contain (docs/format.md §4). A restore executes only these: the statements
 * our build writes, and those of sqlite3 CLI (≤ 3.49) and schollz/sqlite3dump dumps. Everything
 * else — ATTACH, DETACH, VACUUM INTO, other PRAGMAs, dot-commands, UPDATE, SELECT, schema-qualified
 * names, extension loading — is refused.
 */


/** Words that may appear in the values of an INSERT: literals and pure functions of literals. */
const VALUE_WORDS = new Set(['NULL', 'TRUE', 'FALSE', 'REPLACE', 'CHAR', 'CAST', 'AS', 'TEXT', 'BLOB', 'UNISTR']);
/** Functions that reach outside the database; refused anywhere, even in a view or a trigger. */
const FORBIDDEN_WORDS = new Set(['LOAD_EXTENSION', 'FTS3_TOKENIZER', 'READFILE', 'WRITEFILE', 'EDIT']);
const SCHEMA_TABLES = new Set(['SQLITE_SCHEMA', 'SQLITE_MASTER', 'SQLITE_TEMP_SCHEMA', 'SQLITE_TEMP_MASTER']);
const refuse = (why) => ({ kind: 'refuse', why });
/**
 * A word or name of the statement inside a reason. It comes from the dump: a plain ASCII word is
 * shown as it is (`ATTACH`, `writable_schema`); anything else is quoted, escaped (no newline or
 * escape sequence reaches a log) and cut short (a name can be megabytes long).
 */
const statementPolicy_shown = (token) => {
    if (!token)
        return '';
    return token.kind === 'word' && /^[A-Za-z0-9_]{1,60}$/.test(token.value) ? token.value : quoted(token.value, 60);
};
const upper = (token) => (token?.kind === 'word' ? token.value.toUpperCase() : '');
const isPunct = (token, char) => token?.kind === 'punct' && token.value === char;
/** Drops a trailing `;` so the last token is the statement's own. */
function body(tokens) {
    return isPunct(tokens.at(-1), ';') ? tokens.slice(0, -1) : tokens;
}
/** Index of the object name after CREATE …; refuses TEMP objects and qualified names. */
function createdName(tokens, kindIndex) {
    let at = kindIndex + 1;
    if (isKeyword(tokens[at], 'IF') && isKeyword(tokens[at + 1], 'NOT') && isKeyword(tokens[at + 2], 'EXISTS'))
        at += 3;
    if (!isName(tokens[at]))
        return refuse('a CREATE statement without a name');
    if (isPunct(tokens[at + 1], '.'))
        return refuse('a schema-qualified name (a dump only writes to its own database)');
    return at;
}
function classifyCreate(tokens) {
    let at = 1;
    if (isKeyword(tokens[at], 'TEMP', 'TEMPORARY'))
        return refuse('CREATE TEMP (a dump holds no temporary objects)');
    if (isKeyword(tokens[at], 'VIRTUAL'))
        return refuse('CREATE VIRTUAL TABLE (virtual tables cannot be restored from a dump)');
    if (isKeyword(tokens[at], 'UNIQUE'))
        at++;
    const kind = upper(tokens[at]);
    if (!['TABLE', 'INDEX', 'VIEW', 'TRIGGER'].includes(kind) || (kind !== 'INDEX' && at !== 1)) {
        return refuse(`CREATE ${statementPolicy_shown(tokens[at])}`.trim());
    }
    const name = createdName(tokens, at);
    if (typeof name !== 'number')
        return name;
    if (kind === 'TABLE') {
        if (tokens[name].value.toUpperCase().startsWith('SQLITE_'))
            return refuse('CREATE TABLE of a reserved sqlite_ name');
        if (!isPunct(tokens[name + 1], '('))
            return refuse('CREATE TABLE … AS SELECT (a dump writes column definitions)');
    }
    return { kind: 'execute' };
}
function classifyInsert(tokens, statisticsAllowed) {
    if (!isKeyword(tokens[1], 'INTO'))
        return refuse(`INSERT ${statementPolicy_shown(tokens[1])} (a dump writes plain INSERT INTO)`);
    if (!isName(tokens[2]))
        return refuse('INSERT without a table name');
    if (isPunct(tokens[3], '.'))
        return refuse('a schema-qualified name (a dump only writes to its own database)');
    const table = tokens[2].value.toUpperCase();
    if (SCHEMA_TABLES.has(table))
        return refuse(`INSERT INTO ${statementPolicy_shown(tokens[2])} (writing the schema table directly)`);
    if (table.startsWith('SQLITE_STAT') && !statisticsAllowed)
        return refuse(`INSERT INTO ${statementPolicy_shown(tokens[2])} without ANALYZE`);
    if (table.startsWith('SQLITE_') && table !== 'SQLITE_SEQUENCE' && !table.startsWith('SQLITE_STAT')) {
        return refuse(`INSERT INTO ${statementPolicy_shown(tokens[2])} (a reserved table)`);
    }
    let at = 3;
    if (isPunct(tokens[at], '(')) {
        while (at < tokens.length && !isPunct(tokens[at], ')'))
            at++;
        at++;
    }
    if (!isKeyword(tokens[at], 'VALUES'))
        return refuse('INSERT … SELECT (a dump writes VALUES)');
    for (const token of tokens.slice(at + 1)) {
        if (token.kind === 'word' && !VALUE_WORDS.has(token.value.toUpperCase()))
            return refuse(`${statementPolicy_shown(token)} in VALUES (only literals)`);
        if (token.kind === 'quoted')
            return refuse(`identifier ${statementPolicy_shown(token)} in VALUES (only literals)`);
        if (token.kind === 'punct' && !'(),-+'.includes(token.value))
            return refuse(`${statementPolicy_shown(token)} in VALUES (only literals)`);
    }
    return { kind: 'execute', countsRow: !table.startsWith('SQLITE_') };
}
/**
 * Classifies one complete statement (as split by the loader). `statisticsAllowed`: an ANALYZE of
 * the schema table came first, as in sqlite3 CLI dumps, so sqlite_stat1 rows may follow.
 */
function classifyStatement(sql, statisticsAllowed) {
    let tokens;
    try {
        tokens = body(tokenize(sql));
    }
    catch (error) {
        return refuse(`unreadable SQL (${error.message})`);
    }
    const first = tokens[0];
    if (!first)
        return { kind: 'skip' };
    if (isPunct(first, '.'))
        return refuse(`the dot-command .${statementPolicy_shown(tokens[1])} (a dump is SQL, not a shell script)`);
    // A call, however its name is spelled ("quoted", [bracketed]); a column that happens to be named
    // `edit` is not one.
    const forbidden = tokens.find((token, index) => (token.kind === 'word' || token.kind === 'quoted') &&
        FORBIDDEN_WORDS.has(token.value.toUpperCase()) &&
        isPunct(tokens[index + 1], '('));
    if (forbidden)
        return refuse(`${statementPolicy_shown(forbidden)}() (loading code or files is never part of a dump)`);
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
            if (name === 'FOREIGN_KEYS' && simple)
                return { kind: 'skip' };
            if (name === 'USER_VERSION' && (simple || (tokens.length === 5 && isPunct(tokens[3], '-')))) {
                return tokens.at(-1)?.kind === 'number' ? { kind: 'execute' } : refuse('PRAGMA user_version with a non-number');
            }
            return refuse(`PRAGMA ${statementPolicy_shown(tokens[1])} (a dump only sets foreign_keys and user_version)`);
        }
        case 'CREATE':
            return classifyCreate(tokens);
        case 'INSERT':
            return classifyInsert(tokens, statisticsAllowed);
        case 'DELETE':
            return tokens.length === 3 && isKeyword(tokens[1], 'FROM') && tokens[2].value.toLowerCase() === 'sqlite_sequence'
                ? { kind: 'execute' }
                : refuse('DELETE (a dump only clears sqlite_sequence)');
        case 'ANALYZE':
            return tokens.length === 2 && ['sqlite_schema', 'sqlite_master'].includes(tokens[1].value.toLowerCase())
                ? { kind: 'execute', enablesStatistics: true }
                : refuse('ANALYZE (a dump only analyzes the schema table, before sqlite_stat1 rows)');
        case 'ROLLBACK':
            return refuse('ROLLBACK (the dump was written by a failing export; rebuild it)');
        default:
            return refuse(`${statementPolicy_shown(first)}${tokens[1] && first.kind === 'word' ? ` ${statementPolicy_shown(tokens[1])}` : ''} (not a statement a dump contains)`);
    }
}

;// CONCATENATED MODULE: ./src/core/load/loadDump.ts
/**
 * Loads a dump into an open (new, empty) database: the dump is read as a stream and split into
 * complete statements; every statement is checked against the dump allow-list before it runs, and
 * the dump must end with its COMMIT (anything after it, or a missing COMMIT, is refused). Row
 * statements take a fast path: parsed in JS and bound to a cached prepared INSERT.
 */









const INSERT_PREFIX = 'INSERT INTO ';
const FIRST_WINDOW = 4096;
/** Loader.nextBreak when the text read so far holds no newline past the mark. */
const NO_BREAK = Number.MAX_SAFE_INTEGER;
/** Tables whose rows the fast path may insert; others go through the allow-list. */
const fastTable = (name) => !isInternalName(name) || name.toLowerCase() === 'sqlite_sequence';
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
    target;
    reader;
    path;
    /** The `INSERT INTO "t" VALUES(` text of the last fast row, and its table: consecutive rows share it. */
    lastPrefix = '\u0000';
    lastTable = '';
    /** Rows of sqlite_* tables (sqlite_sequence, statistics) are not counted, as the dump does not. */
    countLastTable = true;
    tableRows = new TableRowCounts();
    /** The row counter of lastTable, kept so a row costs no lookup. */
    lastCounter = { rows: 0 };
    /**
     * Line numbers for messages, counted as the loader moves on: `text[markAt]` is on line
     * `markLine`, and `nextBreak` is the first newline at or after it (-1: not looked for yet,
     * NO_BREAK: none in the text read so far). Each newline is looked at once.
     */
    markAt = 0;
    markLine = 1;
    nextBreak = -1;
    keepHeapFlat = heapKeeper(KEEP_HEAP_EVERY);
    /** Large statements bring the next pace() sooner, so what waits for the target stays bounded in bytes too. */
    paceAtBytes = PACE_EVERY_BYTES;
    committed = false;
    began = false;
    statistics = false;
    stats = { statements: 0, rows: 0, rowsByTable: new Map(), checksum: '' };
    onProgress;
    totalBytes;
    constructor(target, fd, path, onProgress) {
        this.target = target;
        this.path = path;
        this.reader = new DumpReader(fd, path);
        this.onProgress = onProgress;
        this.totalBytes = (0,external_node_fs_.fstatSync)(fd).size;
    }
    /** 1-based line of `reader.text[index]`; cheap when called with growing indexes. */
    lineOf(index) {
        if (index < this.markAt)
            return this.reader.lineAt(index);
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
    where(index) {
        return `${this.path} line ${this.lineOf(index)}`;
    }
    /** reader.more(), keeping line counting right: reading on drops the consumed text. */
    readMore(minimumChars) {
        const reader = this.reader;
        const more = reader.more(minimumChars);
        this.markAt = reader.pos;
        this.markLine = reader.lineAt(reader.pos);
        this.nextBreak = -1;
        return more;
    }
    /** A dump converted to CRLF line endings (a Windows checkout) must not load as if unchanged. */
    carriageReturn(index) {
        const crlf = this.reader.text.charCodeAt(index + 1) === 0x0a;
        return refusal('invalid', `${this.where(index)}: ${crlf ? 'the dump has Windows (CRLF) line endings' : 'a carriage return (CR) ends a statement'}; a dump's lines end in \\n only, and converting line endings changes its bytes and its checksum.`, 'Use snapshot.sql exactly as it was built: download the artifact as-is; for a git checkout set core.autocrlf false (or mark *.sql -text in .gitattributes) and check it out again; or convert it back with dos2unix.');
    }
    /** Skips whitespace and comments; false at the end of the dump. */
    skipToStatement() {
        const reader = this.reader;
        for (;;) {
            const text = reader.text;
            let at = reader.pos;
            let open = false;
            while (at < text.length) {
                const c = text.charCodeAt(at);
                if (c === 0x20 || c === 0x0a || c === 0x09)
                    at++;
                else if (c === 0x0d)
                    throw this.carriageReturn(at);
                else if (c === 0x2d && text.charCodeAt(at + 1) === 0x2d) {
                    const end = text.indexOf('\n', at);
                    if (end < 0) {
                        open = true;
                        break;
                    }
                    at = end + 1;
                }
                else if (c === 0x2f && text.charCodeAt(at + 1) === 0x2a) {
                    const end = text.indexOf('*/', at + 2);
                    if (end < 0) {
                        open = true;
                        break;
                    }
                    at = end + 2;
                }
                else if ((c === 0x2d || c === 0x2f) && at + 1 === text.length) {
                    // A lone '-' or '/' at the end of what was read may start a comment: read on to know.
                    open = true;
                    break;
                }
                else {
                    reader.pos = at;
                    return true;
                }
            }
            reader.pos = at;
            if (this.readMore())
                continue;
            if (!open)
                return false;
            // The file ends in a comment: fine for a line comment; anything else is left to the splitter.
            if (reader.text.startsWith('--', reader.pos)) {
                reader.pos = reader.text.length;
                return false;
            }
            return true;
        }
    }
    /** Tries the fast path at the current position; true when it consumed a statement. */
    fastInsert() {
        const reader = this.reader;
        for (;;) {
            const text = reader.text;
            let table = this.lastTable;
            let parsed;
            if (text.startsWith(this.lastPrefix, reader.pos)) {
                parsed = parseValues(text, reader.pos + this.lastPrefix.length);
            }
            else {
                const row = parseInsert(text, reader.pos);
                if (row.kind === 'row') {
                    if (!fastTable(row.table))
                        return false;
                    this.lastPrefix = text.slice(reader.pos, row.valuesAt);
                    this.lastTable = table = row.table;
                    this.countLastTable = !isInternalName(table);
                    if (this.countLastTable)
                        this.lastCounter = this.tableRows.counter(table);
                    parsed = { kind: 'values', values: row.values, end: row.end };
                }
                else
                    parsed = row;
            }
            if (parsed.kind === 'more') {
                if (this.readMore(Math.max(FIRST_WINDOW, reader.text.length - reader.pos)))
                    continue;
                return false;
            }
            if (parsed.kind === 'general')
                return false;
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
    nextStatement() {
        const reader = this.reader;
        let window = FIRST_WINDOW;
        for (;;) {
            const available = reader.text.length - reader.pos;
            const scan = scanStatements(reader.text.slice(reader.pos, reader.pos + Math.min(window, available)));
            const end = scan.ends[0];
            if (end !== undefined)
                return reader.text.slice(reader.pos, reader.pos + end);
            if (window < available)
                window *= 4;
            else if (!this.readMore(Math.max(window, FIRST_WINDOW)))
                return undefined;
        }
    }
    general() {
        const reader = this.reader;
        const statement = this.nextStatement();
        // Reading on may have dropped consumed text: positions are taken after the split.
        const start = reader.pos;
        if (statement === undefined) {
            throw refusal('truncated', `${this.where(start)}: the dump ends inside a statement, before its final COMMIT.`, 'The file is truncated: download the artifact again or rebuild it.');
        }
        const action = classifyStatement(statement, this.statistics);
        if (action.kind === 'refuse') {
            throw refusal('hostile', `${this.where(start)}: refused ${action.why}.`, 'Restore only dumps made by sqlite-snapshot build (or a plain sqlite3 .dump).');
        }
        if (action.kind === 'begin') {
            if (this.began)
                throw refusal('hostile', `${this.where(start)}: refused a second BEGIN.`);
            this.began = true;
        }
        else if (action.kind === 'commit') {
            this.target.commit(this.where(start));
            this.committed = true;
        }
        else if (action.kind === 'execute') {
            this.target.execute(statement, this.where(start));
            if (action.enablesStatistics)
                this.statistics = true;
            if (action.countsRow)
                this.countGeneralInsert(statement);
        }
        reader.pos = start + statement.length;
    }
    /** A row statement the fast path left to SQLite: it may hold several rows (`VALUES (…), (…)`). */
    countGeneralInsert(statement) {
        const insert = insertedRows(statement);
        if (!insert)
            return;
        this.stats.rows += insert.rows;
        this.tableRows.counter(insert.table).rows += insert.rows;
    }
    /**
     * A statement beyond what this process can hold (longer than a JS string can be) or nest (the
     * call stack): refused where it starts, instead of crashing. The parsers loop rather than recurse,
     * so this is a last line of defence.
     */
    tooLarge(error) {
        return refusal('invalid', `${this.where(this.reader.pos)}: the statement is too large or too deeply nested to load (${error.message}).`, 'A dump made by sqlite-snapshot build never holds such a statement: rebuild the snapshot from its database.', error);
    }
    async run() {
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
                if (reader.text.length - reader.pos < INSERT_PREFIX.length)
                    this.readMore(INSERT_PREFIX.length);
                if (reader.text.startsWith(INSERT_PREFIX, reader.pos) && this.fastInsert())
                    continue;
                this.general();
            }
            this.stats.checksum = reader.checksum();
            this.stats.rowsByTable = this.tableRows.toMap();
            if (!this.committed) {
                throw refusal('truncated', `${this.path} ends without its final COMMIT.`, 'The file is truncated: download the artifact again or rebuild it.');
            }
            done = true;
            return this.stats;
        }
        catch (error) {
            throw error instanceof RangeError ? this.tooLarge(error) : error;
        }
        finally {
            if (!done)
                this.target.abandon();
        }
    }
}
/**
 * Executes the dump open as `fd` (read from its first byte; `path` names it in messages) through
 * `target` (a new, empty database) in one transaction; `onProgress` hears every few hundred
 * statements (callers throttle what they show).
 */
function loadDumpInto(target, fd, path, onProgress) {
    return new Loader(target, fd, path, onProgress).run();
}

;// CONCATENATED MODULE: ./src/core/load/restoreLoad.ts
/**
 * Loads a dump into a brand-new database file in two stages, both on worker threads: a parser reads,
 * checks and parses the dump (the allow-list, the fast INSERT parser, the checksum) and hands the
 * accepted statements to an inserter that owns the new database (insertWorker.ts). Parsing and
 * inserting thus run on two cores.
 *
 * The parser runs on a worker, not on the calling thread, for memory: V8 grows a thread's young
 * generation the longer it allocates (16, 32, 64 MB, …), and parsing allocates for every row, so on
 * the calling thread peak memory grew with the size of the dump. A worker's young generation can be
 * capped; the calling thread only relays progress and stays small.
 */




const restoreLoad_ROLE = 'sqlite-snapshot-restore-parse';
/** Parses the dump on this thread and inserts through an insert worker; the worker is stopped at the end. */
async function parseAndInsert(dumpFd, dumpPath, dbPath, onProgress) {
    const target = new InsertWorkerTarget(dumpPath, dbPath);
    try {
        const stats = await loadDumpInto(target, dumpFd, dumpPath, onProgress);
        await target.finish();
        return stats;
    }
    catch (error) {
        // The inserter's own failure (a refused row, a full disk) explains a later one here.
        throw target.failure && error !== target.failure && !(error instanceof SnapshotError) ? target.failure : error;
    }
    finally {
        await target.terminate();
    }
}
if (!external_node_worker_threads_.isMainThread && external_node_worker_threads_.workerData?.role === restoreLoad_ROLE) {
    const init = external_node_worker_threads_.workerData;
    const port = external_node_worker_threads_.parentPort;
    parseAndInsert(init.dumpFd, init.dumpPath, init.dbPath, (progress) => port.postMessage({ progress })).then((stats) => port.postMessage({ done: stats }), (error) => port.postMessage(describeFailure(error)));
}
/**
 * Loads the dump open as `dumpFd` (named `dumpPath` in messages) into the new file `dbPath`; fails
 * (leaving `dbPath` for the caller to remove) when a statement is refused, the dump is truncated,
 * or its bytes are not `expectedChecksum`. `signal` stops the load (both threads) at once.
 */
async function loadDumpIntoNewDatabase(dumpFd, dumpPath, dbPath, expectedChecksum, signal, onProgress) {
    const init = { role: restoreLoad_ROLE, dumpFd, dumpPath, dbPath };
    const worker = new external_node_worker_threads_.Worker(new URL(import.meta.url), {
        workerData: init,
        resourceLimits: { maxYoungGenerationSizeMb: insertWorker_WORKER_YOUNG_GENERATION_MB },
    });
    let onAbort = () => { };
    try {
        const stats = await new Promise((resolve, reject) => {
            onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('restore cancelled'));
            if (signal?.aborted)
                onAbort();
            signal?.addEventListener('abort', onAbort);
            worker.on('message', (message) => {
                if ('progress' in message)
                    onProgress?.(message.progress);
                else if ('done' in message)
                    resolve(message.done);
                else
                    reject(rebuildFailure(message.failed));
            });
            worker.once('error', reject);
            worker.once('exit', () => reject(new Error('the restore worker stopped before it finished')));
        });
        if (stats.checksum !== expectedChecksum) {
            throw refusal('verification', `${dumpPath} changed after it was verified (its checksum is now ${stats.checksum}).`, 'Something is writing to the snapshot directory; restore from an untouched copy.');
        }
        return stats;
    }
    finally {
        signal?.removeEventListener('abort', onAbort);
        // Stops the parser and, with it, the insert worker it started.
        await worker.terminate();
    }
}

;// CONCATENATED MODULE: ./src/core/place/backup.ts
/**
 * What a replace leaves of the old database and how the new one is owned: a backup copied from the
 * locked old file, published only once whole, and the target's mode and owner carried over.
 */





/**
 * `<name>.bak-20260102T030405Z`, copied from the locked fd (see replaceDatabase) with the target's
 * mode and owner: written under a temp name in `workDir` (the restore dir, same file system) and
 * fsynced, then linked to its name, so a backup name never holds a partial copy and never replaces
 * an older backup.
 */
function copyBackup(fd, targetPath, workDir, now) {
    const stamp = `${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
    const base = `${targetPath}.bak-${stamp}`;
    const temp = (0,external_node_path_.join)(workDir, 'backup.db');
    const target = (0,external_node_fs_.fstatSync)(fd);
    let out;
    try {
        out = (0,external_node_fs_.openSync)(temp, 'wx', target.mode & 0o777);
        const buffer = Buffer.alloc(1 << 20);
        for (let position = 0;;) {
            const read = (0,external_node_fs_.readSync)(fd, buffer, 0, buffer.length, position);
            if (read === 0)
                break;
            for (let written = 0; written < read;)
                written += (0,external_node_fs_.writeSync)(out, buffer, written, read - written);
            position += read;
        }
        giveOwnership(out, target);
        (0,external_node_fs_.fsyncSync)(out);
        (0,external_node_fs_.closeSync)(out);
        out = undefined;
        for (let attempt = 1;; attempt++) {
            const backupPath = attempt === 1 ? base : `${base}-${attempt}`;
            if (publishBackup(temp, backupPath))
                return backupPath;
            if (attempt >= 100)
                throw Object.assign(new Error(`${backupPath} and 99 others exist`), { code: 'EEXIST' });
        }
    }
    catch (error) {
        if (out !== undefined)
            (0,external_node_fs_.closeSync)(out);
        (0,external_node_fs_.rmSync)(temp, { force: true });
        const full = error.code === 'ENOSPC';
        throw ioError(full
            ? `No space left on the device for the backup ${base}; nothing was replaced.`
            : `Cannot write the backup ${base}: ${error.message}; nothing was replaced.`, `Free space or fix permissions in the target directory, or restore without a backup (${options_option('no-backup')}).`, error);
    }
}
/** Links the finished backup to its name; false when that name is taken (an older backup stays). */
function publishBackup(temp, backupPath) {
    try {
        (0,external_node_fs_.linkSync)(temp, backupPath);
        return true;
    }
    catch (error) {
        const code = error.code;
        if (code === 'EEXIST')
            return false;
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')
            throw error;
    }
    // A file system without hard links: rename, after making sure the name is free.
    if (lstatOrUndefined(backupPath))
        return false;
    (0,external_node_fs_.renameSync)(temp, backupPath);
    return true;
}
/** The target's owner and group for a file we made (only root, or the owner, can do this). */
function giveOwnership(fd, target) {
    if (process.platform === 'win32')
        return;
    const mine = (0,external_node_fs_.fstatSync)(fd);
    if (mine.uid !== target.uid || mine.gid !== target.gid)
        (0,external_node_fs_.fchownSync)(fd, target.uid, target.gid);
    // chown clears set-id bits, and the file was created through the umask: set the mode last.
    (0,external_node_fs_.fchmodSync)(fd, target.mode & 0o7777);
}
/** The restored DB takes the target's mode and owner, so the service that owns it can still write it. */
function keepModeAndOwner(tempDbPath, targetPath, target) {
    const fd = (0,external_node_fs_.openSync)(tempDbPath, 'r');
    try {
        giveOwnership(fd, target);
    }
    catch (error) {
        throw ioError(`Cannot give the restored DB the owner (uid ${target.uid}, gid ${target.gid}) and mode ${(target.mode & 0o7777).toString(8)} of ${targetPath}: ${error.message}; it was not replaced.`, 'Run the restore as the user that owns the database, or as root.', error);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** A backup made for a replace that then failed: the old database is still in place, a copy is clutter. */
function discardBackup(backupPath) {
    try {
        (0,external_node_fs_.rmSync)(backupPath, { force: true });
    }
    catch {
        // Left as it is: it is a whole copy, and the failure that matters is the one being thrown.
    }
}

;// CONCATENATED MODULE: ./src/core/place/openHolders.ts
/**
 * Which other processes hold a file open: Linux reads /proc, macOS and other Unixes ask lsof, and
 * Windows needs no list because the rename itself fails there while any process holds the file.
 *
 * The replace's primary safety is SQLite's own lock (targetLock.ts): a connection that is reading or
 * writing, and any connection at all to a WAL database, stops it. This check adds the one case the
 * lock cannot see: an idle connection to a rollback-journal database, which holds no lock but would
 * go on reading and writing the old, unlinked file after the rename, its writes silently lost.
 * Where that cannot be told (lsof missing, slow or failing), the replace goes ahead on the lock alone.
 */




const WINDOWS_HOLDERS = 'Windows has no /proc and no lsof; there the rename fails while another process holds the file open';
/** Other processes holding `path` (whose stats are `file`) open, or why that cannot be told. */
async function findOpenHolders(path, file, lookup = {}) {
    switch (osFamily(lookup.platform)) {
        case 'windows':
            return { known: false, why: WINDOWS_HOLDERS };
        case 'linux':
            // A /proc that cannot be listed (a sandbox without it): lsof may still be there.
            return procHolders(file) ?? (await lsofHolders(path, lookup.env, lookup.timeoutMs));
        default:
            return await lsofHolders(path, lookup.env, lookup.timeoutMs);
    }
}
/**
 * From /proc/<pid>/fd, comparing device and inode (a path may have been renamed); undefined when
 * /proc cannot be listed. Other users' processes cannot be read, as with lsof run by a non-root user.
 */
function procHolders(file) {
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)('/proc');
    }
    catch {
        return undefined;
    }
    const holders = [];
    for (const pid of entries) {
        if (!/^\d+$/.test(pid) || Number(pid) === process.pid)
            continue;
        let fds;
        try {
            fds = (0,external_node_fs_.readdirSync)(`/proc/${pid}/fd`);
        }
        catch {
            continue; // EACCES: another user's process; ENOENT: it just exited
        }
        const holds = fds.some((fd) => {
            try {
                const link = `/proc/${pid}/fd/${fd}`;
                if (!(0,external_node_fs_.readlinkSync)(link).startsWith('/'))
                    return false; // sockets, pipes, anonymous inodes
                const target = (0,external_node_fs_.statSync)(link);
                return target.ino === file.ino && target.dev === file.dev;
            }
            catch {
                return false;
            }
        });
        if (holds)
            holders.push(`${pid} (${readComm(pid)})`);
    }
    return { known: true, holders };
}
function readComm(pid) {
    try {
        return (0,external_node_fs_.readFileSync)(`/proc/${pid}/comm`, 'utf8').trim();
    }
    catch {
        return '?';
    }
}
/** lsof scans every process; on a busy Mac that takes well under a second. */
const LSOF_TIMEOUT_MS = 5000;
/** A pid and a command name per holder: more than this is not a list anyone reads to the end. */
const openHolders_OUTPUT_LIMIT = 1 << 20;
/**
 * Asks lsof, which is part of macOS; elsewhere it may be missing, slow or refused, and each of those
 * is "cannot tell", never "nobody".
 *
 * `lsof -w -F pc -- <file>`: lsof matches the file by device and inode, `-F pc` prints a `p<pid>`
 * line and a `c<command>` line per process, `-w` keeps warnings about other mounts quiet. It exits
 * 1 both when nobody holds the file and when it fails; only the silent exit 1 means nobody.
 */
async function lsofHolders(path, env = process.env, timeoutMs = LSOF_TIMEOUT_MS) {
    const child = (0,external_node_child_process_namespaceObject.spawn)('lsof', ['-w', '-F', 'pc', '--', (0,external_node_path_.resolve)(path)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
        if (stdout.length < openHolders_OUTPUT_LIMIT)
            stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk) => {
        if (stderr.length < openHolders_OUTPUT_LIMIT)
            stderr += chunk.toString('utf8');
    });
    return await new Promise((done) => {
        const finish = (result) => {
            clearTimeout(timer);
            done(result);
        };
        const timer = setTimeout(() => {
            // Not waiting for its pipes to close: a helper lsof forked may hold them a while longer.
            child.kill('SIGKILL');
            child.stdout.destroy();
            child.stderr.destroy();
            finish({ known: false, why: `lsof gave no answer within ${timeoutMs} ms` });
        }, timeoutMs);
        child.once('error', (error) => finish({
            known: false,
            why: error.code === 'ENOENT' ? 'lsof was not found on PATH' : `lsof could not run: ${error.message}`,
        }));
        child.once('close', (code, signal) => {
            if (code === 0)
                finish({ known: true, holders: parseLsof(stdout) });
            else if (code === 1 && stdout.trim() === '' && stderr.trim() === '')
                finish({ known: true, holders: [] });
            else {
                const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
                const said = stderr.trim().split('\n')[0] ?? '';
                finish({ known: false, why: `lsof ${how}${said ? `: ${said}` : ''}` });
            }
        });
    });
}
/** `pid (command)` for every process in lsof's field output but this one. */
function parseLsof(output) {
    const holders = new Map();
    let pid;
    for (const line of output.split('\n')) {
        const field = line[0];
        const value = line.slice(1).trim();
        if (field === 'p') {
            pid = /^\d+$/.test(value) && Number(value) !== process.pid ? value : undefined;
            if (pid && !holders.has(pid))
                holders.set(pid, '?');
        }
        else if (field === 'c' && pid && value)
            holders.set(pid, value);
    }
    return [...holders].map(([id, command]) => `${id} (${command})`);
}

;// CONCATENATED MODULE: ./src/core/place/replaceRefusal.ts
/** The refusals of a replace that leave the target exactly as it was. */

const BUSY_HINT = 'Stop the application using the database (or let it finish), then run the restore again.';
/** The 'busy' refusal: the target is in use or not a plain file, and stays exactly as it was. */
function notReplaced(targetPath, what, hint = BUSY_HINT, cause) {
    return refusal('busy', `Restore target ${targetPath} ${what}; it was not replaced.`, hint, cause);
}

;// CONCATENATED MODULE: ./src/core/place/placeDatabase.ts
/**
 * Putting the restored DB at the target's name, and saying clearly why the file system refused:
 * by a hard link where nothing is there yet (so a file that appears meanwhile is not replaced), by
 * the final rename otherwise.
 */





/** link() fails if a file appeared at the target meanwhile, where rename() would silently replace it. */
function placeAtAbsentTarget(tempDbPath, targetPath) {
    try {
        (0,external_node_fs_.linkSync)(tempDbPath, targetPath);
    }
    catch (error) {
        const code = error.code;
        if (code === 'EEXIST')
            throw notReplaced(targetPath, 'was created by another process meanwhile');
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP')
            throw placeError(error, tempDbPath, targetPath);
        try {
            (0,external_node_fs_.renameSync)(tempDbPath, targetPath); // a filesystem without hard links
        }
        catch (renameError) {
            throw placeError(renameError, tempDbPath, targetPath);
        }
    }
    try {
        (0,external_node_fs_.unlinkSync)(tempDbPath);
    }
    catch {
        // The target is in place. A second name left in the restore dir (a virus scanner on Windows may
        // hold the new file a moment) goes with that dir, so it must not make the restore fail.
    }
    fsyncPath((0,external_node_path_.dirname)((0,external_node_path_.resolve)(targetPath)));
}
/** Runs the final rename, its file-system errors explained; refusals pass as they are. */
async function place(tempDbPath, targetPath, rename) {
    try {
        await rename();
    }
    catch (error) {
        throw error instanceof SnapshotError ? error : placeError(error, tempDbPath, targetPath);
    }
}
/** What to do about a failed final rename, by its cause. */
const PLACE_HINTS = {
    EXDEV: 'The temp DB must be in a directory made by makeRestoreDir next to the target.',
    // A file bind-mounted over (a container's `-v ./app.db:/data/app.db`) cannot be renamed over.
    EBUSY: 'The target is a mount point, most often a database file bind-mounted into a container; mount its directory instead of the file, or restore where the file really lives.',
    EPERM: 'Check the permissions of the target directory, and that the target is not immutable or append-only (lsattr; chattr -i / -a).',
};
function placeError(error, tempDbPath, targetPath) {
    const code = error.code ?? '';
    return ioError(`Cannot move the restored DB ${(0,external_node_path_.basename)(tempDbPath)} to ${targetPath}: ${error.message}; the target was not replaced.`, PLACE_HINTS[code] ?? 'Check the permissions of the target directory.', error);
}

;// CONCATENATED MODULE: ./src/core/place/targetLock.ts
/**
 * The replace's hold on the old database: an exclusive SQLite lock, with everything of the old
 * DB in its main file (WAL checkpointed, journal mode DELETE, no -wal/-journal/-shm left), because
 * a stale sidecar beside the path would be replayed into the new file by its next opener.
 */






const NOT_SQLITE = { fresh: false, reason: 'is not a SQLite database' };
/** Locks the target exclusively and leaves it with no -wal/-journal/-shm: everything is in the main file. */
async function lockTarget(targetPath, fd) {
    const header = readHeaderAt(fd, 16);
    if (header.length > 0 && !hasSqliteMagic(header)) {
        // Not SQLite (replaced with force): nothing to lock, but a journal beside it would be replayed into the new DB.
        assertNoJournal(targetPath);
        return { judge: () => NOT_SQLITE, undo() { }, release() { } };
    }
    const Database = await loadSqlite();
    let db;
    let wasWal = false;
    try {
        db = new Database(targetPath, { fileMustExist: true, timeout: 200 });
        db.pragma('user_version'); // the first read recovers a hot journal and finds a WAL
        wasWal = db.pragma('journal_mode', { simple: true }) === 'wal';
        if (wasWal) {
            const [result] = db.pragma('wal_checkpoint(TRUNCATE)');
            if (result?.busy !== 0)
                throw notReplaced(targetPath, 'is being read or written by another process');
        }
        // Leaving WAL (persistent, in the header) needs the only connection to the DB.
        if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') {
            throw notReplaced(targetPath, 'stays in WAL mode: another process has it open');
        }
        // Going from PERSIST to MEMORY makes SQLite delete a -journal left by a PERSIST or TRUNCATE writer.
        // And our own journal must never sit on disk: once the new file has this name, a -journal of the old
        // one would look hot and be rolled back into it (locking an empty DB writes page 1, so even BEGIN
        // EXCLUSIVE makes one). Defensive mode forbids journal_mode=OFF; MEMORY keeps it in RAM.
        db.pragma('journal_mode = PERSIST');
        if (db.pragma('journal_mode = MEMORY', { simple: true }) !== 'memory')
            throw new Error('SQLite refused journal_mode=MEMORY');
        db.exec('BEGIN EXCLUSIVE');
        assertNoJournal(targetPath);
        // Unused once the mode is DELETE and nobody else can connect: a stale one must not meet the new file.
        if ((0,external_node_fs_.existsSync)(`${targetPath}-shm`))
            (0,external_node_fs_.unlinkSync)(`${targetPath}-shm`);
    }
    catch (error) {
        restoreWal(db, wasWal);
        db?.close();
        throw explainLockError(error, targetPath);
    }
    const locked = db;
    const ino = (0,external_node_fs_.fstatSync)(fd).ino;
    return {
        judge: () => judgeOpenDatabase(locked),
        undo: () => {
            if (locked.open)
                restoreWal(locked, wasWal);
            else if (wasWal)
                reopenInWal(Database, targetPath, ino);
        },
        release: () => {
            if (locked.open)
                locked.close();
        },
    };
}
function restoreWal(db, wasWal) {
    if (!db?.open || !wasWal)
        return;
    try {
        if (db.inTransaction)
            db.exec('ROLLBACK');
        db.pragma('journal_mode = WAL');
    }
    catch {
        // Best effort: the content is intact either way; the application sets its journal mode on open.
    }
}
/** WAL mode back on the file that was locked (never on another one that took its name meanwhile). */
function reopenInWal(Database, targetPath, ino) {
    let db;
    try {
        if ((0,external_node_fs_.lstatSync)(targetPath).ino !== ino)
            return;
        db = new Database(targetPath, { fileMustExist: true, timeout: 200 });
        db.pragma('journal_mode = WAL');
    }
    catch {
        // Best effort, as in restoreWal.
    }
    finally {
        db?.close();
    }
}
function assertNoJournal(targetPath) {
    for (const suffix of ['-wal', '-journal']) {
        if ((0,external_node_fs_.existsSync)(`${targetPath}${suffix}`)) {
            throw ioError(`${targetPath}${suffix} is still present, and would be replayed into the restored DB; nothing was replaced.`, `Open ${targetPath} once with sqlite3 to recover it (or remove the stray file if ${targetPath} is not SQLite), then restore again.`);
        }
    }
}
function explainLockError(error, targetPath) {
    const code = error.code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
        return notReplaced(targetPath, `is locked by another process (${error.message})`, BUSY_HINT, error);
    }
    if (code.startsWith('SQLITE_')) {
        return ioError(`SQLite cannot lock restore target ${targetPath}: ${error.message} (${code}); it was not replaced.`, 'If the file is damaged, move it aside yourself, then restore again.', error);
    }
    return error instanceof Error ? error : new Error(String(error));
}

;// CONCATENATED MODULE: external "node:timers/promises"
const external_node_timers_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");
;// CONCATENATED MODULE: ./src/core/place/windowsRename.ts
/**
 * The rename of a replace on Windows. There a file cannot be renamed over while any process holds
 * it open: SQLite opens without FILE_SHARE_DELETE, and Node's rename is MoveFileExW without POSIX
 * semantics. That includes this process, so the lock must be let go of before the rename, and the
 * OS then does the open-holder check itself, in the rename: a process that has the file open makes
 * it fail with EPERM, EBUSY or EACCES, and the target stays as it was.
 *
 * What letting go costs is a window (microseconds) in which a process could open, write and close
 * the target before the rename: each attempt first checks the file is still the one judged under the
 * lock, with its size, no journal, and its 100-byte header byte for byte: every commit in rollback
 * mode bumps the header's change counter, and going to WAL changes its mode bytes. Not its time: NTFS
 * may stamp the writes of our own connection only when that connection closes.
 */




/** What Windows answers a rename over a file another process holds open with. */
const HELD_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
/**
 * Waits between attempts, about 1.5 s in all: long enough for a virus scanner or the search
 * indexer to let go of a file it opened for a moment, short enough that an application holding the
 * database is reported at once.
 */
const RETRY_DELAYS_MS = [50, 100, 200, 400, 800];
const HELD_HINT = 'Stop the process holding it (the application, a database browser, a backup or virus scan), then run the restore again.';
function lookThrough(fd) {
    const stats = (0,external_node_fs_.fstatSync)(fd, { bigint: true });
    return { ino: stats.ino, size: stats.size, header: readHeaderAt(fd, 100) };
}
/**
 * Renames `tempDbPath` over `targetPath`, which this process no longer holds, once it is found as
 * `seen`. A rename refused as held is tried again after each of RETRY_DELAYS_MS, then refused
 * ('busy'); other errors are thrown as they are.
 */
async function renameWhenUnheld(tempDbPath, targetPath, seen, rename) {
    for (let attempt = 0;; attempt++) {
        assertAsSeen(targetPath, seen);
        try {
            rename(tempDbPath, targetPath);
            return;
        }
        catch (error) {
            const code = error.code ?? '';
            if (!HELD_CODES.has(code))
                throw error;
            const delay = RETRY_DELAYS_MS[attempt];
            if (delay === undefined) {
                throw notReplaced(targetPath, `is open in another process: Windows refused to rename over it (${code})`, HELD_HINT, error);
            }
            await (0,external_node_timers_promises_namespaceObject.setTimeout)(delay);
        }
    }
}
function assertAsSeen(targetPath, seen) {
    let now;
    try {
        if ((0,external_node_fs_.lstatSync)(targetPath).isFile()) {
            const fd = (0,external_node_fs_.openSync)(targetPath, 'r');
            try {
                now = lookThrough(fd);
            }
            finally {
                (0,external_node_fs_.closeSync)(fd);
            }
        }
    }
    catch {
        now = undefined;
    }
    if (!now || now.ino !== seen.ino)
        throw notReplaced(targetPath, 'was replaced by another process meanwhile');
    const journal = ['-wal', '-journal'].find((suffix) => (0,external_node_fs_.existsSync)(`${targetPath}${suffix}`));
    if (journal || now.size !== seen.size || !now.header.equals(seen.header)) {
        throw notReplaced(targetPath, 'was written by another process after it was checked');
    }
}

;// CONCATENATED MODULE: ./src/core/place/replace.ts
/**
 * The last step of a restore (docs/format.md §4): the restored temp DB takes the target's place by one
 * rename, so a kill -9 at any point leaves the target exactly old or exactly new. Before that rename
 * the old DB is locked and its journal/WAL emptied through SQLite, because a stale -wal or -journal
 * left beside the path would be replayed into the new file by the next opener.
 *
 * On Linux and macOS the rename happens under the lock. Windows cannot rename over a file that any
 * process holds open, this one included, so there the lock is let go of first (windowsRename.ts).
 */












const replace_SIDECARS = ['-wal', '-journal', '-shm'];
/**
 * Moves `tempDbPath` (closed, no sidecars, in a dir next to the target) onto `targetPath`, with the
 * target's mode and owner. Refuses ('busy') a symlinked or in-use target, and ('not-fresh') one
 * that holds data without `force`; before the rename nothing of the target's content changes.
 */
async function replaceDatabase(tempDbPath, targetPath, options) {
    const family = osFamily(options.platform);
    checkTempDb(tempDbPath);
    const before = replace_lstatOrUndefined(targetPath);
    if (!before) {
        fsyncPath(tempDbPath); // the new content must be on disk before a name points at it
        placeAtAbsentTarget(tempDbPath, targetPath);
        return { replaced: { fresh: true, reason: 'does not exist' } };
    }
    if (before.isSymbolicLink())
        throw notReplaced(targetPath, 'is a symbolic link', 'Pass the real database file.');
    if (!before.isFile())
        throw notReplaced(targetPath, 'is not a regular file', 'Pass the database file.');
    await refuseIfHeld(targetPath, before, options.platform);
    // Every fd we open on the target stays open until SQLite's connection is closed: closing any fd of a
    // file drops all of this process's POSIX locks on it, including the lock we are about to take.
    const fd = openTarget(targetPath);
    let fdOpen = true;
    const closeTarget = () => {
        if (fdOpen)
            (0,external_node_fs_.closeSync)(fd);
        fdOpen = false;
    };
    try {
        const lock = await lockTarget(targetPath, fd);
        let renamed = false;
        let backupPath;
        try {
            assertSameFile(targetPath, fd);
            const held = (0,external_node_fs_.fstatSync)(fd);
            await refuseIfHeld(targetPath, held, options.platform); // again under the lock, to narrow the window for a new opener
            // Judged again now that no writer can commit: it may have been filled while the snapshot loaded.
            const replaced = lock.judge();
            if (!replaced.fresh && !options.force)
                throw filledMeanwhile(targetPath, replaced);
            if (!replaced.fresh && options.backup)
                backupPath = copyBackup(fd, targetPath, (0,external_node_path_.dirname)(tempDbPath), options.now ?? new Date());
            keepModeAndOwner(tempDbPath, targetPath, held);
            fsyncPath(tempDbPath); // the new content must be on disk before a name points at it
            const renameFile = options.renameFile ?? external_node_fs_.renameSync;
            if (family === 'windows') {
                // Windows renames over no file that is open, ours included: let go, then check and rename.
                const seen = lookThrough(fd);
                lock.release();
                closeTarget();
                await place(tempDbPath, targetPath, () => renameWhenUnheld(tempDbPath, targetPath, seen, renameFile));
            }
            else
                await place(tempDbPath, targetPath, () => renameFile(tempDbPath, targetPath));
            renamed = true;
            fsyncPath((0,external_node_path_.dirname)((0,external_node_path_.resolve)(targetPath)));
            return backupPath ? { replaced, backupPath } : { replaced };
        }
        catch (error) {
            if (!renamed && backupPath)
                discardBackup(backupPath);
            throw error;
        }
        finally {
            if (!renamed)
                lock.undo();
            lock.release(); // only now may another process lock the (already unlinked) old file
        }
    }
    finally {
        closeTarget();
    }
}
function openTarget(targetPath) {
    try {
        // O_NOFOLLOW does not exist on Windows; there assertSameFile's lstat under the lock stands alone.
        return (0,external_node_fs_.openSync)(targetPath, external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NOFOLLOW ?? 0));
    }
    catch (error) {
        const code = error.code;
        if (code === 'ELOOP')
            throw notReplaced(targetPath, 'became a symbolic link meanwhile', 'Pass the real database file.');
        throw ioError(`Cannot open restore target ${targetPath}: ${error.message}; it was not replaced.`, 'Run the restore as the user that owns the database.', error);
    }
}
function checkTempDb(tempDbPath) {
    const stats = replace_lstatOrUndefined(tempDbPath);
    if (!stats?.isFile())
        throw ioError(`The restored temp DB ${tempDbPath} is missing or not a regular file.`);
    for (const suffix of replace_SIDECARS) {
        if ((0,external_node_fs_.existsSync)(`${tempDbPath}${suffix}`)) {
            throw ioError(`The restored temp DB ${tempDbPath} still has a ${suffix} file, which would not move with it.`, 'Close every connection to the temp DB, in journal_mode=DELETE, before replacing.');
        }
    }
}
/** Refuses a target another process holds open; where that cannot be told, the SQLite lock stands alone. */
async function refuseIfHeld(targetPath, file, platform) {
    const found = await findOpenHolders(targetPath, file, { platform });
    if (found.known && found.holders.length > 0) {
        throw notReplaced(targetPath, `is open in another process (pid ${found.holders.join(', pid ')})`);
    }
}
function assertSameFile(targetPath, fd) {
    const now = replace_lstatOrUndefined(targetPath);
    const held = (0,external_node_fs_.fstatSync)(fd);
    if (!now?.isFile() || now.ino !== held.ino || now.dev !== held.dev) {
        throw notReplaced(targetPath, 'was replaced by another process meanwhile');
    }
}
/** The 'not-fresh' refusal for a target filled while the snapshot was loading. */
function filledMeanwhile(targetPath, found) {
    return refusal('not-fresh', `Restore target ${targetPath} ${found.reason}: it was filled while the snapshot was loading, so it was not replaced.`, `Stop the application before restoring, or pass ${options_option('force')} to replace it (the old database is kept as a .bak file unless ${options_option('no-backup')}).`);
}
function replace_lstatOrUndefined(path) {
    try {
        return (0,external_node_fs_.lstatSync)(path);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw ioError(`Cannot inspect ${path}: ${error.message}`, 'Check the path and its permissions.', error);
    }
}

;// CONCATENATED MODULE: ./src/core/verify/verifyFields.ts
/**
 * Shape checks of the manifest's fields: presence, uniqueness, JSON type, fixed values and syntax.
 * A Go consumer unmarshals the manifest into typed fields (docs/format.md §1), so a manifest passes only if
 * Go's encoding/json reads exactly the values it says: Go reads a lone surrogate escape as U+FFFD,
 * matches keys case-insensitively, lets the last duplicate win and reads null as a zero value, so
 * all of these are refused. Every value shown in a row is cut short and escaped (docs/format.md §6).
 */



const REBUILD = 'Rebuild the artifact with sqlite-snapshot build; do not edit manifest.json by hand.';
const CHECKSUM_PATTERN = /^sha256:[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** How much of a manifest string a check row shows: a whole checksum, never a flood. */
const SHOWN_CHARS = 100;
/** A string from the manifest as a check row shows it: quoted, escaped, cut short. */
const shownString = (text) => quoted(text, SHOWN_CHARS);
/** A number's source text (only JSON number characters), cut short. */
const shownNumber = (source) => source.length > 40 ? `${source.slice(0, 40)}… (${source.length} characters)` : source;
/** Unknown keys named one row each; a file with thousands of keys must not flood the report. */
const UNKNOWN_KEYS_NAMED = 10;
const jsonType = (value) => {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
};
/** A field's value of the wrong type: the type, and a scalar's value, short. */
const describeJson = (value, source) => {
    if (typeof value === 'string')
        return `string ${shownString(value)}`;
    if (typeof value === 'number')
        return `number ${shownNumber(source ?? `${value}`)}`;
    if (typeof value === 'boolean')
        return `boolean ${value}`;
    return jsonType(value);
};
const stringRule = (describe, valid) => ({
    describe,
    accept: (value) => {
        if (typeof value !== 'string')
            return { problem: describeJson(value) };
        if (!value.isWellFormed()) {
            return {
                problem: `${shownString(value.toWellFormed())} with a lone surrogate escape such as \\ud800 (Go reads U+FFFD instead)`,
            };
        }
        if (valid && !valid(value))
            return { problem: shownString(value) };
        return { value };
    },
});
const integerRule = (min, max) => ({
    describe: `a JSON integer in ${min}..${max}`,
    accept: (value, source) => {
        if (typeof value !== 'number' || source === undefined)
            return { problem: describeJson(value) };
        if (!/^-?\d+$/.test(source))
            return { problem: `${shownNumber(source)} (not a whole number)` };
        // Go's uint64 refuses -0 and its int reads 0: only the form build writes, 0, means zero.
        if (source === '-0')
            return { problem: '-0 (write 0)' };
        const exact = BigInt(source);
        if (exact < min || exact > max)
            return { problem: `${shownNumber(source)} (out of range)` };
        return { value: exact };
    },
});
/**
 * The field Go's encoding/json would fill from `key`: it matches names case-insensitively, with
 * Unicode simple folding, so the Kelvin sign K matches k and the long s ſ matches s.
 */
function fieldGoReads(key) {
    const folded = key.toLowerCase().replaceAll('\u017f', 's');
    return MANIFEST_FIELDS.find((field) => field === folded);
}
const verifyFields_RULES = {
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
        const rule = verifyFields_RULES[field];
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
    const unknown = [...new Set(parsed.keys)].filter((key) => !MANIFEST_FIELDS.includes(key));
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
    return { manifest: manifest, checks };
}

;// CONCATENATED MODULE: ./src/core/verify/verify.ts
/**
 * Verify (docs/format.md §3): every check runs and every failure is reported, each with what was expected,
 * what was found and how to fix it.
 */






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
            expected: shownString(expect.dbMigrationVersion),
            actual: shownString(manifest.db_migration_version),
            expectedValue: expect.dbMigrationVersion,
            actualValue: manifest.db_migration_version,
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
/** How dumps start: ours and the sqlite3 CLI's, and schollz/sqlite3dump's (no PRAGMA line). */
const DUMP_STARTS = [DUMP_HEADER, 'BEGIN TRANSACTION;\n'];
/** A dump whose line endings a checkout or transfer turned into CRLF: its bytes, and so its checksum, changed. */
const hasCrlf = (digest) => digest.head.includes('\r\n') || digest.tail.toString('latin1').endsWith(`${DUMP_FOOTER.trimEnd()}\r\n`);
const CRLF_HINT = 'snapshot.sql has Windows (CRLF) line endings: a checkout or transfer converted them, which changed its bytes and its checksum; use the artifact exactly as downloaded (git config core.autocrlf false, or *.sql -text in .gitattributes), or convert it back with dos2unix.';
function sizeCheck(digest) {
    const head = digest.head.toString('latin1');
    const crlf = hasCrlf(digest);
    const headerOk = DUMP_STARTS.some((start) => head.startsWith(start.slice(0, Math.min(digest.size, start.length))));
    const endsWithCommit = digest.tail.toString('latin1').endsWith(DUMP_FOOTER);
    const ok = digest.size >= DUMP_STARTS[1].length + DUMP_FOOTER.length && headerOk && endsWithCommit;
    return {
        name: 'size',
        ok,
        expected: 'a dump: starting with its header (PRAGMA foreign_keys=OFF; or BEGIN TRANSACTION;) and ending with "COMMIT;"',
        actual: `${digest.size} bytes${headerOk ? '' : ', unexpected start'}${endsWithCommit ? '' : ', no final COMMIT;'}${crlf ? ', Windows (CRLF) line endings' : ''}`,
        ...(ok
            ? {}
            : {
                hint: crlf
                    ? CRLF_HINT
                    : 'snapshot.sql is truncated or not a sqlite-snapshot dump; download or rebuild the artifact.',
            }),
    };
}
function checksumValueCheck(manifest, digest) {
    if (typeof manifest.checksum !== 'string')
        return undefined;
    const computed = digest.checksum;
    const ok = manifest.checksum === computed;
    // As `sha256sum -c` reads: the manifest says what the file should hash to; the file is what it got.
    return {
        name: 'checksum',
        ok,
        expected: manifest.checksum,
        actual: computed,
        ...(ok
            ? {}
            : {
                hint: hasCrlf(digest)
                    ? CRLF_HINT
                    : 'snapshot.sql is not the file this manifest describes (tampered, truncated or mixed up); use the artifact as uploaded.',
            }),
    };
}
/**
 * Verifies a snapshot: a directory (opened here, once) or files the caller opened and goes on
 * using, so that what it loads afterwards is what was verified.
 */
/**
 * `known` is the digest of snapshot.sql taken by whoever just wrote it from the bytes it wrote (a
 * pull, hashing as it downloads into a private directory): it spares a second read of the dump.
 */
function verifySnapshot(snapshot, expect = {}, known) {
    return withSnapshotFiles(snapshot, (files) => verifyFiles(files, expect, known));
}
async function verifyFiles(files, expect, known) {
    const { dumpPath, manifestPath } = files;
    const digest = known && known.size === files.dumpBytes ? known : await digestDescriptor(files.dumpFd);
    const parsed = parseManifestBytes(files.manifestBytes);
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
    const valueCheck = checksumValueCheck(manifest, digest);
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

;// CONCATENATED MODULE: ./src/core/restore/restore.ts
/**
 * Restore (docs/format.md §4): verify → restore into a brand-new temp DB next to the target → migrate it →
 * sanity-check it → replace the target. The target is untouched until the final rename, and on any
 * failure the temp directory is removed; temp directories of crashed runs are swept first.
 */















/** Turns a failed verification into an error that lists what failed. */
function verificationError(report) {
    const failed = report.checks.filter((check) => !check.ok);
    const lines = failed.map((check) => `  - ${describeFailedCheck(check)}`);
    return new SnapshotError('verification', `${report.dumpPath} failed verification, so nothing was restored:\n${lines.join('\n')}`, { hint: failed[0]?.hint, checks: report.checks });
}
/** The manifest's checksum when it can be read at all; verification judges everything else. */
function declaredChecksum(files) {
    const checksum = parseManifestBytes(files.manifestBytes).object?.checksum;
    return typeof checksum === 'string' ? checksum : undefined;
}
/**
 * Verifies the snapshot (a directory, or files the caller opened and verified with `verified`) and
 * loads it into a new DB in a temp dir next to `target`. Both read the same open files: the
 * manifest as read once, the dump through one descriptor. The load starts while verification
 * still runs (on another thread: it only writes the temp DB, which is discarded unless
 * verification passes), and re-hashes what it loads against the checksum of that one manifest,
 * so the result is exactly the verified content, whatever happens to the paths meanwhile.
 */
function restoreToTempDb(snapshot, target, expect = {}, options = {}) {
    return withSnapshotFiles(snapshot, (files) => restoreFiles(files, target, expect, options));
}
async function restoreFiles(files, target, expect, options) {
    const { verified, onProgress } = options;
    const checksum = verified?.ok ? verified.computedChecksum : declaredChecksum(files);
    if (checksum === undefined) {
        // Nothing to load against: let verification say what is wrong.
        throw verificationError(await verifySnapshot(files, expect));
    }
    const targetPath = (0,external_node_path_.resolve)(target);
    await sweepRestoreDirs(targetPath);
    const restoreDir = await makeRestoreDir(targetPath);
    const path = (0,external_node_path_.join)(restoreDir.path, 'restore.db');
    const cancel = new AbortController();
    const loading = loadDumpIntoNewDatabase(files.dumpFd, files.dumpPath, path, checksum, cancel.signal, onProgress);
    // Settled below; a rejection that comes after a verification failure is not news.
    loading.catch(() => { });
    try {
        let report;
        try {
            report = verified?.ok ? verified : await verifySnapshot(files, expect);
            if (!report.ok)
                throw verificationError(report);
        }
        catch (error) {
            cancel.abort(error);
            await loading.catch(() => { });
            throw error;
        }
        const stats = await loading;
        // Before a migration can change them: the new database holds exactly the rows of the dump.
        await checkLoadedRows(path, files.dumpPath, stats.rowsByTable);
        return { path, release: restoreDir.remove, stats, report };
    }
    catch (error) {
        restoreDir.remove();
        throw error;
    }
}
/**
 * Brings a restored temp DB to the code's migration level and sanity-checks it: what must hold
 * before it may replace a target, and what a restore proof (verify with migrations) shows.
 */
async function migrateAndCheck(path, options, wording) {
    await migrateDatabaseFile(path, options);
    if (options.migrate)
        await options.migrate(path);
    const Sqlite = await loadSqlite();
    const db = new Sqlite(path, { fileMustExist: true });
    db.pragma(SCAN_CACHE_PRAGMA);
    try {
        try {
            await checkSanity(db, options);
        }
        catch (error) {
            if (!(error instanceof SanityError))
                throw error;
            throw refusal('sanity', `${wording.lead}:\n${listProblems(error.problems)}`, wording.hint);
        }
        // A migrator may have switched journal modes; the file must go into place without sidecars.
        db.pragma('journal_mode = DELETE');
    }
    finally {
        db.close();
    }
}
async function restoreSnapshot(options) {
    // `app.db/` names a directory: resolve() would quietly drop the slash and replace (or create) app.db.
    if (TRAILING_SEPARATORS.test(options.target) && options.target.replace(TRAILING_SEPARATORS, '') !== '') {
        throw usageError(`The restore target ${options.target} ends with a path separator, which names a directory, not a database file.`, `Pass ${options_option('db')} without the trailing separator: ${options.target.replace(TRAILING_SEPARATORS, '')}`);
    }
    const target = (0,external_node_path_.resolve)(options.target);
    const freshness = await checkFreshness(target);
    if (isNotAFile(freshness)) {
        // Not a database file at all: --force would not make replacing it right.
        throw refusal('busy', `Restore target ${target} ${freshness.reason}, so it was not replaced.`, 'Pass the path of the database file itself.');
    }
    if (!freshness.fresh && !options.force) {
        throw refusal('not-fresh', `Restore target ${target} ${freshness.reason}, so it was not replaced.`, `Pass ${options_option('force')} to replace it (the old database is kept as a .bak file unless ${options_option('no-backup')}).`);
    }
    const restored = await restoreToTempDb(options.snapshotDir, target, options.expect, {
        onProgress: options.onProgress,
    });
    try {
        await migrateAndCheck(restored.path, { ...options, integrity: options.integrity ?? DEFAULT_RESTORE_INTEGRITY }, {
            lead: `The restored database ${(0,external_node_path_.basename)(restored.path)} failed its sanity checks, so it did not replace the target`,
            hint: 'Fix the snapshot or the migrations (or the required tables / check query) and restore again; the target is unchanged.',
        });
        // Freshness is judged again under the replace lock: the target may have been filled meanwhile.
        const replaced = await replaceDatabase(restored.path, target, {
            force: options.force === true,
            backup: options.backup !== false,
        });
        return {
            target,
            freshness: replaced.replaced,
            backupPath: replaced.backupPath,
            stats: restored.stats,
            report: restored.report,
        };
    }
    finally {
        restored.release();
    }
}

;// CONCATENATED MODULE: ./src/core/restore/restoreProof.ts
/**
 * A restore proof: verify, then restore the snapshot into a throw-away database, migrate it with
 * the code's migrations and run the sanity checks. It answers the PR check's question — does the
 * shipped snapshot still fit this code? — without touching any real database.
 */







/** Whether any option asks for a proof (choosing its integrity check does too): a verify without them only checks the files. */
const wantsRestoreProof = (options) => options.migrations !== undefined ||
    options.migrateCommand !== undefined ||
    (options.requireTables?.length ?? 0) > 0 ||
    options.checkSql !== undefined ||
    options.integrity !== undefined;
const EXPECTED = 'restores into a new database, migrates and passes the sanity checks';
/**
 * What the proof runs when not told (see IntegrityChoice): quick, as restore does. The proof asks
 * whether the snapshot still restores and migrates under this code; the mismatches only the full
 * check finds (an index that disagrees with its table) are not made by SQLite's own index builds,
 * and the full check costs a lookup per row and index: measured on 2M rows with three indexes, it
 * took 22 s after a 10 s restore, so it is an opt-in (`integrity: full`).
 */
const DEFAULT_PROOF_INTEGRITY = 'quick';
/**
 * Verifies `dir`; when that passes, adds a `restore` check with the proof's outcome. A refusal
 * (a failing migration, a hostile statement, a failed sanity check) fails the check; a usage or
 * I/O error (a missing migrations directory) is thrown, as it says nothing about the snapshot.
 */
function verifyWithRestoreProof(snapshot, expect, options) {
    // Opened once: the proof loads the very bytes verify just passed.
    return withSnapshotFiles(snapshot, (files) => proveFiles(files, expect, options));
}
async function proveFiles(files, expect, options) {
    const report = await verifySnapshot(files, expect);
    if (!report.ok)
        return report;
    const target = (0,external_node_path_.join)(options.workDir ?? (0,external_node_os_.tmpdir)(), 'sqlite-snapshot-proof.db');
    let check;
    try {
        // Verified just now: the loader's re-hash still proves it loads exactly those bytes.
        const restored = await restoreToTempDb(files, target, expect, { verified: report, onProgress: options.onProgress });
        try {
            await migrateAndCheck(restored.path, { ...options, integrity: options.integrity ?? DEFAULT_PROOF_INTEGRITY }, {
                lead: 'The snapshot, restored and migrated, failed its sanity checks',
                hint: 'Fix the snapshot or the migrations (or the required tables / check query) so that the restored database passes.',
            });
            check = {
                name: 'restore',
                ok: true,
                expected: EXPECTED,
                actual: `${counted(restored.stats.rows, 'row')} restored, migrated and checked`,
            };
        }
        finally {
            restored.release();
        }
    }
    catch (error) {
        if (!(error instanceof SnapshotError) || !REFUSAL_KINDS.has(error.kind))
            throw error;
        check = {
            name: 'restore',
            ok: false,
            expected: EXPECTED,
            actual: error.message,
            hint: error.hint ?? 'Fix the migration or the snapshot so that the restored database passes.',
        };
    }
    return { ...report, ok: check.ok, checks: [...report.checks, check] };
}

;// CONCATENATED MODULE: ./src/action/artifacts.ts
/**
 * The snapshot as one workflow artifact (snapshot.sql + manifest.json), through @actions/artifact.
 * The client is imported only when an artifact is uploaded or downloaded: it is most of the
 * bundle, and a step that needs no artifact should not pay for loading it.
 */




async function loadClient() {
    // The client reads the runner's variables itself; without them its own error says little.
    if (!process.env.ACTIONS_RUNTIME_TOKEN || !process.env.ACTIONS_RESULTS_URL) {
        throw ioError('Workflow artifacts are only reachable inside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN or ACTIONS_RESULTS_URL is not set).', 'Run this step in a workflow job; elsewhere set upload: false (build) or point path at a directory holding snapshot.sql and manifest.json (verify, restore).');
    }
    return new (await Promise.all(/* import() */[__nccwpck_require__.e(838), __nccwpck_require__.e(271), __nccwpck_require__.e(888)]).then(__nccwpck_require__.bind(__nccwpck_require__, 37888))).DefaultArtifactClient();
}
/** The upload reports bare hex; the service lists and compares `sha256:<hex>`. */
const normalizeDigest = (digest) => digest === undefined || digest === '' ? undefined : digest.startsWith('sha256:') ? digest : `sha256:${digest}`;
const SUFFIX_DIGITS = 16;
const checksumHex = (checksum) => checksum.replace(/^sha256:/, '').slice(0, SUFFIX_DIGITS);
/** `<name>-<first 16 hex digits of the checksum>`: a distinct snapshot gets a distinct artifact name. */
const contentAddressedName = (name, checksum) => `${name}-${checksumHex(checksum)}`;
/** The name a build was asked for, from a content-addressed name of this checksum; other names as they are. */
function baseArtifactName(name, checksum) {
    const suffix = `-${checksumHex(checksum)}`;
    return name.endsWith(suffix) && name.length > suffix.length ? name.slice(0, -suffix.length) : name;
}
/** "this run", or "run 123 of owner/repo". */
const describeOrigin = (runId, repository) => runId === undefined ? 'this run' : `run ${runId} of ${repository}`;
function clientError(error, what, hint) {
    if (error instanceof SnapshotError)
        return error;
    const message = error instanceof Error ? error.message : String(error);
    return ioError(`${what}: ${message}`, hint, error);
}
async function deleteIfPresent(client, name) {
    try {
        await client.deleteArtifact(name);
    }
    catch (error) {
        if (!(error instanceof Error && error.name === 'ArtifactNotFoundError')) {
            throw clientError(error, `Could not delete the artifact "${name}" to overwrite it`, 'Re-run the job.');
        }
    }
}
async function uploadSnapshot(name, dir, options = {}) {
    const client = await loadClient();
    if (options.overwrite)
        await deleteIfPresent(client, name);
    try {
        const files = [(0,external_node_path_.join)(dir, DUMP_FILE), (0,external_node_path_.join)(dir, MANIFEST_FILE)];
        const retentionDays = options.retentionDays;
        const uploaded = await client.uploadArtifact(name, files, dir, retentionDays ? { retentionDays } : {});
        return { name, id: uploaded.id, digest: normalizeDigest(uploaded.digest) };
    }
    catch (error) {
        throw clientError(error, `Could not upload the artifact "${name}"`, 'Artifact names are unique per run: when the job is re-run, set overwrite: true; give each job or matrix leg its own artifact-name; or set upload: false.');
    }
}
/**
 * The client unpacks into its target before it compares the digest, so it gets a fresh folder
 * inside `dir` (same file system, and `dir` is where it may write); only a download that passed the
 * check is moved up into `dir`.
 */
async function inStagingFolder(dir, work) {
    let staging;
    try {
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        staging = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(dir, '.sqlite-snapshot-download-'));
    }
    catch (error) {
        throw ioError(`Cannot create a folder for the download in ${dir}: ${error.message}`, 'Set path to a directory this job can write to.', error);
    }
    try {
        const result = await work(staging);
        for (const file of [DUMP_FILE, MANIFEST_FILE]) {
            (0,external_node_fs_.rmSync)((0,external_node_path_.join)(dir, file), { force: true });
            // A file missing from the artifact stays missing: verify names it.
            if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(staging, file)))
                (0,external_node_fs_.renameSync)((0,external_node_path_.join)(staging, file), (0,external_node_path_.join)(dir, file));
        }
        return result;
    }
    finally {
        (0,external_node_fs_.rmSync)(staging, { recursive: true, force: true });
    }
}
/**
 * Downloads the artifact and checks the archive against the digest the service recorded at upload
 * (the client only reports a mismatch, so it is refused here) before its files reach `dir`.
 */
async function downloadSnapshot(source, dir, warn) {
    const client = await loadClient();
    const origin = describeOrigin(source.runId, source.repository && `${source.repository.owner}/${source.repository.repo}`);
    const findBy = source.runId === undefined
        ? undefined
        : {
            findBy: {
                token: source.token,
                workflowRunId: source.runId,
                repositoryOwner: source.repository.owner,
                repositoryName: source.repository.repo,
            },
        };
    let found;
    try {
        found = (await client.getArtifact(source.name, findBy)).artifact;
    }
    catch (error) {
        const missing = error instanceof Error && error.name === 'ArtifactNotFoundError';
        throw clientError(error, missing
            ? `No artifact named "${source.name}" in ${origin}`
            : `Could not look up the artifact "${source.name}" in ${origin}`, source.runId === undefined
            ? 'Make this job need the job that built the snapshot (needs:), set artifact-name to the name it uploaded, ' +
                'set run-id/repository/github-token to fetch it from another run, or point path at a snapshot directory.'
            : 'Check run-id, repository and artifact-name, and that github-token may read Actions artifacts there ' +
                '(permissions: actions: read); artifacts expire after their retention days.');
    }
    const digest = normalizeDigest(found.digest);
    if (!digest) {
        warn(`The artifact service recorded no digest for "${source.name}" (id ${found.id}): only the manifest's checksum guards it.`);
    }
    await inStagingFolder(dir, async (staging) => {
        let digestMismatch;
        try {
            const result = await client.downloadArtifact(found.id, { ...findBy, path: staging, expectedHash: digest });
            digestMismatch = result.digestMismatch;
        }
        catch (error) {
            throw clientError(error, `Could not download the artifact "${source.name}" (id ${found.id}) from ${origin}`, 'Re-run the job; if it keeps failing, the artifact may have expired or been deleted.');
        }
        if (digestMismatch) {
            throw refusal('verification', `The artifact "${source.name}" (id ${found.id}) from ${origin} does not match the digest recorded when it was uploaded (${digest}): it was damaged or replaced in transit, and nothing of it was kept.`, 'Re-run the job; if it fails again, rebuild and re-upload the snapshot.');
        }
    });
    return { name: source.name, id: found.id, digest, origin };
}

;// CONCATENATED MODULE: ./src/action/baseline.ts
/**
 * The branch baseline: a build on the default branch saves its snapshot in the Actions cache, and a
 * pull request's verify restores the newest one by key prefix to show what changed. The cache is
 * scoped so a pull request can read its base branch's entries; the client is loaded only when used.
 */



/** The workspace folder the cache archives; a fixed relative path keeps the cache version stable. */
const BASELINE_FOLDER = '.sqlite-snapshot-baseline';
/**
 * `…:<artifact>:<branch>:`, each part URI-encoded: then neither holds a colon, so the prefix of
 * `main` never matches a branch called `main-v2`, nor a comma, which cache keys refuse.
 */
const baselineKeyPrefix = (artifactName, branch) => `sqlite-snapshot-baseline:${encodeURIComponent(artifactName)}:${encodeURIComponent(branch)}:`;
function baselineKey(artifactName, env) {
    const branch = env.GITHUB_REF_NAME || 'local';
    return `${baselineKeyPrefix(artifactName, branch)}${env.GITHUB_RUN_ID || '0'}-${env.GITHUB_RUN_ATTEMPT || '1'}`;
}
/** The folder (absolute) and the path the cache client is given (relative to the working directory). */
function baselineLocation(env) {
    const dir = (0,external_node_path_.join)(env.GITHUB_WORKSPACE || process.cwd(), BASELINE_FOLDER);
    return { dir, cachePath: (0,external_node_path_.relative)(process.cwd(), dir) || '.' };
}
async function saveBaseline(snapshotDir, artifactName, env) {
    const key = baselineKey(artifactName, env);
    const cache = await Promise.all(/* import() */[__nccwpck_require__.e(838), __nccwpck_require__.e(271), __nccwpck_require__.e(142)]).then(__nccwpck_require__.bind(__nccwpck_require__, 60142));
    // Asked before the dump is copied: without the service there is nothing to copy it for.
    if (!cache.isFeatureAvailable()) {
        return { saved: false, key, reason: 'the Actions cache service is not available to this job' };
    }
    const { dir, cachePath } = baselineLocation(env);
    (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
    try {
        for (const file of [DUMP_FILE, MANIFEST_FILE])
            (0,external_node_fs_.copyFileSync)((0,external_node_path_.join)(snapshotDir, file), (0,external_node_path_.join)(dir, file));
        // The client logs and returns -1 when the service refuses (key taken, quota); it throws on bad input.
        const id = await cache.saveCache([cachePath], key);
        return id === -1
            ? { saved: false, key, reason: 'the cache service did not accept it (see the warning above)' }
            : { saved: true, key };
    }
    catch (error) {
        return { saved: false, key, reason: error.message };
    }
    finally {
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    }
}
/** The newest baseline of `branch`; a missing one or an unreachable cache is an answer, not an error. */
async function restoreBaseline(artifactName, branch, env) {
    const prefix = baselineKeyPrefix(artifactName, branch);
    const { dir, cachePath } = baselineLocation(env);
    const dispose = () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
    dispose();
    try {
        const cache = await Promise.all(/* import() */[__nccwpck_require__.e(838), __nccwpck_require__.e(271), __nccwpck_require__.e(142)]).then(__nccwpck_require__.bind(__nccwpck_require__, 60142));
        if (!cache.isFeatureAvailable())
            return { found: false, reason: 'unavailable' };
        const key = await cache.restoreCache([cachePath], prefix, [prefix]);
        if (key !== undefined)
            return { found: true, baseline: { dir, key, dispose } };
        dispose();
        return { found: false, reason: 'none' };
    }
    catch (error) {
        dispose();
        return { found: false, reason: 'unavailable', detail: error.message };
    }
}

;// CONCATENATED MODULE: ./src/core/diff/diffCompare.ts
/**
 * The comparison itself, pure: two snapshots' manifests and contents in, their differences out.
 * Objects are matched by name, so a rename shows as one object removed and another added.
 */


/** Pairs two name-sorted lists by name, in name order. */
function pairByName(before, after) {
    const old = new Map(before.map((item) => [item.name, item]));
    const next = new Map(after.map((item) => [item.name, item]));
    const names = [...new Set([...old.keys(), ...next.keys()])].map((name) => ({ name })).sort(byName);
    return names.map(({ name }) => [name, old.get(name) ?? null, next.get(name) ?? null]);
}
/** Added, removed, and changed (per `same`) objects, in name order; unchanged ones are left out. */
function compareObjects(before, after, same) {
    const changes = [];
    for (const [name, old, next] of pairByName(before, after)) {
        if (old === null)
            changes.push({ name, change: 'added', old: null, new: next });
        else if (next === null)
            changes.push({ name, change: 'removed', old, new: null });
        else if (!same(old, next))
            changes.push({ name, change: 'changed', old, new: next });
    }
    return changes;
}
const COLUMN_ATTRIBUTES = ['type', 'notNull', 'default', 'primaryKey', 'generated', 'hidden'];
const changedAttributes = (old, next) => COLUMN_ATTRIBUTES.filter((attribute) => old[attribute] !== next[attribute]);
function compareColumns(before, after) {
    return compareObjects(before, after, (old, next) => changedAttributes(old, next).length === 0).map((change) => ({
        ...change,
        attributes: change.old && change.new ? changedAttributes(change.old, change.new) : [],
    }));
}
function compareTables(before, after) {
    // Any change of the stored CREATE text counts: constraints and formatting are part of the dump too.
    return compareObjects(before, after, (old, next) => old.sql === next.sql).map((change) => ({
        ...change,
        columns: change.old && change.new ? compareColumns(change.old.columns, change.new.columns) : [],
    }));
}
/** Views, triggers and indexes: their SQL is their whole definition. */
const compareDefinitions = (before, after) => compareObjects(before, after, (old, next) => old.sql === next.sql);
function compareManifests(before, after) {
    return MANIFEST_FIELDS.filter((field) => before[field] !== after[field]).map((field) => ({
        field,
        old: before[field],
        new: after[field],
    }));
}
function compareRowCounts(before, after) {
    return pairByName(before, after).map(([table, old, next]) => ({
        table,
        old: old?.rows ?? null,
        new: next?.rows ?? null,
    }));
}
function compareSnapshots(old, next) {
    const userVersion = old.contents.userVersion;
    return {
        oldDir: old.dir,
        newDir: next.dir,
        manifest: compareManifests(old.manifest, next.manifest),
        tables: compareTables(old.contents.tables, next.contents.tables),
        indexes: compareDefinitions(old.contents.indexes, next.contents.indexes),
        views: compareDefinitions(old.contents.views, next.contents.views),
        triggers: compareDefinitions(old.contents.triggers, next.contents.triggers),
        userVersion: userVersion === next.contents.userVersion ? null : { old: userVersion, new: next.contents.userVersion },
        rowCounts: compareRowCounts(old.contents.rowCounts, next.contents.rowCounts),
    };
}

;// CONCATENATED MODULE: ./src/core/diff/diffSchema.ts
/**
 * What a diff compares, read from a database restored from a snapshot: the schema as SQLite itself
 * reports it (pragmas, not a parse of the CREATE text), the row count of every table, and the
 * user_version the dump carries.
 */


const GENERATED = { 2: 'virtual', 3: 'stored' };
function diffSchema_readColumns(db, table) {
    return readColumnRows(db, table).map((row) => ({
        name: row.name,
        type: row.type,
        notNull: row.not_null === 1,
        default: row.dflt_value,
        primaryKey: row.pk,
        generated: GENERATED[row.hidden] ?? null,
        hidden: row.hidden === 1,
    }));
}
function readTable(db, row) {
    const { withoutRowid, strict } = readTableShape(db, row.name);
    return { name: row.name, sql: row.sql, withoutRowid, strict, columns: diffSchema_readColumns(db, row.name) };
}
function keyTerm(term) {
    const column = term.cid === -2 ? '<expression>' : term.cid === -1 ? 'rowid' : (term.name ?? '?');
    return `${column}${term.coll !== 'BINARY' ? ` COLLATE ${term.coll}` : ''}${term.desc ? ' DESC' : ''}`;
}
function readIndex(db, row) {
    const listed = db
        .prepare('SELECT "unique", partial FROM pragma_index_list(?) WHERE name = ?')
        .get(row.tbl_name, row.name);
    return {
        name: row.name,
        table: row.tbl_name,
        unique: listed?.unique === 1,
        partial: listed?.partial === 1,
        columns: readIndexKeys(db, row.name).map(keyTerm),
        sql: row.sql,
    };
}
function readSnapshotContents(db) {
    const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL').all().sort(byName);
    const user = (type) => rows.filter((row) => row.type === type && !isInternalName(row.name));
    const definition = (row) => ({ name: row.name, table: row.tbl_name, sql: row.sql });
    const tables = user('table').map((row) => readTable(db, row));
    const rowCounts = tables.map(({ name }) => ({
        name,
        rows: db
            .prepare(`SELECT count(*) FROM ${quoteIdentifier(name)}`)
            .pluck()
            .get(),
    }));
    return {
        tables,
        indexes: user('index').map((row) => readIndex(db, row)),
        views: user('view').map(definition),
        triggers: user('trigger').map(definition),
        rowCounts,
        userVersion: db.pragma('user_version', { simple: true }),
    };
}

;// CONCATENATED MODULE: ./src/core/diff/diff.ts
/**
 * diff: what changed between two snapshots. Each one is verified and loaded by the restore path
 * into a throw-away database (so a diff never reads unverified data, and the same allow-list
 * guards it), then both are compared as SQLite reports them. The renderers are in diffRender.ts
 * (text, JSON) and diffMarkdown.ts.
 */










/** Which file a failed check is about; a checksum mismatch is about both, and its hint says so. */
const checkLabel = (name) => {
    if (name === 'manifest')
        return MANIFEST_FILE;
    if (name === 'size')
        return `${DUMP_FILE} size`;
    return name === 'checksum' ? name : `${MANIFEST_FILE} ${name}`;
};
/** Says which side failed, and for a failed verification which file and why. */
function sideError(side, dir, error) {
    if (!(error instanceof SnapshotError))
        return error;
    const what = `The ${side} snapshot ${dir}`;
    if (error.kind === 'verification' && error.checks) {
        const failed = error.checks.filter((check) => !check.ok);
        // A check's name and values can come from the manifest (an extra key, a bad value): one line each.
        const lines = failed
            .map(printableCheck)
            .map((check) => `  - ${checkLabel(check.name)}: expected ${check.expected}, got ${check.actual}`);
        return new SnapshotError('verification', `${what} failed verification, so nothing was compared:\n${lines.join('\n')}`, {
            hint: error.hint,
            cause: error,
            checks: error.checks,
        });
    }
    return new SnapshotError(error.kind, `${what}: ${error.message}`, { hint: error.hint, cause: error });
}
/** Both sides' errors as one: a usage or I/O error decides the kind, as it would alone. */
function combine(errors) {
    if (errors.length === 1)
        return errors[0];
    const typed = errors.filter((error) => error instanceof SnapshotError);
    if (typed.length < errors.length)
        return errors.find((error) => !(error instanceof SnapshotError));
    const kind = (typed.find((error) => !REFUSAL_KINDS.has(error.kind)) ?? typed[0]).kind;
    return new SnapshotError(kind, typed.map((error) => error.message).join('\n'), {
        hint: typed.find((error) => error.hint)?.hint,
    });
}
async function readSide(side, snapshot, scratch, verified) {
    const dir = (0,external_node_path_.resolve)(typeof snapshot === 'string' ? snapshot : snapshot.directory);
    let restored;
    try {
        restored = await restoreToTempDb(snapshot, (0,external_node_path_.join)(scratch, `${side}.db`), {}, { verified });
    }
    catch (error) {
        throw sideError(side, dir, error);
    }
    try {
        const Sqlite = await loadSqlite();
        const db = new Sqlite(restored.path, { readonly: true, fileMustExist: true });
        try {
            // The schema came from a file: no function with side effects runs from it while reading.
            db.pragma('trusted_schema = OFF');
            // Verification passed, so every field is present with its type.
            return { dir, manifest: restored.report.manifest, contents: readSnapshotContents(db) };
        }
        finally {
            db.close();
        }
    }
    finally {
        restored.release();
    }
}
function makeScratchDir(parent) {
    try {
        return (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(parent, 'sqlite-snapshot-diff-'));
    }
    catch (error) {
        throw ioError(`Cannot create a temp directory in ${parent}: ${error.message}`, 'diff loads both snapshots into temporary databases; set TMPDIR to a writable directory with room for them.', error);
    }
}
/**
 * Compares the snapshot directories `oldDir` and `newSnapshot` (a directory, or files the caller
 * opened and verified). Throws a SnapshotError naming the side when one is missing, fails
 * verification (a checksum mismatch included: the manifest would not describe the content being
 * compared) or holds a statement a dump never contains.
 */
async function diffSnapshots(oldDir, newSnapshot, options = {}) {
    const scratch = makeScratchDir(options.workDir ?? (0,external_node_os_.tmpdir)());
    try {
        const sides = await Promise.allSettled([
            readSide('old', oldDir, scratch),
            readSide('new', newSnapshot, scratch, options.newVerified),
        ]);
        const errors = sides.flatMap((side) => (side.status === 'rejected' ? [side.reason] : []));
        if (errors.length > 0)
            throw combine(errors);
        const [old, next] = sides.map((side) => side.value);
        return compareSnapshots(old, next);
    }
    finally {
        (0,external_node_fs_.rmSync)(scratch, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/core/shared/markdown.ts
/**
 * GitHub-flavoured Markdown pieces for job summaries: text in table cells and inline code that
 * show exactly what they hold, whatever characters it has. Nothing in the text can become markup,
 * HTML (`<script>`, `<img onerror>`, a `</details>` closing ours) or an entity, end a cell, a row
 * or a fence, or put a control character (ESC, CR, …) into the summary: those are shown escaped.
 */

/**
 * Prose in a cell, shown literally: what would end the cell or the row, or start inline markup,
 * HTML or an entity, is escaped; line breaks become `<br>`, other controls visible escapes.
 */
const markdown_cellProse = (text) => text
    .split(/\r?\n|\r/)
    .map((line) => printable(line.replace(/[\\`*_[\]<>|~&$]/g, (character) => `\\${character}`)))
    .join('<br>');
/**
 * Inline code that survives backticks in the text (CommonMark: a longer fence, padded). A code
 * span cannot hold a line break, and shows a backslash as it is: controls are shown escaped.
 */
function inlineCode(raw) {
    const text = printable(raw);
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    const pad = text.startsWith('`') || text.endsWith('`') || text.trim() === '' ? ' ' : '';
    return `${fence}${pad}${text}${pad}${fence}`;
}
/**
 * A name or a value in a table cell, as code. GFM reads `\|` as a pipe inside a cell even within a
 * code span, but a code span shows any other backslash as is and cannot hold a line break: text
 * with either is escaped prose instead.
 */
const markdown_cellText = (text) => /[\\\r\n]/.test(text) ? markdown_cellProse(text) : inlineCode(text).replaceAll('|', '\\|');
/**
 * A fenced block longer than any backtick run inside, so nothing in the lines can close it; each
 * line stays one line (a CR would be a line break to CommonMark) and shows its controls escaped.
 */
function fenced(language, rawLines) {
    const lines = rawLines.map(printableLine);
    const longest = Math.max(2, ...lines.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
    const fence = '`'.repeat(longest + 1);
    return [`${fence}${language}`, ...lines, fence];
}

;// CONCATENATED MODULE: ./src/core/diff/diffLines.ts
/**
 * A line diff of two SQL texts (longest common subsequence), so a long CREATE statement that
 * changed in one line shows that line rather than the whole statement twice.
 */
function diffLines(oldText, newText) {
    const old = oldText === null ? [] : oldText.split('\n');
    const next = newText === null ? [] : newText.split('\n');
    // common[i][j]: length of the longest common subsequence of old[i..] and next[j..].
    const common = Array.from({ length: old.length + 1 }, () => new Array(next.length + 1).fill(0));
    for (let i = old.length - 1; i >= 0; i--) {
        for (let j = next.length - 1; j >= 0; j--) {
            common[i][j] =
                old[i] === next[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
        }
    }
    const lines = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < next.length) {
        if (i < old.length && j < next.length && old[i] === next[j]) {
            lines.push({ mark: ' ', text: old[i++] });
            j++;
        }
        else if (j >= next.length || (i < old.length && common[i + 1][j] >= common[i][j + 1])) {
            lines.push({ mark: '-', text: old[i++] });
        }
        else {
            lines.push({ mark: '+', text: next[j++] });
        }
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/core/shared/json.ts
/** JSON with bigints written as exact numbers (JSON.rawJSON), so integers above 2^53 keep every digit. */
function toJson(value) {
    return JSON.stringify(value, (_key, inner) => typeof inner === 'bigint'
        ? JSON.rawJSON(inner.toString())
        : inner, 2);
}

;// CONCATENATED MODULE: ./src/core/diff/diffTypes.ts
const rowCountChanged = (count) => count.old !== count.new;
const schemaChanged = (diff) => diff.tables.length + diff.indexes.length + diff.views.length + diff.triggers.length > 0 || diff.userVersion !== null;
/** Any difference at all: a manifest field (created_at too), the schema, or a row count. */
const hasDifferences = (diff) => diff.manifest.length > 0 || schemaChanged(diff) || diff.rowCounts.some(rowCountChanged);
/** Manifest fields that say when and from which commit a snapshot was built, not what it holds. */
const PROVENANCE_FIELDS = ['created_at', 'source_chassis_version'];
/**
 * A difference in what the snapshot holds or declares: its bytes, schema, row counts or versions.
 * Two builds of the same content from different commits or times do not count.
 */
const contentChanged = (diff) => diff.manifest.some((change) => !PROVENANCE_FIELDS.includes(change.field)) ||
    schemaChanged(diff) ||
    diff.rowCounts.some(rowCountChanged);

;// CONCATENATED MODULE: ./src/core/diff/diffRender.ts
/**
 * A diff as text for a terminal and as JSON, and the wording both share with the Markdown form.
 * Pure: the same diff always renders the same text. Every name, type, default and line of SQL
 * comes from a snapshot, so each goes into the text through `printable` (or `quoted`): a table
 * called "a\n::error::x" shows as one line, and no control character reaches the terminal.
 */





/** A manifest value as verify prints it: integers bare, strings quoted (so '' and spaces show). */
const formatValue = (value) => typeof value === 'bigint' ? value.toString() : quoted(value, 500);
/** A column as its declaration would read, without its name. */
function describeColumn(column) {
    const parts = [column.type === '' ? '(no type)' : printable(column.type)];
    if (column.notNull)
        parts.push('NOT NULL');
    if (column.default !== null)
        parts.push(`DEFAULT ${printable(column.default)}`);
    if (column.primaryKey > 0)
        parts.push(column.primaryKey === 1 ? 'PRIMARY KEY' : `PRIMARY KEY (part ${column.primaryKey})`);
    if (column.generated)
        parts.push(`GENERATED ${column.generated.toUpperCase()}`);
    if (column.hidden)
        parts.push('HIDDEN');
    return parts.join(' ');
}
const ATTRIBUTE_WORDING = {
    type: (column) => `type ${column.type === '' ? '(none)' : printable(column.type)}`,
    notNull: (column) => (column.notNull ? 'NOT NULL' : 'nullable'),
    default: (column) => `default ${column.default === null ? '(none)' : printable(column.default)}`,
    primaryKey: (column) => (column.primaryKey > 0 ? `primary key part ${column.primaryKey}` : 'not in the primary key'),
    generated: (column) => (column.generated ? `generated ${column.generated}` : 'not generated'),
    hidden: (column) => (column.hidden ? 'hidden' : 'not hidden'),
};
function describeColumnChange(column) {
    const name = printable(column.name);
    if (column.change === 'added')
        return `column ${name} added: ${describeColumn(column.new)}`;
    if (column.change === 'removed')
        return `column ${name} removed (was ${describeColumn(column.old)})`;
    const changes = column.attributes.map((attribute) => `${ATTRIBUTE_WORDING[attribute](column.old)} → ${ATTRIBUTE_WORDING[attribute](column.new)}`);
    return `column ${name} changed: ${changes.join(', ')}`;
}
function tableDetails(table) {
    if (table.change !== 'changed') {
        const columns = (table.new ?? table.old).columns.length;
        return [`${columns} column${columns === 1 ? '' : 's'}`];
    }
    if (table.columns.length > 0)
        return table.columns.map(describeColumnChange);
    return ['CREATE TABLE text changed (a constraint, WITHOUT ROWID, STRICT or formatting)'];
}
const indexShape = (index) => `${index.unique ? 'unique ' : ''}on ${printable(index.table)} (${index.columns.map(printable).join(', ')})${index.partial ? ' WHERE …' : ''}`;
function indexDetails(index) {
    if (index.change !== 'changed')
        return [indexShape((index.new ?? index.old))];
    const [old, next] = [indexShape(index.old), indexShape(index.new)];
    return [old === next ? 'definition changed' : `${old} → ${next}`];
}
function definitionDetails(kind, change) {
    if (change.change === 'changed')
        return ['definition changed'];
    return kind === 'trigger' ? [`on ${printable((change.new ?? change.old).table)}`] : [];
}
/** Every schema change, tables first, then indexes, views, triggers, each by name. */
function schemaEntries(diff) {
    return [
        ...diff.tables.map((change) => ({ kind: 'table', change, details: tableDetails(change) })),
        ...diff.indexes.map((change) => ({ kind: 'index', change, details: indexDetails(change) })),
        ...diff.views.map((change) => ({ kind: 'view', change, details: definitionDetails('view', change) })),
        ...diff.triggers.map((change) => ({
            kind: 'trigger',
            change,
            details: definitionDetails('trigger', change),
        })),
    ];
}
/** One side of a row count: a dash where the table does not exist. */
const countSide = (value) => (value === null ? '—' : `${value}`);
const rowDelta = (count) => {
    if (count.old === null)
        return 'table added';
    if (count.new === null)
        return 'table removed';
    const delta = count.new - count.old;
    return delta > 0 ? `+${delta}` : `${delta}`;
};
/** Row contents can differ with the same schema and counts; only the checksum then tells. */
const contentOnlyChange = (diff) => diff.manifest.some((field) => field.field === 'checksum') &&
    !schemaChanged(diff) &&
    !diff.rowCounts.some(rowCountChanged);
const CONTENT_ONLY_NOTE = 'The checksums differ while the schema and the row counts are the same: row values changed.';
const NO_DIFFERENCES = 'No differences: the manifests, the schemas and the row counts are the same.';
const MARKS = { added: '+', removed: '-', changed: '~' };
function manifestText(fields) {
    if (fields.length === 0)
        return ['Manifest: unchanged'];
    const width = Math.max(...fields.map((field) => field.field.length));
    return [
        `Manifest: ${fields.length} field${fields.length === 1 ? '' : 's'} changed`,
        ...fields.map((field) => `  ${field.field.padEnd(width)}  ${formatValue(field.old)} → ${formatValue(field.new)}`),
    ];
}
function schemaText(diff) {
    if (!schemaChanged(diff))
        return ['Schema: unchanged'];
    const entries = schemaEntries(diff);
    const changes = entries.length + (diff.userVersion ? 1 : 0);
    const lines = [`Schema: ${changes} change${changes === 1 ? '' : 's'}`];
    for (const { kind, change } of entries) {
        lines.push(`  ${MARKS[change.change]} ${kind} ${printable(change.name)}`);
        if (kind === 'table')
            lines.push(...change.columns.map((column) => `      ${describeColumnChange(column)}`));
        // Only the lines that differ: the header names the object, and added or removed ones show whole.
        const sql = diffLines(change.old?.sql ?? null, change.new?.sql ?? null).filter((line) => line.mark !== ' ');
        lines.push(...sql.map((line) => `      ${line.mark} ${printableLine(line.text)}`));
    }
    if (diff.userVersion)
        lines.push(`  ~ PRAGMA user_version ${diff.userVersion.old} → ${diff.userVersion.new}`);
    return lines;
}
function rowCountText(counts) {
    const changed = counts.filter(rowCountChanged);
    const tables = counted(counts.length, 'table');
    if (changed.length === 0)
        return [`Row counts: unchanged (${tables})`];
    const names = new Map(changed.map((count) => [count, printable(count.table)]));
    const width = Math.max(...[...names.values()].map((name) => name.length));
    return [
        `Row counts: ${changed.length} of ${tables} changed`,
        ...changed.map((count) => `  ${names.get(count).padEnd(width)}  ${countSide(count.old)} → ${countSide(count.new)} (${rowDelta(count)})`),
    ];
}
function renderDiffText(diff) {
    if (!hasDifferences(diff))
        return `${NO_DIFFERENCES}\n`;
    const lines = [...manifestText(diff.manifest), ...schemaText(diff), ...rowCountText(diff.rowCounts)];
    if (contentOnlyChange(diff))
        lines.push(CONTENT_ONLY_NOTE);
    return `${lines.join('\n')}\n`;
}
/** The diff as JSON, with `identical` first; integers above 2^53 are written exactly. */
function renderDiffJson(diff) {
    return toJson({ identical: !hasDifferences(diff), ...diff });
}

;// CONCATENATED MODULE: ./src/core/diff/diffMarkdown.ts
/**
 * A diff as Markdown for a GitHub job summary or a pull-request comment: a section with one table
 * per part (manifest, schema, row counts) and the changed SQL folded away under <details>. Pure.
 */




/** Manifest values as code: strings without their JSON quotes, as the job summary shows them. */
const manifestValue = (value) => markdown_cellText(`${value}`);
function manifestSection(diff) {
    if (diff.manifest.length === 0)
        return ['**Manifest:** unchanged.', ''];
    return [
        '#### Manifest',
        '',
        '| field | old | new |',
        '| --- | --- | --- |',
        ...diff.manifest.map((field) => `| ${field.field} | ${manifestValue(field.old)} | ${manifestValue(field.new)} |`),
        '',
    ];
}
/** Each changed object's SQL as a diff, unchanged lines included, folded away: the table says what changed. */
function sqlDetails(entries) {
    if (entries.length === 0)
        return [];
    const blocks = entries.flatMap(({ kind, change }) => [
        // inlineCode shows a line break in the name escaped: a blank line would end the paragraph.
        `${kind} ${inlineCode(change.name)}:`,
        '',
        ...fenced('diff', diffLines(change.old?.sql ?? null, change.new?.sql ?? null).map((line) => `${line.mark} ${line.text}`)),
        '',
    ]);
    return ['<details><summary>SQL of the changed objects</summary>', '', ...blocks, '</details>', ''];
}
function schemaSection(diff) {
    if (!schemaChanged(diff))
        return ['**Schema:** unchanged.', ''];
    const entries = schemaEntries(diff);
    const rows = entries.map(({ kind, change, details }) => `| ${kind} | ${markdown_cellText(change.name)} | ${change.change} | ${details.map(markdown_cellProse).join('<br>')} |`);
    if (diff.userVersion) {
        rows.push(`| pragma | user_version | changed | ${diff.userVersion.old} → ${diff.userVersion.new} |`);
    }
    return [
        '#### Schema',
        '',
        '| object | name | change | details |',
        '| --- | --- | --- | --- |',
        ...rows,
        '',
        ...sqlDetails(entries),
    ];
}
function rowCountSection(diff) {
    const changed = diff.rowCounts.filter(rowCountChanged);
    const total = diff.rowCounts.length;
    if (changed.length === 0)
        return [`**Row counts:** unchanged (${total} table${total === 1 ? '' : 's'}).`, ''];
    const others = total - changed.length;
    return [
        '#### Row counts',
        '',
        '| table | old | new | change |',
        '| --- | ---: | ---: | ---: |',
        ...changed.map((count) => `| ${markdown_cellText(count.table)} | ${countSide(count.old)} | ${countSide(count.new)} | ${rowDelta(count)} |`),
        '',
        ...(others === 0
            ? []
            : [
                others === 1
                    ? 'The other table has the same row count.'
                    : `The other ${others} tables have the same row counts.`,
                '',
            ]),
    ];
}
/** `title`: the section's heading; the default suits a PR check against the default branch's snapshot. */
function renderDiffMarkdown(diff, title = 'Changes since the baseline') {
    const lines = [`### ${title}`, ''];
    if (!hasDifferences(diff)) {
        lines.push(NO_DIFFERENCES);
        return `${lines.join('\n')}\n`;
    }
    lines.push(...manifestSection(diff), ...schemaSection(diff), ...rowCountSection(diff));
    if (contentOnlyChange(diff))
        lines.push(CONTENT_ONLY_NOTE, '');
    return `${lines.join('\n').trimEnd()}\n`;
}

;// CONCATENATED MODULE: ./src/action/comparison.ts
/** A verify's comparison with the branch baseline, for the job summary's diff section. */





/**
 * Diffs the verified snapshot against the newest baseline of the branch: the very files verify
 * read, not the directory opened again. Nothing here fails the step: a missing or unreadable
 * baseline says nothing about this snapshot.
 */
async function compareWithBaseline(inputs, snapshot, 
/** The artifact name the snapshot came as (a reused one when artifact-name was left empty). */
artifactName, 
/** The passing report verify made of `snapshot`: the diff does not verify it again. */
verified, env, log) {
    const branch = inputs.baselineBranch;
    // Baselines are saved under the name the build was asked for, before any checksum suffix.
    const name = baseArtifactName(artifactName, verified.computedChecksum);
    return log.group(`Comparing with the baseline of ${branch}`, async () => {
        const lookup = await restoreBaseline(name, branch, env);
        if (!lookup.found) {
            const note = lookup.reason === 'none'
                ? // The cache client reports an unreachable service as a warning and then a miss.
                    `no baseline of branch ${branch} for the artifact "${name}" was found in the Actions cache (a warning above says so if the cache could not be reached); a build with save-baseline: true on ${branch} saves one.`
                : lookup.detail
                    ? `the baseline could not be looked up: ${lookup.detail}`
                    : 'the Actions cache service is not available to this job.';
            log.notice(`No baseline to compare with: ${note}`);
            return { section: { branch, note } };
        }
        const { baseline } = lookup;
        try {
            const diff = await diffSnapshots(baseline.dir, snapshot, {
                workDir: env.RUNNER_TEMP || undefined,
                newVerified: verified,
            });
            const changed = contentChanged(diff);
            log.info(`compared with ${baseline.key}: ${changed ? 'changed' : 'the same content'}`);
            return { section: { branch, key: baseline.key, markdown: renderDiffMarkdown(diff) }, changed };
        }
        catch (error) {
            const note = `the baseline ${baseline.key} could not be compared: ${error.message}`;
            log.warning(`No comparison with the baseline: ${note}`);
            return { section: { branch, key: baseline.key, note } };
        }
        finally {
            baseline.dispose();
        }
    });
}

;// CONCATENATED MODULE: ./src/core/oci/reference.ts
/**
 * Registry references as users write them: `[oci://]host[:port]/path[:tag|@sha256:<hex>]`. A
 * reference names a registry (always with a host, so `ghcr.io/acme/app` never reads as a local
 * directory), a repository, and at most one of a tag or a digest.
 */

const PREFIX = 'oci://';
/** The distribution spec's grammar: path components of lower-case letters and digits, with separators. */
const REPOSITORY = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** A sha256 digest as registries and manifests write it. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])(?::[0-9]{1,5})?$/;
const isLoopback = (registry) => /^(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?::\d+)?$/.test(registry);
/**
 * Whether `text` is meant as a registry reference rather than a directory: it has the `oci://`
 * prefix, or its first component is a host (holds a dot or a port, or is localhost) and it does
 * not exist as a path the caller can see.
 */
function looksLikeReference(text, existsAsPath) {
    if (text.startsWith(PREFIX))
        return true;
    if (existsAsPath || !text.includes('/'))
        return false;
    const first = text.slice(0, text.indexOf('/'));
    return first === 'localhost' || /\.|:\d+$/.test(first);
}
/** Parses a reference; `plainHttp` is the --plain-http choice (a loopback registry implies it). */
function parseReference(text, plainHttp = false) {
    const bad = (why) => usageError(`"${text}" is not a registry reference: ${why}.`, 'Write it as [oci://]host[:port]/repository[:tag|@sha256:<64 hex digits>], e.g. ghcr.io/acme/app-snapshot:cm3-cs7.');
    let rest = text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text;
    const slash = rest.indexOf('/');
    if (slash <= 0)
        throw bad('it names no registry host');
    const registry = rest.slice(0, slash).toLowerCase();
    if (!HOST.test(registry))
        throw bad(`"${registry}" is not a host name`);
    rest = rest.slice(slash + 1);
    let digest;
    let tag;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw bad('the digest is not sha256:<64 lower-case hex digits>');
    }
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw bad(`"${tag}" is not a tag`);
    }
    if (tag !== undefined && digest !== undefined)
        throw bad('give a tag or a digest, not both');
    if (!REPOSITORY.test(rest))
        throw bad(`"${rest}" is not a repository name (lower-case letters, digits, . _ - and /)`);
    return { registry, repository: rest, tag, digest, plainHttp: plainHttp || isLoopback(registry) };
}
/** `registry/repository`, then `:tag` or `@digest` when set. */
function formatReference(reference) {
    const base = `${reference.registry}/${reference.repository}`;
    if (reference.digest)
        return `${base}@${reference.digest}`;
    return reference.tag ? `${base}:${reference.tag}` : base;
}

;// CONCATENATED MODULE: ./src/core/oci/artifact.ts
/**
 * A snapshot as an OCI artifact (image-spec 1.1, as ORAS writes them): one image manifest whose
 * `artifactType` is `application/vnd.sqlite-snapshot.v1`, the empty config, and two uncompressed
 * layers titled `manifest.json` and `snapshot.sql`, so `oras pull` and `skopeo copy` see two
 * ordinary files. The `snapshot.sql` layer's digest is the manifest's checksum: the same sha256 of
 * the same bytes. Every version field is also an annotation, so a consumer can choose a snapshot
 * by reading manifests only.
 */



const ARTIFACT_TYPE = 'application/vnd.sqlite-snapshot.v1';
const IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const EMPTY_CONFIG = 'application/vnd.oci.empty.v1+json';
const LAYER_MEDIA_TYPES = {
    [MANIFEST_FILE]: 'application/vnd.sqlite-snapshot.manifest.v1+json',
    [DUMP_FILE]: 'application/vnd.sqlite-snapshot.dump.v1.sql',
};
/** The empty config blob, `{}`, and its digest (the image spec's well-known value). */
const EMPTY_BLOB = Buffer.from('{}');
const EMPTY_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const TITLE = 'org.opencontainers.image.title';
/** The annotation of a version field: the field's own name under our prefix. */
const versionAnnotation = (field) => `org.sqlite-snapshot.${field}`;
const VERSION_FIELDS = [
    'control_model_version',
    'cache_schema_version',
    'control_version',
    'db_migration_version',
    'source_chassis_version',
];
/**
 * Where and when a push happens, from the environment: now (or SOURCE_DATE_EPOCH), and in a
 * GitHub workflow the repository's URL and the commit.
 */
const provenanceFrom = (env) => ({
    created: createdAt(env),
    source: env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}` : undefined,
    revision: env.GITHUB_SHA || undefined,
});
/** The image manifest of a snapshot whose two files have these descriptors. */
function imageManifest(manifest, files, provenance) {
    const annotations = { 'org.opencontainers.image.created': provenance.created };
    if (provenance.source)
        annotations['org.opencontainers.image.source'] = provenance.source;
    if (provenance.revision)
        annotations['org.opencontainers.image.revision'] = provenance.revision;
    for (const field of VERSION_FIELDS)
        annotations[versionAnnotation(field)] = String(manifest[field]);
    return {
        schemaVersion: 2,
        mediaType: IMAGE_MANIFEST,
        artifactType: ARTIFACT_TYPE,
        config: { mediaType: EMPTY_CONFIG, digest: EMPTY_DIGEST, size: EMPTY_BLOB.length },
        layers: [
            { ...files.manifest, annotations: { [TITLE]: MANIFEST_FILE } },
            { ...files.dump, annotations: { [TITLE]: DUMP_FILE } },
        ],
        annotations,
    };
}
/**
 * The two layers of a pulled artifact, by file name, after checking it is one of ours: the right
 * artifact type, exactly two layers titled as plain file names we know. A title is never used as
 * a path: anything else (`../x`, `a/b`) is refused.
 */
function snapshotLayers(manifest, where) {
    const image = manifest;
    const refuse = (why) => ioError(`${where} is not a sqlite-snapshot artifact: ${why}.`, 'Point at a snapshot pushed with sqlite-snapshot push.');
    if (image?.artifactType !== ARTIFACT_TYPE)
        throw refuse(`its artifactType is not ${ARTIFACT_TYPE}`);
    const layers = Array.isArray(image.layers) ? image.layers : [];
    const byTitle = new Map();
    for (const layer of layers) {
        const title = layer?.annotations?.[TITLE];
        if (title !== MANIFEST_FILE && title !== DUMP_FILE)
            throw refuse('a layer is not titled manifest.json or snapshot.sql');
        if (byTitle.has(title))
            throw refuse(`two layers are titled ${title}`);
        if (!DIGEST.test(String(layer.digest)) || !Number.isSafeInteger(layer.size) || layer.size < 0) {
            throw refuse(`the ${title} layer has no valid digest and size`);
        }
        byTitle.set(title, layer);
    }
    const manifestLayer = byTitle.get(MANIFEST_FILE);
    const dumpLayer = byTitle.get(DUMP_FILE);
    if (!manifestLayer || !dumpLayer || layers.length !== 2)
        throw refuse('it does not hold exactly the two files');
    return { manifest: manifestLayer, dump: dumpLayer };
}

;// CONCATENATED MODULE: ./src/core/oci/credentials.ts
/**
 * Registry credentials, from where users keep them, first found wins: given explicitly (the CLI's
 * --username with --password-stdin, the Action's inputs), SQLITE_SNAPSHOT_REGISTRY_USERNAME and
 * _PASSWORD, then the Docker config's `auths` entry for the registry ($DOCKER_CONFIG/config.json,
 * else ~/.docker/config.json). None means anonymous. `source` says which, for messages; the secret
 * itself is never shown.
 */




/** The Docker config's `auths` keys a registry may be stored under. */
const dockerKeys = (registry) => registry === 'docker.io' || registry === 'registry-1.docker.io'
    ? ['https://index.docker.io/v1/', 'docker.io', 'registry-1.docker.io']
    : [registry, `https://${registry}`, `http://${registry}`];
function fromDockerConfig(registry, env) {
    const dir = env.DOCKER_CONFIG || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.docker');
    const path = (0,external_node_path_.join)(dir, 'config.json');
    let config;
    try {
        config = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
    for (const key of dockerKeys(registry)) {
        const entry = config.auths?.[key];
        if (!entry)
            continue;
        if (entry.username && entry.password)
            return { username: entry.username, password: entry.password, source: path };
        if (!entry.auth)
            continue;
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon > 0)
            return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source: path };
    }
    return undefined;
}
function findCredentials(registry, env, given) {
    if (given?.username || given?.password) {
        if (!given.username || !given.password) {
            throw usageError(`A registry user needs a password, and a password a user (${given.source}).`, 'Give both: --username and the password on standard input with --password-stdin.');
        }
        return { username: given.username, password: given.password, source: given.source };
    }
    const user = env.SQLITE_SNAPSHOT_REGISTRY_USERNAME;
    const password = env.SQLITE_SNAPSHOT_REGISTRY_PASSWORD;
    if (user && password) {
        return { username: user, password, source: 'SQLITE_SNAPSHOT_REGISTRY_USERNAME/_PASSWORD' };
    }
    return fromDockerConfig(registry, env);
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(57075);
;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __nccwpck_require__(44708);
;// CONCATENATED MODULE: ./src/core/oci/client.ts
/**
 * An OCI distribution client, as small as pushing, resolving and pulling a snapshot needs: the
 * registry's auth challenge answered as users expect (anonymous or credentialed Bearer tokens from
 * the `WWW-Authenticate` realm, or Basic), redirects followed without credentials when they leave
 * the registry's host, bounded retries with backoff on 429, 5xx and dropped connections, and every
 * failure named by registry, repository, HTTP status and the registry's error code.
 */






const RETRIES = 3;
const MAX_REDIRECTS = 5;
/** `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` as its scheme and parameters. */
function parseChallenge(header) {
    const scheme = header.trim().split(/\s+/, 1)[0].toLowerCase();
    const params = {};
    for (const match of header.slice(scheme.length).matchAll(/([a-zA-Z_]+)="([^"]*)"/g))
        params[match[1]] = match[2];
    return { scheme, params };
}
class RegistryClient {
    base;
    reference;
    credentials;
    /** The access the token asks for: pull, or pull and push. */
    actions;
    bearer;
    basic = false;
    constructor(reference, credentials, actions) {
        this.reference = reference;
        this.credentials = credentials;
        this.actions = actions;
        this.base = `${reference.plainHttp ? 'http' : 'https'}://${reference.registry}`;
    }
    /** `/v2/<repository>/<rest>`. */
    path(rest) {
        return `/v2/${this.reference.repository}/${rest}`;
    }
    /**
     * A request whose body or answer is a large stream (a dump), over node:http with backpressure
     * both ways, so memory stays flat whatever the size. Auth must already be settled by an earlier
     * request of this client (a manifest read, an upload's POST); redirects of a GET are followed,
     * with credentials only on the registry's own host.
     */
    async stream(method, url, options) {
        let target = new URL(url, this.base);
        for (let hop = 0;; hop++) {
            const headers = { ...options.headers };
            const authorization = this.authorizationFor(target);
            if (authorization)
                headers.authorization = authorization;
            let response;
            try {
                response = await new Promise((resolve, reject) => {
                    const send = target.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
                    const outgoing = send(target, { method, headers }, resolve);
                    outgoing.once('error', reject);
                    if (options.body)
                        (0,external_node_stream_promises_namespaceObject.pipeline)(options.body, outgoing).catch(reject);
                    else
                        outgoing.end();
                });
            }
            catch (error) {
                throw this.unreachable({ cause: error }, options.what);
            }
            const status = response.statusCode ?? 0;
            const location = response.headers.location;
            if (method === 'GET' && status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
                response.resume();
                target = new URL(location, target);
                continue;
            }
            if (status >= 200 && status < 300)
                return response;
            const chunks = [];
            for await (const chunk of response)
                if (chunks.length < 64)
                    chunks.push(chunk);
            const answer = new Response(Buffer.concat(chunks), {
                status,
                headers: { 'www-authenticate': String(response.headers['www-authenticate'] ?? '') },
            });
            throw await this.failure(answer, options.what);
        }
    }
    /** Sends a request, answering auth challenges and retrying what can be retried; throws a clear error otherwise. */
    async request(method, pathOrUrl, options) {
        for (let attempt = 1;; attempt++) {
            let response;
            try {
                response = await this.send(method, new URL(pathOrUrl, this.base), options);
            }
            catch (error) {
                if (attempt < RETRIES && isTransient(error)) {
                    await (0,external_node_timers_promises_namespaceObject.setTimeout)(backoff(attempt));
                    continue;
                }
                throw this.unreachable(error, options.what);
            }
            if (response.status === 401 && attempt === 1 && (await this.answerChallenge(response))) {
                attempt = 0;
                continue;
            }
            if ((response.status === 429 || response.status >= 500) && attempt < RETRIES) {
                await response.body?.cancel();
                await (0,external_node_timers_promises_namespaceObject.setTimeout)(backoff(attempt, response.headers.get('retry-after')));
                continue;
            }
            if (response.ok || options.accept?.includes(response.status))
                return response;
            throw await this.failure(response, options.what);
        }
    }
    /** One request with its redirects: credentials go only to the registry's own host. */
    async send(method, url, options) {
        let target = url;
        for (let hop = 0;; hop++) {
            const headers = { ...options.headers };
            const authorization = this.authorizationFor(target);
            if (authorization)
                headers.authorization = authorization;
            const response = await fetch(target, {
                method,
                headers,
                body: options.body,
                redirect: 'manual',
            });
            const location = response.headers.get('location');
            if (response.status < 300 || response.status >= 400 || !location || method === 'POST' || method === 'PUT') {
                return response;
            }
            await response.body?.cancel();
            if (hop >= MAX_REDIRECTS)
                throw ioError(`${this.where()}: more than ${MAX_REDIRECTS} redirects.`);
            target = new URL(location, target);
        }
    }
    /** Credentials for a request to `target`: only ever on the registry's own host (a redirect may leave it). */
    authorizationFor(target) {
        return target.host === new URL(this.base).host ? this.authorization() : undefined;
    }
    authorization() {
        if (this.bearer)
            return `Bearer ${this.bearer}`;
        if (this.basic && this.credentials) {
            return `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
        }
        return undefined;
    }
    /** Takes a 401's challenge; true when there is now something new to try. */
    async answerChallenge(response) {
        await response.body?.cancel();
        const { scheme, params } = parseChallenge(response.headers.get('www-authenticate') ?? '');
        if (scheme === 'basic') {
            if (!this.credentials || this.basic)
                return false;
            this.basic = true;
            return true;
        }
        if (scheme !== 'bearer' || !params.realm || this.bearer)
            return false;
        const realm = new URL(params.realm);
        if (params.service)
            realm.searchParams.set('service', params.service);
        // The access this client needs for all its requests, not only the one challenged: a push's
        // first request (looking for a blob) is challenged for pull alone.
        realm.searchParams.set('scope', `repository:${this.reference.repository}:${this.actions}`);
        const headers = {};
        if (this.credentials) {
            headers.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
        }
        let answer;
        try {
            answer = await fetch(realm, { headers });
        }
        catch (error) {
            throw this.unreachable(error, `get a token from ${realm.host}`);
        }
        if (!answer.ok)
            throw await this.failure(answer, `get a token from ${realm.host}`);
        const body = (await answer.json().catch(() => ({})));
        this.bearer = body.token ?? body.access_token;
        return this.bearer !== undefined;
    }
    where() {
        return `Registry ${this.reference.registry}, repository ${this.reference.repository}`;
    }
    unreachable(error, what) {
        const cause = error.cause;
        const detail = cause?.code ?? cause?.message ?? error.message;
        return ioError(`${this.where()}: could not ${what}: the registry could not be reached (${printableShort(String(detail), 200)}).`, `Check the host and port, the network, and whether the registry speaks ${this.reference.plainHttp ? 'plain HTTP' : 'HTTPS'} (pass --plain-http for an HTTP registry).`, error);
    }
    /** A failed answer as one clear error: status, the registry's error code, and what to do. */
    async failure(response, what) {
        const text = await response.text().catch(() => '');
        let code = '';
        try {
            const errors = JSON.parse(text).errors ?? [];
            code = errors.map((entry) => [entry.code, entry.message].filter(Boolean).join(': ')).join('; ');
        }
        catch {
            // Not the distribution spec's error body: the status says enough.
        }
        const said = code ? ` (${printableShort(code, 300)})` : '';
        const message = `${this.where()}: could not ${what}: HTTP ${response.status}${said}.`;
        // A token that is valid but lacks the access asked for: a permission, not a login, is missing.
        const scope = /error="insufficient_scope"/.test(response.headers.get('www-authenticate') ?? '');
        return ioError(message, this.hintFor(scope && this.credentials ? 403 : response.status));
    }
    hintFor(status) {
        const tried = this.credentials ? `the credentials from ${this.credentials.source}` : 'no credentials';
        if (status === 401) {
            return `The registry refused ${tried}. Give a user and a password or token (--username with --password-stdin, SQLITE_SNAPSHOT_REGISTRY_USERNAME/_PASSWORD, or docker login).`;
        }
        if (status === 403) {
            return `${tried[0].toUpperCase()}${tried.slice(1)} may not ${this.actions === 'pull' ? 'read' : 'write'} this repository: grant ${this.actions === 'pull' ? 'read' : 'write'} access (on ghcr.io, packages: ${this.actions === 'pull' ? 'read' : 'write'}).`;
        }
        if (status === 404) {
            return 'Check the repository name and the tag or digest; a new ghcr.io package exists only after its first push, and a private one answers 404 without credentials.';
        }
        if (status === 429 || status >= 500)
            return 'The registry is busy or failing: try again later.';
        return 'Check the reference and the registry.';
    }
}
function isTransient(error) {
    const code = error.cause?.code ?? '';
    return ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
}
/** 0.25 s, 0.5 s, … or what Retry-After asks for, at most 5 s. */
function backoff(attempt, retryAfter) {
    const asked = Number(retryAfter);
    if (Number.isFinite(asked) && asked > 0)
        return Math.min(asked * 1000, 5000);
    return Math.min(250 * 2 ** (attempt - 1), 5000);
}

;// CONCATENATED MODULE: ./src/core/oci/registry.ts
/**
 * The distribution API calls a snapshot needs, on a RegistryClient: blobs (exists, upload, fetch),
 * manifests (get, put) and tag listing with pagination. Manifests read back are checked against
 * their digest; their JSON is parsed, never trusted further than artifact.ts allows.
 */



/** Manifests are small; a larger answer is not one of ours. */
const registry_MANIFEST_MAX_BYTES = 4 << 20;
/** Tags are read a page at a time; this many pages at most (100,000 tags). */
const MAX_TAG_PAGES = 1000;
/** Whether the repository already holds the blob `digest`. */
async function blobExists(client, digest) {
    const response = await client.request('HEAD', client.path(`blobs/${digest}`), {
        accept: [404],
        what: `look for blob ${digest}`,
    });
    await response.body?.cancel();
    return response.status !== 404;
}
/** Chunks of this size at least, when a registry asks for a chunked upload without saying a size. */
const DEFAULT_CHUNK_BYTES = 16 << 20;
/**
 * Uploads a blob: one PUT of the whole body, the way every registry accepts; in chunks (PATCH with
 * Content-Range, then a closing PUT) where the registry asks for them (OCI-Chunk-Min-Length), where
 * it refuses a body that large (413), or when `chunkBytes` says so.
 */
async function uploadBlob(client, blob, chunkBytes) {
    const opened = await client.request('POST', client.path('blobs/uploads/'), {
        what: `start the upload of ${blob.what}`,
    });
    await opened.body?.cancel();
    const asked = Number(opened.headers.get('oci-chunk-min-length'));
    const chunk = chunkBytes ?? (Number.isSafeInteger(asked) && asked > 0 ? Math.max(asked, DEFAULT_CHUNK_BYTES) : undefined);
    const location = uploadLocation(client, opened);
    if (chunk !== undefined)
        return uploadInChunks(client, blob, location, chunk);
    const url = new URL(location);
    url.searchParams.set('digest', blob.digest);
    const headers = { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) };
    const body = blob.whole();
    if (body instanceof Uint8Array) {
        const put = await client.request('PUT', url.href, { headers, body, accept: [413], what: `upload ${blob.what}` });
        await put.body?.cancel();
        if (put.status === 413)
            return uploadBlob(client, blob, DEFAULT_CHUNK_BYTES);
        return;
    }
    try {
        (await client.stream('PUT', url.href, { headers, body, what: `upload ${blob.what}` })).resume();
    }
    catch (error) {
        // Too large for the registry (or a proxy before it) in one request: send it in chunks.
        if (error instanceof Error && /HTTP 413/.test(error.message))
            return uploadBlob(client, blob, DEFAULT_CHUNK_BYTES);
        throw error;
    }
}
function uploadLocation(client, response) {
    const location = response.headers.get('location');
    if (!location)
        throw ioError(`Registry ${client.reference.registry} answered an upload without a Location.`);
    return new URL(location, client.base).href;
}
async function uploadInChunks(client, blob, start, chunk) {
    let location = start;
    for (let position = 0; position < blob.size; position += chunk) {
        const bytes = blob.read(position, Math.min(chunk, blob.size - position));
        const patched = await client.request('PATCH', location, {
            headers: {
                'content-type': 'application/octet-stream',
                'content-length': String(bytes.length),
                'content-range': `${position}-${position + bytes.length - 1}`,
            },
            body: bytes,
            what: `upload ${blob.what} (bytes ${position} to ${position + bytes.length - 1})`,
        });
        await patched.body?.cancel();
        location = uploadLocation(client, patched);
    }
    const url = new URL(location);
    url.searchParams.set('digest', blob.digest);
    const closed = await client.request('PUT', url.href, {
        headers: { 'content-length': '0' },
        what: `finish the upload of ${blob.what}`,
    });
    await closed.body?.cancel();
}
/** The manifest at a tag or digest; undefined when there is none. */
async function getManifest(client, reference) {
    const response = await client.request('GET', client.path(`manifests/${reference}`), {
        headers: { accept: IMAGE_MANIFEST },
        accept: [404],
        what: `read the manifest ${reference}`,
    });
    if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const where = `${client.reference.registry}/${client.reference.repository}:${reference}`;
    if (bytes.length > registry_MANIFEST_MAX_BYTES)
        throw ioError(`The manifest of ${where} is over 4 MiB: not a snapshot.`);
    const digest = sha256Of(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
        throw ioError(`The registry answered ${where} with a manifest whose digest is ${digest}, so it was not used.`, 'The registry or a proxy altered the manifest: pull from another mirror or push again.');
    }
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw ioError(`The manifest of ${where} is not JSON.`, 'Point at a snapshot pushed with sqlite-snapshot push.');
    }
    return { bytes, digest, json };
}
async function putManifest(client, reference, bytes) {
    const response = await client.request('PUT', client.path(`manifests/${reference}`), {
        headers: { 'content-type': IMAGE_MANIFEST },
        body: bytes,
        what: `write the manifest ${reference}`,
    });
    await response.body?.cancel();
}
/** Every tag of the repository, following the registry's pages (`Link: <…>; rel="next"`). */
async function listTags(client) {
    const tags = [];
    let next = client.path('tags/list?n=100');
    for (let page = 0; next !== undefined && page < MAX_TAG_PAGES; page++) {
        const response = await client.request('GET', next, { accept: [404], what: 'list the tags' });
        if (response.status === 404) {
            await response.body?.cancel();
            return [];
        }
        const body = (await response.json().catch(() => undefined));
        if (!body || (body.tags !== null && body.tags !== undefined && !Array.isArray(body.tags))) {
            throw ioError(`Registry ${client.reference.registry} answered the tag list with something that is not one.`);
        }
        for (const tag of body.tags ?? [])
            if (typeof tag === 'string')
                tags.push(tag);
        const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(response.headers.get('link') ?? '');
        next = link ? new URL(link[1], client.base).href : undefined;
    }
    return tags;
}
/** Streams a blob; the caller checks size and digest as it reads. */
async function fetchBlob(client, digest, what) {
    return client.stream('GET', client.path(`blobs/${digest}`), { what: `download ${what}` });
}

;// CONCATENATED MODULE: ./src/core/oci/pull.ts
/**
 * `pull`: a snapshot from a registry into a directory, whole or not at all. The two layers are
 * streamed into a private temporary directory next to the destination, each checked against its
 * size and digest as it arrives; the files are then verified like any snapshot (checksum,
 * manifest, the expected versions), and only then renamed into place. A failure at any point
 * leaves the destination as it was.
 */














const occupied = (dir) => usageError(`${dir} already exists and is not an empty directory, so nothing was pulled into it.`, 'Pull into a new directory (--out), or remove it first.');
/** Refuses early a destination that holds anything: a pull never mixes its files with others. */
function checkDestination(dir) {
    const stats = lstatOrUndefined(dir);
    if (stats && (!stats.isDirectory() || (0,external_node_fs_.readdirSync)(dir).length > 0))
        throw occupied(dir);
}
/**
 * Puts the verified staging directory in place. The rename itself is the final check: it replaces
 * only an absent or empty directory, so whatever landed in `dir` during the download is refused
 * and kept, never merged or lost (Windows will not rename over any directory: an empty one is
 * removed first there).
 */
function pull_place(staging, dir) {
    try {
        (0,external_node_fs_.renameSync)(staging, dir);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR')
            throw occupied(dir);
        const stats = lstatOrUndefined(dir);
        if (code !== 'EPERM' || !stats?.isDirectory() || (0,external_node_fs_.readdirSync)(dir).length > 0) {
            throw code === 'EPERM'
                ? occupied(dir)
                : ioError(`Could not move the pulled snapshot into ${dir}: ${error.message}`, undefined, error);
        }
        (0,external_node_fs_.rmdirSync)(dir);
        (0,external_node_fs_.renameSync)(staging, dir);
    }
}
/**
 * Streams one layer to `path`, checking its size and sha256 as the bytes arrive; returns the
 * digest (with the file's first and last bytes) that verification then uses instead of a re-read.
 */
async function download(client, layer, path, where) {
    const response = await fetchBlob(client, layer.digest, (0,external_node_path_.basename)(path));
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    const checked = new external_node_stream_.Transform({
        transform(chunk, _encoding, done) {
            size += chunk.length;
            if (size > layer.size)
                return done(new Error('more bytes than the manifest says'));
            hash.update(chunk);
            if (head.length < 64)
                head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
            // A view of the chunk's end, copied only when a chunk is shorter than the tail kept.
            tail = chunk.length >= 64 ? chunk.subarray(-64) : Buffer.concat([tail, chunk]).subarray(-64);
            done(null, chunk);
        },
    });
    try {
        await (0,external_node_stream_promises_namespaceObject.pipeline)(response, checked, (0,external_node_fs_.createWriteStream)(path, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 20 }));
    }
    catch (error) {
        if (/more bytes/.test(error.message)) {
            throw refusal('verification', `${where}: ${(0,external_node_path_.basename)(path)} is larger than its manifest says (${layer.size} bytes).`, TAMPERED);
        }
        throw ioError(`${where}: downloading ${(0,external_node_path_.basename)(path)} failed: ${error.message}`, undefined, error);
    }
    const checksum = `sha256:${hash.digest('hex')}`;
    if (size !== layer.size || checksum !== layer.digest) {
        throw refusal('verification', `${where}: ${(0,external_node_path_.basename)(path)} as downloaded is ${size} bytes with digest ${checksum}, not the ${layer.size} bytes and ${layer.digest} its manifest names.`, TAMPERED);
    }
    return { checksum, size, head, tail };
}
const TAMPERED = 'The registry served other bytes than were pushed: pull again, or push the snapshot again.';
async function pullSnapshot(reference, outDir, options = {}) {
    const name = reference.digest ?? reference.tag;
    if (name === undefined) {
        throw usageError(`Pull needs a tag or a digest: ${formatReference(reference)}.`, 'Add :<tag> or @sha256:<digest>, or find the newest fitting snapshot with sqlite-snapshot resolve.');
    }
    const dir = (0,external_node_path_.resolve)(outDir);
    checkDestination(dir);
    const where = formatReference(reference);
    const client = new RegistryClient(reference, options.credentials, 'pull');
    const fetched = await getManifest(client, name);
    if (!fetched) {
        throw ioError(`${where}: no such tag or digest in the registry.`, 'Check the reference; list what fits with sqlite-snapshot resolve.');
    }
    const layers = snapshotLayers(fetched.json, where);
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(dir), { recursive: true });
    const staging = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_path_.dirname)(dir), `.${(0,external_node_path_.basename)(dir)}.pull-`));
    try {
        await download(client, layers.manifest, (0,external_node_path_.join)(staging, MANIFEST_FILE), where);
        const dumpDigest = await download(client, layers.dump, (0,external_node_path_.join)(staging, DUMP_FILE), where);
        // The dump was hashed as it was written into this private directory: verify without a re-read.
        const report = await verifySnapshot(staging, options.expect, dumpDigest);
        if (!report.ok) {
            const failed = report.checks.filter((check) => !check.ok);
            throw refusal('verification', `${where} failed verification, so it was not placed in ${dir}: ${failed.map(describeFailedCheck).join('; ')}.`, 'Pull a snapshot that fits (sqlite-snapshot resolve), or push one that does.', undefined);
        }
        pull_place(staging, dir);
        const pinned = formatReference({ ...reference, tag: undefined, digest: fetched.digest });
        return {
            pinned,
            digest: fetched.digest,
            dumpDigest,
            dir,
            report: { ...report, dumpPath: (0,external_node_path_.join)(dir, DUMP_FILE), manifestPath: (0,external_node_path_.join)(dir, MANIFEST_FILE) },
        };
    }
    finally {
        (0,external_node_fs_.rmSync)(staging, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/core/oci/tags.ts



const movingTag = (manifest) => `cm${manifest.control_model_version}-cs${manifest.cache_schema_version}`;
const immutableTag = (manifest) => `${movingTag(manifest)}-v${manifest.control_version}`;
/** Tags that are no snapshot: signatures, attestations, digest-named tags. */
const isForeignTag = (tag) => tag.startsWith('sha256-') || tag.endsWith('.sig') || tag.endsWith('.att');
/** A version as a tag or an annotation writes it: a decimal uint64, no sign, no leading zero. */
function uint64Text(text) {
    if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(text))
        return undefined;
    const value = BigInt(text);
    return value <= UINT64_MAX ? value : undefined;
}
/** The versions a version tag names, or undefined for any other tag. */
function parseVersionTag(tag) {
    const match = /^cm([0-9]+)-cs([0-9]+)-v([0-9]+)$/.exec(tag);
    if (!match)
        return undefined;
    const [model, cache, version] = match.slice(1).map(uint64Text);
    return model === undefined || cache === undefined || version === undefined ? undefined : { model, cache, version };
}
/** The control_version a manifest's annotation says, or undefined when it says none. */
const annotatedControlVersion = (json) => uint64Text(json?.annotations?.[versionAnnotation('control_version')]);
/** Points the moving tag at the newest version tag of the same model and cache shape. */
async function advanceMovingTag(client, manifest) {
    const moving = movingTag(manifest);
    const prefix = `${moving}-v`;
    for (let round = 0; round < 10; round++) {
        let best;
        for (const tag of await listTags(client)) {
            const named = parseVersionTag(tag);
            if (named?.model !== manifest.control_model_version || named.cache !== manifest.cache_schema_version)
                continue;
            if (best === undefined || named.version > best)
                best = named.version;
        }
        if (best === undefined)
            return;
        const current = await getManifest(client, moving);
        const currentVersion = current ? annotatedControlVersion(current.json) : undefined;
        if (currentVersion !== undefined && currentVersion >= best)
            return;
        const newest = await getManifest(client, `${prefix}${best}`);
        if (!newest)
            continue;
        await putManifest(client, moving, newest.bytes);
    }
}

;// CONCATENATED MODULE: ./src/core/oci/push.ts
/**
 * `push`: a verified snapshot directory into a registry. The files are opened once, verified, and
 * those same open files are uploaded (the registry checks each blob against its digest, so a file
 * changed since verification is refused there). Blobs the repository has are skipped. Tags: an
 * immutable `cm<model>-cs<cache>-v<control_version>`, refused when it already names other content;
 * a moving `cm<model>-cs<cache>` that only moves forward; and the user's own.
 */












async function pushSnapshot(options) {
    const { reference } = options;
    if (reference.digest) {
        throw usageError(`Push to a repository or a tag, not a digest: ${formatReference(reference)}.`, 'The digest is what the push prints.');
    }
    return withSnapshotFiles(options.dir, async (files) => {
        const report = await verifySnapshot(files);
        if (!report.ok) {
            const failed = report.checks.filter((check) => !check.ok);
            throw refusal('verification', `${options.dir} failed verification, so it was not pushed: ${failed.map(describeFailedCheck).join('; ')}.`, 'Rebuild the snapshot with sqlite-snapshot build.');
        }
        const manifest = report.manifest;
        const client = new RegistryClient(reference, options.credentials, 'pull,push');
        const manifestDescriptor = {
            mediaType: LAYER_MEDIA_TYPES[MANIFEST_FILE],
            digest: sha256Of(files.manifestBytes),
            size: files.manifestBytes.length,
        };
        const dumpDescriptor = {
            mediaType: LAYER_MEDIA_TYPES[DUMP_FILE],
            digest: report.computedChecksum,
            size: report.dumpBytes,
        };
        const inMemory = (bytes, digest, what) => ({
            digest,
            size: bytes.length,
            whole: () => bytes,
            read: (position, length) => bytes.subarray(position, position + length),
            what,
        });
        const blobs = [
            inMemory(EMPTY_BLOB, EMPTY_DIGEST, 'the empty config'),
            inMemory(files.manifestBytes, manifestDescriptor.digest, 'manifest.json'),
            {
                digest: dumpDescriptor.digest,
                size: dumpDescriptor.size,
                // The file verification read, from its start; the descriptor stays open.
                whole: () => (0,external_node_fs_.createReadStream)('', { fd: files.dumpFd, start: 0, autoClose: false, highWaterMark: 1 << 20 }),
                read: (position, length) => {
                    const bytes = Buffer.allocUnsafe(length);
                    const count = (0,external_node_fs_.readSync)(files.dumpFd, bytes, 0, length, position);
                    return bytes.subarray(0, count);
                },
                what: 'snapshot.sql',
            },
        ];
        for (const blob of blobs) {
            if (await blobExists(client, blob.digest))
                continue;
            await uploadBlob(client, blob, options.chunkBytes);
        }
        const image = imageManifest(manifest, { manifest: manifestDescriptor, dump: dumpDescriptor }, options.provenance);
        let bytes = Buffer.from(JSON.stringify(image));
        let digest = sha256Of(bytes);
        const fixed = immutableTag(manifest);
        const existing = await getManifest(client, fixed);
        if (existing && sameSnapshot(existing.json, image)) {
            // Pushed before (a re-run): the same files keep the manifest they were first pushed with.
            bytes = existing.bytes;
            digest = existing.digest;
        }
        else if (existing) {
            throw refusal('verification', `${formatReference({ ...reference, tag: fixed })} already holds another snapshot (${existing.digest}); a version tag is never moved.`, 'Build the new snapshot with a higher control_version (or other versions), or delete that tag in the registry first.');
        }
        // The manifest by digest first, so every tag names content that is already there.
        if (!existing) {
            await putManifest(client, digest, bytes);
            await putManifest(client, fixed, bytes);
        }
        const own = [...new Set([...(reference.tag ? [reference.tag] : []), ...(options.tags ?? [])])];
        for (const tag of own)
            if (tag !== fixed)
                await putManifest(client, tag, bytes);
        const moving = movingTag(manifest);
        await advanceMovingTag(client, manifest);
        return {
            pinned: formatReference({ ...reference, tag: undefined, digest }),
            digest,
            tags: [fixed, moving, ...own.filter((tag) => tag !== fixed && tag !== moving)],
        };
    });
}
/** The same two files under another manifest (another push time): the version tag may stay. */
function sameSnapshot(existing, image) {
    const layers = existing.layers ?? [];
    return (layers.length === image.layers.length &&
        layers.every((layer, index) => layer.digest === image.layers[index].digest));
}

;// CONCATENATED MODULE: ./src/core/oci/resolve.ts
/**
 * `resolve`: the newest snapshot in a repository that this code can use. Every pushed snapshot has
 * a version tag, `cm<model>-cs<cache>-v<control_version>`, so the candidates are chosen from the
 * tag list alone (every page of it); then, newest first, each candidate's manifest is read and
 * checked (our artifact type, annotations that agree with the tag, the expected db migration
 * version) until one fits. Blobs are never downloaded. control_version is compared exactly, up to
 * 2^64-1.
 */






const accepts = (accepted, value) => accepted === undefined || accepted.length === 0 || accepted.includes(value);
/**
 * The reference to pull: as given when it names a tag or a digest; for a repository alone, the
 * newest snapshot `expect` accepts, pinned by digest.
 */
async function pinnedReference(reference, expect, credentials) {
    if (reference.tag || reference.digest)
        return { reference };
    const resolved = await resolveSnapshot(reference, expect, credentials);
    return { reference: { ...reference, digest: resolved.digest }, resolved };
}
async function resolveSnapshot(reference, expect, credentials) {
    const client = new RegistryClient(reference, credentials, 'pull');
    const candidates = [];
    for (const tag of await listTags(client)) {
        if (isForeignTag(tag))
            continue;
        const named = parseVersionTag(tag);
        if (!named)
            continue;
        const { model, cache, version } = named;
        if (!accepts(expect.controlModelVersions, model) || !accepts(expect.cacheSchemaVersions, cache))
            continue;
        if (expect.minControlVersion !== undefined && version < expect.minControlVersion)
            continue;
        candidates.push({ tag, model, cache, version });
    }
    candidates.sort((a, b) => (a.version === b.version ? 0 : a.version > b.version ? -1 : 1));
    for (const candidate of candidates) {
        const fetched = await getManifest(client, candidate.tag);
        if (!fetched)
            continue;
        try {
            snapshotLayers(fetched.json, candidate.tag);
        }
        catch {
            continue;
        }
        const annotations = fetched.json.annotations ?? {};
        const says = (field) => annotations[versionAnnotation(field)];
        // The tag is only a name: the manifest's own annotations must say the same versions.
        if (annotatedControlVersion(fetched.json) !== candidate.version ||
            says('control_model_version') !== String(candidate.model) ||
            says('cache_schema_version') !== String(candidate.cache)) {
            continue;
        }
        if (expect.dbMigrationVersion !== undefined && says('db_migration_version') !== expect.dbMigrationVersion)
            continue;
        return {
            pinned: formatReference({ ...reference, tag: undefined, digest: fetched.digest }),
            digest: fetched.digest,
            tag: candidate.tag,
            controlModelVersion: candidate.model,
            cacheSchemaVersion: candidate.cache,
            controlVersion: candidate.version,
        };
    }
    const wanted = [
        expect.controlModelVersions?.length ? `control_model_version ${expect.controlModelVersions.join(' or ')}` : '',
        expect.cacheSchemaVersions?.length ? `cache_schema_version ${expect.cacheSchemaVersions.join(' or ')}` : '',
        expect.minControlVersion !== undefined ? `control_version >= ${expect.minControlVersion}` : '',
        expect.dbMigrationVersion !== undefined ? `db_migration_version "${expect.dbMigrationVersion}"` : '',
    ].filter(Boolean);
    throw refusal('verification', `No snapshot in ${formatReference({ ...reference, tag: undefined })} fits ${wanted.length ? wanted.join(', ') : 'at all'}.`, 'Push a snapshot built with versions this code accepts (sqlite-snapshot push), or widen the expected versions.');
}

;// CONCATENATED MODULE: ./src/action/registry.ts
/**
 * The Action and OCI registries: `publish-to` pushes what a build made, `from` pulls (or resolves,
 * then pulls) what a verify or restore reads. Credentials: the registry-username and
 * registry-password inputs; else, on ghcr.io only, the run's actor and the job token (github-token),
 * which never go to another registry; else the SQLITE_SNAPSHOT_REGISTRY_* variables or the Docker
 * config on the runner.
 */









function credentials(inputs, env, registry) {
    if (inputs.registryUsername || inputs.registryPassword) {
        return findCredentials(registry, env, {
            username: inputs.registryUsername ?? env.GITHUB_ACTOR,
            password: inputs.registryPassword,
            source: 'the registry-username and registry-password inputs',
        });
    }
    if (registry === 'ghcr.io' && inputs.githubToken) {
        return {
            username: env.GITHUB_ACTOR || 'github-actions',
            password: inputs.githubToken,
            source: 'the job token (github-token) as the run’s actor',
        };
    }
    return findCredentials(registry, env);
}
async function publishSnapshot(inputs, env, log, dir) {
    const reference = parseReference(inputs.publishTo);
    const pushed = await log.group(`Pushing the snapshot to ${inputs.publishTo}`, () => pushSnapshot({
        dir,
        reference,
        credentials: credentials(inputs, env, reference.registry),
        provenance: provenanceFrom(env),
    }));
    log.info(`pushed ${pushed.pinned} (tags ${pushed.tags.join(', ')})`);
    return pushed;
}
/** Pulls the snapshot `from` names into a new directory under RUNNER_TEMP; a repository is resolved first. */
async function pullFrom(inputs, env, log, expect) {
    const given = parseReference(inputs.from);
    const access = credentials(inputs, env, given.registry);
    const { reference, resolved } = await log.group(`Finding ${inputs.from}`, () => pinnedReference(given, expect, access));
    if (resolved)
        log.info(`resolved ${resolved.tag}: ${resolved.pinned}`);
    const parent = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'sqlite-snapshot-from-'));
    const pulled = await log.group(`Pulling ${inputs.from}`, () => pullSnapshot(reference, (0,external_node_path_.join)(parent, 'snapshot'), { credentials: access }));
    return { dir: pulled.dir, pinned: pulled.pinned, digest: pulled.digest, dumpDigest: pulled.dumpDigest };
}

;// CONCATENATED MODULE: ./src/action/snapshotSource.ts
/**
 * Which snapshot a verify or restore step reads. Steps of a job share the default `path`, so the
 * Action records what it built or downloaded there (a mark in RUNNER_TEMP, which the runner empties
 * for every job, bound to the files' fingerprint), and a step reuses the files only when they are
 * what it asked for.
 */






/** Where the mark of `dir` is kept; none outside a runner, whose own files in `path` are then used as they are. */
function markPath(dir, env) {
    if (!env.RUNNER_TEMP)
        return undefined;
    // The real path: a symlink to the folder is the same folder.
    const real = (0,external_node_fs_.existsSync)(dir) ? (0,external_node_fs_.realpathSync)(dir) : (0,external_node_path_.resolve)(dir);
    const key = (0,external_node_crypto_.createHash)('sha256').update(real).digest('hex').slice(0, 32);
    return (0,external_node_path_.join)(env.RUNNER_TEMP, '.sqlite-snapshot-marks', `${key}.json`);
}
/** The manifest's bytes and the dump's size and modification time: cheap, and changed by any rewrite. */
function fingerprint(dir) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, MANIFEST_FILE)))
        hash.update((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, MANIFEST_FILE)));
    if ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, DUMP_FILE))) {
        const stats = (0,external_node_fs_.statSync)((0,external_node_path_.join)(dir, DUMP_FILE));
        hash.update(`|${stats.size}|${stats.mtimeMs}`);
    }
    return hash.digest('hex');
}
/**
 * Records what `dir` now holds. Best effort: without a mark the files count as the user's own,
 * which is safe (verify still checks them), so a RUNNER_TEMP that cannot be written stops nothing.
 * The old mark is never removed first: until new files land it still describes the old ones, and
 * once they do its fingerprint no longer matches.
 */
function writeSourceMark(dir, env, mark) {
    try {
        const path = markPath(dir, env);
        if (!path)
            return;
        (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(path, '..'), { recursive: true });
        (0,external_node_fs_.writeFileSync)(path, `${JSON.stringify({ ...mark, fingerprint: fingerprint(dir) })}\n`);
    }
    catch {
        // See above: no mark is a defined state.
    }
}
function readSourceMark(dir, env) {
    try {
        const path = markPath(dir, env);
        if (!path || !(0,external_node_fs_.existsSync)(path))
            return undefined;
        const mark = JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8'));
        return mark.fingerprint === fingerprint(dir) ? mark : undefined;
    }
    catch {
        return undefined;
    }
}
const requestedRun = (source) => ({
    runId: source.runId ?? null,
    repository: source.repository ? `${source.repository.owner}/${source.repository.repo}` : null,
});
function matches(mark, source) {
    const { runId, repository } = requestedRun(source);
    const sameRun = mark.runId === runId && mark.repository === repository;
    // No artifact-name: whatever this job built or downloaded is meant, unless run-id asks for another run.
    if (!source.named)
        return source.runId === undefined || sameRun;
    if (!sameRun)
        return false;
    return [mark.artifact, mark.baseName].includes(source.name);
}
const factsOf = (mark) => mark.id === undefined
    ? undefined
    : {
        name: mark.artifact,
        id: mark.id,
        digest: mark.digest,
        origin: describeOrigin(mark.runId ?? undefined, mark.repository ?? undefined),
    };
/** Whether `dir` holds (part of) a snapshot, so verify and restore use it instead of downloading. */
const holdsSnapshot = (dir) => (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, DUMP_FILE)) || (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, MANIFEST_FILE));
/** The snapshot directory to read: `path` when it holds the snapshot asked for, else the artifact downloaded into it. */
async function locateSnapshot(inputs, env, log) {
    const dir = (0,external_node_path_.resolve)(inputs.path);
    const source = inputs.artifact;
    if (holdsSnapshot(dir)) {
        const mark = readSourceMark(dir, env);
        if (!mark) {
            if (source.runId !== undefined) {
                throw usageError(`${dir} already holds a snapshot that this action did not download, so the artifact of run ${source.runId} would be ignored.`, 'Point path at an empty directory for the download, or leave run-id empty to check the files in path.');
            }
            log.info(`using the snapshot in ${dir}`);
            return { dir };
        }
        if (matches(mark, source)) {
            log.info(`using the ${mark.origin} artifact "${mark.artifact}" in ${dir}`);
            return { dir, artifact: factsOf(mark), baseName: mark.baseName };
        }
        if (mark.origin === 'built') {
            throw usageError(`${dir} holds the snapshot this job built (artifact "${mark.artifact}"), not the artifact "${source.name}"${source.runId === undefined ? '' : ` of run ${source.runId}`}.`, `Set path to another directory to download that artifact, or leave artifact-name and run-id empty to check what this job built.`);
        }
        log.info(`${dir} holds the artifact "${mark.artifact}", not the one asked for: replacing it`);
    }
    const artifact = await log.group(`Downloading the artifact "${source.name}"`, () => downloadSnapshot(source, dir, (line) => log.warning(line)));
    writeSourceMark(dir, env, {
        origin: 'downloaded',
        artifact: source.name,
        baseName: source.name,
        ...requestedRun(source),
        id: artifact.id,
        digest: artifact.digest,
    });
    return { dir, artifact, baseName: source.name };
}

;// CONCATENATED MODULE: ./src/action/modes.ts
/**
 * The three modes, each from typed inputs to a result: outputs, the summary's outcome and the
 * failed checks to annotate. They call the same core as the CLI; how results are shown is run.ts's.
 */
















/** A progress line every ten seconds keeps long dumps and restores visibly alive without flooding the log. */
const dumpProgress = (log) => throttled(10_000, (progress) => log.info(describeDumpProgress(progress)));
const loadProgress = (log) => {
    const describe = loadProgressDescriber();
    return throttled(10_000, (progress) => log.info(describe(progress)));
};
/** What runs on a restored database: in restore, and in verify's restore proof. */
const migrateAndSanity = (inputs, env, log) => ({
    onProgress: loadProgress(log),
    migrations: inputs.migrations,
    migrateCommand: inputs.migrateCommand,
    requireTables: inputs.requireTables,
    checkSql: inputs.checkSql,
    integrity: inputs.integrity,
    env,
});
/** The outputs that describe the snapshot read, the same in verify and restore. */
async function snapshotOutputs(report) {
    const controlVersion = report.manifest.control_version;
    return {
        checksum: report.computedChecksum,
        manifest: await modes_manifestText(report.manifestPath),
        'dump-path': report.dumpPath,
        'manifest-path': report.manifestPath,
        'db-migration-version': report.manifest.db_migration_version ?? '',
        'control-version': controlVersion === undefined ? '' : String(controlVersion),
    };
}
const expectations = (inputs) => ({
    controlModelVersions: inputs.controlModelVersions,
    cacheSchemaVersions: inputs.cacheSchemaVersions,
    dbMigrationVersion: inputs.dbMigrationVersion,
    minControlVersion: inputs.controlVersion,
});
const artifactOutputs = (artifact) => ({
    'artifact-name': artifact?.name ?? '',
    'artifact-id': artifact?.id === undefined ? '' : String(artifact.id),
    'artifact-digest': artifact?.digest ?? '',
});
/** The registry outputs: the snapshot pushed or pulled, pinned; empty when no registry was used. */
const registryOutputs = (used) => ({
    'oci-reference': used?.pinned ?? '',
    'oci-digest': used?.digest ?? '',
});
async function buildMode(inputs, env, log) {
    const outDir = (0,external_node_path_.resolve)(inputs.path);
    const result = await log.group('Building the snapshot', () => buildSnapshot({
        database: inputs.database,
        outDir,
        migrations: inputs.migrations,
        migrateCommand: inputs.migrateCommand,
        seeds: inputs.seeds,
        allowEmpty: inputs.allowEmpty,
        controlModelVersion: inputs.controlModelVersions?.[0],
        cacheSchemaVersion: inputs.cacheSchemaVersions?.[0],
        controlVersion: inputs.controlVersion,
        controlVersionQuery: inputs.controlVersionQuery,
        dbMigrationVersion: inputs.dbMigrationVersion,
        dbMigrationVersionQuery: inputs.dbMigrationVersionQuery,
        sourceVersion: inputs.sourceVersion,
        env,
        onProgress: dumpProgress(log),
    }));
    log.info(`${result.manifest.checksum}: ${counted(result.dumpBytes, 'byte')}, ${counted(result.tables, 'table')}, ${counted(result.rows, 'row')}`);
    const name = inputs.nameWithChecksum
        ? contentAddressedName(inputs.artifact.name, result.manifest.checksum)
        : inputs.artifact.name;
    const mark = {
        origin: 'built',
        artifact: name,
        baseName: inputs.artifact.name,
        runId: null,
        repository: null,
    };
    writeSourceMark(outDir, env, mark);
    const artifact = inputs.upload
        ? await log.group(`Uploading the artifact "${name}"`, () => uploadSnapshot(name, outDir, { retentionDays: inputs.retentionDays, overwrite: inputs.overwrite }))
        : undefined;
    if (artifact)
        writeSourceMark(outDir, env, { ...mark, id: artifact.id, digest: artifact.digest });
    let baselineKey = '';
    if (inputs.saveBaseline) {
        const saved = await log.group("Saving the snapshot as this branch's baseline", () => saveBaseline(outDir, inputs.artifact.name, env));
        if (saved.saved) {
            baselineKey = saved.key;
            log.info(`saved the baseline ${saved.key}`);
        }
        else {
            log.warning(`The baseline ${saved.key} was not saved: ${saved.reason}. Pull requests will find an older one, or none.`);
        }
    }
    // After the artifact and the baseline: the registry copy is the durable one a fleet reads.
    const published = inputs.publishTo ? await publishSnapshot(inputs, env, log, outDir) : undefined;
    return {
        ok: true,
        outputs: {
            checksum: result.manifest.checksum,
            manifest: serializeManifest(result.manifest).trim(),
            'dump-path': result.dumpPath,
            'manifest-path': result.manifestPath,
            'db-migration-version': result.manifest.db_migration_version,
            'control-version': String(result.manifest.control_version),
            verdict: 'passed',
            'baseline-key': baselineKey,
            ...artifactOutputs(artifact),
            ...registryOutputs(published),
        },
        outcome: { mode: 'build', ...result, artifact },
        failures: [],
    };
}
async function modes_manifestText(path) {
    try {
        return (await (0,promises_.readFile)(path, 'utf8')).trim();
    }
    catch {
        return '';
    }
}
async function verifyMode(inputs, env, log, context = {}) {
    const pulled = inputs.from ? await pullFrom(inputs, env, log, expectations(inputs)) : undefined;
    const { dir, artifact, baseName } = pulled ?? (await locateSnapshot(inputs, env, log));
    context.artifact = artifact;
    const proof = { ...migrateAndSanity(inputs, env, log), workDir: env.RUNNER_TEMP || undefined };
    // Opened once: verify, the restore proof and the baseline diff all read these same files.
    const { report, comparison } = await withSnapshotFiles(dir, async (files) => {
        const report = wantsRestoreProof(proof)
            ? await log.group('Verifying the snapshot, then restoring, migrating and checking it', () => verifyWithRestoreProof(files, expectations(inputs), proof))
            : await log.group('Verifying the snapshot', () => 
            // A snapshot pulled from a registry was hashed as it was written: not read again.
            verifySnapshot(files, expectations(inputs), pulled?.dumpDigest));
        // The names and values come from the manifest: each shown on its one line, escaped.
        for (const check of report.checks.map(printableCheck)) {
            log.info(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.actual}`);
        }
        const comparison = inputs.compareBaseline && report.ok
            ? await compareWithBaseline(inputs, files, baseName ?? inputs.artifact.name, report, env, log)
            : undefined;
        return { report, comparison };
    });
    return {
        ok: report.ok,
        outputs: {
            ...(await snapshotOutputs(report)),
            verdict: report.ok ? 'passed' : 'failed',
            'baseline-key': comparison?.section.key ?? '',
            changed: comparison?.changed === undefined ? '' : String(comparison.changed),
            ...artifactOutputs(artifact),
            ...registryOutputs(pulled),
        },
        outcome: {
            mode: 'verify',
            ok: report.ok,
            manifest: report.manifest,
            checks: report.checks,
            dumpPath: report.dumpPath,
            artifact,
            baseline: comparison?.section,
        },
        failures: report.checks.filter((check) => !check.ok),
    };
}
async function restoreMode(inputs, env, log, context = {}) {
    const pulled = inputs.from ? await pullFrom(inputs, env, log, expectations(inputs)) : undefined;
    const { dir, artifact } = pulled ?? (await locateSnapshot(inputs, env, log));
    context.artifact = artifact;
    const result = await log.group(`Restoring into ${inputs.database}`, () => restoreSnapshot({
        snapshotDir: dir,
        target: inputs.database,
        force: inputs.force,
        backup: inputs.backup,
        ...migrateAndSanity(inputs, env, log),
        expect: expectations(inputs),
    }));
    log.info(`restored ${result.report.computedChecksum} into ${result.target} (${counted(result.stats.rows, 'row')})`);
    return {
        ok: true,
        outputs: {
            ...(await snapshotOutputs(result.report)),
            database: result.target,
            'backup-path': result.backupPath ?? '',
            verdict: 'passed',
            ...artifactOutputs(artifact),
            ...registryOutputs(pulled),
        },
        outcome: {
            mode: 'restore',
            manifest: result.report.manifest,
            target: result.target,
            rows: result.stats.rows,
            backupPath: result.backupPath,
            artifact,
        },
        failures: [],
    };
}

;// CONCATENATED MODULE: ./src/action/wording.ts
/**
 * How the core's advice names options in a workflow: `force: true` where the command line says
 * `--force` (see core/options.ts).
 */

const INPUT_SPELLING = {
    force: 'force: true',
    'no-backup': 'backup: false',
    out: 'path',
    db: 'database',
    seed: 'seed',
    migrations: 'migrations',
    'allow-empty': 'allow-empty: true',
};
const inActionWords = (text) => spellOptions(text, (name) => INPUT_SPELLING[name]);

;// CONCATENATED MODULE: ./src/action/summary.ts
/**
 * The job summary, as Markdown, from a mode's outcome. Pure: the same outcome always renders the
 * same text, so it is tested against golden files and written by the caller.
 */




/** One line of text shown literally in a paragraph. */
const prose = (text) => markdown_cellProse(text.replace(/\r?\n/g, ' '));
const fieldValue = (value) => value === undefined ? '—' : markdown_cellText(typeof value === 'string' ? value : String(value));
function manifestTable(manifest) {
    const rows = MANIFEST_FIELDS.map((field) => `| ${field} | ${fieldValue(manifest[field])} |`);
    return ['| manifest field | value |', '| --- | --- |', ...rows];
}
function artifactLine(artifact) {
    if (!artifact)
        return [];
    const parts = [`Artifact ${inlineCode(artifact.name)}`];
    if (artifact.id !== undefined)
        parts.push(`id ${artifact.id}`);
    if (artifact.digest)
        parts.push(`digest ${inlineCode(artifact.digest)}`);
    if (artifact.origin)
        parts.push(`from ${artifact.origin}`);
    return [`${parts.join(', ')}.`, ''];
}
function failedChecksTable(checks) {
    const failed = checks.filter((check) => !check.ok);
    if (failed.length === 0)
        return [];
    const rows = failed.map((check) => `| ${markdown_cellText(check.name)} | ${markdown_cellProse(check.expected)} | ${markdown_cellProse(check.actual)} | ${markdown_cellProse(check.hint ? inActionWords(check.hint) : '')} |`);
    return ['| check | expected | actual | fix |', '| --- | --- | --- | --- |', ...rows, ''];
}
function allChecks(checks) {
    if (checks.length === 0)
        return [];
    const rows = checks.map((check) => `| ${check.ok ? 'ok' : '**FAIL**'} | ${markdown_cellText(check.name)} | ${markdown_cellProse(check.actual)} |`);
    return [
        `<details><summary>Every check (${checks.length})</summary>`,
        '',
        '| result | check | value |',
        '| --- | --- | --- |',
        ...rows,
        '',
        '</details>',
        '',
    ];
}
function baselineLines(baseline) {
    if (!baseline)
        return [];
    if (baseline.markdown) {
        return [baseline.markdown.trimEnd(), '', `Compared with the baseline ${inlineCode(baseline.key ?? '')}.`, ''];
    }
    return [
        `> **No baseline to compare with:** ${baseline.note ? prose(baseline.note) : `none of branch ${inlineCode(baseline.branch)} was found.`}`,
        '',
    ];
}
function renderSummary(outcome) {
    const lines = [];
    if ('error' in outcome) {
        lines.push(`## ❌ sqlite-snapshot ${outcome.mode ? `${outcome.mode} ` : ''}failed`, '');
        // With checks, the table below says what failed; the message's own list would repeat it.
        const [first = '', ...rest] = outcome.error.message.split(/\r?\n/);
        lines.push(prose(outcome.checks ? first.replace(/:$/, '.') : first), '');
        // The rest is often a command's output: shown as it is, where Markdown cannot reinterpret it.
        if (!outcome.checks && rest.some((line) => line.trim() !== ''))
            lines.push(...fenced('text', rest), '');
        // The hint comes as it is from the core; the summary is where it becomes workflow words.
        if (outcome.error.hint)
            lines.push(`**Fix:** ${prose(inActionWords(outcome.error.hint))}`, '');
        lines.push(...artifactLine(outcome.artifact));
        if (outcome.checks)
            lines.push(...failedChecksTable(outcome.checks), ...allChecks(outcome.checks));
        return `${lines.join('\n').trimEnd()}\n`;
    }
    switch (outcome.mode) {
        case 'build':
            lines.push('## ✅ sqlite-snapshot built a snapshot', '');
            lines.push(`${inlineCode(outcome.dumpPath)}: ${counted(outcome.dumpBytes, 'byte')}, ${counted(outcome.tables, 'table')}, ${counted(outcome.rows, 'row')}.`, '');
            break;
        case 'verify':
            if (!outcome.ok) {
                const failed = outcome.checks.filter((check) => !check.ok).length;
                lines.push('## ❌ sqlite-snapshot verify failed', '');
                lines.push(`${inlineCode(outcome.dumpPath)} failed ${failed} of ${outcome.checks.length} checks.`, '');
                lines.push(...artifactLine(outcome.artifact), ...failedChecksTable(outcome.checks));
                lines.push(...manifestTable(outcome.manifest), '', ...allChecks(outcome.checks));
                return `${lines.join('\n').trimEnd()}\n`;
            }
            lines.push('## ✅ sqlite-snapshot verified the snapshot', '');
            lines.push(`${inlineCode(outcome.dumpPath)} passed all ${outcome.checks.length} checks.`, '');
            break;
        case 'restore':
            lines.push('## ✅ sqlite-snapshot restored the snapshot', '');
            lines.push(`${inlineCode(outcome.target)} now holds the snapshot (${counted(outcome.rows, 'row')}).`, '');
            if (outcome.backupPath)
                lines.push(`The previous database is kept as ${inlineCode(outcome.backupPath)}.`, '');
            break;
    }
    lines.push(...artifactLine(outcome.artifact), ...manifestTable(outcome.manifest), '');
    if (outcome.mode === 'verify')
        lines.push(...allChecks(outcome.checks), ...baselineLines(outcome.baseline));
    return `${lines.join('\n').trimEnd()}\n`;
}

;// CONCATENATED MODULE: ./src/core/shared/nearest.ts
/**
 * "Did you mean …": the nearest known name to what was typed, so that a typo in a command, a flag
 * or an Action input costs one glance instead of a trip to the documentation.
 */
/** Edit distance (insertions, deletions, substitutions, and swaps of two neighbours). */
function editDistance(a, b) {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                best = Math.min(best, d[i - 2][j - 2] + 1);
            d[i][j] = best;
        }
    }
    return d[a.length][b.length];
}
/** The known word closest to `typed`, if it is close enough to be what was meant. */
function nearest(typed, known) {
    // One slip in a short word, two or a third of a longer one: "--tread" → "--threads", never "--db" → "--out".
    const allowed = typed.length <= 3 ? 1 : Math.max(2, Math.floor(typed.length / 3));
    let best;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const word of known) {
        const distance = editDistance(typed.toLowerCase(), word);
        if (distance < bestDistance) {
            best = word;
            bestDistance = distance;
        }
    }
    return bestDistance <= allowed ? best : undefined;
}

;// CONCATENATED MODULE: ./src/action/unknownInputs.ts
/**
 * Inputs a step passed that this action does not have. The runner warns about them too, but
 * without a guess; a misspelt input silently falls back to its default, so say what was meant:
 * the nearest input, or the name this action gives an input the step named as another action does
 * (`control-model-version` in the verify action is `expect-control-model-version`).
 */



/** The input names of an action: the root one (`verb` undefined) or a verb's own. */
const actionInputNames = (verb) => inputsOf(verb).map(({ name }) => name);
/** What this action calls the input that `typed` names in the root action or another verb's. */
function translated(typed, verb) {
    for (const spec of ACTION_INPUTS) {
        if (!inputAliases(spec).includes(typed))
            continue;
        const own = verb === undefined ? spec.name : verbInputName(spec, verb);
        if (own !== undefined && own !== typed)
            return own;
    }
    return undefined;
}
/** One warning line per INPUT_* variable that is no input of this action, with the nearest input. */
function unknownInputWarnings(env, verb) {
    const names = actionInputNames(verb);
    const known = new Set(names.map(inputVariable));
    const action = verb === undefined ? 'sqlite-snapshot' : `sqlite-snapshot/${verb}`;
    return Object.keys(env)
        .filter((variable) => variable.startsWith('INPUT_') && !known.has(variable))
        .sort()
        .map((variable) => {
        // The runner upper-cases the name; lower case is how it was most likely written.
        const typed = variable.slice('INPUT_'.length).toLowerCase();
        const guess = translated(typed, verb) ?? nearest(typed, names);
        return `Input "${typed}" is not an input of ${action} and was ignored${guess ? `; did you mean "${guess}"?` : '.'}`;
    });
}

;// CONCATENATED MODULE: ./src/action/run.ts
/**
 * The Action's face: inputs from the runner, the mode's work in the core, then outputs, one
 * `::error` annotation per failure, and the job summary. Exit code 1 marks the step failed.
 *
 * Log lines and annotations quote snapshots (names, versions, SQLite's errors about them), so every
 * one leaves through `say` or `annotate`, which make the text inert (core/untrusted.ts): a crafted
 * snapshot can neither forge a workflow command (`::add-mask::`, `::error::`) nor drive a terminal.
 * Our own commands (`::group::`, the annotations) are written by @actions/core around that text.
 */












const MODE_RUNNERS = { build: buildMode, verify: verifyMode, restore: restoreMode };
let core;
/** A log line (or lines). */
const say = (text) => core.info(inertText(text));
/**
 * An annotation. @actions/core escapes the line breaks of the message and the `:` and `,` of the
 * title, not ESC and the like: the message is made inert, the title one printable line.
 */
function annotate(kind, message, title = 'sqlite-snapshot') {
    core[kind](inertText(message), { title: printable(title) });
}
const log = {
    info: say,
    notice: (line) => annotate('notice', line),
    warning: (line) => annotate('warning', line),
    group: (title, work) => core.group(printable(title), work),
};
function annotateCheck(check) {
    const fix = check.hint ? ` Fix: ${inActionWords(check.hint)}` : '';
    annotate('error', `${describeFailedCheck(check)}.${fix}`, `sqlite-snapshot: ${check.name}`);
}
function writeSummary(env, outcome) {
    const path = env.GITHUB_STEP_SUMMARY;
    if (!path)
        return;
    try {
        (0,external_node_fs_.appendFileSync)(path, renderSummary(outcome));
    }
    catch (error) {
        annotate('warning', `Could not write the job summary to ${path}: ${error.message}`);
    }
}
/** Outputs go to the runner's GITHUB_OUTPUT file; a failure to write them must fail the step clearly. */
function setOutputs(env, outputs) {
    try {
        for (const [name, value] of Object.entries(outputs))
            core.setOutput(name, value);
    }
    catch (error) {
        annotate('error', `Could not write the step's outputs to ${env.GITHUB_OUTPUT}: ${error.message}`);
        process.exitCode = 1;
    }
}
function reportResult(env, result) {
    setOutputs(env, result.outputs);
    for (const check of result.failures)
        annotateCheck(check);
    writeSummary(env, result.outcome);
    if (!result.ok)
        process.exitCode = 1;
}
function reportError(env, mode, context, error) {
    const checks = error instanceof SnapshotError ? error.checks : undefined;
    const failedChecks = (checks ?? []).filter((check) => !check.ok);
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof SnapshotError ? error.hint : undefined;
    if (failedChecks.length > 0) {
        for (const check of failedChecks)
            annotateCheck(check);
    }
    else {
        annotate('error', hint ? `${message}\nFix: ${inActionWords(hint)}` : message, mode ? `sqlite-snapshot ${mode} failed` : 'sqlite-snapshot failed');
    }
    // Anything that is not one of ours is a bug or an environment problem: keep its stack in the log.
    if (!(error instanceof SnapshotError) && error instanceof Error && error.stack)
        say(error.stack);
    setOutputs(env, { verdict: 'failed', ...(context.artifact ? artifactOutputs(context.artifact) : {}) });
    writeSummary(env, {
        mode,
        artifact: context.artifact,
        error: { message, ...(hint ? { hint } : {}) },
        ...(checks ? { checks: [...checks] } : {}),
    });
    process.exitCode = 1;
}
/**
 * Runs the step: the root action, whose `mode` input chooses the verb, or a verb's own action
 * (`verb`), whose inputs are named for that verb.
 */
async function run(env = process.env, verb) {
    // Worker threads of the dump and restore load this bundle too; only the main thread runs the step.
    if (!external_node_worker_threads_.isMainThread)
        return;
    // The first line before anything else loads: it is what the start-up bar measures.
    process.stdout.write(`sqlite-snapshot ${VERSION} on Node.js ${process.versions.node} (${process.platform}-${process.arch})\n`);
    core = await __nccwpck_require__.e(/* import() */ 838).then(__nccwpck_require__.bind(__nccwpck_require__, 33838));
    try {
        checkNodeVersion();
    }
    catch (error) {
        // No verdict, no outputs from a runtime that cannot read a manifest exactly: one line, exit 2.
        annotate('error', error.message);
        process.exitCode = 2;
        return;
    }
    let mode;
    const context = {};
    try {
        for (const line of unknownInputWarnings(env, verb))
            log.warning(line);
        const inputs = readInputs(verb ? verbInputReader(env, verb) : envInputReader(env), env);
        // A registry password from an input that is not a secret would otherwise show in the log.
        if (inputs.registryPassword)
            core.setSecret(inputs.registryPassword);
        mode = inputs.mode;
        for (const name of inputs.ignored)
            log.warning(`Input "${name}" is not used in mode: ${inputs.mode}; it was ignored.`);
        reportResult(env, await MODE_RUNNERS[inputs.mode](inputs, env, log, context));
    }
    catch (error) {
        reportError(env, mode, context, error);
    }
}

;// CONCATENATED MODULE: ./src/spec/cliFlags.ts
/**
 * The command line's flags, once: each command's parser, its --help and the option tables of
 * docs/cli.md are made from this table. The Action's inputs are in actionInputs.ts; where a flag
 * and an input mean the same thing, actionInputs.ts names the flag (`VerbUse.flag`).
 */

const COMMANDS = (/* unused pure expression or super */ null && (['build', 'verify', 'restore', 'diff', 'push', 'pull', 'resolve']));
const JSON_FLAG = (what) => ({ name: 'json', help: `print ${what} as JSON` });
const HELP = { name: 'help', short: 'h', help: 'show this help' };
const MIGRATE_COMMAND_NOTE = 'its database path is in $SNAPSHOT_DB and replaces {db}';
const INTEGRITY = 'quick_check and exact per-table row counts against the dump (quick, the default), or the full integrity_check, which also cross-checks every index against its table (full, slower)';
const EXPECTATIONS = [
    { name: 'expect-control-model-version', arg: '<N[,N…]>', help: 'accepted control model versions' },
    { name: 'expect-cache-schema-version', arg: '<N[,N…]>', help: 'accepted cache schema versions' },
    { name: 'expect-db-migration-version', arg: '<V>', help: 'required db migration version' },
    {
        name: 'expect-min-control-version',
        arg: '<N>',
        help: 'lowest accepted control_version (the fleet cursor), exact up to 2^64-1',
    },
];
/** How to reach a registry: for push, pull, resolve, and a registry reference where a directory goes. */
const REGISTRY = [
    {
        name: 'plain-http',
        help: 'talk plain HTTP to the registry (implied for localhost and 127.0.0.1, never for other hosts)',
    },
    {
        name: 'username',
        arg: '<user>',
        help: 'registry user; the password or token on standard input (--password-stdin)',
    },
    { name: 'password-stdin', help: 'read the registry password or token from standard input' },
];
const CLI_FLAGS = {
    build: [
        { name: 'db', arg: '<file>', help: 'fixture database', default: 'an empty database' },
        { name: 'out', arg: '<dir>', help: 'output directory, created if missing', default: 'required' },
        { name: 'migrations', arg: '<dir>', help: 'apply the .sql migrations in <dir> (numeric prefix order)' },
        { name: 'migrate-command', arg: '<cmd>', help: `run a migrator; ${MIGRATE_COMMAND_NOTE}` },
        { name: 'seed', arg: '<file.sql>', help: 'apply a SQL file after the migrations (repeatable)', multiple: true },
        { name: 'control-model-version', arg: '<N>', help: 'version of the control/event model', default: '0' },
        {
            name: 'cache-schema-version',
            arg: '<N>',
            help: 'version of the cache shape the dump restores into',
            default: '0',
        },
        { name: 'control-version', arg: '<N>', help: 'fleet cursor, 0..18446744073709551615', default: '0' },
        { name: 'control-version-query', arg: '<SQL>', help: 'read control_version from the database (one integer)' },
        { name: 'db-migration-version', arg: '<V>', help: 'migration version of the dumped database', default: 'detected' },
        {
            name: 'db-migration-version-query',
            arg: '<SQL>',
            help: 'read it from the database (default: detected from the bookkeeping of this tool, golang-migrate, goose, dbmate/Rails, Atlas, Prisma, Drizzle or Django, else PRAGMA user_version)',
        },
        {
            name: 'source-version',
            arg: '<S>',
            help: 'version of the producing code',
            default: '$GITHUB_SHA, else "dev"',
        },
        {
            name: 'threads',
            arg: '<N>',
            help: 'threads reading rows',
            default: '2 for databases of 32 MiB or more, else 1',
        },
        {
            name: 'allow-empty',
            help: 'accept a database with no tables (otherwise an error: most often a misspelt --db, --migrations or --seed)',
        },
        JSON_FLAG('the result'),
        HELP,
    ],
    verify: [
        { name: 'migrations', arg: '<dir>', help: 'restore proof: apply the .sql migrations in <dir>' },
        {
            name: 'migrate-command',
            arg: '<cmd>',
            help: `restore proof: shell command migrating the restored database; ${MIGRATE_COMMAND_NOTE}`,
        },
        {
            name: 'require-table',
            arg: '<name>',
            help: 'restore proof: a table that must exist (repeatable)',
            multiple: true,
        },
        { name: 'check-sql', arg: '<select>', help: 'restore proof: a query that must return a truthy value' },
        { name: 'integrity', arg: 'quick|full', help: `restore proof: ${INTEGRITY}` },
        ...EXPECTATIONS,
        ...REGISTRY,
        JSON_FLAG('the report'),
        HELP,
    ],
    restore: [
        { name: 'db', arg: '<target>', help: 'database to create or replace', default: 'required' },
        { name: 'force', help: 'replace a target that holds data' },
        { name: 'no-backup', help: 'with --force, do not keep <target>.bak-<UTC time>' },
        { name: 'migrations', arg: '<dir>', help: 'apply the .sql migrations in <dir> to the restored database' },
        {
            name: 'migrate-command',
            arg: '<cmd>',
            help: `shell command migrating the restored database; ${MIGRATE_COMMAND_NOTE}`,
        },
        { name: 'require-table', arg: '<name>', help: 'a table that must exist afterwards (repeatable)', multiple: true },
        { name: 'check-sql', arg: '<select>', help: 'a query that must return a truthy value' },
        { name: 'integrity', arg: 'quick|full', help: INTEGRITY },
        ...EXPECTATIONS,
        ...REGISTRY,
        JSON_FLAG('the result'),
        HELP,
    ],
    diff: [
        JSON_FLAG('the differences'),
        { name: 'markdown', help: 'print the differences as Markdown (a job summary, a PR comment)' },
        { name: 'exit-code', help: 'exit 1 when the snapshots differ, as git diff --exit-code does' },
        ...REGISTRY,
        HELP,
    ],
    push: [
        {
            name: 'tag',
            arg: '<tag>',
            help: 'also tag the snapshot so (repeatable); cm<model>-cs<cache>-v<control_version> and cm<model>-cs<cache> are always set',
            multiple: true,
        },
        ...REGISTRY,
        JSON_FLAG('the result'),
        HELP,
    ],
    pull: [
        { name: 'out', arg: '<dir>', help: 'directory to pull into: new or empty', default: 'required' },
        ...EXPECTATIONS,
        ...REGISTRY,
        JSON_FLAG('the result'),
        HELP,
    ],
    resolve: [...EXPECTATIONS, ...REGISTRY, JSON_FLAG('the result'), HELP],
};
/** A command's flags as node:util parseArgs takes them. */
function parseArgsOptions(command) {
    return Object.fromEntries(CLI_FLAGS[command].map((flag) => [
        flag.name,
        {
            type: flag.arg === undefined ? 'boolean' : 'string',
            ...(flag.multiple ? { multiple: true } : {}),
            ...(flag.short ? { short: flag.short } : {}),
        },
    ]));
}
const WIDTH = 100;
/** Words of `text` in lines of at most `width` characters. */
function wrap(text, width) {
    const lines = [];
    let line = '';
    for (const word of text.split(' ')) {
        if (line !== '' && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        }
        else
            line = line === '' ? word : `${line} ${word}`;
    }
    return [...lines, line];
}
/** The `Options:` block of a command's --help: flags in a column, their help wrapped beside them. */
function renderFlagHelp(command) {
    const flags = CLI_FLAGS[command];
    const label = (flag) => `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`;
    const column = Math.min(Math.max(...flags.map((flag) => label(flag).length)) + 2, 42);
    const lines = ['Options:'];
    for (const flag of flags) {
        const help = flag.default && flag.default !== 'required' ? `${flag.help} (default: ${flag.default})` : flag.help;
        const text = flag.default === 'required' ? `${help} (required)` : help;
        const [first = '', ...rest] = wrap(text, WIDTH - 2 - column);
        const name = label(flag);
        if (name.length + 2 > column)
            lines.push(`  ${name}`, `  ${' '.repeat(column)}${first}`);
        else
            lines.push(`  ${name.padEnd(column)}${first}`);
        for (const more of rest)
            lines.push(`  ${' '.repeat(column)}${more}`);
    }
    return lines.join('\n');
}
/** docs/cli.md's table of a command's flags. */
function renderFlagTable(command) {
    return [
        '| Option | Default | Meaning |',
        '| --- | --- | --- |',
        ...CLI_FLAGS[command]
            .filter((flag) => flag.name !== 'help')
            .map((flag) => `| ${cellText(`--${flag.name}${flag.arg ? ` ${flag.arg}` : ''}`)} | ${cellProse(flag.default ?? '')} | ${cellProse(flag.help)} |`),
    ].join('\n');
}

;// CONCATENATED MODULE: ./src/cli/suggest.ts
/**
 * "Did you mean …" on the command line: the nearest flag to what was typed, and the flag that
 * means what an Action input of the same name means, so a habit from workflows costs one glance.
 */


const isVerb = (command) => VERBS.includes(command);
/**
 * What `command` calls the option an Action input named `name` sets, in any action (the root one
 * or a verb's own): `--expect-control-model-version` for `control-model-version` in verify, `--db`
 * for `database`, the directory argument for `path`. Undefined when the name is the flag already,
 * or the command has nothing for it.
 */
function flagForActionInput(command, name, known) {
    if (!isVerb(command))
        return undefined;
    for (const spec of ACTION_INPUTS) {
        const use = spec.verbs[command];
        if (use === undefined)
            continue;
        if (!inputAliases(spec).includes(name))
            continue;
        const flag = use.flag ?? `--${use.name ?? spec.name}`;
        if (flag === `--${name}`)
            return undefined;
        // A flag this command does not have (the artifact inputs) is no answer; a description is.
        const flagName = /^--([\w-]+)/.exec(flag)?.[1];
        if (flagName !== undefined && !known.includes(flagName))
            continue;
        return flag;
    }
    return undefined;
}
/** What to suggest for an unknown flag `--name` of `command`, whose own flags are `known`. */
function suggestFlag(command, name, known) {
    const translated = flagForActionInput(command, name, known);
    if (translated)
        return translated;
    // An expectation typed without its prefix: --min-control-version for --expect-min-control-version.
    if (known.includes(`expect-${name}`))
        return `--expect-${name}`;
    const match = nearest(name, known);
    return match === undefined ? undefined : `--${match}`;
}

;// CONCATENATED MODULE: ./src/cli/args.ts
/** Command-line parsing shared by the commands, on node:util parseArgs with strict checking. */






function parseCommandArgs(command, args, options) {
    try {
        const { values, positionals } = (0,external_node_util_.parseArgs)({ args, options, allowPositionals: true, strict: true });
        return { values: values, positionals };
    }
    catch (error) {
        const message = error.message.replace(/\. To specify a positional.*$/, '.');
        const unknown = /^Unknown option '--([^'=]+)/.exec(message)?.[1];
        const suggestion = unknown === undefined ? undefined : suggestFlag(command, unknown, Object.keys(options));
        throw usageError(suggestion ? `${message} Did you mean ${suggestion}?` : message, `Run: sqlite-snapshot ${command} --help`);
    }
}
/**
 * A command's arguments with the part every command shares: --help printed (undefined is
 * returned: the command is done), and exactly `positionals.count` positional arguments, else the
 * usage error `positionals.message`.
 */
function parseCommand(command, args, options, help, io, positionals) {
    const parsed = parseCommandArgs(command, args, options);
    if (parsed.values.help) {
        io.stdout(help);
        return undefined;
    }
    if (parsed.positionals.length !== positionals.count) {
        throw usageError(positionals.message(parsed.positionals), positionals.hint ?? `Run: sqlite-snapshot ${command} --help`);
    }
    return parsed;
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
    return text === undefined ? undefined : parseVersionList(text, `--${name}`);
};
function minControlVersionOption(parsed) {
    const text = stringValue(parsed, 'expect-min-control-version');
    return text === undefined ? undefined : parseInteger(text, '--expect-min-control-version', 0n, UINT64_MAX);
}
/** The --expect-* options shared by verify and restore. */
const expectationsOption = (parsed) => ({
    controlModelVersions: versionListOption(parsed, 'expect-control-model-version'),
    cacheSchemaVersions: versionListOption(parsed, 'expect-cache-schema-version'),
    dbMigrationVersion: stringValue(parsed, 'expect-db-migration-version'),
    minControlVersion: minControlVersionOption(parsed),
});
/** `--integrity quick|full`, absent when not given (each command has its default). */
function integrityOption(parsed) {
    const text = stringValue(parsed, 'integrity');
    return text === undefined ? {} : { integrity: parseIntegrityChoice(text, '--integrity') };
}
/** What runs on a restored database, shared by restore and verify's restore proof. */
const migrateAndSanityOptions = (parsed, env) => ({
    ...integrityOption(parsed),
    migrations: stringValue(parsed, 'migrations'),
    migrateCommand: stringValue(parsed, 'migrate-command'),
    requireTables: parsed.values['require-table'] ?? [],
    checkSql: stringValue(parsed, 'check-sql'),
    env,
});

;// CONCATENATED MODULE: ./src/cli/output.ts


/**
 * The same streams, written through `inertText`: whatever a command prints may quote a snapshot,
 * and in a terminal an ESC byte acts, in a workflow step a line starting with `::` does. JSON
 * output stays valid JSON with the same values (see inertText).
 */
const inertIo = (io) => ({
    ...io,
    stdout: (text) => io.stdout(inertText(text)),
    stderr: (text) => io.stderr(inertText(text)),
});
const processIo = () => ({
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
    readStdin: async () => {
        const chunks = [];
        for await (const chunk of process.stdin)
            chunks.push(chunk);
        return Buffer.concat(chunks).toString('utf8');
    },
});
/** Exit codes shared by every command. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** Progress on stderr every couple of seconds, with the time so far, so short work stays quiet. */
function progressReporter(io, describe) {
    const started = Date.now();
    return throttled(2000, (progress) => io.stderr(`${describe(progress)}; ${humanDuration((Date.now() - started) / 1000)} so far\n`));
}
const dumpProgressReporter = (io) => progressReporter(io, describeDumpProgress);
const loadProgressReporter = (io) => progressReporter(io, loadProgressDescriber());

;// CONCATENATED MODULE: ./src/cli/buildCommand.ts
/** `sqlite-snapshot build`: dump a database into snapshot.sql + manifest.json. */









const BUILD_HELP = `Usage: sqlite-snapshot build [--db <file>] --out <dir> [options]

Dumps a SQLite fixture database into <dir>/snapshot.sql (canonical SQL) and
<dir>/manifest.json (checksum and versions). With --migrations, --migrate-command
or --seed, a private copy of <file> (or a new empty database) is migrated and
seeded first; <file> itself is only ever read.

${renderFlagHelp('build')}

created_at honours SOURCE_DATE_EPOCH for reproducible manifests.
Exit codes: 0 built, 1 a migration, seed or migrate command failed, 2 usage or I/O error.
`;
const OPTIONS = parseArgsOptions('build');
function threadsOption(parsed) {
    const text = stringValue(parsed, 'threads');
    return text === undefined ? undefined : Number(parseInteger(text, '--threads', 1n, 16n));
}
async function buildCommand(args, io) {
    const parsed = parseCommand('build', args, OPTIONS, BUILD_HELP, io, {
        count: 0,
        message: (got) => `build takes no positional arguments, got "${got[0]}".`,
        hint: 'Use --db <file> and --out <dir>.',
    });
    if (!parsed)
        return EXIT_OK;
    const database = stringValue(parsed, 'db');
    const outDir = stringValue(parsed, 'out');
    if (!outDir)
        throw usageError('build needs --out <dir>: where snapshot.sql and manifest.json go.', 'Run: sqlite-snapshot build --help');
    const controlVersionText = stringValue(parsed, 'control-version');
    const result = await buildSnapshot({
        database,
        outDir,
        migrations: stringValue(parsed, 'migrations'),
        migrateCommand: stringValue(parsed, 'migrate-command'),
        seeds: parsed.values.seed ?? [],
        controlVersionQuery: stringValue(parsed, 'control-version-query'),
        dbMigrationVersionQuery: stringValue(parsed, 'db-migration-version-query'),
        controlModelVersion: versionOption(parsed, 'control-model-version'),
        cacheSchemaVersion: versionOption(parsed, 'cache-schema-version'),
        controlVersion: controlVersionText === undefined
            ? undefined
            : parseInteger(controlVersionText, '--control-version', 0n, UINT64_MAX),
        dbMigrationVersion: stringValue(parsed, 'db-migration-version'),
        sourceVersion: stringValue(parsed, 'source-version'),
        threads: threadsOption(parsed),
        allowEmpty: parsed.values['allow-empty'] === true,
        env: io.env,
        onProgress: dumpProgressReporter(io),
    });
    if (parsed.values.json) {
        io.stdout(`${toJson({ checksum: result.manifest.checksum, dumpPath: result.dumpPath, manifestPath: result.manifestPath, dumpBytes: result.dumpBytes, tables: result.tables, rows: result.rows, manifest: result.manifest })}\n`);
    }
    else {
        io.stdout(`${result.manifest.checksum}\n` +
            `  dump:     ${result.dumpPath} (${counted(result.dumpBytes, 'byte')}, ${counted(result.tables, 'table')}, ${counted(result.rows, 'row')})\n` +
            `  manifest: ${result.manifestPath}\n` +
            `  db_migration_version ${quoted(result.manifest.db_migration_version)} (${result.facts.dbMigrationVersion.source}), ` +
            `control_version ${result.manifest.control_version} (${result.facts.controlVersion.source})\n`);
    }
    return EXIT_OK;
}

;// CONCATENATED MODULE: ./src/core/oci/source.ts
/**
 * Where a command's snapshot comes from: a directory, or a registry. A reference with a tag or a
 * digest is pulled; one that names a repository only is resolved first, with the versions the
 * caller expects, to the newest snapshot that fits. Either way the snapshot is pulled into a
 * temporary directory (verified on the way in, see pull.ts), handed to the command, and removed.
 */







const isRegistryLocation = (location) => looksLikeReference(location, (0,external_node_fs_.existsSync)(location));
function credentialsFor(registry, access) {
    return findCredentials(registry, access.env, access.given);
}
async function withSnapshotAt(location, access, expect, use) {
    if (!isRegistryLocation(location))
        return use({ dir: location });
    const given = parseReference(location, access.plainHttp);
    const credentials = credentialsFor(given.registry, access);
    const { reference } = await pinnedReference(given, expect, credentials);
    const temporary = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'sqlite-snapshot-pull-'));
    try {
        const pulled = await pullSnapshot(reference, (0,external_node_path_.join)(temporary, 'snapshot'), { credentials });
        return await use({ dir: pulled.dir, pinned: pulled.pinned, dumpDigest: pulled.dumpDigest });
    }
    finally {
        (0,external_node_fs_.rmSync)(temporary, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/cli/registryAccess.ts


async function registryAccess(parsed, io) {
    const username = stringValue(parsed, 'username');
    let password;
    if (parsed.values['password-stdin']) {
        if (!io.readStdin)
            throw usageError('--password-stdin needs standard input.');
        // One line, as docker login --password-stdin reads it: the trailing newline is not the secret's.
        password = (await io.readStdin()).replace(/\r?\n$/, '');
        if (password === '')
            throw usageError('--password-stdin read nothing from standard input.', 'Pipe the password or token in: echo "$TOKEN" | sqlite-snapshot …');
    }
    return {
        plainHttp: parsed.values['plain-http'] === true,
        given: username || password ? { username, password, source: '--username/--password-stdin' } : undefined,
        env: io.env,
    };
}

;// CONCATENATED MODULE: ./src/cli/diffCommand.ts
/** `sqlite-snapshot diff`: what changed between two snapshot directories. */










const DIFF_HELP = `Usage: sqlite-snapshot diff <old-dir|REF> <new-dir|REF> [options]

Compares two snapshot directories: the manifest fields that differ, the schema
(tables and their columns, indexes, views, triggers) and each table's row
count. Both snapshots are verified first, then loaded into throw-away
databases; a snapshot that fails verification is not compared. Every manifest
field counts, created_at included (set SOURCE_DATE_EPOCH for reproducible
builds).

${renderFlagHelp('diff')}

Exit codes: 0 compared (with --exit-code: no differences); 1 the snapshots
differ (only with --exit-code), or a snapshot failed verification or holds a
statement a dump never contains; 2 usage or I/O error.
`;
const diffCommand_OPTIONS = parseArgsOptions('diff');
async function diffCommand(args, io) {
    const parsed = parseCommand('diff', args, diffCommand_OPTIONS, DIFF_HELP, io, {
        count: 2,
        message: () => 'diff takes exactly two directories: the old snapshot and the new one.',
    });
    if (!parsed)
        return EXIT_OK;
    if (parsed.values.json && parsed.values.markdown) {
        throw usageError('--json and --markdown cannot be combined: pick one output form.');
    }
    const [oldAt, newAt] = parsed.positionals;
    const access = await registryAccess(parsed, io);
    // Either side may be a registry reference, pulled into a temporary directory first.
    const diff = await withSnapshotAt(oldAt, access, {}, (old) => withSnapshotAt(newAt, access, {}, async (updated) => ({
        ...(await diffSnapshots(old.dir, updated.dir)),
        // A pulled side is named by its reference, not by the temporary copy.
        oldDir: old.pinned ?? old.dir,
        newDir: updated.pinned ?? updated.dir,
    })));
    if (parsed.values.json)
        io.stdout(`${renderDiffJson(diff)}\n`);
    else if (parsed.values.markdown)
        io.stdout(renderDiffMarkdown(diff));
    else
        io.stdout(renderDiffText(diff));
    return parsed.values['exit-code'] && hasDifferences(diff) ? EXIT_FAILED : EXIT_OK;
}

;// CONCATENATED MODULE: ./src/cli/registryCommands.ts
/** `sqlite-snapshot push`, `pull` and `resolve`: snapshots in an OCI registry. */











const REFERENCE_FORM = 'REF is [oci://]host[:port]/repository[:tag|@sha256:<digest>], e.g. ghcr.io/acme/app-snapshot.';
const CREDENTIALS = `Credentials: --username with --password-stdin, else SQLITE_SNAPSHOT_REGISTRY_USERNAME and
SQLITE_SNAPSHOT_REGISTRY_PASSWORD, else the Docker config ($DOCKER_CONFIG or ~/.docker/config.json,
as docker login writes it), else anonymous.`;
const PUSH_HELP = `Usage: sqlite-snapshot push <dir> <REF> [options]

Verifies the snapshot in <dir>, then pushes it to an OCI registry as an artifact of two files
(manifest.json and snapshot.sql) and prints it pinned by digest: REF@sha256:…. It is tagged
cm<model>-cs<cache>-v<control_version> (never moved to other content) and cm<model>-cs<cache>
(moved only forward, to the newest control_version), plus REF's tag and any --tag.
${REFERENCE_FORM}

${renderFlagHelp('push')}

${CREDENTIALS}
Exit codes: 0 pushed, 1 the snapshot failed verification or a version tag holds another
snapshot, 2 usage, network or registry error.
`;
const PULL_HELP = `Usage: sqlite-snapshot pull <REF> --out <dir> [options]

Downloads a snapshot from an OCI registry into <dir>, checking each file's size and digest as it
arrives, verifies it (and the --expect-… versions), and only then puts it in <dir>, which must be
new or empty. A REF with no tag or digest is resolved first to the newest snapshot that fits.
${REFERENCE_FORM}

${renderFlagHelp('pull')}

${CREDENTIALS}
Exit codes: 0 pulled, 1 verification failed or no snapshot fits, 2 usage, network or registry error.
`;
const RESOLVE_HELP = `Usage: sqlite-snapshot resolve <REPO> [options]

Prints the newest snapshot in <REPO> that this code can use, pinned by digest (REPO@sha256:…):
the highest control_version among those whose versions the --expect-… options accept. Reads tags
and manifests only, never the dumps.

${renderFlagHelp('resolve')}

${CREDENTIALS}
Exit codes: 0 found, 1 no snapshot fits, 2 usage, network or registry error.
`;
const PUSH_OPTIONS = parseArgsOptions('push');
const PULL_OPTIONS = parseArgsOptions('pull');
const RESOLVE_OPTIONS = parseArgsOptions('resolve');
async function pushCommand(args, io) {
    const parsed = parseCommand('push', args, PUSH_OPTIONS, PUSH_HELP, io, {
        count: 2,
        message: () => 'push takes a snapshot directory and a registry reference: sqlite-snapshot push <dir> <REF>.',
    });
    if (!parsed)
        return EXIT_OK;
    const [dir, text] = parsed.positionals;
    const access = await registryAccess(parsed, io);
    const reference = parseReference(text, access.plainHttp);
    const env = io.env;
    const result = await pushSnapshot({
        dir,
        reference,
        tags: parsed.values.tag ?? [],
        credentials: credentialsFor(reference.registry, access),
        provenance: provenanceFrom(env),
    });
    io.stdout(parsed.values.json ? `${toJson(result)}\n` : `${result.pinned}\n`);
    if (!parsed.values.json)
        io.stderr(`tagged ${result.tags.join(', ')}\n`);
    return EXIT_OK;
}
async function pullCommand(args, io) {
    const parsed = parseCommand('pull', args, PULL_OPTIONS, PULL_HELP, io, {
        count: 1,
        message: () => 'pull takes one registry reference: sqlite-snapshot pull <REF> --out <dir>.',
    });
    if (!parsed)
        return EXIT_OK;
    const out = stringValue(parsed, 'out');
    if (!out)
        throw usageError('pull needs --out <dir>: where snapshot.sql and manifest.json go.', 'Run: sqlite-snapshot pull --help');
    const access = await registryAccess(parsed, io);
    const given = parseReference(parsed.positionals[0], access.plainHttp);
    const credentials = credentialsFor(given.registry, access);
    const expect = expectationsOption(parsed);
    const { reference } = await pinnedReference(given, expect, credentials);
    const result = await pullSnapshot(reference, out, { credentials, expect });
    io.stdout(parsed.values.json
        ? `${toJson({ pinned: result.pinned, dir: result.dir, checksum: result.report.computedChecksum })}\n`
        : `pulled ${result.pinned} into ${result.dir}\n`);
    return EXIT_OK;
}
async function resolveCommand(args, io) {
    const parsed = parseCommand('resolve', args, RESOLVE_OPTIONS, RESOLVE_HELP, io, {
        count: 1,
        message: () => 'resolve takes one repository: sqlite-snapshot resolve <REPO> --expect-… .',
    });
    if (!parsed)
        return EXIT_OK;
    const access = await registryAccess(parsed, io);
    const reference = parseReference(parsed.positionals[0], access.plainHttp);
    if (reference.tag || reference.digest) {
        throw usageError(`resolve takes a repository, not a tag or digest: ${parsed.positionals[0]}.`, 'Drop the :tag or @digest; resolve finds the tag.');
    }
    const resolved = await resolveSnapshot(reference, expectationsOption(parsed), credentialsFor(reference.registry, access));
    io.stdout(parsed.values.json ? `${toJson(resolved)}\n` : `${resolved.pinned}\n`);
    return EXIT_OK;
}

;// CONCATENATED MODULE: ./src/cli/restoreCommand.ts
/** `sqlite-snapshot restore`: verify a snapshot and put it in place of a database, safely. */








const RESTORE_HELP = `Usage: sqlite-snapshot restore <dir|REF> --db <target> [options]

Verifies <dir>/snapshot.sql against <dir>/manifest.json, restores it into a new
temporary database next to <target>, migrates and checks it, then atomically
replaces <target>. <target> is untouched until that last step, and a target
that already holds data is only replaced with --force.

<REF> is a snapshot in an OCI registry (see push): pulled first, or for a repository with no
tag, resolved to the newest snapshot the --expect-… versions accept, as a fleet machine does:
  sqlite-snapshot restore ghcr.io/acme/app-snapshot --expect-control-model-version 3 --db app.db

${renderFlagHelp('restore')}

Exit codes: 0 restored; 1 refused (verification failed, target holds data or is
in use, the dump holds a statement a dump never contains or is truncated, a
sanity check failed); 2 usage or I/O error.
`;
const restoreCommand_OPTIONS = parseArgsOptions('restore');
async function restoreCommand(args, io) {
    const parsed = parseCommand('restore', args, restoreCommand_OPTIONS, RESTORE_HELP, io, {
        count: 1,
        message: () => 'restore takes exactly one directory: the one holding snapshot.sql and manifest.json.',
    });
    if (!parsed)
        return EXIT_OK;
    const target = stringValue(parsed, 'db');
    if (!target)
        throw usageError('restore needs --db <target>: the database to create or replace.', 'Run: sqlite-snapshot restore --help');
    const started = Date.now();
    const expect = expectationsOption(parsed);
    // A registry reference is pulled (a repository resolved with the expected versions) first.
    const result = await withSnapshotAt(parsed.positionals[0], await registryAccess(parsed, io), expect, ({ dir }) => restoreSnapshot({
        snapshotDir: dir,
        target,
        force: parsed.values.force === true,
        backup: parsed.values['no-backup'] !== true,
        ...migrateAndSanityOptions(parsed, io.env),
        expect,
        onProgress: loadProgressReporter(io),
    }));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (parsed.values.json) {
        io.stdout(`${toJson({ target: result.target, checksum: result.report.computedChecksum, rows: result.stats.rows, statements: result.stats.statements, backupPath: result.backupPath ?? null, replaced: !result.freshness.fresh })}\n`);
    }
    else {
        io.stdout(`restored ${result.report.computedChecksum} into ${result.target} (${counted(result.stats.rows, 'row')}, ${seconds} s)\n` +
            (result.backupPath ? `  the previous database is kept as ${result.backupPath}\n` : ''));
    }
    return EXIT_OK;
}

;// CONCATENATED MODULE: ./src/cli/verifyCommand.ts
/** `sqlite-snapshot verify`: check an artifact directory against the manifest and expectations. */









const VERIFY_HELP = `Usage: sqlite-snapshot verify <dir|REF> [options]

Checks <dir>/snapshot.sql against <dir>/manifest.json: the manifest's nine
fields and their types, kind, format, checksum syntax and value, size, and the
versions the code expects. Every check runs; every failure is reported.

With --migrations, --migrate-command, --require-table, --check-sql or --integrity, a verified
snapshot is also restored into a throw-away database, migrated with this code's
migrations and sanity-checked (the "restore" check): proof that it still fits.

<REF> is a snapshot in an OCI registry (see push): pulled first, or for a repository with no
tag, resolved to the newest snapshot the --expect-… versions accept.

${renderFlagHelp('verify')}

Exit codes: 0 all checks hold, 1 verification failed, 2 usage or I/O error.
`;
const verifyCommand_OPTIONS = parseArgsOptions('verify');
/** The longest name the columns are aligned to: a longer one (an odd extra key) overflows its row alone. */
const NAME_COLUMN = 24;
function renderReport(report) {
    const lines = [
        report.ok ? `OK: ${report.dumpPath} matches its manifest.` : `FAILED: ${report.dumpPath} failed verification.`,
    ];
    // Names (an extra manifest key) and values come from the manifest: each on its one line, escaped.
    const rows = report.checks.map(printableCheck);
    const width = Math.min(NAME_COLUMN, Math.max(...rows.map((row) => row.name.length)));
    for (const row of rows) {
        const mark = row.ok ? 'ok  ' : 'FAIL';
        lines.push(`  ${mark} ${row.name.padEnd(width)}  ${row.ok ? row.actual : `expected ${row.expected}, got ${row.actual}`}`);
        if (!row.ok && row.hint)
            lines.push(`       ${' '.repeat(width)}  fix: ${row.hint}`);
    }
    return `${lines.join('\n')}\n`;
}
async function verifyCommand(args, io) {
    const parsed = parseCommand('verify', args, verifyCommand_OPTIONS, VERIFY_HELP, io, {
        count: 1,
        message: () => 'verify takes exactly one directory: the one holding snapshot.sql and manifest.json.',
    });
    if (!parsed)
        return EXIT_OK;
    const proof = { ...migrateAndSanityOptions(parsed, io.env), onProgress: loadProgressReporter(io) };
    const expect = expectationsOption(parsed);
    // A registry reference is pulled (or resolved with the expected versions, then pulled) first.
    const report = await withSnapshotAt(parsed.positionals[0], await registryAccess(parsed, io), expect, async ({ dir, pinned, dumpDigest }) => {
        const verified = await (wantsRestoreProof(proof)
            ? verifyWithRestoreProof(dir, expect, proof)
            : verifySnapshot(dir, expect, dumpDigest));
        // The pulled copy is gone once this returns: name the snapshot by its reference instead.
        return pinned
            ? { ...verified, dumpPath: `${pinned} snapshot.sql`, manifestPath: `${pinned} manifest.json` }
            : verified;
    });
    // The advice names options; on the command line they are flags.
    const checks = report.checks.map((check) => check.hint ? { ...check, hint: spellOptions(check.hint, cliOption) } : check);
    io.stdout(parsed.values.json
        ? `${toJson({ ...report, checks: checks.map(jsonCheck) })}\n`
        : renderReport({ ...report, checks }));
    return report.ok ? EXIT_OK : EXIT_FAILED;
}

;// CONCATENATED MODULE: ./src/cli/main.ts
/** The CLI's dispatcher: one function from argv to an exit code, so tests can call it in-process. */












const MAIN_HELP = `Usage: sqlite-snapshot <command> [options]

Commands:
  build    dump a SQLite database into snapshot.sql + manifest.json
  verify   check a snapshot directory's checksum, manifest and versions
  restore  verify a snapshot and safely put it in place of a database
  diff     compare two snapshots: manifest, schema and row counts
  push     push a snapshot to an OCI registry (ghcr.io, ECR, Docker Hub, Harbor, …)
  pull     download a snapshot from a registry, verified, into a directory
  resolve  find the newest snapshot in a registry that this code can use
  help     show a command's options: sqlite-snapshot help <command>

Options:
  -V, --version  print the version
  -h, --help     show this help

Where a command takes a snapshot directory, a registry reference works too:
  sqlite-snapshot restore ghcr.io/acme/app-snapshot --expect-control-model-version 3 --db app.db

Run sqlite-snapshot <command> --help for a command's options.
`;
const main_COMMANDS = {
    build: { run: buildCommand, help: BUILD_HELP },
    verify: { run: verifyCommand, help: VERIFY_HELP },
    restore: { run: restoreCommand, help: RESTORE_HELP },
    diff: { run: diffCommand, help: DIFF_HELP },
    push: { run: pushCommand, help: PUSH_HELP },
    pull: { run: pullCommand, help: PULL_HELP },
    resolve: { run: resolveCommand, help: RESOLVE_HELP },
};
/** The exit code an error means: 1 when the artifact or target was refused, 2 for usage, I/O and bugs. */
const exitCodeOf = (error) => error instanceof SnapshotError && REFUSAL_KINDS.has(error.kind) ? EXIT_FAILED : EXIT_USAGE;
/**
 * An error as the user sees it: two lines of text on stderr, or with --json one object on stdout
 * (the exit code is the same), so a script reading --json output never parses prose.
 */
function main_reportError(error, io, json) {
    const code = exitCodeOf(error);
    if (json) {
        const snapshotError = error instanceof SnapshotError ? error : undefined;
        io.stdout(`${toJson({
            ok: false,
            exitCode: code,
            error: {
                kind: snapshotError?.kind ?? 'internal',
                message: error instanceof Error ? error.message : String(error),
                ...(snapshotError?.hint ? { hint: spellOptions(snapshotError.hint, cliOption) } : {}),
                ...(snapshotError?.checks
                    ? { checks: snapshotError.checks.filter((check) => !check.ok).map(jsonCheck) }
                    : {}),
            },
        })}\n`);
        return code;
    }
    io.stderr(`error: ${describeError(error)}\n`);
    // An unexpected failure is a bug or an environment problem; show the stack to report it.
    if (!(error instanceof SnapshotError) && error instanceof Error && error.stack)
        io.stderr(`${error.stack}\n`);
    return code;
}
function unknownCommand(name) {
    const match = nearest(name, Object.keys(main_COMMANDS));
    return new SnapshotError('usage', `unknown command ${JSON.stringify(name)}.${match ? ` Did you mean ${match}?` : ''}`, {
        hint: 'Run: sqlite-snapshot --help',
    });
}
/**
 * Runs one command line. `nodeVersion` is the runtime's, checked before any command runs: a
 * runtime that cannot read a manifest exactly must not give a verdict on one.
 */
async function main(argv, rawIo, nodeVersion = process.versions.node) {
    // Every word the CLI writes, results, progress and errors, leaves through the inert streams.
    const io = inertIo(rawIo);
    const [name, ...args] = argv;
    const json = args.includes('--json');
    if (name === undefined || name === '--help' || name === '-h') {
        io.stdout(MAIN_HELP);
        return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (name === '--version' || name === '-V') {
        io.stdout(`sqlite-snapshot ${VERSION}\n`);
        return EXIT_OK;
    }
    if (name === 'help') {
        const topic = args[0];
        if (topic === undefined) {
            io.stdout(MAIN_HELP);
            return EXIT_OK;
        }
        const command = main_COMMANDS[topic];
        if (!command)
            return main_reportError(unknownCommand(topic), io, false);
        io.stdout(command.help);
        return EXIT_OK;
    }
    const command = main_COMMANDS[name];
    if (!command)
        return main_reportError(unknownCommand(name), io, json);
    try {
        checkNodeVersion(nodeVersion);
        return await command.run(args, io);
    }
    catch (error) {
        return main_reportError(error, io, json);
    }
}

;// CONCATENATED MODULE: ./src/index.ts
/**
 * The bundle behind both faces (dist/index.js). Loading it runs nothing: dist/action.js runs the
 * GitHub Action and dist/cli.js the `sqlite-snapshot` command, each by importing it, so the two
 * share one copy of the code and of the prebuilt SQLite bindings. Worker threads load this same
 * file and take their role from workerData.
 */




var __webpack_exports__processIo = __webpack_exports__.Wr;
var __webpack_exports__runAction = __webpack_exports__.Cs;
var __webpack_exports__runCli = __webpack_exports__.ak;
export { __webpack_exports__processIo as processIo, __webpack_exports__runAction as runAction, __webpack_exports__runCli as runCli };
