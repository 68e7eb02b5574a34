/**
 * GitHub-flavoured Markdown pieces for job summaries: text in table cells and inline code that
 * show exactly what they hold, whatever characters it has. Nothing in the text can become markup,
 * HTML (`<script>`, `<img onerror>`, a `</details>` closing ours) or an entity, end a cell, a row
 * or a fence, or put a control character (ESC, CR, …) into the summary: those are shown escaped.
 */
import { printable, printableLine } from './untrusted.ts';

/**
 * Prose in a cell, shown literally: what would end the cell or the row, or start inline markup,
 * HTML or an entity, is escaped; line breaks become `<br>`, other controls visible escapes.
 */
export const cellProse = (text: string): string =>
  text
    .split(/\r?\n|\r/)
    .map((line) => printable(line.replace(/[\\`*_[\]<>|~&$]/g, (character) => `\\${character}`)))
    .join('<br>');

/**
 * Inline code that survives backticks in the text (CommonMark: a longer fence, padded). A code
 * span cannot hold a line break, and shows a backslash as it is: controls are shown escaped.
 */
export function inlineCode(raw: string): string {
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
export const cellText = (text: string): string =>
  /[\\\r\n]/.test(text) ? cellProse(text) : inlineCode(text).replaceAll('|', '\\|');

/**
 * A fenced block longer than any backtick run inside, so nothing in the lines can close it; each
 * line stays one line (a CR would be a line break to CommonMark) and shows its controls escaped.
 */
export function fenced(language: string, rawLines: string[]): string[] {
  const lines = rawLines.map(printableLine);
  const longest = Math.max(2, ...lines.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines, fence];
}
