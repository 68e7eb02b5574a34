/** Markdown pieces of the job summaries: table cells and inline code show exactly what they hold. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellProse, cellText, fenced, inlineCode } from '../../../src/core/shared/markdown.ts';
import { rawHtmlOutsideCode } from '../restore/hostileSnapshot.ts';

test('Markdown cells: names as code with pipes escaped; backslashes and line breaks as escaped prose', () => {
  assert.equal(cellText('jobs'), '`jobs`');
  assert.equal(cellText('a|b'), '`a\\|b`');
  assert.equal(cellText('a`b'), '``a`b``');
  assert.equal(cellText('`a'), '`` `a ``');
  assert.equal(cellText('a\\b'), 'a\\\\b');
  assert.equal(cellText('line\nbreak|x'), 'line<br>break\\|x');
  assert.equal(cellProse('*not bold* <b>'), '\\*not bold\\* \\<b\\>');
});

test('inline code survives backticks; prose cells escape pipes, markup and line breaks', () => {
  assert.equal(inlineCode('x'), '`x`');
  assert.equal(inlineCode('a`b'), '``a`b``');
  assert.equal(cellProse('a|b\nc'), 'a\\|b<br>c');
  // A code span would show an escaped backslash doubled, so a Windows path is escaped prose.
  assert.equal(cellText('C:\\temp'), 'C:\\\\temp');
});

test('HTML in a value stays text: no tag, no entity, no </details> closing ours', () => {
  const html = '</details><script>alert(1)</script><img src=x onerror=alert(1)>&amp;';
  assert.equal(
    cellProse(html),
    '\\</details\\>\\<script\\>alert(1)\\</script\\>\\<img src=x onerror=alert(1)\\>\\&amp;',
  );
  const raw = ['</details>', '<script>', '</script>', '<img', '&amp;'];
  assert.deepEqual(rawHtmlOutsideCode(`x ${html}`), raw, 'the probe sees raw HTML');
  // In a code span HTML is literal text already.
  assert.equal(cellText(html), `\`${html}\``);
  for (const cell of [cellProse(html), cellText(html), cellText(`${html}\n`), inlineCode(html)]) {
    assert.deepEqual(rawHtmlOutsideCode(cell), [], cell);
  }
});

test('controls never reach the Markdown raw: ESC, CR, C1 and separators show escaped; lines stay lines', () => {
  const hostile = 'a\u001b[2J\rb\u009b31m\u2028c';
  assert.equal(cellProse(hostile), 'a\\u001b\\[2J<br>b\\u009b31m\\u2028c');
  assert.equal(cellText('a\u001bb'), '`a\\u001bb`');
  assert.equal(inlineCode('a\nb'), '`a\\nb`');
  // A fenced line keeps its tabs; a CR, which CommonMark reads as a line break, is shown instead.
  assert.deepEqual(fenced('diff', ['+ \tx\r```\u001b']), ['````diff', '+ \tx\\r```\\u001b', '````']);
});
