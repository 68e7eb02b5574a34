/** Markdown pieces of the job summaries: table cells and inline code show exactly what they hold. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellProse, cellText, inlineCode } from '../../src/core/markdown.ts';

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
