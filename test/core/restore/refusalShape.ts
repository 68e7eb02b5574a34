/**
 * What a refusal looks like on the CLI's stderr (src/cli/main.ts prints `error: ${describeError}`):
 * one `error: …` line; for a failed verification or sanity check, the failures listed one per
 * `  - …` line after a line ending in a colon; then at most one `  hint: …` line. Nothing else: no
 * stack trace, no raw control character, no line a runner or a terminal would act on.
 */
import assert from 'node:assert/strict';
import { assertInert } from './hostileSnapshot.ts';

/** The progress lines a slow restore prints every couple of seconds before it ends (src/core/restore/progress.ts). */
const PROGRESS = /^restoring: [^\n]*\d+ s\b/;

export interface RefusalLines {
  /** The `error: …` line, without `error: `. */
  message: string;
  /** The listed failures, without `  - `. */
  items: string[];
  hint: string | undefined;
}

export function assertRefusalShape(stderr: string, label: string): RefusalLines {
  assertInert(stderr, label);
  assert.ok(stderr.endsWith('\n'), `${label}: stderr ends with a newline: ${JSON.stringify(stderr)}`);
  const lines = stderr.slice(0, -1).split('\n');
  while (lines.length > 1 && PROGRESS.test(lines[0]!)) lines.shift();
  const [first, ...rest] = lines;
  assert.match(first!, /^error: \S/, `${label}: the first line is the error:\n${stderr}`);
  const hint = rest.at(-1)?.startsWith('  hint: ') ? rest.pop()!.slice(8) : undefined;
  for (const line of rest) {
    assert.match(line, /^ {2}- \S/, `${label}: a line that is neither a listed failure nor the hint:\n${stderr}`);
  }
  if (rest.length > 0) assert.ok(first!.endsWith(':'), `${label}: a list follows a line ending in a colon:\n${stderr}`);
  for (const line of lines) assert.ok(line.length <= 2000, `${label}: a line of ${line.length} characters`);
  return { message: first!.slice(7), items: rest.map((line) => line.slice(4)), hint };
}

/** A one-line refusal: the `error:` line and its hint, nothing listed. */
export function assertOneLineRefusal(stderr: string, label: string): RefusalLines {
  const refusal = assertRefusalShape(stderr, label);
  assert.deepEqual(refusal.items, [], `${label}: one line, not a list:\n${stderr}`);
  assert.ok(refusal.hint, `${label}: the refusal says what to do:\n${stderr}`);
  return refusal;
}
