/**
 * The escapers for text from artifacts: a value stays on its line and shows its controls; a block
 * written by a face holds nothing the Actions runner or a terminal acts on, and JSON stays JSON.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inertText, printable, printableLine, quoted } from '../../../src/core/shared/untrusted.ts';
import { assertInert, HOSTILE } from '../restore/hostileSnapshot.ts';

test('printable: one line, every control a visible escape; printableLine keeps tabs', () => {
  assert.equal(printable('a\nb\r\tc\u001b[2J\u009b\u2028\u202e'), 'a\\nb\\r\\tc\\u001b[2J\\u009b\\u2028\\u202e');
  assert.equal(printableLine('\tSELECT 1\r\u0007'), '\tSELECT 1\\r\\u0007');
  assert.equal(printable('plain text, ünïcode → ok'), 'plain text, ünïcode → ok');
  // The runner acts on a legacy `##[command]` anywhere in a line, so one value cannot carry it either.
  assert.equal(printable('v ##[add-mask]x'), 'v ##\\u005badd-mask]x');
  assert.equal(printableLine('##[error]x'), '##\\u005berror]x');
});

test('quoted: quotes, escapes quotes and backslashes, cuts long values', () => {
  assert.equal(quoted('say "hi"\\\n'), '"say \\"hi\\"\\\\\\n"');
  assert.equal(quoted('x'.repeat(10), 4), '"xxxx…"');
  assert.ok(!quoted(HOSTILE).includes('\n'));
});

test('inertText: a line that would start a workflow command is defused, after any whitespace', () => {
  assert.equal(inertText('::error title=x::pwned'), '\\u003a:error title=x::pwned');
  assert.equal(inertText('ok\n  ::add-mask::secret\n'), 'ok\n  \\u003a:add-mask::secret\n');
  // No-break and ideographic spaces are whitespace to the runner's TrimStart too.
  assert.equal(inertText('\u00a0\u3000::warning::x'), '\u00a0\u3000\\u003a:warning::x');
  // A carriage return is a line break to the runner: it is escaped, so nothing starts a line after it.
  assert.equal(inertText('a\r::error::x'), 'a\\r::error::x');
  // Mid-line `::` is no command; text with nothing to defuse comes back as it was.
  const calm = 'table a::b, 3 → 4 rows\n\tindented\n';
  assert.equal(inertText(calm), calm);
});

test('inertText: the legacy ##[command] form, which the runner finds anywhere in a line, is defused', () => {
  assert.equal(inertText('value ##[add-mask]secret'), 'value ##\\u005badd-mask]secret');
  assert.equal(inertText('##[stop-commands]x'), '##\\u005bstop-commands]x');
});

test('inertText: ESC, C1 controls, DEL, separators and bidi overrides are escaped; newline and tab stay', () => {
  assert.equal(
    inertText('a\u001b]0;title\u0007\tb\nc\u009b31m\u007f\u2028\u2029\u202e\u2066'),
    'a\\u001b]0;title\\u0007\tb\nc\\u009b31m\\u007f\\u2028\\u2029\\u202e\\u2066',
  );
  assertInert(inertText(HOSTILE), 'inertText(HOSTILE)');
});

test('inertText keeps JSON valid and its values the same, whatever the strings hold', () => {
  const value = {
    [`key${HOSTILE}`]: HOSTILE,
    list: ['::error::x', '##[add-mask]y', '\u0085\u009b\u2028', 'plain'],
    nested: { text: `line\n::warning::z` },
  };
  for (const json of [JSON.stringify(value, null, 2), JSON.stringify(value)]) {
    const inert = inertText(json);
    assertInert(inert, 'JSON');
    assert.deepEqual(JSON.parse(inert), value);
  }
});
