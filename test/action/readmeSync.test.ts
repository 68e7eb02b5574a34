/** The README documents the Action's interface: its inputs and outputs tables must match action.yml. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers.ts';
import { readActionYaml } from './actionRunner.ts';

const actionYaml = readActionYaml();
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The rows of the first table after `heading`, as arrays of trimmed cells. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.notEqual(start, -1, `README has a "${heading}" section`);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  // Drop the header and the --- separator.
  return rows.slice(2);
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

test("the README's inputs table lists every input of action.yml, in order, with its default", () => {
  const rows = tableAfter('### Inputs');
  assert.deepEqual(
    rows.map((row) => unquote(row[0]!)),
    Object.keys(actionYaml.inputs),
  );
  for (const row of rows) {
    const name = unquote(row[0]!);
    assert.equal(unquote(row[1]!), actionYaml.inputs[name]?.default ?? '', `default of ${name}`);
    assert.ok((row[2] ?? '').length > 10, `${name} is explained`);
  }
});

test("the README's outputs table lists every output of action.yml, in order", () => {
  const rows = tableAfter('### Outputs');
  assert.deepEqual(
    rows.map((row) => unquote(row[0]!)),
    Object.keys(actionYaml.outputs),
  );
});
