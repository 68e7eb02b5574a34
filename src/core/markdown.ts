/**
 * GitHub-flavoured Markdown pieces for job summaries: text in table cells and inline code that
 * show exactly what they hold, whatever characters it has.
 */

/** Prose in a cell, shown literally: what would end the cell or the row, or start inline markup, is escaped. */
export const cellProse = (text: string): string =>
  text.replace(/[\\`*_[\]<>|~&$]/g, (character) => `\\${character}`).replace(/\r?\n|\r/g, '<br>');

/** Inline code that survives backticks in the text (CommonMark: a longer fence, padded). */
export function inlineCode(text: string): string {
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
export const cellText = (text: string): string =>
  /[\\\r\n]/.test(text) ? cellProse(text) : inlineCode(text).replaceAll('|', '\\|');

/** A fenced block longer than any backtick run inside, so nothing in the lines can close it. */
export function fenced(language: string, lines: string[]): string[] {
  const longest = Math.max(2, ...lines.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}
