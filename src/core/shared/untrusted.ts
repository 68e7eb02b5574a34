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
const unicodeEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

const escapeChar = (char: string): string => {
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
export const printable = (text: string): string =>
  text.replace(UNSAFE, escapeChar).replace(LEGACY_COMMAND, LEGACY_DEFUSED);

/** One line of SQL or of a listing: as `printable`, but tabs, which are layout, stay. */
export const printableLine = (text: string): string =>
  text.replace(UNSAFE_BUT_TAB, escapeChar).replace(LEGACY_COMMAND, LEGACY_DEFUSED);

/**
 * A value for a sentence: in double quotes, inner quotes and backslashes escaped, controls made
 * visible, and cut to `max` characters with an ellipsis so a huge value cannot flood the log.
 */
export function quoted(text: string, max = 200): string {
  return `"${printable(cutShort(text, max).replaceAll('\\', '\\\\').replaceAll('"', '\\"'))}"`;
}

/** At most `max` characters, and an ellipsis where it was cut. */
const cutShort = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** One printable line of at most `max` characters (and an ellipsis): a huge text cannot flood the log. */
export const printableShort = (text: string, max: number): string => printable(cutShort(text, max));

/**
 * A block of text for a log line, an annotation or a terminal, made inert line by line: controls
 * other than newline and tab become `\uXXXX` (`\r` becomes `\r`; the runner would read a bare CR
 * as a line break), a line that would start a workflow command has its first colon written
 * `\u003a`, and `##[` becomes `##\u005b`. Each change swaps one character for its JSON escape, and
 * only where JSON text never has them outside a string, so JSON output stays valid and means the
 * same. Text with nothing to neutralise comes back unchanged.
 */
export function inertText(text: string): string {
  return text
    .replace(UNSAFE_IN_BLOCK, escapeChar)
    .split('\n')
    .map((line) => line.replace(LEGACY_COMMAND, LEGACY_DEFUSED).replace(COMMAND_START, '$1\\u003a:'))
    .join('\n');
}
