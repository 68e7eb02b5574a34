/**
 * Text that comes from an artifact (manifest fields, table names, SQL, file contents) is untrusted:
 * shown raw, a newline followed by `::error::` forges a workflow command in an Actions log, and an
 * ESC byte drives the reader's terminal. Every such string goes through `quoted` (a value in a
 * sentence) or `printable` (a whole line) before it reaches a log line, an annotation or a terminal.
 */

/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (char: string): string => {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
};

/** One line: every control character (newline included) written as a visible escape. */
export const printable = (text: string): string => text.replace(UNSAFE, escapeChar);

/**
 * A value for a sentence: in double quotes, inner quotes and backslashes escaped, controls made
 * visible, and cut to `max` characters with an ellipsis so a huge value cannot flood the log.
 */
export function quoted(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `"${printable(cut.replaceAll('\\', '\\\\').replaceAll('"', '\\"'))}"`;
}
